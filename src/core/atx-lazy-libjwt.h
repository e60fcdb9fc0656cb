/* atx-lazy-libjwt.h — libjwt (and the OpenSSL it links) mapped on the first
 * signature: see atx-lazy-library.h. Include after <jwt.h>. */
#pragma once

#include <jwt.h>

#include "atx-lazy-library.h"

#define ATX_LIBJWT_SYMBOLS(X) \
  X (jwt_add_grants_json) \
  X (jwt_encode_str) \
  X (jwt_free) \
  X (jwt_new) \
  X (jwt_set_alg)

ATX_LAZY_LIBRARY_DECLARE (libjwt, ATX_LIBJWT_SYMBOLS)

#ifndef ATX_LAZY_LIBRARY_NO_REDIRECT
#define jwt_add_grants_json ATX_LAZY_CALL (libjwt, jwt_add_grants_json)
#define jwt_encode_str      ATX_LAZY_CALL (libjwt, jwt_encode_str)
#define jwt_free            ATX_LAZY_CALL (libjwt, jwt_free)
#define jwt_new             ATX_LAZY_CALL (libjwt, jwt_new)
#define jwt_set_alg         ATX_LAZY_CALL (libjwt, jwt_set_alg)
#endif

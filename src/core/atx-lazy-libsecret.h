/* atx-lazy-libsecret.h — libsecret (and libgcrypt) mapped when the API key is
 * first read or written: see atx-lazy-library.h. Include after
 * <libsecret/secret.h>. */
#pragma once

#include <libsecret/secret.h>

#include "atx-lazy-library.h"

#define ATX_LIBSECRET_SYMBOLS(X) \
  X (secret_password_clear) \
  X (secret_password_clear_finish) \
  X (secret_password_free) \
  X (secret_password_lookup) \
  X (secret_password_lookup_finish) \
  X (secret_password_store) \
  X (secret_password_store_finish)

ATX_LAZY_LIBRARY_DECLARE (libsecret, ATX_LIBSECRET_SYMBOLS)

#ifndef ATX_LAZY_LIBRARY_NO_REDIRECT
#define secret_password_clear         ATX_LAZY_CALL (libsecret, secret_password_clear)
#define secret_password_clear_finish  ATX_LAZY_CALL (libsecret, secret_password_clear_finish)
#define secret_password_free          ATX_LAZY_CALL (libsecret, secret_password_free)
#define secret_password_lookup        ATX_LAZY_CALL (libsecret, secret_password_lookup)
#define secret_password_lookup_finish ATX_LAZY_CALL (libsecret, secret_password_lookup_finish)
#define secret_password_store         ATX_LAZY_CALL (libsecret, secret_password_store)
#define secret_password_store_finish  ATX_LAZY_CALL (libsecret, secret_password_store_finish)
#endif

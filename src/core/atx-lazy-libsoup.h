/* atx-lazy-libsoup.h — libsoup (and the HTTP/2, Kerberos, SQLite, PSL and
 * Brotli libraries behind it) mapped on the first request to the token
 * server or when the browser call host starts: see atx-lazy-library.h.
 * Include after <libsoup/soup.h>. Use "GET"/"POST" rather than
 * SOUP_METHOD_*, and G_TYPE_CHECK_* with SOUP_TYPE_* rather than the
 * SOUP_IS_*()/SOUP_*() inline functions: those refer to libsoup directly. */
#pragma once

#include <libsoup/soup.h>

#include "atx-lazy-library.h"

#define ATX_LIBSOUP_SYMBOLS(X) \
  X (soup_message_add_flags) \
  X (soup_message_body_append) \
  X (soup_message_body_complete) \
  X (soup_message_body_flatten) \
  X (soup_message_body_set_accumulate) \
  X (soup_message_get_request_headers) \
  X (soup_message_get_response_headers) \
  X (soup_message_get_status) \
  X (soup_message_headers_get_content_length) \
  X (soup_message_headers_get_encoding) \
  X (soup_message_headers_get_one) \
  X (soup_message_headers_replace) \
  X (soup_message_headers_set_encoding) \
  X (soup_message_new) \
  X (soup_message_set_request_body_from_bytes) \
  X (soup_server_add_early_handler) \
  X (soup_server_add_handler) \
  X (soup_server_disconnect) \
  X (soup_server_get_uris) \
  X (soup_server_listen_local) \
  X (soup_server_message_get_method) \
  X (soup_server_message_get_request_body) \
  X (soup_server_message_get_request_headers) \
  X (soup_server_message_get_response_body) \
  X (soup_server_message_get_response_headers) \
  X (soup_server_message_get_type) \
  X (soup_server_message_set_response) \
  X (soup_server_message_set_status) \
  X (soup_server_message_unpause) \
  X (soup_server_new) \
  X (soup_session_abort) \
  X (soup_session_error_quark) \
  X (soup_session_get_type) \
  X (soup_session_new_with_options) \
  X (soup_session_send_async) \
  X (soup_session_send_finish) \
  X (soup_status_get_phrase)

ATX_LAZY_LIBRARY_DECLARE (libsoup, ATX_LIBSOUP_SYMBOLS)

#ifndef ATX_LAZY_LIBRARY_NO_REDIRECT
#define soup_message_add_flags                    ATX_LAZY_CALL (libsoup, soup_message_add_flags)
#define soup_message_body_append                  ATX_LAZY_CALL (libsoup, soup_message_body_append)
#define soup_message_body_complete                ATX_LAZY_CALL (libsoup, soup_message_body_complete)
#define soup_message_body_flatten                 ATX_LAZY_CALL (libsoup, soup_message_body_flatten)
#define soup_message_body_set_accumulate          ATX_LAZY_CALL (libsoup, soup_message_body_set_accumulate)
#define soup_message_get_request_headers          ATX_LAZY_CALL (libsoup, soup_message_get_request_headers)
#define soup_message_get_response_headers         ATX_LAZY_CALL (libsoup, soup_message_get_response_headers)
#define soup_message_get_status                   ATX_LAZY_CALL (libsoup, soup_message_get_status)
#define soup_message_headers_get_content_length   ATX_LAZY_CALL (libsoup, soup_message_headers_get_content_length)
#define soup_message_headers_get_encoding         ATX_LAZY_CALL (libsoup, soup_message_headers_get_encoding)
#define soup_message_headers_get_one              ATX_LAZY_CALL (libsoup, soup_message_headers_get_one)
#define soup_message_headers_replace              ATX_LAZY_CALL (libsoup, soup_message_headers_replace)
#define soup_message_headers_set_encoding         ATX_LAZY_CALL (libsoup, soup_message_headers_set_encoding)
#define soup_message_new                          ATX_LAZY_CALL (libsoup, soup_message_new)
#define soup_message_set_request_body_from_bytes  ATX_LAZY_CALL (libsoup, soup_message_set_request_body_from_bytes)
#define soup_server_add_early_handler             ATX_LAZY_CALL (libsoup, soup_server_add_early_handler)
#define soup_server_add_handler                   ATX_LAZY_CALL (libsoup, soup_server_add_handler)
#define soup_server_disconnect                    ATX_LAZY_CALL (libsoup, soup_server_disconnect)
#define soup_server_get_uris                      ATX_LAZY_CALL (libsoup, soup_server_get_uris)
#define soup_server_listen_local                  ATX_LAZY_CALL (libsoup, soup_server_listen_local)
#define soup_server_message_get_method            ATX_LAZY_CALL (libsoup, soup_server_message_get_method)
#define soup_server_message_get_request_body      ATX_LAZY_CALL (libsoup, soup_server_message_get_request_body)
#define soup_server_message_get_request_headers   ATX_LAZY_CALL (libsoup, soup_server_message_get_request_headers)
#define soup_server_message_get_response_body     ATX_LAZY_CALL (libsoup, soup_server_message_get_response_body)
#define soup_server_message_get_response_headers  ATX_LAZY_CALL (libsoup, soup_server_message_get_response_headers)
#define soup_server_message_get_type              ATX_LAZY_CALL (libsoup, soup_server_message_get_type)
#define soup_server_message_set_response          ATX_LAZY_CALL (libsoup, soup_server_message_set_response)
#define soup_server_message_set_status            ATX_LAZY_CALL (libsoup, soup_server_message_set_status)
#define soup_server_message_unpause               ATX_LAZY_CALL (libsoup, soup_server_message_unpause)
#define soup_server_new                           ATX_LAZY_CALL (libsoup, soup_server_new)
#define soup_session_abort                        ATX_LAZY_CALL (libsoup, soup_session_abort)
#define soup_session_error_quark                  ATX_LAZY_CALL (libsoup, soup_session_error_quark)
#define soup_session_get_type                     ATX_LAZY_CALL (libsoup, soup_session_get_type)
#define soup_session_new_with_options             ATX_LAZY_CALL (libsoup, soup_session_new_with_options)
#define soup_session_send_async                   ATX_LAZY_CALL (libsoup, soup_session_send_async)
#define soup_session_send_finish                  ATX_LAZY_CALL (libsoup, soup_session_send_finish)
#define soup_status_get_phrase                    ATX_LAZY_CALL (libsoup, soup_status_get_phrase)
#endif

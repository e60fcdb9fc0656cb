/* atx-api-keys.h — the token server's callers: API keys and their rate limit.
 *
 * The configuration stores only the lowercase hex sha256 of each key with its
 * role. A presented key is hashed and compared against every entry in
 * constant time; each entry has its own token bucket.
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define ATX_API_KEYS_ERROR (atx_api_keys_error_quark ())

typedef enum {
  ATX_API_KEYS_ERROR_INVALID_HASH,
  ATX_API_KEYS_ERROR_INVALID_ROLE,
} AtxApiKeysError;

GQuark atx_api_keys_error_quark (void);

typedef enum {
  ATX_API_ROLE_PARTICIPANT,
  ATX_API_ROLE_THERAPIST,
} AtxApiRole;

/* Longest key accepted in an Authorization header. */
#define ATX_API_KEY_MAX_LENGTH 512

typedef struct _AtxApiKey AtxApiKey;

AtxApiRole  atx_api_key_get_role (const AtxApiKey *key);
/* The first 8 hex digits of the key's hash: how logs name it. */
const char *atx_api_key_get_name (const AtxApiKey *key);

#define ATX_TYPE_API_KEYS (atx_api_keys_get_type ())
G_DECLARE_FINAL_TYPE (AtxApiKeys, atx_api_keys, ATX, API_KEYS, GObject)

/* @requests_per_second: token bucket rate per key, 0 = unlimited. */
AtxApiKeys *atx_api_keys_new            (guint         requests_per_second);
gboolean    atx_api_keys_add            (AtxApiKeys   *self,
                                         const char   *sha256_hex,
                                         const char   *role,
                                         GError      **error);
guint       atx_api_keys_get_n_keys     (AtxApiKeys   *self);
AtxApiKey  *atx_api_keys_authenticate   (AtxApiKeys   *self,
                                         const char   *presented_key);
/* Takes one token from @key's bucket at monotonic time @now_usec. On FALSE,
 * @out_retry_after_seconds says when the next one is there. */
gboolean    atx_api_keys_consume        (AtxApiKeys   *self,
                                         AtxApiKey    *key,
                                         gint64        now_usec,
                                         guint        *out_retry_after_seconds);

G_END_DECLS

/* atx-api-keys.c — API key table with constant-time lookup and per-key
 * token-bucket rate limiting.
 */
#define G_LOG_DOMAIN "atx-api-keys"

#include "config.h"

#include "atx-api-keys.h"

#include <string.h>

G_DEFINE_QUARK (atx-api-keys-error-quark, atx_api_keys_error)

#define HASH_LEN 32

struct _AtxApiKey {
  guint8     hash[HASH_LEN];
  AtxApiRole role;
  char       name[9];
  /* Token bucket: tokens available at time `refilled_at` (monotonic usec). */
  double     tokens;
  gint64     refilled_at;
};

struct _AtxApiKeys {
  GObject  parent_instance;

  GArray  *keys; /* of AtxApiKey */
  guint    rate;
};

G_DEFINE_FINAL_TYPE (AtxApiKeys, atx_api_keys, G_TYPE_OBJECT)

static void
atx_api_keys_finalize (GObject *object)
{
  AtxApiKeys *self = ATX_API_KEYS (object);

  g_clear_pointer (&self->keys, g_array_unref);

  G_OBJECT_CLASS (atx_api_keys_parent_class)->finalize (object);
}

static void
atx_api_keys_class_init (AtxApiKeysClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = atx_api_keys_finalize;
}

static void
atx_api_keys_init (AtxApiKeys *self)
{
  self->keys = g_array_new (FALSE, TRUE, sizeof (AtxApiKey));
}

AtxApiKeys *
atx_api_keys_new (guint requests_per_second)
{
  AtxApiKeys *self = g_object_new (ATX_TYPE_API_KEYS, NULL);

  self->rate = requests_per_second;
  return self;
}

AtxApiRole
atx_api_key_get_role (const AtxApiKey *key)
{
  return key->role;
}

const char *
atx_api_key_get_name (const AtxApiKey *key)
{
  return key->name;
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

gboolean
atx_api_keys_add (AtxApiKeys  *self,
                  const char  *sha256_hex,
                  const char  *role,
                  GError     **error)
{
  AtxApiKey key = { 0, };

  g_return_val_if_fail (ATX_IS_API_KEYS (self), FALSE);
  g_return_val_if_fail (sha256_hex != NULL && role != NULL, FALSE);

  if (strlen (sha256_hex) != HASH_LEN * 2)
    {
      g_set_error (error, ATX_API_KEYS_ERROR, ATX_API_KEYS_ERROR_INVALID_HASH,
                   "“%.16s…” is not a sha256 hash: it must be 64 lowercase hex digits",
                   sha256_hex);
      return FALSE;
    }
  for (guint i = 0; i < HASH_LEN; i++)
    {
      int hi = hex_value (sha256_hex[2 * i]);
      int lo = hex_value (sha256_hex[2 * i + 1]);

      if (hi < 0 || lo < 0)
        {
          g_set_error (error, ATX_API_KEYS_ERROR, ATX_API_KEYS_ERROR_INVALID_HASH,
                       "“%.16s…” is not a sha256 hash: it must be 64 lowercase hex digits",
                       sha256_hex);
          return FALSE;
        }
      key.hash[i] = (guint8) (hi << 4 | lo);
    }

  if (g_str_equal (role, "therapist"))
    key.role = ATX_API_ROLE_THERAPIST;
  else if (g_str_equal (role, "participant"))
    key.role = ATX_API_ROLE_PARTICIPANT;
  else
    {
      g_set_error (error, ATX_API_KEYS_ERROR, ATX_API_KEYS_ERROR_INVALID_ROLE,
                   "API key %.8s has role “%s”: it must be therapist or participant",
                   sha256_hex, role);
      return FALSE;
    }

  memcpy (key.name, sha256_hex, 8);
  key.name[8] = '\0';
  key.tokens = self->rate;
  key.refilled_at = g_get_monotonic_time ();

  /* A repeated hash replaces the earlier line, like GKeyFile does. */
  for (guint i = 0; i < self->keys->len; i++)
    {
      if (memcmp (g_array_index (self->keys, AtxApiKey, i).hash, key.hash, HASH_LEN) == 0)
        {
          g_array_index (self->keys, AtxApiKey, i) = key;
          return TRUE;
        }
    }
  g_array_append_val (self->keys, key);
  return TRUE;
}

guint
atx_api_keys_get_n_keys (AtxApiKeys *self)
{
  g_return_val_if_fail (ATX_IS_API_KEYS (self), 0);

  return self->keys->len;
}

AtxApiKey *
atx_api_keys_authenticate (AtxApiKeys *self,
                           const char *presented_key)
{
  g_autoptr(GChecksum) checksum = NULL;
  guint8 digest[HASH_LEN];
  gsize digest_len = sizeof digest;
  gsize presented_len;
  AtxApiKey *found = NULL;

  g_return_val_if_fail (ATX_IS_API_KEYS (self), NULL);

  if (presented_key == NULL)
    return NULL;
  presented_len = strnlen (presented_key, ATX_API_KEY_MAX_LENGTH + 1);
  if (presented_len == 0 || presented_len > ATX_API_KEY_MAX_LENGTH)
    return NULL;

  checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_checksum_update (checksum, (const guchar *) presented_key, (gssize) presented_len);
  g_checksum_get_digest (checksum, digest, &digest_len);

  /* Every entry is compared in full, and no branch depends on the bytes:
   * the time taken says nothing about how close a guess was. */
  for (guint i = 0; i < self->keys->len; i++)
    {
      AtxApiKey *key = &g_array_index (self->keys, AtxApiKey, i);
      guint8 diff = 0;
      guintptr mask;

      for (guint j = 0; j < HASH_LEN; j++)
        diff |= key->hash[j] ^ digest[j];
      /* mask is all ones when diff == 0, else zero. */
      mask = (guintptr) 0 - (guintptr) (((guint) diff - 1u) >> 8 & 1u);
      found = (AtxApiKey *) (((guintptr) key & mask) | ((guintptr) found & ~mask));
    }

  return found;
}

gboolean
atx_api_keys_consume (AtxApiKeys *self,
                      AtxApiKey  *key,
                      gint64      now_usec,
                      guint      *out_retry_after_seconds)
{
  double capacity;

  g_return_val_if_fail (ATX_IS_API_KEYS (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (self->rate == 0)
    return TRUE;

  /* Burst of one second's worth, refilled continuously. */
  capacity = self->rate;
  if (now_usec > key->refilled_at)
    {
      key->tokens += (double) (now_usec - key->refilled_at) * self->rate / G_USEC_PER_SEC;
      if (key->tokens > capacity)
        key->tokens = capacity;
      key->refilled_at = now_usec;
    }

  if (key->tokens >= 1.0)
    {
      key->tokens -= 1.0;
      return TRUE;
    }

  if (out_retry_after_seconds)
    {
      double wait = (1.0 - key->tokens) / self->rate;
      *out_retry_after_seconds = MAX (1, (guint) (wait + 0.999));
    }
  return FALSE;
}

/* atx-jwt.c — signing, verifying and peeking at Jitsi call tokens.
 *
 * Verification never trusts libjwt's jwt_decode(): the header is read here,
 * `alg` must be exactly HS256, the HMAC is recomputed with GHmac and compared
 * in constant time, and every claim of DESIGN.md is checked with its own
 * error code (the `reason` strings of validate-token).
 */
#define G_LOG_DOMAIN "atx-jwt"

#include "config.h"

#include "atx-jwt.h"
#include "atx-room-name.h"

#include <errno.h>
#include <math.h> /* isfinite */
#include <stdlib.h>
#include <string.h>

#include <json-glib/json-glib.h>
#include <jwt.h>

#include "atx-lazy-libjwt.h"

G_DEFINE_QUARK (atx-jwt-error-quark, atx_jwt_error)

static const char * const reasons[] = {
  [ATX_JWT_ERROR_MALFORMED] = "malformed",
  [ATX_JWT_ERROR_BAD_ALGORITHM] = "bad-algorithm",
  [ATX_JWT_ERROR_BAD_SIGNATURE] = "bad-signature",
  [ATX_JWT_ERROR_MISSING_EXP] = "missing-exp",
  [ATX_JWT_ERROR_EXPIRED] = "expired",
  [ATX_JWT_ERROR_NOT_YET_VALID] = "not-yet-valid",
  [ATX_JWT_ERROR_WRONG_AUDIENCE] = "wrong-audience",
  [ATX_JWT_ERROR_WRONG_ISSUER] = "wrong-issuer",
  [ATX_JWT_ERROR_WRONG_SUBJECT] = "wrong-subject",
  [ATX_JWT_ERROR_BAD_ROOM] = "bad-room",
  [ATX_JWT_ERROR_BAD_MODERATOR] = "bad-moderator",
};

const char *
atx_jwt_error_to_reason (AtxJwtError code)
{
  if ((guint) code >= G_N_ELEMENTS (reasons))
    return "malformed";
  return reasons[code];
}

/* ---- base64url (RFC 4648 §5, no padding) ---- */

static const char b64url_alphabet[] =
  "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static void
append_base64url (GString      *out,
                  const guint8 *data,
                  gsize         len)
{
  gsize i;

  for (i = 0; i + 2 < len; i += 3)
    {
      guint32 v = ((guint32) data[i] << 16) | ((guint32) data[i + 1] << 8) | data[i + 2];
      g_string_append_c (out, b64url_alphabet[(v >> 18) & 63]);
      g_string_append_c (out, b64url_alphabet[(v >> 12) & 63]);
      g_string_append_c (out, b64url_alphabet[(v >> 6) & 63]);
      g_string_append_c (out, b64url_alphabet[v & 63]);
    }
  if (len - i == 1)
    {
      guint32 v = (guint32) data[i] << 16;
      g_string_append_c (out, b64url_alphabet[(v >> 18) & 63]);
      g_string_append_c (out, b64url_alphabet[(v >> 12) & 63]);
    }
  else if (len - i == 2)
    {
      guint32 v = ((guint32) data[i] << 16) | ((guint32) data[i + 1] << 8);
      g_string_append_c (out, b64url_alphabet[(v >> 18) & 63]);
      g_string_append_c (out, b64url_alphabet[(v >> 12) & 63]);
      g_string_append_c (out, b64url_alphabet[(v >> 6) & 63]);
    }
}

static int
b64url_value (char c)
{
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '-')
    return 62;
  if (c == '_')
    return 63;
  return -1;
}

/* Strict decoder: only the url alphabet, no padding, no stray bits. Returns a
 * NUL-terminated buffer (the NUL is not counted in @out_len). */
static guint8 *
decode_base64url (const char *in,
                  gsize       len,
                  gsize      *out_len)
{
  g_autofree guint8 *out = NULL;
  guint32 acc = 0;
  int bits = 0;
  gsize n = 0;

  if (len % 4 == 1)
    return NULL;

  out = g_malloc (len * 3 / 4 + 1);
  for (gsize i = 0; i < len; i++)
    {
      int v = b64url_value (in[i]);

      if (v < 0)
        return NULL;
      acc = (acc << 6) | (guint32) v;
      bits += 6;
      if (bits >= 8)
        {
          bits -= 8;
          out[n++] = (guint8) ((acc >> bits) & 0xff);
        }
    }
  if (bits > 0 && (acc & ((1u << bits) - 1)) != 0)
    return NULL;

  out[n] = '\0';
  *out_len = n;
  return g_steal_pointer (&out);
}

/* ---- JSON helpers ---- */

static void
append_json_string (GString    *out,
                    const char *str)
{
  g_string_append_c (out, '"');
  for (const char *p = str; *p; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (c < 0x20 || c == 0x7f)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

static JsonObject *
parse_json_object (const char *data,
                   gsize       len,
                   JsonParser **out_parser)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  /* json-glib stops at an embedded NUL: such a part is never valid. */
  if (memchr (data, '\0', len) != NULL)
    return NULL;
  if (!json_parser_load_from_data (parser, data, (gssize) len, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  *out_parser = g_steal_pointer (&parser);
  return json_node_get_object (root);
}

typedef enum {
  NUMBER_ABSENT,
  NUMBER_OK,
  NUMBER_INVALID,
} NumberResult;

static NumberResult
get_seconds (JsonObject *obj,
             const char *member,
             gint64     *out)
{
  JsonNode *node = json_object_get_member (obj, member);
  GType type;

  if (node == NULL)
    return NUMBER_ABSENT;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return NUMBER_INVALID;

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    {
      *out = json_node_get_int (node);
      return NUMBER_OK;
    }
  if (type == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      /* Far beyond any real date, and keeps the conversion defined. */
      if (!isfinite (d) || d > 1e15 || d < -1e15)
        return NUMBER_INVALID;
      *out = (gint64) d;
      if ((double) *out > d)
        *out -= 1; /* floor, without libm */
      return NUMBER_OK;
    }
  return NUMBER_INVALID;
}

/* Returns the member as a string, NULL when absent; @invalid is set when it is
 * present but not a string. */
static const char *
get_string (JsonObject *obj,
            const char *member,
            gboolean   *invalid)
{
  JsonNode *node = json_object_get_member (obj, member);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      *invalid = TRUE;
      return NULL;
    }
  return json_node_get_string (node);
}

static gboolean
get_bool (JsonObject *obj,
          const char *member,
          gboolean   *present,
          gboolean   *out)
{
  JsonNode *node = json_object_get_member (obj, member);

  *present = node != NULL;
  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return FALSE;
  *out = json_node_get_boolean (node);
  return TRUE;
}

/* ---- sign ---- */

char *
atx_jwt_sign (const AtxJwtSignParams *params,
              const guint8           *key,
              gsize                   key_len)
{
  g_autoptr(GString) payload = NULL;
  g_autoptr(GError) error = NULL;
  jwt_t *jwt = NULL;
  char *encoded;
  char *result = NULL;

  g_return_val_if_fail (params != NULL, NULL);
  g_return_val_if_fail (key != NULL && key_len > 0 && key_len <= G_MAXINT, NULL);
  g_return_val_if_fail (params->issuer && g_utf8_validate (params->issuer, -1, NULL), NULL);
  g_return_val_if_fail (params->audience && g_utf8_validate (params->audience, -1, NULL), NULL);
  g_return_val_if_fail (params->subject && g_utf8_validate (params->subject, -1, NULL), NULL);
  g_return_val_if_fail (atx_room_name_is_valid (params->room), NULL);
  g_return_val_if_fail (params->user_id && g_utf8_validate (params->user_id, -1, NULL), NULL);
  g_return_val_if_fail (params->user_name && g_utf8_validate (params->user_name, -1, NULL), NULL);
  g_return_val_if_fail (params->user_email && g_utf8_validate (params->user_email, -1, NULL), NULL);
  g_return_val_if_fail (params->expires_at > params->not_before, NULL);

  /* All claims in one JSON text: one parse inside libjwt instead of a call
   * (and a jansson object) per claim. */
  payload = g_string_sized_new (384);
  g_string_append (payload, "{\"iss\":");
  append_json_string (payload, params->issuer);
  g_string_append (payload, ",\"aud\":");
  append_json_string (payload, params->audience);
  g_string_append (payload, ",\"sub\":");
  append_json_string (payload, params->subject);
  g_string_append (payload, ",\"room\":");
  append_json_string (payload, params->room);
  g_string_append_printf (payload,
                          ",\"iat\":%" G_GINT64_FORMAT
                          ",\"nbf\":%" G_GINT64_FORMAT
                          ",\"exp\":%" G_GINT64_FORMAT
                          ",\"moderator\":%s"
                          ",\"context\":{\"user\":{\"id\":",
                          params->issued_at, params->not_before, params->expires_at,
                          params->moderator ? "true" : "false");
  append_json_string (payload, params->user_id);
  g_string_append (payload, ",\"name\":");
  append_json_string (payload, params->user_name);
  g_string_append (payload, ",\"email\":");
  append_json_string (payload, params->user_email);
  g_string_append_printf (payload, ",\"moderator\":%s}}}",
                          params->moderator ? "true" : "false");

  if (!atx_lazy_libjwt_load (&error))
    {
      g_warning ("Could not sign a token: %s", error->message);
      return NULL;
    }
  if (jwt_new (&jwt) != 0)
    return NULL;
  if (jwt_add_grants_json (jwt, payload->str) == 0 &&
      jwt_set_alg (jwt, JWT_ALG_HS256, key, (int) key_len) == 0 &&
      (encoded = jwt_encode_str (jwt)) != NULL)
    {
      result = g_strdup (encoded);
      free (encoded);
    }
  else
    {
      g_warning ("libjwt could not sign a token: %s", g_strerror (errno));
    }
  jwt_free (jwt);

  return result;
}

/* ---- verify / peek ---- */

typedef struct {
  const char *header;
  gsize       header_len;
  const char *payload;
  gsize       payload_len;
  const char *signature;
  gsize       signature_len;
} TokenParts;

static gboolean
split_token (const char *token,
             TokenParts *parts,
             GError    **error)
{
  const char *dot1, *dot2;
  gsize len;

  len = token ? strnlen (token, ATX_JWT_MAX_TOKEN_LENGTH + 1) : 0;
  if (len == 0)
    {
      g_set_error_literal (error, ATX_JWT_ERROR, ATX_JWT_ERROR_MALFORMED,
                           "The token is empty");
      return FALSE;
    }
  if (len > ATX_JWT_MAX_TOKEN_LENGTH)
    {
      g_set_error_literal (error, ATX_JWT_ERROR, ATX_JWT_ERROR_MALFORMED,
                           "The token is too long");
      return FALSE;
    }

  dot1 = memchr (token, '.', len);
  dot2 = dot1 ? memchr (dot1 + 1, '.', len - (gsize) (dot1 + 1 - token)) : NULL;
  if (dot2 == NULL || memchr (dot2 + 1, '.', len - (gsize) (dot2 + 1 - token)) != NULL)
    {
      g_set_error_literal (error, ATX_JWT_ERROR, ATX_JWT_ERROR_MALFORMED,
                           "A token has exactly three dot-separated parts");
      return FALSE;
    }

  parts->header = token;
  parts->header_len = (gsize) (dot1 - token);
  parts->payload = dot1 + 1;
  parts->payload_len = (gsize) (dot2 - dot1 - 1);
  parts->signature = dot2 + 1;
  parts->signature_len = len - (gsize) (dot2 + 1 - token);

  if (parts->header_len == 0 || parts->payload_len == 0)
    {
      g_set_error_literal (error, ATX_JWT_ERROR, ATX_JWT_ERROR_MALFORMED,
                           "The token has an empty header or payload");
      return FALSE;
    }
  return TRUE;
}

static JsonObject *
decode_part (const char  *data,
             gsize        len,
             const char  *what,
             JsonParser **out_parser,
             GError     **error)
{
  g_autofree guint8 *json = NULL;
  gsize json_len = 0;
  JsonObject *obj;

  json = decode_base64url (data, len, &json_len);
  if (json == NULL)
    {
      g_set_error (error, ATX_JWT_ERROR, ATX_JWT_ERROR_MALFORMED,
                   "The token's %s is not base64url", what);
      return NULL;
    }
  obj = parse_json_object ((const char *) json, json_len, out_parser);
  if (obj == NULL)
    {
      g_set_error (error, ATX_JWT_ERROR, ATX_JWT_ERROR_MALFORMED,
                   "The token's %s is not a JSON object", what);
      return NULL;
    }
  return obj;
}

static gboolean
constant_time_equal (const char *a,
                     const char *b,
                     gsize       len)
{
  guchar diff = 0;

  for (gsize i = 0; i < len; i++)
    diff |= (guchar) a[i] ^ (guchar) b[i];
  return diff == 0;
}

static gboolean
check_signature (const TokenParts *parts,
                 const guint8     *key,
                 gsize             key_len,
                 GError          **error)
{
  g_autoptr(GHmac) hmac = NULL;
  g_autoptr(GString) expected = NULL;
  guint8 digest[32];
  gsize digest_len = sizeof digest;

  if (parts->signature_len == 0)
    {
      g_set_error_literal (error, ATX_JWT_ERROR, ATX_JWT_ERROR_BAD_SIGNATURE,
                           "The token has no signature");
      return FALSE;
    }

  hmac = g_hmac_new (G_CHECKSUM_SHA256, key, key_len);
  g_hmac_update (hmac, (const guchar *) parts->header,
                 (gssize) (parts->header_len + 1 + parts->payload_len));
  g_hmac_get_digest (hmac, digest, &digest_len);

  /* Comparing the canonical encodings also rejects signatures that differ
   * only in their unused trailing bits. */
  expected = g_string_sized_new (44);
  append_base64url (expected, digest, digest_len);
  if (parts->signature_len != expected->len ||
      !constant_time_equal (parts->signature, expected->str, expected->len))
    {
      g_set_error_literal (error, ATX_JWT_ERROR, ATX_JWT_ERROR_BAD_SIGNATURE,
                           "The token's signature does not match");
      return FALSE;
    }
  return TRUE;
}

void
atx_jwt_claims_free (AtxJwtClaims *claims)
{
  if (claims == NULL)
    return;
  g_free (claims->issuer);
  g_free (claims->audience);
  g_free (claims->subject);
  g_free (claims->room);
  g_free (claims->user_id);
  g_free (claims->user_name);
  g_free (claims->user_email);
  g_free (claims);
}

static gboolean
read_context_user (JsonObject   *payload,
                   AtxJwtClaims *claims,
                   gboolean     *user_moderator_present,
                   gboolean     *user_moderator,
                   GError      **error)
{
  JsonNode *context_node = json_object_get_member (payload, "context");
  JsonNode *user_node;
  JsonObject *user;
  gboolean invalid = FALSE;
  const char *id, *name, *email;

  *user_moderator_present = FALSE;
  if (context_node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (context_node))
    goto malformed;
  user_node = json_object_get_member (json_node_get_object (context_node), "user");
  if (user_node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (user_node))
    goto malformed;
  user = json_node_get_object (user_node);

  id = get_string (user, "id", &invalid);
  name = get_string (user, "name", &invalid);
  email = get_string (user, "email", &invalid);
  if (invalid)
    goto malformed;
  claims->user_id = g_strdup (id);
  claims->user_name = g_strdup (name);
  claims->user_email = g_strdup (email);

  if (!get_bool (user, "moderator", user_moderator_present, user_moderator))
    {
      g_set_error_literal (error, ATX_JWT_ERROR, ATX_JWT_ERROR_BAD_MODERATOR,
                           "context.user.moderator is not a boolean");
      return FALSE;
    }
  return TRUE;

malformed:
  g_set_error_literal (error, ATX_JWT_ERROR, ATX_JWT_ERROR_MALFORMED,
                       "The token's context.user has the wrong shape");
  return FALSE;
}

AtxJwtClaims *
atx_jwt_verify (const char               *token,
                const guint8             *key,
                gsize                     key_len,
                const AtxJwtExpectations *expect,
                gint64                    now,
                GError                  **error)
{
  g_autoptr(JsonParser) header_parser = NULL;
  g_autoptr(JsonParser) payload_parser = NULL;
  g_autoptr(AtxJwtClaims) claims = NULL;
  static const AtxJwtExpectations no_expectations = { NULL, };
  JsonObject *header, *payload;
  TokenParts parts;
  const char *alg, *iss, *aud, *sub, *room;
  gboolean invalid = FALSE;
  gboolean moderator_present, user_moderator_present, user_moderator = FALSE;
  gint64 exp = 0, nbf = 0, iat = 0;
  NumberResult nbf_result, iat_result;

  g_return_val_if_fail (key != NULL && key_len > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (expect == NULL)
    expect = &no_expectations;

  if (!split_token (token, &parts, error))
    return NULL;

  header = decode_part (parts.header, parts.header_len, "header", &header_parser, error);
  if (header == NULL)
    return NULL;

  alg = get_string (header, "alg", &invalid);
  if (alg == NULL || strcmp (alg, "HS256") != 0)
    {
      g_set_error (error, ATX_JWT_ERROR, ATX_JWT_ERROR_BAD_ALGORITHM,
                   "The token's algorithm is not HS256");
      return NULL;
    }

  if (!check_signature (&parts, key, key_len, error))
    return NULL;

  payload = decode_part (parts.payload, parts.payload_len, "payload", &payload_parser, error);
  if (payload == NULL)
    return NULL;

  claims = g_new0 (AtxJwtClaims, 1);

  switch (get_seconds (payload, "exp", &exp))
    {
    case NUMBER_ABSENT:
      g_set_error_literal (error, ATX_JWT_ERROR, ATX_JWT_ERROR_MISSING_EXP,
                           "The token has no expiry (exp)");
      return NULL;
    case NUMBER_INVALID:
      g_set_error_literal (error, ATX_JWT_ERROR, ATX_JWT_ERROR_MALFORMED,
                           "The token's exp is not a number");
      return NULL;
    case NUMBER_OK:
      break;
    }
  nbf_result = get_seconds (payload, "nbf", &nbf);
  iat_result = get_seconds (payload, "iat", &iat);
  if (nbf_result == NUMBER_INVALID || iat_result == NUMBER_INVALID)
    {
      g_set_error_literal (error, ATX_JWT_ERROR, ATX_JWT_ERROR_MALFORMED,
                           "The token's nbf or iat is not a number");
      return NULL;
    }
  if (exp <= now)
    {
      g_set_error_literal (error, ATX_JWT_ERROR, ATX_JWT_ERROR_EXPIRED,
                           "The token has expired");
      return NULL;
    }
  if (nbf_result == NUMBER_OK && nbf > now)
    {
      g_set_error_literal (error, ATX_JWT_ERROR, ATX_JWT_ERROR_NOT_YET_VALID,
                           "The token is not valid yet");
      return NULL;
    }

  invalid = FALSE;
  aud = get_string (payload, "aud", &invalid);
  if (aud == NULL || (expect->audience && strcmp (aud, expect->audience) != 0))
    {
      g_set_error_literal (error, ATX_JWT_ERROR, ATX_JWT_ERROR_WRONG_AUDIENCE,
                           "The token is for another audience");
      return NULL;
    }
  iss = get_string (payload, "iss", &invalid);
  if (iss == NULL || (expect->issuer && strcmp (iss, expect->issuer) != 0))
    {
      g_set_error_literal (error, ATX_JWT_ERROR, ATX_JWT_ERROR_WRONG_ISSUER,
                           "The token comes from another issuer");
      return NULL;
    }
  sub = get_string (payload, "sub", &invalid);
  if (sub == NULL || (expect->subject && strcmp (sub, expect->subject) != 0))
    {
      g_set_error_literal (error, ATX_JWT_ERROR, ATX_JWT_ERROR_WRONG_SUBJECT,
                           "The token is for another Jitsi domain");
      return NULL;
    }
  room = get_string (payload, "room", &invalid);
  if (room == NULL || !atx_room_name_is_valid (room) ||
      (expect->room && strcmp (room, expect->room) != 0))
    {
      g_set_error_literal (error, ATX_JWT_ERROR, ATX_JWT_ERROR_BAD_ROOM,
                           "The token is not for a valid room or for this room");
      return NULL;
    }

  if (!get_bool (payload, "moderator", &moderator_present, &claims->moderator) ||
      !moderator_present)
    {
      g_set_error_literal (error, ATX_JWT_ERROR, ATX_JWT_ERROR_BAD_MODERATOR,
                           "The token's moderator claim is missing or not a boolean");
      return NULL;
    }
  if (!read_context_user (payload, claims, &user_moderator_present, &user_moderator, error))
    return NULL;
  if (user_moderator_present && user_moderator != claims->moderator)
    {
      g_set_error_literal (error, ATX_JWT_ERROR, ATX_JWT_ERROR_BAD_MODERATOR,
                           "The token's moderator claims disagree");
      return NULL;
    }

  claims->issuer = g_strdup (iss);
  claims->audience = g_strdup (aud);
  claims->subject = g_strdup (sub);
  claims->room = g_strdup (room);
  claims->expires_at = exp;
  claims->not_before = nbf_result == NUMBER_OK ? nbf : 0;
  claims->issued_at = iat_result == NUMBER_OK ? iat : 0;

  return g_steal_pointer (&claims);
}

gboolean
atx_jwt_peek_unverified (const char *token,
                         gint64     *out_expires_at,
                         char      **out_room,
                         gboolean   *out_moderator,
                         GError    **error)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *payload;
  TokenParts parts;
  gint64 exp = 0;
  gboolean invalid = FALSE, present = FALSE, moderator = FALSE;
  const char *room;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!split_token (token, &parts, error))
    return FALSE;
  payload = decode_part (parts.payload, parts.payload_len, "payload", &parser, error);
  if (payload == NULL)
    return FALSE;

  switch (get_seconds (payload, "exp", &exp))
    {
    case NUMBER_ABSENT:
      g_set_error_literal (error, ATX_JWT_ERROR, ATX_JWT_ERROR_MISSING_EXP,
                           "The token has no expiry (exp)");
      return FALSE;
    case NUMBER_INVALID:
      g_set_error_literal (error, ATX_JWT_ERROR, ATX_JWT_ERROR_MALFORMED,
                           "The token's exp is not a number");
      return FALSE;
    case NUMBER_OK:
      break;
    }
  room = get_string (payload, "room", &invalid);
  if (invalid)
    {
      g_set_error_literal (error, ATX_JWT_ERROR, ATX_JWT_ERROR_BAD_ROOM,
                           "The token's room is not a string");
      return FALSE;
    }
  if (!get_bool (payload, "moderator", &present, &moderator))
    {
      g_set_error_literal (error, ATX_JWT_ERROR, ATX_JWT_ERROR_BAD_MODERATOR,
                           "The token's moderator claim is not a boolean");
      return FALSE;
    }

  if (out_expires_at)
    *out_expires_at = exp;
  if (out_room)
    *out_room = g_strdup (room);
  if (out_moderator)
    *out_moderator = present && moderator;
  return TRUE;
}

/* test-jwt.c — signing, verifying and peeking at call tokens, and the abuse
 * matrix every verifier must survive. Tokens under attack are assembled here
 * by hand (GHmac + base64url) so that the tests do not trust the code under
 * test to build them.
 */
#define G_LOG_DOMAIN "test-jwt"

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "core/atx-jwt.h"
#include "core/atx-room-name.h"

#define NOW ((gint64) 1800000000)
#define SECRET "0123456789abcdef0123456789abcdef-test-secret"
#define ROOM "ataraxia-abcdefghijklmnopqrstuvwxyz234567"

static const guint8 *
key (void)
{
  return (const guint8 *) SECRET;
}

static gsize
key_len (void)
{
  return strlen (SECRET);
}

static const AtxJwtExpectations expect = {
  .issuer = "ataraxia",
  .audience = "jitsi",
  .subject = "meet.example.org",
  .room = ROOM,
};

static char *
b64url (const guint8 *data,
        gsize         len)
{
  g_autofree char *std = g_base64_encode (data, len);
  GString *out = g_string_new (NULL);

  for (const char *p = std; *p; p++)
    {
      if (*p == '+')
        g_string_append_c (out, '-');
      else if (*p == '/')
        g_string_append_c (out, '_');
      else if (*p != '=')
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static char *
b64url_str (const char *s)
{
  return b64url ((const guint8 *) s, strlen (s));
}

/* header.payload signed with HMAC-@checksum over @secret (NULL: no signature). */
static char *
make_token (const char    *header,
            const char    *payload,
            GChecksumType  checksum,
            const char    *secret)
{
  g_autofree char *h = b64url_str (header);
  g_autofree char *p = b64url_str (payload);
  g_autofree char *input = g_strconcat (h, ".", p, NULL);
  g_autofree char *sig = NULL;

  if (secret)
    {
      g_autoptr(GHmac) hmac = g_hmac_new (checksum, (const guchar *) secret, strlen (secret));
      guint8 digest[64];
      gsize digest_len = sizeof digest;

      g_hmac_update (hmac, (const guchar *) input, -1);
      g_hmac_get_digest (hmac, digest, &digest_len);
      sig = b64url (digest, digest_len);
    }
  return g_strconcat (input, ".", sig ? sig : "", NULL);
}

static const char *good_header = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";

/* A payload of DESIGN.md's shape with @extra members replacing/adding to it. */
static char *
payload_with (const char *exp_nbf_json,
              const char *rest_json)
{
  return g_strdup_printf ("{\"iss\":\"ataraxia\",\"aud\":\"jitsi\",\"sub\":\"meet.example.org\","
                          "\"room\":\"" ROOM "\",\"iat\":%" G_GINT64_FORMAT ","
                          "%s%s%s}",
                          NOW - 10, exp_nbf_json,
                          rest_json && *rest_json ? "," : "",
                          rest_json ? rest_json : "");
}

static char *
good_payload (void)
{
  return g_strdup_printf ("{\"iss\":\"ataraxia\",\"aud\":\"jitsi\",\"sub\":\"meet.example.org\","
                          "\"room\":\"" ROOM "\",\"iat\":%" G_GINT64_FORMAT ","
                          "\"nbf\":%" G_GINT64_FORMAT ",\"exp\":%" G_GINT64_FORMAT ","
                          "\"moderator\":true,\"context\":{\"user\":{\"id\":\"u1\","
                          "\"name\":\"Dr. Who\",\"email\":\"who@example.org\",\"moderator\":true}}}",
                          NOW - 10, NOW - 60, NOW + 3600);
}

static void
assert_rejected (const char  *token,
                 AtxJwtError  code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxJwtClaims) claims = NULL;

  claims = atx_jwt_verify (token, key (), key_len (), &expect, NOW, &error);
  g_assert_null (claims);
  g_assert_error (error, ATX_JWT_ERROR, (gint) code);
  g_assert_nonnull (error->message);
}

static char *
sign_default (gboolean moderator)
{
  AtxJwtSignParams params = {
    .issuer = "ataraxia",
    .audience = "jitsi",
    .subject = "meet.example.org",
    .room = ROOM,
    .user_id = "u1",
    .user_name = "Dr. \"Quote\" \\ Back\nslash Ünïcødé",
    .user_email = "who@example.org",
    .moderator = moderator,
    .issued_at = NOW - 5,
    .not_before = NOW - 60,
    .expires_at = NOW + 7200,
  };

  return atx_jwt_sign (&params, key (), key_len ());
}

static JsonObject *
decode_part_json (const char *token,
                  guint       index,
                  JsonParser *parser)
{
  g_auto(GStrv) parts = g_strsplit (token, ".", -1);
  g_autofree char *std = NULL;
  g_autofree guchar *raw = NULL;
  gsize raw_len = 0;
  gsize len;

  g_assert_cmpuint (g_strv_length (parts), ==, 3);
  len = strlen (parts[index]);
  std = g_malloc0 (len + 4);
  for (gsize i = 0; i < len; i++)
    std[i] = parts[index][i] == '-' ? '+' : parts[index][i] == '_' ? '/' : parts[index][i];
  while (len % 4)
    std[len++] = '=';
  raw = g_base64_decode (std, &raw_len);
  g_assert_true (json_parser_load_from_data (parser, (const char *) raw, (gssize) raw_len, NULL));
  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_sign_header (void)
{
  g_autofree char *token = sign_default (TRUE);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *header;

  g_assert_nonnull (token);
  header = decode_part_json (token, 0, parser);
  g_assert_cmpstr (json_object_get_string_member (header, "alg"), ==, "HS256");
  g_assert_cmpstr (json_object_get_string_member (header, "typ"), ==, "JWT");
  g_assert_cmpuint (json_object_get_size (header), ==, 2);
}

static void
test_sign_claims (void)
{
  g_autofree char *token = sign_default (TRUE);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *payload, *user;

  payload = decode_part_json (token, 1, parser);
  g_assert_cmpstr (json_object_get_string_member (payload, "iss"), ==, "ataraxia");
  g_assert_cmpstr (json_object_get_string_member (payload, "aud"), ==, "jitsi");
  g_assert_cmpstr (json_object_get_string_member (payload, "sub"), ==, "meet.example.org");
  g_assert_cmpstr (json_object_get_string_member (payload, "room"), ==, ROOM);
  g_assert_cmpint (json_object_get_int_member (payload, "iat"), ==, NOW - 5);
  g_assert_cmpint (json_object_get_int_member (payload, "nbf"), ==, NOW - 60);
  g_assert_cmpint (json_object_get_int_member (payload, "exp"), ==, NOW + 7200);
  g_assert_true (json_object_get_boolean_member (payload, "moderator"));
  user = json_object_get_object_member (json_object_get_object_member (payload, "context"), "user");
  g_assert_nonnull (user);
  g_assert_cmpstr (json_object_get_string_member (user, "id"), ==, "u1");
  g_assert_cmpstr (json_object_get_string_member (user, "name"), ==, "Dr. \"Quote\" \\ Back\nslash Ünïcødé");
  g_assert_cmpstr (json_object_get_string_member (user, "email"), ==, "who@example.org");
  g_assert_true (json_object_get_boolean_member (user, "moderator"));
}

static void
test_sign_signature_is_hmac_sha256 (void)
{
  g_autofree char *token = sign_default (FALSE);
  const char *last_dot = strrchr (token, '.');
  g_autofree char *input = g_strndup (token, (gsize) (last_dot - token));
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, key (), key_len ());
  guint8 digest[32];
  gsize digest_len = sizeof digest;
  g_autofree char *sig = NULL;

  g_hmac_update (hmac, (const guchar *) input, -1);
  g_hmac_get_digest (hmac, digest, &digest_len);
  sig = b64url (digest, digest_len);
  g_assert_cmpstr (last_dot + 1, ==, sig);
}

static void
test_verify_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = sign_default (FALSE);
  g_autoptr(AtxJwtClaims) claims = NULL;

  claims = atx_jwt_verify (token, key (), key_len (), &expect, NOW, &error);
  g_assert_no_error (error);
  g_assert_nonnull (claims);
  g_assert_cmpstr (claims->room, ==, ROOM);
  g_assert_cmpstr (claims->issuer, ==, "ataraxia");
  g_assert_cmpstr (claims->audience, ==, "jitsi");
  g_assert_cmpstr (claims->subject, ==, "meet.example.org");
  g_assert_false (claims->moderator);
  g_assert_cmpint (claims->expires_at, ==, NOW + 7200);
  g_assert_cmpint (claims->not_before, ==, NOW - 60);
  g_assert_cmpint (claims->issued_at, ==, NOW - 5);
  g_assert_cmpstr (claims->user_id, ==, "u1");
  g_assert_cmpstr (claims->user_email, ==, "who@example.org");
}

static void
test_verify_hand_made (void)
{
  g_autofree char *payload = good_payload ();
  g_autofree char *token = make_token (good_header, payload, G_CHECKSUM_SHA256, SECRET);
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxJwtClaims) claims = NULL;

  claims = atx_jwt_verify (token, key (), key_len (), &expect, NOW, &error);
  g_assert_no_error (error);
  g_assert_true (claims->moderator);
  g_assert_cmpstr (claims->user_name, ==, "Dr. Who");

  /* No expectations: any issuer/audience/subject, any valid room. */
  g_clear_pointer (&claims, atx_jwt_claims_free);
  claims = atx_jwt_verify (token, key (), key_len (), NULL, NOW, &error);
  g_assert_no_error (error);
  g_assert_nonnull (claims);
}

static void
test_abuse_algorithms (void)
{
  g_autofree char *payload = good_payload ();
  struct {
    const char    *header;
    GChecksumType  checksum;
    const char    *secret;
  } cases[] = {
    { "{\"alg\":\"none\",\"typ\":\"JWT\"}", G_CHECKSUM_SHA256, NULL },
    { "{\"alg\":\"none\",\"typ\":\"JWT\"}", G_CHECKSUM_SHA256, SECRET },
    { "{\"alg\":\"HS512\",\"typ\":\"JWT\"}", G_CHECKSUM_SHA512, SECRET },
    { "{\"alg\":\"HS384\",\"typ\":\"JWT\"}", G_CHECKSUM_SHA384, SECRET },
    { "{\"alg\":\"RS256\",\"typ\":\"JWT\"}", G_CHECKSUM_SHA256, SECRET },
    { "{\"alg\":\"hs256\",\"typ\":\"JWT\"}", G_CHECKSUM_SHA256, SECRET },
    { "{\"alg\":\"HS256 \",\"typ\":\"JWT\"}", G_CHECKSUM_SHA256, SECRET },
    { "{\"alg\":null,\"typ\":\"JWT\"}", G_CHECKSUM_SHA256, SECRET },
    { "{\"alg\":256}", G_CHECKSUM_SHA256, SECRET },
    { "{\"typ\":\"JWT\"}", G_CHECKSUM_SHA256, SECRET },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *token = make_token (cases[i].header, payload, cases[i].checksum, cases[i].secret);
      assert_rejected (token, ATX_JWT_ERROR_BAD_ALGORITHM);
    }
}

static void
test_abuse_signature (void)
{
  g_autofree char *token = sign_default (TRUE);
  g_autofree char *payload = good_payload ();
  g_autofree char *stripped = NULL;
  g_autofree char *altered = NULL;
  g_autofree char *wrong_key = make_token (good_header, payload, G_CHECKSUM_SHA256,
                                           "another-secret-another-secret-xx");
  g_autofree char *flipped = g_strdup (token);
  g_autofree char *truncated = NULL;
  g_autofree char *tail_bits = g_strdup (token);
  g_autofree char *sig_padded = g_strconcat (token, "=", NULL);
  g_auto(GStrv) parts = g_strsplit (token, ".", 3);
  g_autofree char *evil_payload = NULL;
  char *last;

  /* Stripped signature (the "alg none" trick with HS256 left in place). */
  stripped = g_strconcat (parts[0], ".", parts[1], ".", NULL);
  assert_rejected (stripped, ATX_JWT_ERROR_BAD_SIGNATURE);

  /* Altered payload, original signature: a participant made moderator. */
  evil_payload = b64url_str ("{\"iss\":\"ataraxia\",\"aud\":\"jitsi\",\"sub\":\"meet.example.org\","
                             "\"room\":\"" ROOM "\",\"exp\":1900000000,\"moderator\":true}");
  altered = g_strconcat (parts[0], ".", evil_payload, ".", parts[2], NULL);
  assert_rejected (altered, ATX_JWT_ERROR_BAD_SIGNATURE);

  assert_rejected (wrong_key, ATX_JWT_ERROR_BAD_SIGNATURE);

  last = strrchr (flipped, '.') + 5;
  *last = *last == 'A' ? 'B' : 'A';
  assert_rejected (flipped, ATX_JWT_ERROR_BAD_SIGNATURE);

  truncated = g_strndup (token, strlen (token) - 4);
  assert_rejected (truncated, ATX_JWT_ERROR_BAD_SIGNATURE);

  /* Same decoded bytes, different unused trailing bits: still not canonical. */
  last = tail_bits + strlen (tail_bits) - 1;
  *last = *last == 'A' ? 'B' : (*last == 'E' ? 'F' : 'A');
  assert_rejected (tail_bits, ATX_JWT_ERROR_BAD_SIGNATURE);

  assert_rejected (sig_padded, ATX_JWT_ERROR_BAD_SIGNATURE);
}

static void
test_abuse_times (void)
{
  g_autofree char *exp_now_p = payload_with ("\"exp\":1800000000", "\"moderator\":false");
  g_autofree char *expired_p = payload_with ("\"exp\":1799990000", "\"moderator\":false");
  g_autofree char *nbf_future_p = payload_with ("\"nbf\":1800000100,\"exp\":1800009000", "\"moderator\":false");
  g_autofree char *no_exp_p = payload_with ("\"nbf\":1799999000", "\"moderator\":false");
  g_autofree char *exp_string_p = payload_with ("\"exp\":\"1900000000\"", "\"moderator\":false");
  g_autofree char *nbf_string_p = payload_with ("\"exp\":1900000000,\"nbf\":\"0\"", "\"moderator\":false");
  g_autofree char *exp_float_p = payload_with ("\"exp\":1800000000.5", "\"moderator\":false");
  g_autofree char *nbf_now_p = payload_with ("\"nbf\":1800000000,\"exp\":1800000001", "\"moderator\":false");
  g_autofree char *t = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxJwtClaims) claims = NULL;

  t = make_token (good_header, exp_now_p, G_CHECKSUM_SHA256, SECRET);
  assert_rejected (t, ATX_JWT_ERROR_EXPIRED);
  g_free (t);
  t = make_token (good_header, expired_p, G_CHECKSUM_SHA256, SECRET);
  assert_rejected (t, ATX_JWT_ERROR_EXPIRED);
  g_free (t);
  t = make_token (good_header, nbf_future_p, G_CHECKSUM_SHA256, SECRET);
  assert_rejected (t, ATX_JWT_ERROR_NOT_YET_VALID);
  g_free (t);
  t = make_token (good_header, no_exp_p, G_CHECKSUM_SHA256, SECRET);
  assert_rejected (t, ATX_JWT_ERROR_MISSING_EXP);
  g_free (t);
  t = make_token (good_header, exp_string_p, G_CHECKSUM_SHA256, SECRET);
  assert_rejected (t, ATX_JWT_ERROR_MALFORMED);
  g_free (t);
  t = make_token (good_header, nbf_string_p, G_CHECKSUM_SHA256, SECRET);
  assert_rejected (t, ATX_JWT_ERROR_MALFORMED);
  g_free (t);

  /* Boundaries: a fractional exp just after now, nbf == now are valid. */
  t = make_token (good_header, exp_float_p, G_CHECKSUM_SHA256, SECRET);
  claims = atx_jwt_verify (t, key (), key_len (), &expect, NOW, &error);
  /* floor(1800000000.5) == now: expired. */
  g_assert_error (error, ATX_JWT_ERROR, ATX_JWT_ERROR_EXPIRED);
  g_clear_error (&error);
  g_free (t);
  t = make_token (good_header, nbf_now_p, G_CHECKSUM_SHA256, SECRET);
  claims = atx_jwt_verify (t, key (), key_len (), &expect, NOW, &error);
  g_assert_no_error (error);
  g_assert_nonnull (claims);
}

static void
test_abuse_claims (void)
{
  struct {
    const char  *payload;
    AtxJwtError  code;
  } cases[] = {
    { "{\"iss\":\"ataraxia\",\"aud\":\"other\",\"sub\":\"meet.example.org\",\"room\":\"" ROOM "\",\"exp\":1900000000,\"moderator\":true}",
      ATX_JWT_ERROR_WRONG_AUDIENCE },
    { "{\"iss\":\"ataraxia\",\"sub\":\"meet.example.org\",\"room\":\"" ROOM "\",\"exp\":1900000000,\"moderator\":true}",
      ATX_JWT_ERROR_WRONG_AUDIENCE },
    { "{\"iss\":\"ataraxia\",\"aud\":[\"jitsi\"],\"sub\":\"meet.example.org\",\"room\":\"" ROOM "\",\"exp\":1900000000,\"moderator\":true}",
      ATX_JWT_ERROR_WRONG_AUDIENCE },
    { "{\"iss\":\"mallory\",\"aud\":\"jitsi\",\"sub\":\"meet.example.org\",\"room\":\"" ROOM "\",\"exp\":1900000000,\"moderator\":true}",
      ATX_JWT_ERROR_WRONG_ISSUER },
    { "{\"aud\":\"jitsi\",\"sub\":\"meet.example.org\",\"room\":\"" ROOM "\",\"exp\":1900000000,\"moderator\":true}",
      ATX_JWT_ERROR_WRONG_ISSUER },
    { "{\"iss\":\"ataraxia\",\"aud\":\"jitsi\",\"sub\":\"meet.evil.org\",\"room\":\"" ROOM "\",\"exp\":1900000000,\"moderator\":true}",
      ATX_JWT_ERROR_WRONG_SUBJECT },
    { "{\"iss\":\"ataraxia\",\"aud\":\"jitsi\",\"sub\":\"*\",\"room\":\"" ROOM "\",\"exp\":1900000000,\"moderator\":true}",
      ATX_JWT_ERROR_WRONG_SUBJECT },
    { "{\"iss\":\"ataraxia\",\"aud\":\"jitsi\",\"sub\":\"meet.example.org\",\"room\":\"ataraxia-other\",\"exp\":1900000000,\"moderator\":true}",
      ATX_JWT_ERROR_BAD_ROOM },
    { "{\"iss\":\"ataraxia\",\"aud\":\"jitsi\",\"sub\":\"meet.example.org\",\"room\":\"*\",\"exp\":1900000000,\"moderator\":true}",
      ATX_JWT_ERROR_BAD_ROOM },
    { "{\"iss\":\"ataraxia\",\"aud\":\"jitsi\",\"sub\":\"meet.example.org\",\"exp\":1900000000,\"moderator\":true}",
      ATX_JWT_ERROR_BAD_ROOM },
    { "{\"iss\":\"ataraxia\",\"aud\":\"jitsi\",\"sub\":\"meet.example.org\",\"room\":\"" ROOM "\",\"exp\":1900000000}",
      ATX_JWT_ERROR_BAD_MODERATOR },
    { "{\"iss\":\"ataraxia\",\"aud\":\"jitsi\",\"sub\":\"meet.example.org\",\"room\":\"" ROOM "\",\"exp\":1900000000,\"moderator\":\"true\"}",
      ATX_JWT_ERROR_BAD_MODERATOR },
    { "{\"iss\":\"ataraxia\",\"aud\":\"jitsi\",\"sub\":\"meet.example.org\",\"room\":\"" ROOM "\",\"exp\":1900000000,\"moderator\":false,"
      "\"context\":{\"user\":{\"moderator\":true}}}",
      ATX_JWT_ERROR_BAD_MODERATOR },
    { "{\"iss\":\"ataraxia\",\"aud\":\"jitsi\",\"sub\":\"meet.example.org\",\"room\":\"" ROOM "\",\"exp\":1900000000,\"moderator\":false,"
      "\"context\":{\"user\":{\"moderator\":\"false\"}}}",
      ATX_JWT_ERROR_BAD_MODERATOR },
    { "{\"iss\":\"ataraxia\",\"aud\":\"jitsi\",\"sub\":\"meet.example.org\",\"room\":\"" ROOM "\",\"exp\":1900000000,\"moderator\":false,"
      "\"context\":\"user\"}",
      ATX_JWT_ERROR_MALFORMED },
    { "{\"iss\":\"ataraxia\",\"aud\":\"jitsi\",\"sub\":\"meet.example.org\",\"room\":\"" ROOM "\",\"exp\":1900000000,\"moderator\":false,"
      "\"context\":{\"user\":{\"name\":42}}}",
      ATX_JWT_ERROR_MALFORMED },
    { "[1,2,3]", ATX_JWT_ERROR_MALFORMED },
    { "\"string\"", ATX_JWT_ERROR_MALFORMED },
    { "{\"exp\":", ATX_JWT_ERROR_MALFORMED },
    { "", ATX_JWT_ERROR_MALFORMED },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *token = make_token (good_header, cases[i].payload, G_CHECKSUM_SHA256, SECRET);
      g_test_message ("case %" G_GSIZE_FORMAT ": %s", i, cases[i].payload);
      assert_rejected (token, cases[i].code);
    }
}

static void
test_abuse_garbage (void)
{
  g_autofree char *payload = good_payload ();
  g_autofree char *p64 = b64url_str (payload);
  g_autofree char *h_not_json = b64url_str ("not json");
  g_autofree char *h_array = b64url_str ("[\"HS256\"]");
  g_autofree char *not_json_header = g_strconcat (h_not_json, ".", p64, ".abc", NULL);
  g_autofree char *array_header = g_strconcat (h_array, ".", p64, ".abc", NULL);
  g_autofree char *huge = NULL;
  const char *garbage[] = {
    "", ".", "..", "...", "a", "a.b", "a.b.c.d", "....", "!!!.###.$$$",
    "eyJhbGciOiJIUzI1NiJ9", "eyJhbGciOiJIUzI1NiJ9..", ".eyJhbGciOiJIUzI1NiJ9.",
    "e.e.e", "eyJ=.eyJ=.sig", "ey J.ab.cd", "\xff\xfe.\x80.\x01",
    "Bearer eyJhbGciOiJIUzI1NiJ9.e30.abc",
  };
  GRand *rand = g_rand_new_with_seed (4);

  for (gsize i = 0; i < G_N_ELEMENTS (garbage); i++)
    {
      g_test_message ("garbage %" G_GSIZE_FORMAT, i);
      assert_rejected (garbage[i], ATX_JWT_ERROR_MALFORMED);
    }
  assert_rejected (not_json_header, ATX_JWT_ERROR_MALFORMED);
  assert_rejected (array_header, ATX_JWT_ERROR_MALFORMED);

  huge = g_strnfill (ATX_JWT_MAX_TOKEN_LENGTH + 10, 'a');
  huge[100] = '.';
  huge[200] = '.';
  assert_rejected (huge, ATX_JWT_ERROR_MALFORMED);

  /* Random bytes and random base64url soups: any ATX_JWT_ERROR, no crash. */
  for (int round = 0; round < 2000; round++)
    {
      char buf[200];
      gsize len = (gsize) g_rand_int_range (rand, 1, (gint32) sizeof buf);
      g_autoptr(GError) error = NULL;
      g_autoptr(AtxJwtClaims) claims = NULL;
      gint64 exp;
      g_autofree char *room = NULL;
      gboolean moderator;

      for (gsize i = 0; i < len - 1; i++)
        {
          if (round % 2)
            buf[i] = (char) g_rand_int_range (rand, 1, 256);
          else
            buf[i] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.."[g_rand_int_range (rand, 0, 66)];
        }
      buf[len - 1] = '\0';
      claims = atx_jwt_verify (buf, key (), key_len (), &expect, NOW, &error);
      g_assert_null (claims);
      g_assert_true (error->domain == ATX_JWT_ERROR);
      g_clear_error (&error);
      if (!atx_jwt_peek_unverified (buf, &exp, &room, &moderator, &error))
        g_assert_true (error->domain == ATX_JWT_ERROR);
    }
  g_rand_free (rand);
}

static void
test_abuse_empty_strings (void)
{
  g_autoptr(GError) error = NULL;

  assert_rejected ("", ATX_JWT_ERROR_MALFORMED);
  assert_rejected (NULL, ATX_JWT_ERROR_MALFORMED);
  g_assert_false (atx_jwt_peek_unverified ("", NULL, NULL, NULL, &error));
  g_assert_error (error, ATX_JWT_ERROR, ATX_JWT_ERROR_MALFORMED);
  g_clear_error (&error);
  g_assert_false (atx_jwt_peek_unverified (NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, ATX_JWT_ERROR, ATX_JWT_ERROR_MALFORMED);
}

static void
test_peek_unverified (void)
{
  g_autofree char *token = sign_default (TRUE);
  g_autofree char *other_key = make_token ("{\"alg\":\"none\"}",
                                           "{\"exp\":1234,\"room\":\"somewhere\"}",
                                           G_CHECKSUM_SHA256, NULL);
  g_autofree char *no_exp = make_token (good_header, "{\"room\":\"r\"}", G_CHECKSUM_SHA256, SECRET);
  g_autoptr(GError) error = NULL;
  g_autofree char *room = NULL;
  gint64 exp = 0;
  gboolean moderator = FALSE;

  g_assert_true (atx_jwt_peek_unverified (token, &exp, &room, &moderator, &error));
  g_assert_no_error (error);
  g_assert_cmpint (exp, ==, NOW + 7200);
  g_assert_cmpstr (room, ==, ROOM);
  g_assert_true (moderator);
  g_clear_pointer (&room, g_free);

  /* Peeking trusts nothing, so it reads even an unsigned token: that is
   * exactly why its name says so. */
  g_assert_true (atx_jwt_peek_unverified (other_key, &exp, &room, &moderator, &error));
  g_assert_cmpint (exp, ==, 1234);
  g_assert_cmpstr (room, ==, "somewhere");
  g_assert_false (moderator);

  g_assert_false (atx_jwt_peek_unverified (no_exp, &exp, NULL, NULL, &error));
  g_assert_error (error, ATX_JWT_ERROR, ATX_JWT_ERROR_MISSING_EXP);
  g_clear_error (&error);

  g_assert_false (atx_jwt_peek_unverified ("garbage", &exp, NULL, NULL, &error));
  g_assert_error (error, ATX_JWT_ERROR, ATX_JWT_ERROR_MALFORMED);
}

static void
test_error_reasons (void)
{
  const char *expected[] = {
    "malformed", "bad-algorithm", "bad-signature", "missing-exp", "expired",
    "not-yet-valid", "wrong-audience", "wrong-issuer", "wrong-subject",
    "bad-room", "bad-moderator",
  };

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (atx_jwt_error_to_reason ((AtxJwtError) i), ==, expected[i]);
  g_assert_cmpuint (ATX_JWT_ERROR_BAD_MODERATOR + 1, ==, G_N_ELEMENTS (expected));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/jwt/sign/header-is-exactly-hs256-jwt", test_sign_header);
  g_test_add_func ("/jwt/sign/carries-every-claim-prosody-reads", test_sign_claims);
  g_test_add_func ("/jwt/sign/signature-is-hmac-sha256-of-header-and-payload", test_sign_signature_is_hmac_sha256);
  g_test_add_func ("/jwt/verify/accepts-what-sign-made", test_verify_round_trip);
  g_test_add_func ("/jwt/verify/accepts-a-token-made-by-hand", test_verify_hand_made);
  g_test_add_func ("/jwt/abuse/other-algorithms-are-bad-algorithm", test_abuse_algorithms);
  g_test_add_func ("/jwt/abuse/altered-or-stripped-signature-is-bad-signature", test_abuse_signature);
  g_test_add_func ("/jwt/abuse/expired-and-not-yet-valid", test_abuse_times);
  g_test_add_func ("/jwt/abuse/wrong-claims-each-have-their-reason", test_abuse_claims);
  g_test_add_func ("/jwt/abuse/garbage-is-malformed-never-a-crash", test_abuse_garbage);
  g_test_add_func ("/jwt/abuse/empty-strings-are-malformed", test_abuse_empty_strings);
  g_test_add_func ("/jwt/peek/reads-exp-room-moderator-without-trusting", test_peek_unverified);
  g_test_add_func ("/jwt/error/codes-map-to-contract-reasons", test_error_reasons);

  return g_test_run ();
}

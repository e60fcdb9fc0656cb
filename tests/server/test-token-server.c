/* test-token-server.c — the real ataraxia-token-server binary against the
 * HTTP contract of DESIGN.md: every endpoint, status and error code, CORS,
 * TLS, rate limiting, start-up refusals, signals and the access log.
 */
#define G_LOG_DOMAIN "test-token-server"

#include "config.h"

#include <signal.h>
#include <string.h>

#include "core/atx-jwt.h"
#include "core/atx-room-name.h"
#include "token-server-fixture.h"

#define GENERATE "/api/jitsi/generate-token"
#define CREATE_ROOM "/api/jitsi/create-room"
#define VALIDATE "/api/jitsi/validate-token"
#define THERAPIST FIXTURE_THERAPIST_KEY
#define PARTICIPANT FIXTURE_PARTICIPANT_KEY

/* Personal data that must reach the token and never the log. */
#define PRIVATE_NAME "Zebediah Quux-Privacy"
#define PRIVATE_EMAIL "zq-private@example.invalid"

static const AtxJwtExpectations expect = {
  .issuer = "ataraxia",
  .audience = "jitsi",
  .subject = "meet.example.org",
};

static Server *shared_server;

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static char *
iso_at (gint64 t,
        const char *offset_zone)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (t);
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (offset_zone);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, tz);

  return g_date_time_format (local, "%Y-%m-%dT%H:%M:%S%:z");
}

static gint64
parse_iso (const char *s)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_iso8601 (s, NULL);

  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt);
}

static char *
generate_body (const char *room,
               gboolean    moderator,
               const char *extra)
{
  return g_strdup_printf ("{\"roomName\":\"%s\",\"userName\":\"" PRIVATE_NAME "\","
                          "\"userEmail\":\"" PRIVATE_EMAIL "\",\"userId\":\"user-42\","
                          "\"isModerator\":%s%s%s}",
                          room, moderator ? "true" : "false",
                          extra ? "," : "", extra ? extra : "");
}

static AtxJwtClaims *
verify (const char  *token,
        const char  *room,
        GError     **error)
{
  AtxJwtExpectations e = expect;

  e.room = room;
  return atx_jwt_verify (token, (const guint8 *) FIXTURE_SECRET, strlen (FIXTURE_SECRET), &e,
                         now_seconds (), error);
}

/* POST generate-token, expecting 200; returns the answer object. */
static JsonObject *
generate_ok (Server      *server,
             const char  *key,
             const char  *body,
             JsonParser **parser)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) answer = NULL;

  msg = server_request (server, "POST", GENERATE, key, body, &answer);
  if (soup_message_get_status (msg) != 200)
    g_test_message ("%.*s", (int) g_bytes_get_size (answer), (const char *) g_bytes_get_data (answer, NULL));
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  return parse_object (answer, parser);
}

/* ---- endpoints ---- */

static void
test_healthz (void)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(SoupMessage) head = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *obj;

  msg = server_request (shared_server, "GET", "/healthz", NULL, NULL, &answer);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  obj = parse_object (answer, &parser);
  g_assert_cmpstr (json_object_get_string_member (obj, "status"), ==, "ok");
  g_assert_cmpuint (json_object_get_size (obj), ==, 1);

  head = server_request (shared_server, "HEAD", "/healthz", NULL, NULL, NULL);
  g_assert_cmpuint (soup_message_get_status (head), ==, 200);
}

static void
test_generate_moderator (void)
{
  g_autofree char *body = generate_body ("ataraxia-room-1", TRUE, NULL);
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(AtxJwtClaims) claims = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *obj;
  gint64 now = now_seconds ();

  obj = generate_ok (shared_server, THERAPIST, body, &parser);
  g_assert_cmpuint (json_object_get_size (obj), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (obj, "roomName"), ==, "ataraxia-room-1");
  g_assert_cmpstr (json_object_get_string_member (obj, "joinUrl"), ==, "https://meet.example.org/ataraxia-room-1");

  claims = verify (json_object_get_string_member (obj, "token"), "ataraxia-room-1", &error);
  g_assert_no_error (error);
  g_assert_true (claims->moderator);
  g_assert_cmpstr (claims->user_name, ==, PRIVATE_NAME);
  g_assert_cmpstr (claims->user_email, ==, PRIVATE_EMAIL);
  g_assert_cmpstr (claims->user_id, ==, "user-42");
  /* Default lifetime 2 h; nbf at most 60 s in the past; iat now. */
  g_assert_cmpint (claims->issued_at, >=, now - 2);
  g_assert_cmpint (claims->issued_at, <=, now + 2);
  g_assert_cmpint (claims->not_before, >=, now - 62);
  g_assert_cmpint (claims->not_before, <=, now);
  g_assert_cmpint (claims->expires_at - claims->issued_at, ==, 7200);
  /* expiresAt is RFC 3339 UTC and equals exp. */
  g_assert_true (g_str_has_suffix (json_object_get_string_member (obj, "expiresAt"), "Z"));
  g_assert_cmpint (parse_iso (json_object_get_string_member (obj, "expiresAt")), ==, claims->expires_at);
  /* joinUrl never carries a token. */
  g_assert_null (strstr (json_object_get_string_member (obj, "joinUrl"), "jwt"));
}

static void
test_generate_roles (void)
{
  g_autofree char *moderator = generate_body ("ataraxia-room-2", TRUE, NULL);
  g_autofree char *guest = generate_body ("ataraxia-room-2", FALSE, NULL);
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(AtxJwtClaims) claims = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *obj;

  assert_error_answer (shared_server, "POST", GENERATE, PARTICIPANT, moderator, 403, "forbidden");

  obj = generate_ok (shared_server, PARTICIPANT, guest, &parser);
  claims = verify (json_object_get_string_member (obj, "token"), "ataraxia-room-2", &error);
  g_assert_no_error (error);
  g_assert_false (claims->moderator);

  g_clear_object (&parser);
  obj = generate_ok (shared_server, THERAPIST, guest, &parser);
  g_assert_nonnull (obj);
}

static void
test_generate_window (void)
{
  gint64 now = now_seconds ();
  g_autofree char *past = iso_at (now - 3600, "+01:00");
  g_autofree char *start = iso_at (now + 86400 * 3, "-05:00");
  g_autofree char *end = iso_at (now + 86400 * 3 + 3000, "+02:00");
  g_autofree char *too_late = iso_at (now + 86400 * 3 + 86401, "Z");
  g_autofree char *almost_max = iso_at (now + 86400, "Z");
  g_autofree char *long_after_now = iso_at (now + 86401 + 5, "Z");
  g_autofree char *expired = iso_at (now - 10, "Z");
  g_autofree char *body = NULL;
  g_autofree char *extra = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  AtxJwtClaims *claims;
  JsonObject *obj;
  g_autofree char *token = NULL;
  gint64 exp = 0;

  /* A past notBefore is clamped to now − 60 s; default lifetime from now. */
  extra = g_strdup_printf ("\"notBefore\":\"%s\"", past);
  body = generate_body ("ataraxia-window", FALSE, extra);
  obj = generate_ok (shared_server, THERAPIST, body, &parser);
  claims = verify (json_object_get_string_member (obj, "token"), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (claims->not_before, >=, now - 62);
  g_assert_cmpint (claims->not_before, <=, now - 58);
  g_assert_cmpint (claims->expires_at, >=, now + 7198);
  g_assert_cmpint (claims->expires_at, <=, now + 7202);
  atx_jwt_claims_free (claims);

  /* A future window is honoured exactly (client invite link). */
  g_free (extra);
  g_free (body);
  g_clear_object (&parser);
  extra = g_strdup_printf ("\"notBefore\":\"%s\",\"expiresAt\":\"%s\"", start, end);
  body = generate_body ("ataraxia-window", FALSE, extra);
  obj = generate_ok (shared_server, THERAPIST, body, &parser);
  token = g_strdup (json_object_get_string_member (obj, "token"));
  g_assert_true (atx_jwt_peek_unverified (token, &exp, NULL, NULL, &error));
  g_assert_cmpint (exp, ==, now + 86400 * 3 + 3000);
  g_assert_cmpint (parse_iso (json_object_get_string_member (obj, "expiresAt")), ==, exp);
  /* Not valid yet: the server's own validate-token says so. */
  claims = verify (token, NULL, &error);
  g_assert_null (claims);
  g_assert_error (error, ATX_JWT_ERROR, ATX_JWT_ERROR_NOT_YET_VALID);
  g_clear_error (&error);

  /* notBefore without expiresAt: lifetime from notBefore. */
  g_free (extra);
  g_free (body);
  g_clear_object (&parser);
  g_clear_pointer (&token, g_free);
  extra = g_strdup_printf ("\"notBefore\":\"%s\"", start);
  body = generate_body ("ataraxia-window", FALSE, extra);
  obj = generate_ok (shared_server, THERAPIST, body, &parser);
  g_assert_true (atx_jwt_peek_unverified (json_object_get_string_member (obj, "token"), &exp, NULL, NULL, &error));
  g_assert_cmpint (exp, ==, now + 86400 * 3 + 7200);

  /* expiresAt exactly max-lifetime after now is fine. */
  g_free (extra);
  g_free (body);
  g_clear_object (&parser);
  extra = g_strdup_printf ("\"expiresAt\":\"%s\"", almost_max);
  body = generate_body ("ataraxia-window", FALSE, extra);
  obj = generate_ok (shared_server, THERAPIST, body, &parser);
  g_assert_nonnull (obj);

  /* Errors: beyond max-lifetime, in the past, before notBefore, bad shapes. */
#define WINDOW_ERROR(fmt, ...) G_STMT_START {                                   \
    g_autofree char *e = g_strdup_printf (fmt, __VA_ARGS__);                    \
    g_autofree char *b = generate_body ("ataraxia-window", FALSE, e);           \
    assert_error_answer (shared_server, "POST", GENERATE, THERAPIST, b, 400, "invalid-field"); \
  } G_STMT_END
  WINDOW_ERROR ("\"notBefore\":\"%s\",\"expiresAt\":\"%s\"", start, too_late);
  WINDOW_ERROR ("\"expiresAt\":\"%s\"", long_after_now);
  WINDOW_ERROR ("\"expiresAt\":\"%s\"", expired);
  WINDOW_ERROR ("\"notBefore\":\"%s\",\"expiresAt\":\"%s\"", end, start);
  WINDOW_ERROR ("\"notBefore\":\"%s\",\"expiresAt\":\"%s\"", start, start);
  WINDOW_ERROR ("\"expiresAt\":\"%s\"", "2030-01-01T10:00:00");
  WINDOW_ERROR ("\"expiresAt\":\"%s\"", "2030-01-01 10:00:00Z");
  WINDOW_ERROR ("\"expiresAt\":\"%s\"", "2030-W01-1T10:00:00Z");
  WINDOW_ERROR ("\"expiresAt\":\"%s\"", "tomorrow");
  WINDOW_ERROR ("\"notBefore\":%d", 1800000000);
  WINDOW_ERROR ("\"expiresAt\":%s", "true");
#undef WINDOW_ERROR
}

static void
test_generate_bad_input (void)
{
  g_autofree char *long_name = g_strnfill (257, 'n');
  g_autofree char *long_room = g_strnfill (129, 'r');
  g_autofree char *max_room = g_strnfill (128, 'r');
  g_autofree char *body = NULL;
  g_autoptr(JsonParser) parser = NULL;
  struct {
    const char *body;
    const char *code;
  } cases[] = {
    /* malformed JSON */
    { "{", "invalid-json" },
    { "", "invalid-json" },
    { "not json", "invalid-json" },
    { "[]", "invalid-json" },
    { "null", "invalid-json" },
    { "\"roomName\"", "invalid-json" },
    { "{\"roomName\":\"a\",}", "invalid-json" },
    { "{\"roomName\":\"\xff\xfe\"}", "invalid-json" },
    /* missing fields */
    { "{}", "missing-field" },
    { "{\"userName\":\"a\",\"userEmail\":\"b\",\"userId\":\"c\",\"isModerator\":false}", "missing-field" },
    { "{\"roomName\":\"r\",\"userEmail\":\"b\",\"userId\":\"c\",\"isModerator\":false}", "missing-field" },
    { "{\"roomName\":\"r\",\"userName\":\"a\",\"userId\":\"c\",\"isModerator\":false}", "missing-field" },
    { "{\"roomName\":\"r\",\"userName\":\"a\",\"userEmail\":\"b\",\"isModerator\":false}", "missing-field" },
    { "{\"roomName\":\"r\",\"userName\":\"a\",\"userEmail\":\"b\",\"userId\":\"c\"}", "missing-field" },
    /* wrong types */
    { "{\"roomName\":42,\"userName\":\"a\",\"userEmail\":\"b\",\"userId\":\"c\",\"isModerator\":false}", "invalid-field" },
    { "{\"roomName\":\"r\",\"userName\":5,\"userEmail\":\"b\",\"userId\":\"c\",\"isModerator\":false}", "invalid-field" },
    { "{\"roomName\":\"r\",\"userName\":\"a\",\"userEmail\":[],\"userId\":\"c\",\"isModerator\":false}", "invalid-field" },
    { "{\"roomName\":\"r\",\"userName\":\"a\",\"userEmail\":\"b\",\"userId\":{},\"isModerator\":false}", "invalid-field" },
    { "{\"roomName\":\"r\",\"userName\":\"a\",\"userEmail\":\"b\",\"userId\":\"c\",\"isModerator\":\"true\"}", "invalid-field" },
    { "{\"roomName\":\"r\",\"userName\":\"a\",\"userEmail\":\"b\",\"userId\":\"c\",\"isModerator\":1}", "invalid-field" },
    { "{\"roomName\":\"r\",\"userName\":null,\"userEmail\":\"b\",\"userId\":\"c\",\"isModerator\":false}", "invalid-field" },
    /* invalid rooms */
    { "{\"roomName\":\"*\",\"userName\":\"a\",\"userEmail\":\"b\",\"userId\":\"c\",\"isModerator\":false}", "invalid-room" },
    { "{\"roomName\":\"Ataraxia-Room\",\"userName\":\"a\",\"userEmail\":\"b\",\"userId\":\"c\",\"isModerator\":false}", "invalid-room" },
    { "{\"roomName\":\"room/other\",\"userName\":\"a\",\"userEmail\":\"b\",\"userId\":\"c\",\"isModerator\":false}", "invalid-room" },
    { "{\"roomName\":\"../x\",\"userName\":\"a\",\"userEmail\":\"b\",\"userId\":\"c\",\"isModerator\":false}", "invalid-room" },
    { "{\"roomName\":\"\",\"userName\":\"a\",\"userEmail\":\"b\",\"userId\":\"c\",\"isModerator\":false}", "invalid-room" },
    { "{\"roomName\":\"r r\",\"userName\":\"a\",\"userEmail\":\"b\",\"userId\":\"c\",\"isModerator\":false}", "invalid-room" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %" G_GSIZE_FORMAT, i);
      assert_error_answer (shared_server, "POST", GENERATE, THERAPIST, cases[i].body, 400, cases[i].code);
    }

  body = g_strdup_printf ("{\"roomName\":\"%s\",\"userName\":\"a\",\"userEmail\":\"b\",\"userId\":\"c\",\"isModerator\":false}", long_room);
  assert_error_answer (shared_server, "POST", GENERATE, THERAPIST, body, 400, "invalid-room");
  g_free (body);
  body = g_strdup_printf ("{\"roomName\":\"r\",\"userName\":\"%s\",\"userEmail\":\"b\",\"userId\":\"c\",\"isModerator\":false}", long_name);
  assert_error_answer (shared_server, "POST", GENERATE, THERAPIST, body, 400, "field-too-long");
  g_free (body);
  body = g_strdup_printf ("{\"roomName\":\"r\",\"userName\":\"a\",\"userEmail\":\"%s\",\"userId\":\"c\",\"isModerator\":false}", long_name);
  assert_error_answer (shared_server, "POST", GENERATE, THERAPIST, body, 400, "field-too-long");
  g_free (body);
  body = g_strdup_printf ("{\"roomName\":\"r\",\"userName\":\"a\",\"userEmail\":\"b\",\"userId\":\"%s\",\"isModerator\":false}", long_name);
  assert_error_answer (shared_server, "POST", GENERATE, THERAPIST, body, 400, "field-too-long");
  g_free (body);

  /* The limits themselves are accepted. */
  long_name[256] = '\0';
  body = g_strdup_printf ("{\"roomName\":\"%s\",\"userName\":\"%s\",\"userEmail\":\"b\",\"userId\":\"c\",\"isModerator\":false}",
                          max_room, long_name);
  g_assert_nonnull (generate_ok (shared_server, THERAPIST, body, &parser));
}

static void
test_auth (void)
{
  g_autofree char *body = generate_body ("ataraxia-auth", FALSE, NULL);
  g_autoptr(SoupMessage) msg = NULL;
  const char *paths[] = { GENERATE, CREATE_ROOM, VALIDATE };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      assert_error_answer (shared_server, "POST", paths[i], NULL, body, 401, "unauthorized");
      assert_error_answer (shared_server, "POST", paths[i], "wrong-key", body, 401, "unauthorized");
      assert_error_answer (shared_server, "POST", paths[i], "", body, 401, "unauthorized");
      /* A key that is one of the stored hashes is not a key. */
      {
        g_autofree char *hash = fixture_sha256_hex (THERAPIST);
        assert_error_answer (shared_server, "POST", paths[i], hash, body, 401, "unauthorized");
      }
    }

  /* Other schemes than Bearer are not accepted. */
  {
    g_autofree char *uri = g_strconcat (shared_server->url, GENERATE, NULL);
    g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
    g_autoptr(GBytes) answer = NULL;
    g_autofree char *basic = g_strconcat ("Basic ", THERAPIST, NULL);

    msg = soup_message_new ("POST", uri);
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", basic);
    soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    answer = soup_session_send_and_read (shared_server->session, msg, NULL, NULL);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 401);
    g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg), "WWW-Authenticate"),
                     ==, "Bearer");
  }
}

static void
test_methods_and_paths (void)
{
  g_autoptr(SoupMessage) msg = NULL;
  const char *unknown[] = {
    "/", "/api", "/api/jitsi", "/api/jitsi/generate-token/", "/api/jitsi/GENERATE-TOKEN",
    "/api/jitsi//generate-token", "/healthz/x", "/nope",
  };

  assert_error_answer (shared_server, "GET", GENERATE, THERAPIST, NULL, 405, "method-not-allowed");
  assert_error_answer (shared_server, "PUT", CREATE_ROOM, THERAPIST, "{}", 405, "method-not-allowed");
  assert_error_answer (shared_server, "DELETE", VALIDATE, THERAPIST, NULL, 405, "method-not-allowed");
  assert_error_answer (shared_server, "POST", "/healthz", NULL, "{}", 405, "method-not-allowed");

  msg = server_request (shared_server, "GET", GENERATE, NULL, NULL, NULL);
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Allow"),
                   ==, "POST, OPTIONS");

  for (guint i = 0; i < G_N_ELEMENTS (unknown); i++)
    {
      assert_error_answer (shared_server, "POST", unknown[i], THERAPIST, "{}", 404, "not-found");
      assert_error_answer (shared_server, "GET", unknown[i], NULL, NULL, 404, "not-found");
    }
}

static void
test_too_large (void)
{
  g_autoptr(GString) big = g_string_new ("{\"roomName\":\"ataraxia-big\",\"pad\":\"");
  g_autoptr(GString) exact = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autofree char *uri = g_strconcat (shared_server->url, GENERATE, NULL);
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *body16k = NULL;

  while (big->len < 17 * 1024)
    g_string_append (big, "xxxxxxxxxxxxxxxx");
  g_string_append (big, "\"}");

  /* Content-Length over 16 KiB: refused on the headers. */
  assert_error_answer (shared_server, "POST", GENERATE, THERAPIST, big->str, 413, "too-large");
  /* Even without a key: the size check comes first and costs nothing. */
  assert_error_answer (shared_server, "POST", GENERATE, NULL, big->str, 413, "too-large");

  /* Chunked, no Content-Length: refused on the bytes actually received. */
  msg = soup_message_new ("POST", uri);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", "Bearer " THERAPIST);
  stream = g_memory_input_stream_new_from_data (g_strdup (big->str), (gssize) big->len, g_free);
  soup_message_set_request_body (msg, "application/json", stream, -1);
  answer = soup_session_send_and_read (shared_server->session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 413);
  g_assert_cmpstr (json_object_get_string_member (parse_object (answer, &parser), "error"), ==, "too-large");

  /* Exactly 16 KiB is allowed (and then judged on its content). */
  exact = g_string_new ("{\"roomName\":\"ataraxia-big\",\"userName\":\"a\",\"userEmail\":\"b\","
                        "\"userId\":\"c\",\"isModerator\":false,\"pad\":\"");
  while (exact->len < 16 * 1024 - 2)
    g_string_append_c (exact, 'x');
  g_string_append (exact, "\"}");
  g_assert_cmpuint (exact->len, ==, 16 * 1024);
  body16k = g_strdup (exact->str);
  g_clear_object (&parser);
  g_assert_nonnull (generate_ok (shared_server, THERAPIST, body16k, &parser));

  /* The server is still fine afterwards. */
  g_clear_object (&msg);
  msg = server_request (shared_server, "GET", "/healthz", NULL, NULL, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
}

static void
test_create_room (void)
{
  const char *body =
    "{\"participants\":["
    "{\"userName\":\"Dr. T\",\"userEmail\":\"t@example.org\",\"userId\":\"t1\",\"isModerator\":true},"
    "{\"userName\":\"" PRIVATE_NAME "\",\"userEmail\":\"" PRIVATE_EMAIL "\",\"userId\":\"c1\",\"isModerator\":false}]}";
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(SoupMessage) msg2 = NULL;
  g_autoptr(GBytes) answer2 = NULL;
  g_autoptr(JsonParser) parser2 = NULL;
  g_autofree char *join_url = NULL;
  JsonObject *obj, *obj2;
  JsonArray *tokens;
  const char *room;

  msg = server_request (shared_server, "POST", CREATE_ROOM, THERAPIST, body, &answer);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  obj = parse_object (answer, &parser);
  room = json_object_get_string_member (obj, "roomName");
  /* Server-generated: opaque, 128+ random bits, nothing personal. */
  g_assert_true (g_str_has_prefix (room, "ataraxia-"));
  g_assert_cmpuint (strlen (room), >=, strlen ("ataraxia-") + 26);
  g_assert_true (atx_room_name_is_valid (room));
  join_url = g_strconcat ("https://meet.example.org/", room, NULL);
  g_assert_cmpstr (json_object_get_string_member (obj, "joinUrl"), ==, join_url);

  tokens = json_object_get_array_member (obj, "tokens");
  g_assert_cmpuint (json_array_get_length (tokens), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *t = json_array_get_object_element (tokens, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(AtxJwtClaims) claims = NULL;

      g_assert_cmpstr (json_object_get_string_member (t, "userId"), ==, i == 0 ? "t1" : "c1");
      g_assert_cmpint (json_object_get_boolean_member (t, "isModerator"), ==, i == 0);
      g_assert_cmpstr (json_object_get_string_member (t, "joinUrl"), ==, join_url);
      claims = verify (json_object_get_string_member (t, "token"), room, &error);
      g_assert_no_error (error);
      g_assert_cmpint (claims->moderator, ==, i == 0);
      g_assert_cmpint (parse_iso (json_object_get_string_member (t, "expiresAt")), ==, claims->expires_at);
    }

  /* Two calls never give the same room. */
  msg2 = server_request (shared_server, "POST", CREATE_ROOM, THERAPIST, body, &answer2);
  obj2 = parse_object (answer2, &parser2);
  g_assert_cmpstr (json_object_get_string_member (obj2, "roomName"), !=, room);
}

static void
test_create_room_named_and_errors (void)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *obj;
  const char *guest = "{\"userName\":\"G\",\"userEmail\":\"g@x\",\"userId\":\"g\",\"isModerator\":false}";
  const char *mod = "{\"userName\":\"M\",\"userEmail\":\"m@x\",\"userId\":\"m\",\"isModerator\":true}";
  g_autofree char *named = g_strdup_printf ("{\"roomName\":\"ataraxia-named\",\"participants\":[%s]}", guest);
  g_autofree char *with_mod = g_strdup_printf ("{\"participants\":[%s,%s]}", guest, mod);
  g_autofree char *bad_room = g_strdup_printf ("{\"roomName\":\"Bad*Room\",\"participants\":[%s]}", guest);
  g_autoptr(GString) many = g_string_new ("{\"participants\":[");

  msg = server_request (shared_server, "POST", CREATE_ROOM, PARTICIPANT, named, &answer);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  obj = parse_object (answer, &parser);
  g_assert_cmpstr (json_object_get_string_member (obj, "roomName"), ==, "ataraxia-named");

  assert_error_answer (shared_server, "POST", CREATE_ROOM, PARTICIPANT, with_mod, 403, "forbidden");
  assert_error_answer (shared_server, "POST", CREATE_ROOM, THERAPIST, bad_room, 400, "invalid-room");
  assert_error_answer (shared_server, "POST", CREATE_ROOM, THERAPIST, "{}", 400, "missing-field");
  assert_error_answer (shared_server, "POST", CREATE_ROOM, THERAPIST, "{\"participants\":{}}", 400, "invalid-field");
  assert_error_answer (shared_server, "POST", CREATE_ROOM, THERAPIST, "{\"participants\":[1]}", 400, "invalid-field");
  assert_error_answer (shared_server, "POST", CREATE_ROOM, THERAPIST, "{\"participants\":[{}]}", 400, "missing-field");
  assert_error_answer (shared_server, "POST", CREATE_ROOM, THERAPIST,
                       "{\"participants\":[{\"userName\":\"a\",\"userEmail\":\"b\",\"userId\":\"c\",\"isModerator\":\"no\"}]}",
                       400, "invalid-field");
  assert_error_answer (shared_server, "POST", CREATE_ROOM, THERAPIST, "{\"roomName\":7,\"participants\":[]}", 400, "invalid-field");
  assert_error_answer (shared_server, "POST", CREATE_ROOM, THERAPIST, "[", 400, "invalid-json");

  for (int i = 0; i < 101; i++)
    g_string_append_printf (many, "%s{\"userName\":\"a\",\"userEmail\":\"b\",\"userId\":\"%d\",\"isModerator\":false}",
                            i ? "," : "", i);
  g_string_append (many, "]}");
  assert_error_answer (shared_server, "POST", CREATE_ROOM, THERAPIST, many->str, 400, "invalid-field");
}

static void
test_validate (void)
{
  g_autofree char *body = generate_body ("ataraxia-validate", TRUE, NULL);
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *token = NULL;
  g_autofree char *request = NULL;
  g_autofree char *tampered = NULL;
  g_autofree char *too_long = g_strnfill (9000, 'a');
  JsonObject *obj;
  struct {
    const char *token;
    const char *reason;
  } invalid[] = {
    { "garbage", "malformed" },
    { "", "malformed" },
    { "a.b.c", "malformed" },
    /* {"alg":"none"}.{"exp":1}. */
    { "eyJhbGciOiJub25lIn0.eyJleHAiOjF9.", "bad-algorithm" },
  };

  obj = generate_ok (shared_server, THERAPIST, body, &parser);
  token = g_strdup (json_object_get_string_member (obj, "token"));

  for (guint key = 0; key < 2; key++)
    {
      g_autoptr(SoupMessage) msg = NULL;
      g_autoptr(GBytes) answer = NULL;
      g_autoptr(JsonParser) p = NULL;
      JsonObject *v;

      request = g_strdup_printf ("{\"token\":\"%s\"}", token);
      msg = server_request (shared_server, "POST", VALIDATE, key ? PARTICIPANT : THERAPIST, request, &answer);
      g_clear_pointer (&request, g_free);
      g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
      v = parse_object (answer, &p);
      g_assert_true (json_object_get_boolean_member (v, "valid"));
      g_assert_cmpstr (json_object_get_string_member (v, "roomName"), ==, "ataraxia-validate");
      g_assert_true (json_object_get_boolean_member (v, "isModerator"));
      g_assert_cmpstr (json_object_get_string_member (v, "expiresAt"), ==,
                       json_object_get_string_member (obj, "expiresAt"));
      g_assert_false (json_object_has_member (v, "reason"));
    }

  tampered = g_strdup (token);
  tampered[strlen (tampered) - 3] = tampered[strlen (tampered) - 3] == 'a' ? 'b' : 'a';
  for (guint i = 0; i <= G_N_ELEMENTS (invalid); i++)
    {
      const char *t = i < G_N_ELEMENTS (invalid) ? invalid[i].token : tampered;
      const char *reason = i < G_N_ELEMENTS (invalid) ? invalid[i].reason : "bad-signature";
      g_autoptr(SoupMessage) msg = NULL;
      g_autoptr(GBytes) answer = NULL;
      g_autoptr(JsonParser) p = NULL;
      JsonObject *v;

      request = g_strdup_printf ("{\"token\":\"%s\"}", t);
      msg = server_request (shared_server, "POST", VALIDATE, THERAPIST, request, &answer);
      g_clear_pointer (&request, g_free);
      g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
      v = parse_object (answer, &p);
      g_assert_false (json_object_get_boolean_member (v, "valid"));
      g_assert_cmpstr (json_object_get_string_member (v, "reason"), ==, reason);
      g_assert_false (json_object_has_member (v, "roomName"));
    }

  assert_error_answer (shared_server, "POST", VALIDATE, THERAPIST, "{}", 400, "missing-field");
  assert_error_answer (shared_server, "POST", VALIDATE, THERAPIST, "{\"token\":42}", 400, "invalid-field");
  assert_error_answer (shared_server, "POST", VALIDATE, THERAPIST, "{\"token\":null}", 400, "invalid-field");
  assert_error_answer (shared_server, "POST", VALIDATE, THERAPIST, "{\"token\"", 400, "invalid-json");
  request = g_strdup_printf ("{\"token\":\"%s\"}", too_long);
  assert_error_answer (shared_server, "POST", VALIDATE, THERAPIST, request, 400, "field-too-long");
}

/* ---- CORS ---- */

static gboolean
contains_ci (const char *haystack,
             const char *needle)
{
  g_autofree char *h = haystack ? g_ascii_strdown (haystack, -1) : NULL;

  return h != NULL && strstr (h, needle) != NULL;
}

static SoupMessage *
send_with_origin (Server     *server,
                  const char *method,
                  const char *path,
                  const char *origin,
                  const char *body)
{
  g_autofree char *uri = g_strconcat (server->url, path, NULL);
  SoupMessage *msg = soup_message_new (method, uri);
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  if (origin)
    soup_message_headers_replace (headers, "Origin", origin);
  if (g_str_equal (method, "OPTIONS"))
    {
      soup_message_headers_replace (headers, "Access-Control-Request-Method", "POST");
      soup_message_headers_replace (headers, "Access-Control-Request-Headers", "authorization, content-type");
    }
  else
    soup_message_headers_replace (headers, "Authorization", "Bearer " THERAPIST);
  if (body)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  answer = soup_session_send_and_read (server->session, msg, NULL, &error);
  g_assert_no_error (error);
  return msg;
}

static void
test_cors (void)
{
  ServerOptions options = {
    .cors_origins = "https://calendar.example.org; http://localhost:8080",
  };
  g_autoptr(Server) server = server_start (&options);
  g_autofree char *body = generate_body ("ataraxia-cors", FALSE, NULL);
  SoupMessageHeaders *h;
  SoupMessage *msg;

  /* Preflight from an allowed origin. */
  msg = send_with_origin (server, "OPTIONS", GENERATE, "https://calendar.example.org", NULL);
  h = soup_message_get_response_headers (msg);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 204);
  g_assert_cmpstr (soup_message_headers_get_one (h, "Access-Control-Allow-Origin"), ==, "https://calendar.example.org");
  g_assert_nonnull (strstr (soup_message_headers_get_one (h, "Access-Control-Allow-Methods"), "POST"));
  g_assert_true (contains_ci (soup_message_headers_get_one (h, "Access-Control-Allow-Headers"), "authorization"));
  g_assert_true (contains_ci (soup_message_headers_get_one (h, "Access-Control-Allow-Headers"), "content-type"));
  g_assert_nonnull (soup_message_headers_get_list (h, "Vary"));
  g_object_unref (msg);

  msg = send_with_origin (server, "OPTIONS", VALIDATE, "http://localhost:8080", NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 204);
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Access-Control-Allow-Origin"),
                   ==, "http://localhost:8080");
  g_object_unref (msg);

  /* Preflight from another origin: answered, but without permission. */
  msg = send_with_origin (server, "OPTIONS", GENERATE, "https://evil.example.com", NULL);
  h = soup_message_get_response_headers (msg);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 204);
  g_assert_null (soup_message_headers_get_one (h, "Access-Control-Allow-Origin"));
  g_assert_null (soup_message_headers_get_one (h, "Access-Control-Allow-Methods"));
  g_object_unref (msg);

  /* A prefix of an allowed origin is another origin. */
  msg = send_with_origin (server, "OPTIONS", GENERATE, "https://calendar.example.org.evil.com", NULL);
  g_assert_null (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Access-Control-Allow-Origin"));
  g_object_unref (msg);

  /* The real request carries the header too; errors as well. */
  msg = send_with_origin (server, "POST", GENERATE, "https://calendar.example.org", body);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Access-Control-Allow-Origin"),
                   ==, "https://calendar.example.org");
  g_object_unref (msg);
  msg = send_with_origin (server, "POST", GENERATE, "https://calendar.example.org", "{");
  g_assert_cmpuint (soup_message_get_status (msg), ==, 400);
  g_assert_cmpstr (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Access-Control-Allow-Origin"),
                   ==, "https://calendar.example.org");
  g_object_unref (msg);
  msg = send_with_origin (server, "POST", GENERATE, "https://evil.example.com", body);
  g_assert_null (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Access-Control-Allow-Origin"));
  g_object_unref (msg);

  /* Preflight of an unknown path is still 404. */
  msg = send_with_origin (server, "OPTIONS", "/nope", "https://calendar.example.org", NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 404);
  g_object_unref (msg);
}

static void
test_cors_off (void)
{
  g_autofree char *body = generate_body ("ataraxia-cors", FALSE, NULL);
  SoupMessageHeaders *h;
  SoupMessage *msg;

  /* The shared server has an empty cors-origins: no CORS header at all. */
  msg = send_with_origin (shared_server, "OPTIONS", GENERATE, "https://calendar.example.org", NULL);
  h = soup_message_get_response_headers (msg);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 204);
  g_assert_null (soup_message_headers_get_one (h, "Access-Control-Allow-Origin"));
  g_assert_null (soup_message_headers_get_one (h, "Access-Control-Allow-Methods"));
  g_assert_null (soup_message_headers_get_one (h, "Access-Control-Allow-Headers"));
  g_object_unref (msg);

  msg = send_with_origin (shared_server, "POST", GENERATE, "https://calendar.example.org", body);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_null (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Access-Control-Allow-Origin"));
  g_object_unref (msg);
}

/* ---- rate limit, TLS, loopback domain ---- */

static void
test_rate_limit (void)
{
  ServerOptions options = { .rate_limit = "3" };
  g_autoptr(Server) server = server_start (&options);
  g_autofree char *body = generate_body ("ataraxia-rate", FALSE, NULL);
  guint ok = 0, limited = 0;

  for (int i = 0; i < 12; i++)
    {
      g_autoptr(SoupMessage) msg = NULL;
      g_autoptr(GBytes) answer = NULL;
      g_autoptr(JsonParser) parser = NULL;

      msg = server_request (server, "POST", GENERATE, THERAPIST, body, &answer);
      if (soup_message_get_status (msg) == 200)
        {
          ok++;
          continue;
        }
      /* The burst is always served. */
      g_assert_cmpint (i, >=, 3);
      g_assert_cmpuint (soup_message_get_status (msg), ==, 429);
      g_assert_cmpstr (json_object_get_string_member (parse_object (answer, &parser), "error"), ==, "rate-limited");
      g_assert_nonnull (soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After"));
      limited++;
    }
  /* A burst of one second's worth (3), then mostly refused (refill is 3/s;
   * slack for slow runs, e.g. under valgrind). */
  g_assert_cmpuint (ok, >=, 3);
  g_assert_cmpuint (ok, <=, 6);
  g_assert_cmpuint (limited, >=, 6);

  /* Per key: the other key still has its own bucket. */
  {
    g_autoptr(JsonParser) parser = NULL;
    g_assert_nonnull (generate_ok (server, PARTICIPANT, body, &parser));
  }
  /* healthz is never limited. */
  {
    g_autoptr(SoupMessage) msg = server_request (server, "GET", "/healthz", NULL, NULL, NULL);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  }
}

static void
test_tls (void)
{
  ServerOptions options = { .tls = TRUE };
  g_autoptr(Server) server = server_start (&options);
  g_autofree char *body = generate_body ("ataraxia-tls", TRUE, NULL);
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) answer = NULL;
  GTlsCertificate *peer;

  if (server == NULL)
    {
      g_test_skip ("openssl could not make a certificate");
      return;
    }
  g_assert_true (g_str_has_prefix (server->url, "https://127.0.0.1:"));

  msg = server_request (server, "GET", "/healthz", NULL, NULL, &answer);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  peer = soup_message_get_tls_peer_certificate (msg);
  g_assert_nonnull (peer);
  g_assert_true (g_tls_certificate_is_same (peer, server->certificate));

  g_assert_nonnull (generate_ok (server, THERAPIST, body, &parser));
  g_assert_cmpint (server_stop (server, SIGTERM), ==, 0);
}

static void
test_loopback_domain (void)
{
  const char *domains[] = { "127.0.0.1:8443", "localhost", "[::1]:8000", "127.1.2.3", "meet.local:8443" };
  const char *urls[] = {
    "http://127.0.0.1:8443/ataraxia-lo", "http://localhost/ataraxia-lo", "http://[::1]:8000/ataraxia-lo",
    "http://127.1.2.3/ataraxia-lo", "https://meet.local:8443/ataraxia-lo",
  };
  g_autofree char *body = generate_body ("ataraxia-lo", FALSE, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (domains); i++)
    {
      ServerOptions options = { .domain = domains[i] };
      g_autoptr(Server) server = server_start (&options);
      g_autoptr(JsonParser) parser = NULL;
      g_autoptr(GError) error = NULL;
      JsonObject *obj = generate_ok (server, THERAPIST, body, &parser);
      AtxJwtExpectations e = expect;
      g_autoptr(AtxJwtClaims) claims = NULL;

      g_assert_cmpstr (json_object_get_string_member (obj, "joinUrl"), ==, urls[i]);
      e.subject = domains[i];
      claims = atx_jwt_verify (json_object_get_string_member (obj, "token"),
                               (const guint8 *) FIXTURE_SECRET, strlen (FIXTURE_SECRET),
                               &e, now_seconds (), &error);
      g_assert_no_error (error);
    }
}

/* ---- start-up, signals, log ---- */

static void
assert_refuses_to_start (const ServerOptions *options,
                         const char          *expected_text)
{
  g_autoptr(Server) server = server_prepare (options);
  const char *args[] = { "--config", server->config_path, "--port", "0", NULL };
  g_autofree char *line = server_spawn (server, args);
  g_autofree char *err = NULL;
  int status;

  g_assert_null (line);
  status = server_wait_exit (server);
  err = server_read_stderr (server);
  g_test_message ("stderr: %s", err);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (err, expected_text));
}

static void
test_refuses_bad_secret (void)
{
  ServerOptions group_readable = { .secret_mode = 0640 };
  ServerOptions other_readable = { .secret_mode = 0604 };
  ServerOptions group_writable = { .secret_mode = 0620 };
  ServerOptions too_short = { .secret = "0123456789abcdef0123456789abcde\n \t\n" }; /* 31 + whitespace */
  ServerOptions empty = { .secret = "\n" };
  ServerOptions exactly_32 = { .secret = "0123456789abcdef0123456789abcdef\n" };

  assert_refuses_to_start (&group_readable, "chmod 600");
  assert_refuses_to_start (&other_readable, "group or others");
  assert_refuses_to_start (&group_writable, "group or others");
  assert_refuses_to_start (&too_short, "at least 32");
  assert_refuses_to_start (&empty, "at least 32");

  {
    g_autoptr(Server) server = server_start (&exactly_32);
    g_autoptr(SoupMessage) msg = server_request (server, "GET", "/healthz", NULL, NULL, NULL);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  }
}

static void
test_refuses_bad_config (void)
{
  ServerOptions bad_hash = { .extra = "not-a-hash=therapist\n" };
  ServerOptions bad_role;
  ServerOptions bad_cors = { .cors_origins = "calendar.example.org" };
  ServerOptions bad_rate = { .rate_limit = "lots" };
  g_autofree char *therapist = fixture_sha256_hex ("another key");
  g_autofree char *role_line = g_strdup_printf ("%s=admin\n", therapist);

  bad_role = (ServerOptions) { .extra = role_line };
  assert_refuses_to_start (&bad_hash, "sha256");
  assert_refuses_to_start (&bad_role, "therapist or participant");
  assert_refuses_to_start (&bad_cors, "cors-origins");
  assert_refuses_to_start (&bad_rate, "rate-limit");

  {
    g_autoptr(Server) server = server_prepare (NULL);
    const char *args[] = { "--config", "/nonexistent/ataraxia.ini", NULL };
    g_autofree char *line = server_spawn (server, args);
    g_autofree char *err = NULL;

    g_assert_null (line);
    g_assert_cmpint (server_wait_exit (server), ==, 1);
    err = server_read_stderr (server);
    g_assert_nonnull (strstr (err, "/nonexistent/ataraxia.ini"));
  }
}

static void
test_command_line (void)
{
  g_autoptr(Server) server = server_prepare (NULL);
  const char *help[] = { "--help", NULL };
  const char *version[] = { "--version", NULL };
  const char *nothing[] = { NULL };
  const char *bad_port[] = { "--config", server->config_path, "--port", "70000", NULL };
  g_autofree char *line = NULL;
  g_autofree char *err = NULL;

  line = server_spawn (server, help);
  g_assert_nonnull (line);
  g_assert_cmpint (server_wait_exit (server), ==, 0);
  g_clear_object (&server->process);
  g_clear_pointer (&line, g_free);

  line = server_spawn (server, version);
  g_assert_cmpstr (line, ==, "ataraxia-token-server " PACKAGE_VERSION);
  g_assert_cmpint (server_wait_exit (server), ==, 0);
  g_clear_object (&server->process);
  g_clear_pointer (&line, g_free);

  line = server_spawn (server, nothing);
  g_assert_null (line);
  g_assert_cmpint (server_wait_exit (server), ==, 2);
  err = server_read_stderr (server);
  g_assert_nonnull (strstr (err, "--config"));
  g_clear_object (&server->process);

  line = server_spawn (server, bad_port);
  g_assert_null (line);
  g_assert_cmpint (server_wait_exit (server), ==, 2);
}

static void
test_help_lists_options (void)
{
  g_autofree char *out = NULL;
  int status = 0;
  const char *argv[] = { fixture_server_binary (), "--help", NULL };
  g_autoptr(GError) error = NULL;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_nonnull (strstr (out, "--config"));
  g_assert_nonnull (strstr (out, "--port"));
  g_assert_nonnull (strstr (out, "--version"));
}

static void
test_port_from_config (void)
{
  /* Without --port the config's port (0 here) is used. */
  ServerOptions options = { .omit_port_arg = TRUE };
  g_autoptr(Server) server = server_start (&options);
  g_autoptr(SoupMessage) msg = server_request (server, "GET", "/healthz", NULL, NULL, NULL);

  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
}

static void
test_signals (void)
{
  int signals[] = { SIGTERM, SIGINT };

  for (guint i = 0; i < G_N_ELEMENTS (signals); i++)
    {
      g_autoptr(Server) server = server_start (NULL);
      g_autoptr(SoupMessage) msg = server_request (server, "GET", "/healthz", NULL, NULL, NULL);
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      g_autoptr(GSocketConnection) connection = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GUri) uri = g_uri_parse (server->url, G_URI_FLAGS_NONE, NULL);

      g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
      g_assert_cmpint (server_stop (server, signals[i]), ==, 0);

      /* The port is closed afterwards. */
      g_socket_client_set_timeout (client, FIXTURE_TIMEOUT_SECONDS);
      connection = g_socket_client_connect_to_host (client, "127.0.0.1", (guint16) g_uri_get_port (uri), NULL, &error);
      g_assert_null (connection);
      g_assert_nonnull (error);
    }
}

static void
test_access_log (void)
{
  g_autoptr(Server) server = server_start (NULL);
  g_autofree char *body = generate_body ("ataraxia-log", TRUE, NULL);
  g_autofree char *validate = NULL;
  g_autofree char *therapist_hash = fixture_sha256_hex (THERAPIST);
  g_autofree char *participant_hash = fixture_sha256_hex (PARTICIPANT);
  g_autofree char *log = NULL;
  g_autofree char *token = NULL;
  g_autofree char *token_path = NULL;
  g_autofree char *therapist_name = g_strndup (therapist_hash, 8);
  g_autoptr(JsonParser) parser = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GRegex) line_re = NULL;
  JsonObject *obj;
  guint request_lines = 0;

  obj = generate_ok (server, THERAPIST, body, &parser);
  token = g_strdup (json_object_get_string_member (obj, "token"));
  validate = g_strdup_printf ("{\"token\":\"%s\"}", token);
  {
    g_autoptr(SoupMessage) m1 = server_request (server, "POST", VALIDATE, PARTICIPANT, validate, NULL);
    g_autoptr(SoupMessage) m2 = server_request (server, "POST", GENERATE, PARTICIPANT, body, NULL); /* 403 */
    g_autoptr(SoupMessage) m3 = server_request (server, "POST", GENERATE, "bad key", body, NULL);   /* 401 */
    g_autoptr(SoupMessage) m4 = server_request (server, "POST", CREATE_ROOM, THERAPIST, "{", NULL); /* 400 */
    g_autoptr(SoupMessage) m5 = NULL;
    g_autoptr(SoupMessage) m6 = NULL;

    /* Personal data and tokens in an unknown path or query never reach the log. */
    token_path = g_strdup_printf ("/call/%s?email=%s&jwt=%s", PRIVATE_EMAIL, PRIVATE_EMAIL, token);
    m5 = server_request (server, "GET", token_path, NULL, NULL, NULL);
    g_assert_cmpuint (soup_message_get_status (m5), ==, 404);
    m6 = server_request (server, "GET", "/healthz?jwt=secret-token-in-query", NULL, NULL, NULL);
    g_assert_cmpuint (soup_message_get_status (m6), ==, 200);
  }
  g_assert_cmpint (server_stop (server, SIGTERM), ==, 0);

  log = server_read_stderr (server);
  g_test_message ("log:\n%s", log);
  g_assert_null (strstr (log, token));
  g_assert_null (strstr (log, strrchr (token, '.') + 1)); /* not even the signature */
  g_assert_null (strstr (log, "eyJ"));
  g_assert_null (strstr (log, "Zebediah"));
  g_assert_null (strstr (log, "Quux"));
  g_assert_null (strstr (log, "zq-private"));
  g_assert_null (strstr (log, "example.invalid"));
  g_assert_null (strstr (log, "secret-token-in-query"));
  g_assert_null (strstr (log, THERAPIST));
  g_assert_null (strstr (log, PARTICIPANT));
  g_assert_null (strstr (log, therapist_hash)); /* only the short name */
  g_assert_null (strstr (log, FIXTURE_SECRET));

  line_re = g_regex_new ("^\\S+Z done (GET|HEAD|POST|OPTIONS|PUT|DELETE|PATCH|OTHER) (\\S+) (\\d{3}) ([0-9.]+)ms key=([0-9a-f]{8}|-)$",
                         0, 0, NULL);
  lines = g_strsplit (log, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      if (!g_str_has_prefix (lines[i], "20"))
        continue;
      g_assert_true (g_regex_match (line_re, lines[i], 0, NULL));
      request_lines++;
    }
  g_assert_cmpuint (request_lines, ==, 7);
  g_assert_nonnull (strstr (log, "POST /api/jitsi/generate-token 200 "));
  g_assert_nonnull (strstr (log, "POST /api/jitsi/validate-token 200 "));
  g_assert_nonnull (strstr (log, "POST /api/jitsi/generate-token 403 "));
  g_assert_nonnull (strstr (log, "POST /api/jitsi/generate-token 401 "));
  g_assert_nonnull (strstr (log, "POST /api/jitsi/create-room 400 "));
  g_assert_nonnull (strstr (log, "GET - 404 "));
  {
    g_autofree char *key_field = g_strconcat ("key=", therapist_name, NULL);
    g_autofree char *participant_field = g_strndup (participant_hash, 8);
    g_assert_nonnull (strstr (log, key_field));
    g_assert_nonnull (strstr (log, participant_field));
  }
}

static guint
count_fds (Server *server)
{
  g_autofree char *dir = g_strdup_printf ("/proc/%s/fd", g_subprocess_get_identifier (server->process));
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  guint n = 0;

  g_assert_nonnull (handle);
  while (g_dir_read_name (handle) != NULL)
    n++;
  return n;
}

static void
test_connections_freed (void)
{
  g_autoptr(Server) server = server_start (NULL);
  g_autoptr(GUri) uri = g_uri_parse (server->url, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  const char *request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  guint baseline, now = 0;
  gint64 deadline;

  g_socket_client_set_timeout (client, FIXTURE_TIMEOUT_SECONDS);
  baseline = count_fds (server);

  for (int i = 0; i < 60; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocketConnection) connection = NULL;
      GOutputStream *out;
      GInputStream *in;
      char buffer[1024];
      gssize n;

      connection = g_socket_client_connect_to_host (client, "127.0.0.1", (guint16) g_uri_get_port (uri), NULL, &error);
      g_assert_no_error (error);
      out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
      in = g_io_stream_get_input_stream (G_IO_STREAM (connection));
      g_output_stream_write_all (out, request, strlen (request), NULL, NULL, &error);
      g_assert_no_error (error);
      /* Kinds of endings: idle keep-alive closed after the answer (most
       * clients), closed before reading it (a reset), closed mid-request. */
      if (i % 3 == 0)
        {
          n = g_input_stream_read (in, buffer, sizeof buffer - 1, NULL, &error);
          g_assert_no_error (error);
          g_assert_cmpint (n, >, 0);
          buffer[n] = '\0';
          g_assert_true (g_str_has_prefix (buffer, "HTTP/1.1 200"));
          g_assert_null (strstr (buffer, "Connection: close"));
        }
      else if (i % 3 == 2)
        g_output_stream_write_all (out, "POST /api/jitsi/generate-token HTTP/1.1\r\nContent-Length: 40\r\n\r\n{",
                                   strlen ("POST /api/jitsi/generate-token HTTP/1.1\r\nContent-Length: 40\r\n\r\n{"),
                                   NULL, NULL, NULL);
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
    }

  /* libsoup 3.2 alone would keep every one of them open (issue d20c6601). */
  deadline = g_get_monotonic_time () + FIXTURE_TIMEOUT_SECONDS * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      now = count_fds (server);
      if (now <= baseline + 2)
        break;
      g_usleep (50 * 1000);
    }
  g_test_message ("fds: %u before, %u after 60 connections", baseline, now);
  g_assert_cmpuint (now, <=, baseline + 2);

  /* Still serving, with keep-alive. */
  {
    g_autoptr(SoupMessage) msg = server_request (server, "GET", "/healthz", NULL, NULL, NULL);
    g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  }
}

int
main (int   argc,
      char *argv[])
{
  int result;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/token-server/healthz/answers-ok-without-a-key", test_healthz);
  g_test_add_func ("/token-server/generate-token/therapist-gets-a-moderator-token-prosody-accepts", test_generate_moderator);
  g_test_add_func ("/token-server/generate-token/only-therapist-keys-mint-moderators", test_generate_roles);
  g_test_add_func ("/token-server/generate-token/not-before-and-expires-at-window", test_generate_window);
  g_test_add_func ("/token-server/generate-token/bad-input-gets-the-right-400", test_generate_bad_input);
  g_test_add_func ("/token-server/api/missing-or-unknown-key-is-401", test_auth);
  g_test_add_func ("/token-server/api/wrong-method-405-unknown-path-404", test_methods_and_paths);
  g_test_add_func ("/token-server/api/body-over-16k-is-413", test_too_large);
  g_test_add_func ("/token-server/create-room/generates-an-opaque-room-and-tokens", test_create_room);
  g_test_add_func ("/token-server/create-room/named-room-and-errors", test_create_room_named_and_errors);
  g_test_add_func ("/token-server/validate-token/valid-and-each-reason", test_validate);
  g_test_add_func ("/token-server/cors/allowed-origins-only", test_cors);
  g_test_add_func ("/token-server/cors/none-when-not-configured", test_cors_off);
  g_test_add_func ("/token-server/rate-limit/per-key-429", test_rate_limit);
  g_test_add_func ("/token-server/tls/serves-https-from-pem-files", test_tls);
  g_test_add_func ("/token-server/join-url/http-only-for-loopback-domains", test_loopback_domain);
  g_test_add_func ("/token-server/startup/refuses-exposed-or-short-secret", test_refuses_bad_secret);
  g_test_add_func ("/token-server/startup/refuses-bad-config", test_refuses_bad_config);
  g_test_add_func ("/token-server/startup/command-line", test_command_line);
  g_test_add_func ("/token-server/startup/help-lists-options", test_help_lists_options);
  g_test_add_func ("/token-server/startup/port-from-config", test_port_from_config);
  g_test_add_func ("/token-server/shutdown/sigterm-and-sigint-exit-0", test_signals);
  g_test_add_func ("/token-server/log/names-key-never-token-or-person", test_access_log);
  g_test_add_func ("/token-server/connections/closed-connections-are-freed", test_connections_freed);

  shared_server = server_start (NULL);
  result = g_test_run ();
  g_assert_cmpint (server_stop (shared_server, SIGTERM), ==, 0);
  server_free (shared_server);
  return result;
}

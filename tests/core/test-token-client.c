/* test-token-client.c — the token backend client against an in-process
 * SoupServer on 127.0.0.1: good answers, every error status, broken and
 * oversized bodies, tokens that do not fit the request, a server that never
 * answers, a closed port, cancellation and URLs that must never be used.
 */
#define G_LOG_DOMAIN "test-token-client"

#include "config.h"

#include "core/atx-token-client.h"

#include "../support/atx-fake-token-server.h"

#define WAIT_MS 20000

typedef struct {
  FakeTokenServer *server;
  AtxTokenClient  *client;
  GAsyncResult    *result;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->server = fake_token_server_new ();
  f->client = atx_token_client_new (f->server->url, FAKE_API_KEY);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->result);
  g_assert_finalize_object (f->client);
  fake_token_server_free (f->server);
  /* Let closed connections and aborted messages settle. */
  fake_spin (20);
}

static AtxTokenResult *
generate (Fixture     *f,
          const char  *room,
          gboolean     moderator,
          GError     **error)
{
  AtxTokenRequest request = {
    .room_name = room,
    .user_name = "Dr. Test",
    .user_email = "test@example.org",
    .user_id = "therapist-1",
    .is_moderator = moderator,
  };

  g_clear_object (&f->result);
  atx_token_client_generate_token_async (f->client, &request, NULL, fake_store_result, &f->result);
  fake_wait_for_result (&f->result, WAIT_MS);
  return atx_token_client_generate_token_finish (f->client, f->result, error);
}

static void
assert_generate_fails (Fixture    *f,
                       int         code,
                       const char *message_part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxTokenResult) result = generate (f, FAKE_ROOM, TRUE, &error);

  g_assert_null (result);
  g_assert_nonnull (error);
  g_test_message ("error: %s", error->message);
  g_assert_error (error, ATX_TOKEN_ERROR, code);
  if (message_part != NULL && strstr (error->message, message_part) == NULL)
    g_error ("“%s” is not in the message “%s”", message_part, error->message);
}

/* ---- success ---- */

static void
test_generate_success (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxTokenResult) result = generate (f, FAKE_ROOM, TRUE, &error);
  g_autoptr(AtxJwtClaims) claims = NULL;
  JsonObject *request;
  AtxJwtExpectations expect = { "ataraxia", "jitsi", FAKE_DOMAIN, FAKE_ROOM };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpstr (result->room_name, ==, FAKE_ROOM);
  g_assert_cmpstr (result->join_url, ==, "https://" FAKE_DOMAIN "/" FAKE_ROOM);
  g_assert_nonnull (result->expires_at);
  g_assert_cmpint (g_date_time_to_unix (result->expires_at), >, now + 7000);
  g_assert_cmpint (g_date_time_to_unix (result->expires_at), <=, now + 7200 + 5);

  claims = atx_jwt_verify (result->token, (const guint8 *) FAKE_SECRET, strlen (FAKE_SECRET),
                           &expect, now, &error);
  g_assert_no_error (error);
  g_assert_true (claims->moderator);

  /* What reached the server: the contract's request, with the key. */
  g_assert_cmpuint (f->server->n_requests, ==, 1);
  g_assert_cmpstr (f->server->last_path, ==, "/api/jitsi/generate-token");
  g_assert_cmpstr (f->server->last_authorization, ==, "Bearer " FAKE_API_KEY);
  request = json_node_get_object (f->server->last_request);
  g_assert_cmpstr (json_object_get_string_member (request, "roomName"), ==, FAKE_ROOM);
  g_assert_cmpstr (json_object_get_string_member (request, "userName"), ==, "Dr. Test");
  g_assert_cmpstr (json_object_get_string_member (request, "userEmail"), ==, "test@example.org");
  g_assert_cmpstr (json_object_get_string_member (request, "userId"), ==, "therapist-1");
  g_assert_true (json_object_get_boolean_member (request, "isModerator"));
  g_assert_false (json_object_has_member (request, "notBefore"));
  g_assert_false (json_object_has_member (request, "expiresAt"));
}

static void
test_generate_with_window (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxTokenResult) result = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) nbf = g_date_time_add_hours (now, 24);
  g_autoptr(GDateTime) exp = g_date_time_add_hours (now, 26);
  AtxTokenRequest request = {
    .room_name = FAKE_ROOM, .user_name = "", .user_email = "", .user_id = "client",
    .is_moderator = FALSE, .not_before = nbf, .expires_at = exp,
  };
  JsonObject *sent;
  g_autofree char *nbf_text = g_date_time_format (nbf, "%Y-%m-%dT%H:%M:%SZ");

  atx_token_client_generate_token_async (f->client, &request, NULL, fake_store_result, &f->result);
  fake_wait_for_result (&f->result, WAIT_MS);
  result = atx_token_client_generate_token_finish (f->client, f->result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_date_time_to_unix (result->expires_at), ==, g_date_time_to_unix (exp));

  sent = json_node_get_object (f->server->last_request);
  g_assert_cmpstr (json_object_get_string_member (sent, "notBefore"), ==, nbf_text);
  g_assert_false (json_object_get_boolean_member (sent, "isModerator"));
}

/* ---- error statuses ---- */

static void
answer_status (Fixture    *f,
               guint       status,
               const char *body)
{
  f->server->behaviour = FAKE_STATUS;
  f->server->status = status;
  f->server->raw_body = g_strdup (body);
}

static void
test_unauthorized (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxTokenResult) result = NULL;

  atx_token_client_set_api_key (f->client, "wrong-key");
  result = generate (f, FAKE_ROOM, TRUE, &error);
  g_assert_null (result);
  g_assert_error (error, ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_UNAUTHORIZED);
  g_assert_nonnull (strstr (error->message, "(401)"));
  g_assert_nonnull (strstr (error->message, "Preferences"));
  /* The server's own words are appended. */
  g_assert_nonnull (strstr (error->message, "Unknown API key"));
}

static void
test_forbidden (Fixture       *f,
                gconstpointer  data)
{
  answer_status (f, 403, "{\"error\":\"forbidden\",\"message\":\"Only therapist keys may request moderator tokens\"}");
  assert_generate_fails (f, ATX_TOKEN_ERROR_FORBIDDEN, "Only therapist keys");
}

static void
test_rate_limited (Fixture       *f,
                   gconstpointer  data)
{
  answer_status (f, 429, "{\"error\":\"rate-limited\",\"message\":\"Slow down\"}");
  assert_generate_fails (f, ATX_TOKEN_ERROR_RATE_LIMITED, "(429)");
}

static void
test_server_error_with_json (Fixture       *f,
                             gconstpointer  data)
{
  answer_status (f, 500, "{\"error\":\"internal\",\"message\":\"The token could not be signed\"}");
  assert_generate_fails (f, ATX_TOKEN_ERROR_SERVER_ERROR, "The server said: “The token could not be signed”");
}

static void
test_server_error_without_json (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxTokenResult) result = NULL;

  answer_status (f, 500, "<html>Internal Server Error</html>");
  result = generate (f, FAKE_ROOM, TRUE, &error);
  g_assert_error (error, ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_SERVER_ERROR);
  g_assert_nonnull (strstr (error->message, "(500)"));
  g_assert_null (strstr (error->message, "The server said"));
  g_assert_null (strstr (error->message, "html"));
}

static void
test_server_error_message_is_cleaned (Fixture       *f,
                                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxTokenResult) result = NULL;
  g_autoptr(GString) body = g_string_new ("{\"message\":\"line1\\nline2\\u0007");

  for (int i = 0; i < 1000; i++)
    g_string_append_c (body, 'x');
  g_string_append (body, "\"}");
  answer_status (f, 502, body->str);
  result = generate (f, FAKE_ROOM, TRUE, &error);
  g_assert_error (error, ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_SERVER_ERROR);
  g_assert_null (strchr (error->message, '\n'));
  g_assert_null (strchr (error->message, '\a'));
  g_assert_cmpuint (strlen (error->message), <, 600);
}

static void
test_not_found_and_bad_request (Fixture       *f,
                                gconstpointer  data)
{
  answer_status (f, 404, NULL);
  assert_generate_fails (f, ATX_TOKEN_ERROR_BAD_RESPONSE, "(404)");
  g_free (f->server->raw_body);
  f->server->raw_body = g_strdup ("{\"error\":\"invalid-room\",\"message\":\"roomName must be …\"}");
  f->server->status = 400;
  assert_generate_fails (f, ATX_TOKEN_ERROR_BAD_RESPONSE, "roomName must be");
}

static void
test_redirect_refused (Fixture       *f,
                       gconstpointer  data)
{
  f->server->behaviour = FAKE_REDIRECT;
  assert_generate_fails (f, ATX_TOKEN_ERROR_BAD_RESPONSE, "(302)");
  /* Not followed: the key never went anywhere else. */
  g_assert_cmpuint (f->server->n_requests, ==, 1);
}

/* ---- broken bodies ---- */

static void
answer_raw (Fixture    *f,
            const char *body)
{
  f->server->behaviour = FAKE_RAW;
  g_free (f->server->raw_body);
  f->server->raw_body = g_strdup (body);
}

static void
test_non_json_body (Fixture       *f,
                    gconstpointer  data)
{
  answer_raw (f, "<html><body>Welcome to nginx!</body></html>");
  assert_generate_fails (f, ATX_TOKEN_ERROR_BAD_RESPONSE, "not JSON");
  answer_raw (f, "");
  assert_generate_fails (f, ATX_TOKEN_ERROR_BAD_RESPONSE, "not JSON");
  answer_raw (f, "[1, 2, 3]");
  assert_generate_fails (f, ATX_TOKEN_ERROR_BAD_RESPONSE, "not JSON");
  answer_raw (f, "{\"token\": 42, \"roomName\": \"" FAKE_ROOM "\"}");
  assert_generate_fails (f, ATX_TOKEN_ERROR_BAD_RESPONSE, "no token");
}

static void
test_truncated_body (Fixture       *f,
                     gconstpointer  data)
{
  f->server->behaviour = FAKE_TRUNCATE;
  assert_generate_fails (f, ATX_TOKEN_ERROR_BAD_RESPONSE, NULL);
}

static void
test_huge_body_with_length (Fixture       *f,
                            gconstpointer  data)
{
  f->server->behaviour = FAKE_HUGE_LENGTH;
  assert_generate_fails (f, ATX_TOKEN_ERROR_BAD_RESPONSE, "64 KiB");
}

static void
test_huge_body_chunked (Fixture       *f,
                        gconstpointer  data)
{
  f->server->behaviour = FAKE_HUGE_CHUNKED;
  assert_generate_fails (f, ATX_TOKEN_ERROR_BAD_RESPONSE, "64 KiB");
  /* The client stays usable afterwards. */
  f->server->behaviour = FAKE_NORMAL;
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(AtxTokenResult) result = generate (f, FAKE_ROOM, TRUE, &error);
    g_assert_no_error (error);
  }
}

static void
test_huge_error_body_keeps_status (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(GString) body = g_string_new ("{\"message\":\"");

  for (int i = 0; i < 100000; i++)
    g_string_append_c (body, 'x');
  g_string_append (body, "\"}");
  answer_status (f, 503, body->str);
  assert_generate_fails (f, ATX_TOKEN_ERROR_SERVER_ERROR, "(503)");
}

/* ---- answers that do not fit the request ---- */

static void
tamper_other_room_token (FakeTokenServer *server,
                         JsonObject      *request,
                         JsonObject      *answer)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *token = fake_sign (FAKE_OTHER_ROOM, TRUE, now - 60, now + 7200);

  json_object_set_string_member (answer, "token", token);
}

static void
tamper_expired_token (FakeTokenServer *server,
                      JsonObject      *request,
                      JsonObject      *answer)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *token = fake_sign (FAKE_ROOM, TRUE, now - 7200, now - 10);

  json_object_set_string_member (answer, "token", token);
}

static void
tamper_not_a_jwt (FakeTokenServer *server,
                  JsonObject      *request,
                  JsonObject      *answer)
{
  json_object_set_string_member (answer, "token", "not-a-jwt");
}

static void
tamper_participant_token (FakeTokenServer *server,
                          JsonObject      *request,
                          JsonObject      *answer)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *token = fake_sign (FAKE_ROOM, FALSE, now - 60, now + 7200);

  json_object_set_string_member (answer, "token", token);
}

static void
tamper_room_name (FakeTokenServer *server,
                  JsonObject      *request,
                  JsonObject      *answer)
{
  json_object_set_string_member (answer, "roomName", FAKE_OTHER_ROOM);
}

static void
tamper_join_url_with_token (FakeTokenServer *server,
                            JsonObject      *request,
                            JsonObject      *answer)
{
  json_object_set_string_member (answer, "joinUrl",
                                 "https://" FAKE_DOMAIN "/" FAKE_ROOM "?jwt=abc");
}

static void
tamper_join_url_http (FakeTokenServer *server,
                      JsonObject      *request,
                      JsonObject      *answer)
{
  json_object_set_string_member (answer, "joinUrl", "http://" FAKE_DOMAIN "/" FAKE_ROOM);
}

static void
tamper_join_url_other_room (FakeTokenServer *server,
                            JsonObject      *request,
                            JsonObject      *answer)
{
  json_object_set_string_member (answer, "joinUrl", "https://" FAKE_DOMAIN "/" FAKE_OTHER_ROOM);
}

static void
tamper_expires_at_garbage (FakeTokenServer *server,
                           JsonObject      *request,
                           JsonObject      *answer)
{
  json_object_set_string_member (answer, "expiresAt", "tomorrow");
}

static void
tamper_expires_at_missing (FakeTokenServer *server,
                           JsonObject      *request,
                           JsonObject      *answer)
{
  json_object_remove_member (answer, "expiresAt");
}

static void
tamper_expires_at_later_than_token (FakeTokenServer *server,
                                    JsonObject      *request,
                                    JsonObject      *answer)
{
  json_object_set_string_member (answer, "expiresAt", "2999-01-01T00:00:00Z");
}

static void
test_token_for_another_room (Fixture       *f,
                             gconstpointer  data)
{
  f->server->tamper = tamper_other_room_token;
  assert_generate_fails (f, ATX_TOKEN_ERROR_BAD_RESPONSE, "another room");
}

static void
test_expired_token (Fixture       *f,
                    gconstpointer  data)
{
  f->server->tamper = tamper_expired_token;
  assert_generate_fails (f, ATX_TOKEN_ERROR_BAD_RESPONSE, "expired");
}

static void
test_malformed_fields (Fixture       *f,
                       gconstpointer  data)
{
  const FakeTamper tampers[] = {
    tamper_not_a_jwt, tamper_participant_token, tamper_room_name,
    tamper_join_url_with_token, tamper_join_url_http, tamper_join_url_other_room,
    tamper_expires_at_garbage, tamper_expires_at_missing,
  };

  for (guint i = 0; i < G_N_ELEMENTS (tampers); i++)
    {
      g_test_message ("tamper %u", i);
      f->server->tamper = tampers[i];
      assert_generate_fails (f, ATX_TOKEN_ERROR_BAD_RESPONSE, NULL);
    }
}

static void
test_expiry_never_beyond_token (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxTokenResult) result = NULL;
  gint64 exp = 0;

  f->server->tamper = tamper_expires_at_later_than_token;
  result = generate (f, FAKE_ROOM, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (atx_jwt_peek_unverified (result->token, &exp, NULL, NULL, NULL));
  g_assert_cmpint (g_date_time_to_unix (result->expires_at), ==, exp);
}

/* ---- transport ---- */

static void
test_server_never_answers (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxTokenResult) result = NULL;
  gint64 started = g_get_monotonic_time ();

  f->server->behaviour = FAKE_HANG;
  atx_token_client_set_timeout (f->client, 1);
  result = generate (f, FAKE_ROOM, TRUE, &error);
  g_assert_null (result);
  g_assert_error (error, ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_TIMEOUT);
  g_assert_cmpstr (error->message, ==, "The token server did not answer within 1 second.");
  g_assert_cmpint (g_get_monotonic_time () - started, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpuint (f->server->paused->len, ==, 1);
}

static void
test_default_timeout_message (void)
{
  g_autoptr(AtxTokenClient) client = atx_token_client_new (NULL, NULL);

  g_assert_cmpuint (atx_token_client_get_timeout (client), ==, 10);
}

static void
test_connection_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, &error);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(AtxTokenClient) client = NULL;
  g_autoptr(AtxTokenResult) result = NULL;
  g_autoptr(GAsyncResult) async_result = NULL;
  g_autofree char *url = NULL;
  AtxTokenRequest request = { .room_name = FAKE_ROOM, .is_moderator = TRUE };

  g_assert_no_error (error);
  g_socket_bind (socket, any_port, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, &error);
  g_assert_no_error (error);

  client = atx_token_client_new (url, FAKE_API_KEY);
  atx_token_client_set_timeout (client, 5);
  atx_token_client_generate_token_async (client, &request, NULL, fake_store_result, &async_result);
  fake_wait_for_result (&async_result, WAIT_MS);
  result = atx_token_client_generate_token_finish (client, async_result, &error);
  g_assert_null (result);
  g_assert_error (error, ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "could not be reached"));
}

static gboolean
cancel_soon (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxTokenResult) result = NULL;
  AtxTokenRequest request = { .room_name = FAKE_ROOM, .is_moderator = TRUE };
  gint64 started = g_get_monotonic_time ();

  f->server->behaviour = FAKE_HANG;
  g_timeout_add (100, cancel_soon, cancellable);
  atx_token_client_generate_token_async (f->client, &request, cancellable,
                                         fake_store_result, &f->result);
  fake_wait_for_result (&f->result, WAIT_MS);
  result = atx_token_client_generate_token_finish (f->client, f->result, &error);
  g_assert_null (result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 5 * G_USEC_PER_SEC);
}

static void
test_cancel_before_start (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxTokenResult) result = NULL;
  AtxTokenRequest request = { .room_name = FAKE_ROOM, .is_moderator = TRUE };

  g_cancellable_cancel (cancellable);
  atx_token_client_generate_token_async (f->client, &request, cancellable,
                                         fake_store_result, &f->result);
  fake_wait_for_result (&f->result, WAIT_MS);
  result = atx_token_client_generate_token_finish (f->client, f->result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* ---- configuration refused before any request ---- */

static AtxTokenResult *
generate_with (AtxTokenClient  *client,
               const char      *room,
               GError         **error)
{
  g_autoptr(GAsyncResult) async_result = NULL;
  AtxTokenRequest request = { .room_name = room, .is_moderator = TRUE };

  atx_token_client_generate_token_async (client, &request, NULL, fake_store_result, &async_result);
  fake_wait_for_result (&async_result, WAIT_MS);
  return atx_token_client_generate_token_finish (client, async_result, error);
}

static void
test_insecure_url_refused (void)
{
  const char *urls[] = {
    "http://tokens.example.org",
    "http://127.0.0.1.evil.com:3001",
    "http://192.168.1.10:3001",
    "HTTP://tokens.example.org/",
  };

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      g_autoptr(AtxTokenClient) client = atx_token_client_new (urls[i], FAKE_API_KEY);
      g_autoptr(GError) error = NULL;
      g_autoptr(AtxTokenResult) result = NULL;
      gint64 started = g_get_monotonic_time ();

      result = generate_with (client, FAKE_ROOM, &error);
      g_assert_null (result);
      g_assert_error (error, ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_INSECURE_URL);
      g_assert_nonnull (strstr (error->message, "https://"));
      /* Refused at once: no name lookup, no connection. */
      g_assert_cmpint (g_get_monotonic_time () - started, <, G_USEC_PER_SEC / 2);
    }
}

static void
test_not_configured (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxTokenResult) result = NULL;
  g_autoptr(AtxTokenClient) no_url = atx_token_client_new (NULL, FAKE_API_KEY);
  g_autoptr(AtxTokenClient) bad_url = atx_token_client_new ("tokens.example.org", FAKE_API_KEY);

  result = generate_with (no_url, FAKE_ROOM, &error);
  g_assert_error (error, ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_NOT_CONFIGURED);
  g_clear_error (&error);

  result = generate_with (bad_url, FAKE_ROOM, &error);
  g_assert_error (error, ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_NOT_CONFIGURED);
  g_clear_error (&error);

  atx_token_client_set_api_key (f->client, NULL);
  result = generate_with (f->client, FAKE_ROOM, &error);
  g_assert_error (error, ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_NOT_CONFIGURED);
  g_assert_nonnull (strstr (error->message, "API key"));
  g_clear_error (&error);

  atx_token_client_set_api_key (f->client, "key with\r\nX-Injected: 1");
  result = generate_with (f->client, FAKE_ROOM, &error);
  g_assert_error (error, ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_NOT_CONFIGURED);
  g_clear_error (&error);

  atx_token_client_set_api_key (f->client, FAKE_API_KEY);
  result = generate_with (f->client, "Not A Room!", &error);
  g_assert_error (error, ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_INVALID_REQUEST);
  g_clear_error (&error);

  g_assert_cmpuint (f->server->n_requests, ==, 0);
}

static void
test_base_url_with_path_and_slash (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxTokenResult) result = NULL;
  g_autofree char *with_slash = g_strconcat (f->server->url, "/", NULL);
  g_autofree char *with_path = g_strconcat (f->server->url, "/tokens/", NULL);

  atx_token_client_set_base_url (f->client, with_slash);
  result = generate (f, FAKE_ROOM, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (f->server->last_path, ==, "/api/jitsi/generate-token");
  g_clear_pointer (&result, atx_token_result_free);

  atx_token_client_set_base_url (f->client, with_path);
  result = generate (f, FAKE_ROOM, TRUE, &error);
  g_assert_error (error, ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_BAD_RESPONSE);
  g_assert_cmpstr (f->server->last_path, ==, "/tokens/api/jitsi/generate-token");
}

/* ---- the other endpoints ---- */

static void
test_create_room (Fixture       *f,
                  gconstpointer  data)
{
  const AtxTokenParticipant people[] = {
    { "Dr. Test", "test@example.org", "therapist-1", TRUE },
    { "", "", "client", FALSE },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxRoomResult) result = NULL;
  AtxTokenResult *token;
  gboolean moderator;

  atx_token_client_create_room_async (f->client, NULL, people, G_N_ELEMENTS (people), NULL, NULL,
                                      NULL, fake_store_result, &f->result);
  fake_wait_for_result (&f->result, WAIT_MS);
  result = atx_token_client_create_room_finish (f->client, f->result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->room_name, ==, FAKE_ROOM);
  g_assert_cmpstr (result->join_url, ==, "https://" FAKE_DOMAIN "/" FAKE_ROOM);
  g_assert_cmpuint (result->tokens->len, ==, 2);
  token = g_ptr_array_index (result->tokens, 1);
  g_assert_true (atx_jwt_peek_unverified (token->token, NULL, NULL, &moderator, NULL));
  g_assert_false (moderator);
  g_assert_cmpstr (f->server->last_path, ==, "/api/jitsi/create-room");
  g_assert_false (json_object_has_member (json_node_get_object (f->server->last_request), "roomName"));
}

static void
tamper_drop_tokens (FakeTokenServer *server,
                    JsonObject      *request,
                    JsonObject      *answer)
{
  json_object_set_array_member (answer, "tokens", json_array_new ());
}

static void
test_create_room_missing_tokens (Fixture       *f,
                                 gconstpointer  data)
{
  const AtxTokenParticipant people[] = { { "Dr. Test", "t@example.org", "therapist-1", TRUE } };
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxRoomResult) result = NULL;

  f->server->tamper = tamper_drop_tokens;
  atx_token_client_create_room_async (f->client, FAKE_ROOM, people, 1, NULL, NULL,
                                      NULL, fake_store_result, &f->result);
  fake_wait_for_result (&f->result, WAIT_MS);
  result = atx_token_client_create_room_finish (f->client, f->result, &error);
  g_assert_null (result);
  g_assert_error (error, ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_BAD_RESPONSE);
}

static AtxTokenValidation *
validate (Fixture     *f,
          const char  *token,
          GError     **error)
{
  g_clear_object (&f->result);
  atx_token_client_validate_token_async (f->client, token, NULL, fake_store_result, &f->result);
  fake_wait_for_result (&f->result, WAIT_MS);
  return atx_token_client_validate_token_finish (f->client, f->result, error);
}

static void
test_validate_token (Fixture       *f,
                     gconstpointer  data)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *good = fake_sign (FAKE_ROOM, TRUE, now - 60, now + 3600);
  g_autofree char *expired = fake_sign (FAKE_ROOM, TRUE, now - 7200, now - 60);
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxTokenValidation) valid = NULL;
  g_autoptr(AtxTokenValidation) invalid = NULL;

  valid = validate (f, good, &error);
  g_assert_no_error (error);
  g_assert_true (valid->valid);
  g_assert_cmpstr (valid->room_name, ==, FAKE_ROOM);
  g_assert_true (valid->is_moderator);
  g_assert_cmpint (g_date_time_to_unix (valid->expires_at), ==, now + 3600);
  g_assert_null (valid->reason);

  invalid = validate (f, expired, &error);
  g_assert_no_error (error);
  g_assert_false (invalid->valid);
  g_assert_cmpstr (invalid->reason, ==, "expired");

  answer_raw (f, "{\"valid\": \"yes\"}");
  g_clear_pointer (&valid, atx_token_validation_free);
  valid = validate (f, good, &error);
  g_assert_null (valid);
  g_assert_error (error, ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_BAD_RESPONSE);
}

static void
test_health (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* No key needed for /healthz. */
  atx_token_client_set_api_key (f->client, NULL);
  atx_token_client_check_health_async (f->client, NULL, fake_store_result, &f->result);
  fake_wait_for_result (&f->result, WAIT_MS);
  g_assert_true (atx_token_client_check_health_finish (f->client, f->result, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (f->server->last_path, ==, "/healthz");
  g_assert_null (f->server->last_authorization);

  g_clear_object (&f->result);
  answer_raw (f, "{\"status\": \"degraded\"}");
  atx_token_client_check_health_async (f->client, NULL, fake_store_result, &f->result);
  fake_wait_for_result (&f->result, WAIT_MS);
  g_assert_false (atx_token_client_check_health_finish (f->client, f->result, &error));
  g_assert_error (error, ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_BAD_RESPONSE);
}

static void
test_result_copy (void)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_utc (1800000000);
  AtxTokenResult original = { "t", "r", "u", when };
  g_autoptr(AtxTokenResult) copy = atx_token_result_copy (&original);

  g_assert_cmpstr (copy->token, ==, "t");
  g_assert_cmpstr (copy->room_name, ==, "r");
  g_assert_cmpstr (copy->join_url, ==, "u");
  g_assert_true (g_date_time_equal (copy->expires_at, when));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/token-client/generate/success-gives-a-verified-token-for-the-room", test_generate_success);
  ADD ("/token-client/generate/sends-not-before-and-expires-at", test_generate_with_window);
  ADD ("/token-client/status/401-unauthorized-with-server-message", test_unauthorized);
  ADD ("/token-client/status/403-forbidden", test_forbidden);
  ADD ("/token-client/status/429-rate-limited", test_rate_limited);
  ADD ("/token-client/status/500-with-json-error-appends-message", test_server_error_with_json);
  ADD ("/token-client/status/500-without-json-error", test_server_error_without_json);
  ADD ("/token-client/status/server-message-is-cleaned-and-capped", test_server_error_message_is_cleaned);
  ADD ("/token-client/status/404-and-400-are-bad-responses", test_not_found_and_bad_request);
  ADD ("/token-client/status/redirect-is-refused-not-followed", test_redirect_refused);
  ADD ("/token-client/body/non-json", test_non_json_body);
  ADD ("/token-client/body/truncated", test_truncated_body);
  ADD ("/token-client/body/10-mb-with-content-length", test_huge_body_with_length);
  ADD ("/token-client/body/10-mb-chunked", test_huge_body_chunked);
  ADD ("/token-client/body/huge-error-body-keeps-status", test_huge_error_body_keeps_status);
  ADD ("/token-client/answer/token-for-another-room", test_token_for_another_room);
  ADD ("/token-client/answer/expired-token", test_expired_token);
  ADD ("/token-client/answer/every-field-checked", test_malformed_fields);
  ADD ("/token-client/answer/expiry-never-beyond-the-token", test_expiry_never_beyond_token);
  ADD ("/token-client/transport/server-never-answers-times-out", test_server_never_answers);
  ADD ("/token-client/transport/cancel", test_cancel);
  ADD ("/token-client/transport/cancelled-before-start", test_cancel_before_start);
  ADD ("/token-client/config/not-configured-sends-nothing", test_not_configured);
  ADD ("/token-client/config/base-url-slash-and-path", test_base_url_with_path_and_slash);
  ADD ("/token-client/create-room/success", test_create_room);
  ADD ("/token-client/create-room/missing-tokens", test_create_room_missing_tokens);
  ADD ("/token-client/validate-token/valid-invalid-and-malformed", test_validate_token);
  ADD ("/token-client/health/ok-and-not-ok", test_health);
#undef ADD
  g_test_add_func ("/token-client/transport/connection-refused", test_connection_refused);
  g_test_add_func ("/token-client/config/http-to-non-loopback-refused-before-any-request", test_insecure_url_refused);
  g_test_add_func ("/token-client/config/default-timeout-is-10-seconds", test_default_timeout_message);
  g_test_add_func ("/token-client/result/copy", test_result_copy);

  return g_test_run ();
}

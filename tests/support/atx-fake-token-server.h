/* atx-fake-token-server.h — an in-process token backend for core tests.
 *
 * A SoupServer on 127.0.0.1 (port 0) that speaks the "Token backend HTTP
 * contract" of DESIGN.md with tokens minted by atx_jwt_sign, and that can be
 * told to misbehave: answer a status, send a raw body, never answer, cut its
 * answer off, send 10 MB, redirect, or tamper with a good answer. It counts
 * every request that reaches it.
 *
 * Header-only (static functions) so that the core tests can share it without
 * another library; include it from a test's .c file.
 */
#pragma once

#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "core/atx-jwt.h"
#include "core/atx-room-name.h"

#define FAKE_SECRET "fake-token-server-secret-0123456789abcdef"
#define FAKE_API_KEY "fake-api-key-therapist-1234"
#define FAKE_DOMAIN "meet.example.org"
#define FAKE_ROOM "ataraxia-abcdefghijklmnopqrstuvwxyz234567"
#define FAKE_OTHER_ROOM "ataraxia-zyxwvutsrqponmlkjihgfedcba765432"
#define FAKE_HUGE_SIZE (10 * 1024 * 1024)

typedef enum {
  FAKE_NORMAL,        /* answer as the contract says (then tamper, if set) */
  FAKE_STATUS,        /* answer `status` with `raw_body` (may be NULL) */
  FAKE_RAW,           /* 200 with `raw_body` as is */
  FAKE_HANG,          /* pause the message and never answer */
  FAKE_TRUNCATE,      /* promise 4096 bytes, send a few, close */
  FAKE_HUGE_LENGTH,   /* 200 with a 10 MB body and Content-Length */
  FAKE_HUGE_CHUNKED,  /* 200 with a 10 MB chunked body */
  FAKE_REDIRECT,      /* 302 to another URL */
} FakeBehaviour;

typedef struct _FakeTokenServer FakeTokenServer;

/* Changes a good answer of generate-token (or create-room) before it goes out. */
typedef void (*FakeTamper) (FakeTokenServer *server,
                            JsonObject      *request,
                            JsonObject      *answer);

struct _FakeTokenServer {
  SoupServer    *server;
  char          *url;              /* http://127.0.0.1:PORT (no trailing slash) */
  guint          n_requests;
  char          *last_path;
  char          *last_authorization;
  JsonNode      *last_request;     /* the parsed body of the last request */
  FakeBehaviour  behaviour;
  guint          status;
  char          *raw_body;
  FakeTamper     tamper;
  GPtrArray     *paused;           /* SoupServerMessage* never answered */
};

G_GNUC_UNUSED static char *
fake_sign (const char *room,
           gboolean    moderator,
           gint64      not_before,
           gint64      expires_at)
{
  AtxJwtSignParams params = {
    .issuer = "ataraxia",
    .audience = "jitsi",
    .subject = FAKE_DOMAIN,
    .room = room,
    .user_id = "therapist-1",
    .user_name = "Dr. Test",
    .user_email = "test@example.org",
    .moderator = moderator,
    .issued_at = g_get_real_time () / G_USEC_PER_SEC,
    .not_before = not_before,
    .expires_at = expires_at,
  };
  char *token = atx_jwt_sign (&params, (const guint8 *) FAKE_SECRET, strlen (FAKE_SECRET));

  g_assert_nonnull (token);
  return token;
}

G_GNUC_UNUSED static char *
fake_format_time (gint64 t)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (t);
  return g_date_time_format (dt, "%Y-%m-%dT%H:%M:%SZ");
}

static gint64
fake_read_time (JsonObject *request,
                const char *name,
                gint64      fallback)
{
  const char *text = json_object_get_string_member_with_default (request, name, NULL);
  g_autoptr(GDateTime) dt = text != NULL ? g_date_time_new_from_iso8601 (text, NULL) : NULL;

  return dt != NULL ? g_date_time_to_unix (dt) : fallback;
}

static void
fake_set_json (SoupServerMessage *msg,
               guint              status,
               JsonNode          *node)
{
  g_autofree char *text = json_to_string (node, FALSE);
  gsize len = strlen (text);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&text), len);
}

static void
fake_set_error (SoupServerMessage *msg,
                guint              status,
                const char        *code,
                const char        *message)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (object, "error", code);
  json_object_set_string_member (object, "message", message);
  json_node_set_object (node, object);
  fake_set_json (msg, status, node);
}

static JsonObject *
fake_token_entry (JsonObject *person,
                  const char *room,
                  gint64      nbf,
                  gint64      exp)
{
  JsonObject *entry = json_object_new ();
  gboolean moderator = json_object_get_boolean_member_with_default (person, "isModerator", FALSE);
  g_autofree char *token = fake_sign (room, moderator, nbf, exp);
  g_autofree char *join_url = g_strdup_printf ("https://%s/%s", FAKE_DOMAIN, room);
  g_autofree char *expires = fake_format_time (exp);

  json_object_set_string_member (entry, "token", token);
  json_object_set_string_member (entry, "joinUrl", join_url);
  json_object_set_string_member (entry, "expiresAt", expires);
  return entry;
}

static void
fake_answer_normally (FakeTokenServer   *self,
                      SoupServerMessage *msg,
                      const char        *path,
                      JsonObject        *request)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) answer = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 nbf, exp;

  if (g_str_equal (path, "/healthz"))
    {
      answer = json_object_new ();
      json_object_set_string_member (answer, "status", "ok");
    }
  else if (request == NULL)
    {
      fake_set_error (msg, 400, "invalid-json", "The body is not a JSON object");
      return;
    }
  else if (g_str_equal (path, "/api/jitsi/generate-token"))
    {
      const char *room = json_object_get_string_member_with_default (request, "roomName", "");

      nbf = MAX (fake_read_time (request, "notBefore", now - 60), now - 60);
      exp = fake_read_time (request, "expiresAt", MAX (nbf, now) + 7200);
      answer = fake_token_entry (request, room, nbf, exp);
      json_object_set_string_member (answer, "roomName", room);
    }
  else if (g_str_equal (path, "/api/jitsi/create-room"))
    {
      const char *room = json_object_get_string_member_with_default (request, "roomName", FAKE_ROOM);
      JsonArray *people = json_object_get_array_member (request, "participants");
      g_autoptr(JsonArray) tokens = json_array_new ();
      g_autofree char *join_url = g_strdup_printf ("https://%s/%s", FAKE_DOMAIN, room);

      nbf = MAX (fake_read_time (request, "notBefore", now - 60), now - 60);
      exp = fake_read_time (request, "expiresAt", MAX (nbf, now) + 7200);
      for (guint i = 0; people != NULL && i < json_array_get_length (people); i++)
        {
          JsonObject *person = json_array_get_object_element (people, i);
          JsonObject *entry = fake_token_entry (person, room, nbf, exp);

          json_object_set_string_member (entry, "userId",
                                         json_object_get_string_member_with_default (person, "userId", ""));
          json_object_set_boolean_member (entry, "isModerator",
                                          json_object_get_boolean_member_with_default (person, "isModerator", FALSE));
          json_array_add_object_element (tokens, entry);
        }
      answer = json_object_new ();
      json_object_set_string_member (answer, "roomName", room);
      json_object_set_string_member (answer, "joinUrl", join_url);
      json_object_set_array_member (answer, "tokens", g_steal_pointer (&tokens));
    }
  else if (g_str_equal (path, "/api/jitsi/validate-token"))
    {
      const char *token = json_object_get_string_member_with_default (request, "token", "");
      AtxJwtExpectations expect = { "ataraxia", "jitsi", FAKE_DOMAIN, NULL };
      g_autoptr(GError) error = NULL;
      g_autoptr(AtxJwtClaims) claims = atx_jwt_verify (token, (const guint8 *) FAKE_SECRET,
                                                       strlen (FAKE_SECRET), &expect, now, &error);

      answer = json_object_new ();
      json_object_set_boolean_member (answer, "valid", claims != NULL);
      if (claims != NULL)
        {
          g_autofree char *expires = fake_format_time (claims->expires_at);

          json_object_set_string_member (answer, "roomName", claims->room);
          json_object_set_boolean_member (answer, "isModerator", claims->moderator);
          json_object_set_string_member (answer, "expiresAt", expires);
        }
      else
        {
          json_object_set_string_member (answer, "reason",
                                         atx_jwt_error_to_reason ((AtxJwtError) error->code));
        }
    }
  else
    {
      fake_set_error (msg, 404, "not-found", "No such endpoint");
      return;
    }

  if (self->tamper != NULL && request != NULL)
    self->tamper (self, request, answer);
  json_node_set_object (node, answer);
  fake_set_json (msg, 200, node);
}

static void
fake_truncate (SoupServerMessage *msg)
{
  static const char partial[] =
    "HTTP/1.1 200 OK\r\n"
    "Content-Type: application/json\r\n"
    "Content-Length: 4096\r\n"
    "\r\n"
    "{\"token\": \"eyJhbGciOi";
  g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);
  GOutputStream *out = g_io_stream_get_output_stream (stream);

  g_output_stream_write_all (out, partial, sizeof partial - 1, NULL, NULL, NULL);
  g_io_stream_close (stream, NULL, NULL);
}

static void
fake_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  FakeTokenServer *self = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *request = NULL;

  self->n_requests++;
  g_free (self->last_path);
  self->last_path = g_strdup (path);
  g_free (self->last_authorization);
  self->last_authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  g_clear_pointer (&self->last_request, json_node_unref);
  if (body->length > 0 && json_parser_load_from_data (parser, body->data, body->length, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      self->last_request = json_node_copy (json_parser_get_root (parser));
      request = json_node_get_object (self->last_request);
    }

  if (g_str_has_prefix (path, "/api/") &&
      g_strcmp0 (self->last_authorization, "Bearer " FAKE_API_KEY) != 0)
    {
      fake_set_error (msg, 401, "unauthorized", "Unknown API key");
      return;
    }

  switch (self->behaviour)
    {
    case FAKE_NORMAL:
      fake_answer_normally (self, msg, path, request);
      break;
    case FAKE_STATUS:
      soup_server_message_set_status (msg, self->status, NULL);
      if (self->raw_body != NULL)
        soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                          self->raw_body, strlen (self->raw_body));
      break;
    case FAKE_RAW:
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                        self->raw_body, strlen (self->raw_body));
      break;
    case FAKE_HANG:
      soup_server_message_pause (msg);
      g_ptr_array_add (self->paused, g_object_ref (msg));
      break;
    case FAKE_TRUNCATE:
      fake_truncate (msg);
      break;
    case FAKE_HUGE_LENGTH:
    case FAKE_HUGE_CHUNKED:
      {
        char *huge = g_malloc (FAKE_HUGE_SIZE);

        /* Valid JSON of 10 MB: a string full of 'a'. */
        memset (huge, 'a', FAKE_HUGE_SIZE);
        memcpy (huge, "{\"token\":\"", 10);
        memcpy (huge + FAKE_HUGE_SIZE - 2, "\"}", 2);
        soup_server_message_set_status (msg, 200, NULL);
        if (self->behaviour == FAKE_HUGE_CHUNKED)
          soup_message_headers_set_encoding (soup_server_message_get_response_headers (msg),
                                             SOUP_ENCODING_CHUNKED);
        soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                          huge, FAKE_HUGE_SIZE);
      }
      break;
    case FAKE_REDIRECT:
      soup_server_message_set_redirect (msg, 302, "https://evil.example.com/api/jitsi/generate-token");
      break;
    default:
      g_assert_not_reached ();
    }
}

G_GNUC_UNUSED static FakeTokenServer *
fake_token_server_new (void)
{
  FakeTokenServer *self = g_new0 (FakeTokenServer, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;
  g_autofree char *uri_text = NULL;

  self->server = soup_server_new (NULL, NULL);
  self->paused = g_ptr_array_new_with_free_func (g_object_unref);
  soup_server_add_handler (self->server, NULL, fake_handler, self, NULL);
  soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (self->server);
  g_assert_nonnull (uris);
  uri_text = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  /* "http://127.0.0.1:PORT/" → without the slash */
  if (g_str_has_suffix (uri_text, "/"))
    uri_text[strlen (uri_text) - 1] = '\0';
  self->url = g_steal_pointer (&uri_text);
  g_assert_true (g_str_has_prefix (self->url, "http://127.0.0.1:"));
  return self;
}

G_GNUC_UNUSED static void
fake_token_server_free (FakeTokenServer *self)
{
  if (self == NULL)
    return;
  soup_server_disconnect (self->server);
  /* Paused messages are dropped with the server; their clients are gone. */
  g_clear_pointer (&self->paused, g_ptr_array_unref);
  g_clear_object (&self->server);
  g_free (self->url);
  g_free (self->last_path);
  g_free (self->last_authorization);
  g_clear_pointer (&self->last_request, json_node_unref);
  g_free (self->raw_body);
  g_free (self);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FakeTokenServer, fake_token_server_free)

/* ---- bounded waiting ---- */

static gboolean
fake_flag_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the default main context until *result is set; fails the test
 * after @timeout_ms. */
G_GNUC_UNUSED static void
fake_wait_for_result (GAsyncResult **result,
                      guint          timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, fake_flag_timeout, &timed_out);

  while (*result == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("Timed out after %u ms waiting for an async result", timeout_ms);
  g_source_remove (id);
}

/* Iterates the default main context for about @ms milliseconds. */
G_GNUC_UNUSED static void
fake_spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, fake_flag_timeout, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

G_GNUC_UNUSED static void
fake_store_result (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* atx-token-client.c — see atx-token-client.h.
 *
 * Each request is one GTask that goes through the same steps: check the
 * configuration (nothing is sent to an http URL of another host), send,
 * read at most ATX_TOKEN_CLIENT_MAX_BODY + 1 bytes of the answer in a loop,
 * map the status, then check the JSON against the contract. A timer cancels
 * a private GCancellable when the whole request takes longer than "timeout";
 * the caller's cancellable is chained to the same one.
 *
 * An answer that is abandoned half-read (too big, timed out) is closed with
 * a cancelled cancellable: libsoup then drops the connection instead of
 * reading the rest of the body to keep it alive.
 */
#define G_LOG_DOMAIN "atx-token-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "atx-lazy-libsoup.h"

#include "atx-jwt.h"
#include "atx-room-name.h"
#include "atx-settings.h"
#include "atx-token-client.h"

#define READ_CHUNK 16384
/* Longest piece of a server's error `message` shown to the user. */
#define MAX_SERVER_MESSAGE_CHARS 300

struct _AtxTokenClient
{
  GObject parent_instance;

  SoupSession *session;
  char *base_url;
  char *api_key;
  guint timeout;
};

G_DEFINE_FINAL_TYPE (AtxTokenClient, atx_token_client, G_TYPE_OBJECT)

G_DEFINE_QUARK (atx-token-error-quark, atx_token_error)

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_API_KEY,
  PROP_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- result structs ---- */

AtxTokenResult *
atx_token_result_copy (const AtxTokenResult *result)
{
  AtxTokenResult *copy;

  g_return_val_if_fail (result != NULL, NULL);

  copy = g_new0 (AtxTokenResult, 1);
  copy->token = g_strdup (result->token);
  copy->room_name = g_strdup (result->room_name);
  copy->join_url = g_strdup (result->join_url);
  copy->expires_at = result->expires_at != NULL ? g_date_time_ref (result->expires_at) : NULL;
  return copy;
}

void
atx_token_result_free (AtxTokenResult *result)
{
  if (result == NULL)
    return;
  g_free (result->token);
  g_free (result->room_name);
  g_free (result->join_url);
  g_clear_pointer (&result->expires_at, g_date_time_unref);
  g_free (result);
}

void
atx_room_result_free (AtxRoomResult *result)
{
  if (result == NULL)
    return;
  g_free (result->room_name);
  g_free (result->join_url);
  g_clear_pointer (&result->tokens, g_ptr_array_unref);
  g_free (result);
}

void
atx_token_validation_free (AtxTokenValidation *validation)
{
  if (validation == NULL)
    return;
  g_free (validation->reason);
  g_free (validation->room_name);
  g_clear_pointer (&validation->expires_at, g_date_time_unref);
  g_free (validation);
}

/* ---- one request ---- */

typedef enum {
  KIND_GENERATE_TOKEN,
  KIND_CREATE_ROOM,
  KIND_VALIDATE_TOKEN,
  KIND_HEALTH,
} RequestKind;

typedef struct {
  char     *user_id;
  gboolean  is_moderator;
} ExpectedToken;

typedef struct {
  RequestKind   kind;
  SoupMessage  *message;
  GInputStream *stream;
  GByteArray   *body;
  GCancellable *internal;       /* what libsoup sees; cancelled by timeout or caller */
  GCancellable *caller;
  gulong        caller_handler;
  GSource      *timer;
  guint         timeout;
  gboolean      timed_out;

  /* What was asked, to check the answer against. */
  char         *room_name;      /* NULL: create-room lets the server choose */
  gboolean      is_moderator;
  ExpectedToken *expected;      /* create-room: one per participant */
  guint         n_expected;
} Request;

static void
close_abandoned_stream (GInputStream *stream)
{
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();

  if (stream == NULL || g_input_stream_is_closed (stream))
    return;
  /* See the top of the file: a cancelled close drops the connection. */
  g_cancellable_cancel (cancelled);
  g_input_stream_close_async (stream, G_PRIORITY_DEFAULT, cancelled, NULL, NULL);
}

static void
request_free (Request *request)
{
  if (request->timer != NULL)
    {
      g_source_destroy (request->timer);
      g_source_unref (request->timer);
    }
  if (request->caller_handler != 0)
    g_cancellable_disconnect (request->caller, request->caller_handler);
  close_abandoned_stream (request->stream);
  g_clear_object (&request->stream);
  g_clear_object (&request->message);
  g_clear_pointer (&request->body, g_byte_array_unref);
  g_clear_object (&request->internal);
  g_clear_object (&request->caller);
  g_free (request->room_name);
  for (guint i = 0; i < request->n_expected; i++)
    g_free (request->expected[i].user_id);
  g_free (request->expected);
  g_free (request);
}

static void
on_caller_cancelled (GCancellable *caller,
                     GCancellable *internal)
{
  g_cancellable_cancel (internal);
}

static gboolean
on_timeout (gpointer user_data)
{
  Request *request = user_data;

  request->timed_out = TRUE;
  g_cancellable_cancel (request->internal);
  return G_SOURCE_REMOVE;
}

static void
return_error (GTask   *task,
              GError  *error)
{
  Request *request = g_task_get_task_data (task);

  /* Stop the timer now so that it cannot turn a finished request into a
   * timeout while the callback runs. */
  if (request->timer != NULL)
    g_source_destroy (request->timer);
  g_task_return_error (task, error);
}

static GError *
timeout_error (Request *request)
{
  return g_error_new (ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_TIMEOUT,
                      g_dngettext (GETTEXT_PACKAGE,
                                   "The token server did not answer within %u second.",
                                   "The token server did not answer within %u seconds.",
                                   request->timeout),
                      request->timeout);
}

static GError *
bad_response_error (const char *reason)
{
  return g_error_new (ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_BAD_RESPONSE,
                      _("The token server sent an answer that cannot be used: %s"), reason);
}

/* A transport error of libsoup or GIO, for the user. @reading: the status
 * and headers had already arrived. */
static GError *
transport_error (Request *request,
                 GError  *error,
                 gboolean reading)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (request->timed_out)
        return timeout_error (request);
      return g_error_copy (error);
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return timeout_error (request);
  if (error->domain == G_TLS_ERROR)
    return g_error_new (ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_TLS,
                        _("The token server’s identity could not be verified, so nothing was "
                          "sent to it. Check the server address in Preferences, or ask "
                          "whoever runs the server about its certificate. (%s)"),
                        error->message);
  if (reading && (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT) ||
                  error->domain == SOUP_SESSION_ERROR))
    return bad_response_error (_("it was cut off or malformed."));
  if (error->domain == SOUP_SESSION_ERROR)
    return bad_response_error (_("it is not a valid web server answer."));

  return g_error_new (ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_NETWORK,
                      _("The token server could not be reached. Check your internet "
                        "connection and the server address in Preferences. (%s)"),
                      error->message);
}

/* The `message` of an error answer, cleaned for display, or NULL. */
static char *
server_message (GByteArray *body)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autofree char *clean = NULL;
  JsonNode *root, *node;
  const char *text;

  if (body == NULL || body->len == 0 ||
      !json_parser_load_from_data (parser, (const char *) body->data, body->len, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  node = json_object_get_member (json_node_get_object (root), "message");
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  text = json_node_get_string (node);
  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return NULL;

  clean = g_utf8_substring (text, 0, MIN (g_utf8_strlen (text, -1), MAX_SERVER_MESSAGE_CHARS));
  for (char *p = clean; *p; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      *p = ' ';
  g_strstrip (clean);
  return *clean != '\0' ? g_steal_pointer (&clean) : NULL;
}

static GError *
status_error (Request *request,
              guint    status)
{
  g_autofree char *said = server_message (request->body);
  AtxTokenError code;
  g_autofree char *message = NULL;

  if (status == SOUP_STATUS_UNAUTHORIZED)
    {
      code = ATX_TOKEN_ERROR_UNAUTHORIZED;
      message = g_strdup (_("The API key was refused (401). Check it in Preferences."));
    }
  else if (status == SOUP_STATUS_FORBIDDEN)
    {
      code = ATX_TOKEN_ERROR_FORBIDDEN;
      message = g_strdup (_("This API key may not request this token (403). "
                            "Starting calls needs a therapist key."));
    }
  else if (status == 429 /* Too Many Requests: not in libsoup 3.2 */)
    {
      code = ATX_TOKEN_ERROR_RATE_LIMITED;
      message = g_strdup (_("The token server is receiving too many requests (429). "
                            "Wait a minute and try again."));
    }
  else if (status >= 500 && status <= 599)
    {
      code = ATX_TOKEN_ERROR_SERVER_ERROR;
      message = g_strdup_printf (_("The token server had a problem (%u). Try again later; "
                                   "if it keeps happening, tell whoever runs the server."),
                                 status);
    }
  else if (status >= 300 && status <= 399)
    {
      code = ATX_TOKEN_ERROR_BAD_RESPONSE;
      message = g_strdup_printf (_("The token server tried to redirect the request (%u), "
                                   "which is not allowed. Check the server address in "
                                   "Preferences."), status);
    }
  else if (status == SOUP_STATUS_NOT_FOUND)
    {
      code = ATX_TOKEN_ERROR_BAD_RESPONSE;
      message = g_strdup (_("The token server does not offer this request (404). "
                            "Check the server address in Preferences."));
    }
  else
    {
      code = ATX_TOKEN_ERROR_BAD_RESPONSE;
      message = g_strdup_printf (_("The token server refused the request (%u)."), status);
    }

  if (said != NULL)
    return g_error_new (ATX_TOKEN_ERROR, code, _("%s The server said: “%s”"), message, said);
  return g_error_new_literal (ATX_TOKEN_ERROR, code, message);
}

/* ---- checking answers ---- */

static const char *
get_string_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
get_boolean_member (JsonObject *object,
                    const char *name,
                    gboolean   *out)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return FALSE;
  *out = json_node_get_boolean (node);
  return TRUE;
}

/* An RFC 3339 time with an offset, converted to UTC. */
static GDateTime *
parse_time (const char *text)
{
  g_autoptr(GDateTime) parsed = NULL;

  if (text == NULL || strlen (text) > 64 || strchr (text, 'T') == NULL)
    return NULL;
  parsed = g_date_time_new_from_iso8601 (text, NULL);
  return parsed != NULL ? g_date_time_to_utc (parsed) : NULL;
}

/* A join URL must be the bare "<scheme>://<domain>/<room>" with the scheme
 * rule of DESIGN.md, and no token, credentials or anything else in it. */
static gboolean
join_url_is_valid (const char *url,
                   const char *room)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *expected_path = NULL;
  const char *scheme, *host;

  if (url == NULL || strlen (url) > 2048 || !g_utf8_validate (url, -1, NULL))
    return FALSE;
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return FALSE;

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (host == NULL || *host == '\0' || g_uri_get_port (uri) == 0 ||
      g_uri_get_userinfo (uri) != NULL || g_uri_get_query (uri) != NULL ||
      g_uri_get_fragment (uri) != NULL)
    return FALSE;
  if (g_strcmp0 (scheme, "https") != 0 &&
      !(g_strcmp0 (scheme, "http") == 0 && atx_host_is_loopback (host)))
    return FALSE;

  expected_path = g_strconcat ("/", room, NULL);
  return g_strcmp0 (g_uri_get_path (uri), expected_path) == 0;
}

/* Checks one {token, joinUrl, expiresAt} of an answer against what was asked
 * for. @object is the answer (generate-token) or one entry of `tokens`. */
static AtxTokenResult *
check_token_entry (JsonObject  *object,
                   const char  *room,
                   gboolean     is_moderator,
                   GError     **error)
{
  g_autoptr(AtxTokenResult) result = g_new0 (AtxTokenResult, 1);
  g_autoptr(GError) jwt_error = NULL;
  g_autoptr(GDateTime) expires_at = NULL;
  g_autofree char *token_room = NULL;
  const char *token, *join_url, *expires_text;
  gint64 exp = 0, now = g_get_real_time () / G_USEC_PER_SEC;
  gboolean token_moderator = FALSE;

  token = get_string_member (object, "token");
  if (token == NULL || *token == '\0')
    {
      g_propagate_error (error, bad_response_error (_("it contains no token.")));
      return NULL;
    }
  if (strlen (token) > ATX_JWT_MAX_TOKEN_LENGTH ||
      !atx_jwt_peek_unverified (token, &exp, &token_room, &token_moderator, &jwt_error))
    {
      g_propagate_error (error, bad_response_error (_("the token is not a valid call token.")));
      return NULL;
    }
  if (g_strcmp0 (token_room, room) != 0)
    {
      g_propagate_error (error, bad_response_error (_("the token is for another room.")));
      return NULL;
    }
  if (token_moderator != is_moderator)
    {
      g_propagate_error (error, bad_response_error (is_moderator
                                                    ? _("the token does not make you the host of the call.")
                                                    : _("the token would make a guest the host of the call.")));
      return NULL;
    }
  if (exp <= now)
    {
      g_propagate_error (error, bad_response_error (_("the token has already expired.")));
      return NULL;
    }

  join_url = get_string_member (object, "joinUrl");
  if (!join_url_is_valid (join_url, room))
    {
      g_propagate_error (error, bad_response_error (_("the call link is missing or not a valid "
                                                      "address for this room.")));
      return NULL;
    }

  expires_text = get_string_member (object, "expiresAt");
  expires_at = parse_time (expires_text);
  if (expires_at == NULL)
    {
      g_propagate_error (error, bad_response_error (_("the expiry time is missing or not a date.")));
      return NULL;
    }
  if (g_date_time_to_unix (expires_at) <= now)
    {
      g_propagate_error (error, bad_response_error (_("the token has already expired.")));
      return NULL;
    }

  result->token = g_strdup (token);
  result->room_name = g_strdup (room);
  result->join_url = g_strdup (join_url);
  /* The token's own exp is what the Jitsi server enforces: never claim more. */
  if (g_date_time_to_unix (expires_at) > exp)
    result->expires_at = g_date_time_new_from_unix_utc (exp);
  else
    result->expires_at = g_steal_pointer (&expires_at);
  return g_steal_pointer (&result);
}

static AtxTokenResult *
check_generate_answer (Request     *request,
                       JsonObject  *object,
                       GError     **error)
{
  if (g_strcmp0 (get_string_member (object, "roomName"), request->room_name) != 0)
    {
      g_propagate_error (error, bad_response_error (_("it names another room.")));
      return NULL;
    }
  return check_token_entry (object, request->room_name, request->is_moderator, error);
}

static AtxRoomResult *
check_create_room_answer (Request     *request,
                          JsonObject  *object,
                          GError     **error)
{
  g_autoptr(AtxRoomResult) result = g_new0 (AtxRoomResult, 1);
  const char *room, *join_url;
  JsonNode *tokens_node;
  JsonArray *tokens;

  room = get_string_member (object, "roomName");
  if (!atx_room_name_is_valid (room) ||
      (request->room_name != NULL && g_strcmp0 (room, request->room_name) != 0))
    {
      g_propagate_error (error, bad_response_error (_("it names another room.")));
      return NULL;
    }
  join_url = get_string_member (object, "joinUrl");
  if (!join_url_is_valid (join_url, room))
    {
      g_propagate_error (error, bad_response_error (_("the call link is missing or not a valid "
                                                      "address for this room.")));
      return NULL;
    }

  tokens_node = json_object_get_member (object, "tokens");
  if (tokens_node == NULL || !JSON_NODE_HOLDS_ARRAY (tokens_node) ||
      json_array_get_length (tokens = json_node_get_array (tokens_node)) != request->n_expected)
    {
      g_propagate_error (error, bad_response_error (_("it does not contain one token per person.")));
      return NULL;
    }

  result->room_name = g_strdup (room);
  result->join_url = g_strdup (join_url);
  result->tokens = g_ptr_array_new_with_free_func ((GDestroyNotify) atx_token_result_free);

  for (guint i = 0; i < request->n_expected; i++)
    {
      JsonNode *element = json_array_get_element (tokens, i);
      JsonObject *entry;
      AtxTokenResult *token;
      gboolean moderator;

      if (!JSON_NODE_HOLDS_OBJECT (element) ||
          g_strcmp0 (get_string_member (entry = json_node_get_object (element), "userId"),
                     request->expected[i].user_id) != 0 ||
          !get_boolean_member (entry, "isModerator", &moderator) ||
          moderator != request->expected[i].is_moderator)
        {
          g_propagate_error (error, bad_response_error (_("its tokens do not match the people "
                                                          "asked for.")));
          return NULL;
        }
      token = check_token_entry (entry, room, request->expected[i].is_moderator, error);
      if (token == NULL)
        return NULL;
      g_ptr_array_add (result->tokens, token);
    }
  return g_steal_pointer (&result);
}

static gboolean
is_reason_code (const char *reason)
{
  if (reason == NULL || *reason == '\0' || strlen (reason) > 64)
    return FALSE;
  for (const char *p = reason; *p; p++)
    if (!g_ascii_islower (*p) && *p != '-')
      return FALSE;
  return TRUE;
}

static AtxTokenValidation *
check_validate_answer (JsonObject  *object,
                       GError     **error)
{
  g_autoptr(AtxTokenValidation) result = g_new0 (AtxTokenValidation, 1);

  if (!get_boolean_member (object, "valid", &result->valid))
    {
      g_propagate_error (error, bad_response_error (_("it does not say whether the token is valid.")));
      return NULL;
    }

  if (!result->valid)
    {
      const char *reason = get_string_member (object, "reason");

      if (!is_reason_code (reason))
        {
          g_propagate_error (error, bad_response_error (_("it gives no valid reason.")));
          return NULL;
        }
      result->reason = g_strdup (reason);
      return g_steal_pointer (&result);
    }

  result->room_name = g_strdup (get_string_member (object, "roomName"));
  result->expires_at = parse_time (get_string_member (object, "expiresAt"));
  if (!atx_room_name_is_valid (result->room_name) || result->expires_at == NULL ||
      !get_boolean_member (object, "isModerator", &result->is_moderator))
    {
      g_propagate_error (error, bad_response_error (_("it lacks the room, role or expiry time.")));
      return NULL;
    }
  return g_steal_pointer (&result);
}

static void
finish_request (GTask *task)
{
  Request *request = g_task_get_task_data (task);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  guint status = soup_message_get_status (request->message);
  JsonNode *root;
  JsonObject *object;

  if (request->timer != NULL)
    g_source_destroy (request->timer);

  if (status != SOUP_STATUS_OK)
    {
      return_error (task, status_error (request, status));
      return;
    }

  if (request->body->len == 0 ||
      !json_parser_load_from_data (parser, (const char *) request->body->data,
                                   request->body->len, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      return_error (task, bad_response_error (_("it is not JSON.")));
      return;
    }
  object = json_node_get_object (root);

  switch (request->kind)
    {
    case KIND_GENERATE_TOKEN:
      {
        AtxTokenResult *result = check_generate_answer (request, object, &error);

        if (result == NULL)
          return_error (task, g_steal_pointer (&error));
        else
          g_task_return_pointer (task, result, (GDestroyNotify) atx_token_result_free);
      }
      break;

    case KIND_CREATE_ROOM:
      {
        AtxRoomResult *result = check_create_room_answer (request, object, &error);

        if (result == NULL)
          return_error (task, g_steal_pointer (&error));
        else
          g_task_return_pointer (task, result, (GDestroyNotify) atx_room_result_free);
      }
      break;

    case KIND_VALIDATE_TOKEN:
      {
        AtxTokenValidation *result = check_validate_answer (object, &error);

        if (result == NULL)
          return_error (task, g_steal_pointer (&error));
        else
          g_task_return_pointer (task, result, (GDestroyNotify) atx_token_validation_free);
      }
      break;

    case KIND_HEALTH:
      if (g_strcmp0 (get_string_member (object, "status"), "ok") != 0)
        return_error (task, bad_response_error (_("it does not report “ok”.")));
      else
        g_task_return_boolean (task, TRUE);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void read_next_chunk (GTask *task);

/* An error answer keeps its status (its `message` is then dropped); a
 * success answer that big is unusable. */
static void
return_body_too_big (GTask *task)
{
  Request *request = g_task_get_task_data (task);
  guint status = soup_message_get_status (request->message);

  if (status != SOUP_STATUS_OK)
    {
      g_clear_pointer (&request->body, g_byte_array_unref);
      return_error (task, status_error (request, status));
      return;
    }
  return_error (task, bad_response_error (_("it is larger than 64 KiB.")));
}

static void
on_chunk_read (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (chunk == NULL)
    {
      return_error (task, transport_error (request, error, TRUE));
      return;
    }

  if (g_bytes_get_size (chunk) == 0)
    {
      /* End of the body: the stream closes without anything left to skip. */
      g_input_stream_close (request->stream, NULL, NULL);
      finish_request (task);
      return;
    }

  g_byte_array_append (request->body, g_bytes_get_data (chunk, NULL), g_bytes_get_size (chunk));
  if (request->body->len > ATX_TOKEN_CLIENT_MAX_BODY)
    {
      return_body_too_big (task);
      return;
    }
  read_next_chunk (g_steal_pointer (&task));
}

static void
read_next_chunk (GTask *task)
{
  Request *request = g_task_get_task_data (task);

  /* One byte more than the cap is enough to know that the body is too big. */
  g_input_stream_read_bytes_async (request->stream,
                                   MIN (READ_CHUNK, ATX_TOKEN_CLIENT_MAX_BODY + 1 - request->body->len),
                                   G_PRIORITY_DEFAULT, request->internal,
                                   on_chunk_read, task);
}

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;

  request->stream = soup_session_send_finish ((SoupSession *) source, result, &error);
  if (request->stream == NULL)
    {
      return_error (task, transport_error (request, error, FALSE));
      return;
    }

  headers = soup_message_get_response_headers (request->message);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
      soup_message_headers_get_content_length (headers) > ATX_TOKEN_CLIENT_MAX_BODY)
    {
      return_body_too_big (task);
      return;
    }

  request->body = g_byte_array_new ();
  read_next_chunk (g_steal_pointer (&task));
}

/* The session, and libsoup with it, is made for the first request: the
 * client exists from the start, most starts never talk to the server. */
static gboolean
ensure_session (AtxTokenClient  *self,
                GError         **error)
{
  g_autofree char *user_agent = NULL;

  if (self->session != NULL)
    return TRUE;
  if (!atx_lazy_libsoup_load (error))
    return FALSE;

  user_agent = g_strdup_printf ("Ataraxia/%s ", PACKAGE_VERSION);
  self->session = soup_session_new_with_options ("timeout", self->timeout,
                                                 "user-agent", user_agent,
                                                 NULL);
  return TRUE;
}

/* Checks the configuration and, if it is usable, sends. @body: the JSON
 * request (NULL for GET). */
static void
start_request (AtxTokenClient *self,
               GTask          *task_in,
               const char     *method,
               const char     *path,
               JsonNode       *body,
               gboolean        needs_key)
{
  g_autoptr(GTask) task = task_in;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) url_error = NULL;
  g_autoptr(GError) session_error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *base = NULL;
  SoupMessageHeaders *headers;
  gsize len;

  if (self->base_url == NULL || *self->base_url == '\0')
    {
      return_error (task, g_error_new_literal (ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_NOT_CONFIGURED,
                                               _("No token server is set. Enter its address "
                                                 "in Preferences.")));
      return;
    }
  if (!atx_backend_url_validate (self->base_url, &url_error))
    {
      return_error (task, g_error_new_literal (ATX_TOKEN_ERROR,
                                               g_error_matches (url_error, ATX_SETTINGS_ERROR,
                                                                ATX_SETTINGS_ERROR_INSECURE_URL)
                                               ? ATX_TOKEN_ERROR_INSECURE_URL
                                               : ATX_TOKEN_ERROR_NOT_CONFIGURED,
                                               url_error->message));
      return;
    }
  if (needs_key && (self->api_key == NULL || *self->api_key == '\0'))
    {
      return_error (task, g_error_new_literal (ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_NOT_CONFIGURED,
                                               _("No API key is set for the token server. "
                                                 "Enter it in Preferences.")));
      return;
    }
  if (needs_key)
    {
      /* The key goes into a header line: visible ASCII only. */
      for (const char *p = self->api_key; *p; p++)
        if ((guchar) *p <= 0x20 || (guchar) *p >= 0x7f)
          {
            return_error (task, g_error_new_literal (ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_NOT_CONFIGURED,
                                                     _("The API key contains spaces or characters "
                                                       "that are not allowed. Check it in Preferences.")));
            return;
          }
    }

  base = g_strdup (self->base_url);
  len = strlen (base);
  while (len > 0 && base[len - 1] == '/')
    base[--len] = '\0';
  url = g_strconcat (base, path, NULL);

  if (!ensure_session (self, &session_error))
    {
      return_error (task, g_error_new_literal (ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_NETWORK,
                                               session_error->message));
      return;
    }

  request->message = soup_message_new (method, url);
  if (request->message == NULL)
    {
      return_error (task, g_error_new_literal (ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_NOT_CONFIGURED,
                                               _("The token server address is not a web address. "
                                                 "Enter it like https://tokens.example.org.")));
      return;
    }
  /* A redirect could carry the API key to another host: refuse them all. */
  soup_message_add_flags (request->message, SOUP_MESSAGE_NO_REDIRECT);

  headers = soup_message_get_request_headers (request->message);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (needs_key)
    {
      g_autofree char *authorization = g_strconcat ("Bearer ", self->api_key, NULL);
      soup_message_headers_replace (headers, "Authorization", authorization);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = NULL;
      gsize length = 0;
      char *text = json_to_string (body, FALSE);

      length = strlen (text);
      bytes = g_bytes_new_take (text, length);
      soup_message_set_request_body_from_bytes (request->message, "application/json", bytes);
    }

  request->timeout = self->timeout;
  request->internal = g_cancellable_new ();
  if (request->caller != NULL)
    request->caller_handler = g_cancellable_connect (request->caller,
                                                     G_CALLBACK (on_caller_cancelled),
                                                     g_object_ref (request->internal),
                                                     g_object_unref);
  request->timer = g_timeout_source_new_seconds (self->timeout);
  g_source_set_callback (request->timer, on_timeout, request, NULL);
  g_source_set_static_name (request->timer, "[atx-token-client] timeout");
  g_source_attach (request->timer, g_task_get_context (task));

  soup_session_send_async (self->session, request->message, G_PRIORITY_DEFAULT,
                           request->internal, on_sent, g_steal_pointer (&task));
}

static GTask *
new_task (AtxTokenClient      *self,
          RequestKind          kind,
          gpointer             source_tag,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Request *request = g_new0 (Request, 1);

  g_task_set_source_tag (task, source_tag);
  request->kind = kind;
  request->caller = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);
  return task;
}

static void
add_time_member (JsonBuilder *builder,
                 const char  *name,
                 GDateTime   *time)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *text = NULL;

  if (time == NULL)
    return;
  utc = g_date_time_to_utc (time);
  text = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, text);
}

static void
add_person_members (JsonBuilder *builder,
                    const char  *user_name,
                    const char  *user_email,
                    const char  *user_id,
                    gboolean     is_moderator)
{
  json_builder_set_member_name (builder, "userName");
  json_builder_add_string_value (builder, user_name != NULL ? user_name : "");
  json_builder_set_member_name (builder, "userEmail");
  json_builder_add_string_value (builder, user_email != NULL ? user_email : "");
  json_builder_set_member_name (builder, "userId");
  json_builder_add_string_value (builder, user_id != NULL ? user_id : "");
  json_builder_set_member_name (builder, "isModerator");
  json_builder_add_boolean_value (builder, is_moderator);
}

static gboolean
person_is_sendable (const char *user_name,
                    const char *user_email,
                    const char *user_id)
{
  return (user_name == NULL || g_utf8_validate (user_name, -1, NULL)) &&
         (user_email == NULL || g_utf8_validate (user_email, -1, NULL)) &&
         (user_id == NULL || g_utf8_validate (user_id, -1, NULL));
}

void
atx_token_client_generate_token_async (AtxTokenClient        *self,
                                       const AtxTokenRequest *token_request,
                                       GCancellable          *cancellable,
                                       GAsyncReadyCallback    callback,
                                       gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;
  Request *request;

  g_return_if_fail (ATX_IS_TOKEN_CLIENT (self));
  g_return_if_fail (token_request != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = new_task (self, KIND_GENERATE_TOKEN, atx_token_client_generate_token_async,
                   cancellable, callback, user_data);
  request = g_task_get_task_data (task);

  if (!atx_room_name_is_valid (token_request->room_name) ||
      !person_is_sendable (token_request->user_name, token_request->user_email,
                           token_request->user_id))
    {
      return_error (task, g_error_new_literal (ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_INVALID_REQUEST,
                                               _("The call room name or the therapist details "
                                                 "are not valid.")));
      return;
    }
  request->room_name = g_strdup (token_request->room_name);
  request->is_moderator = !!token_request->is_moderator;

  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "roomName");
  json_builder_add_string_value (builder, token_request->room_name);
  add_person_members (builder, token_request->user_name, token_request->user_email,
                      token_request->user_id, request->is_moderator);
  add_time_member (builder, "notBefore", token_request->not_before);
  add_time_member (builder, "expiresAt", token_request->expires_at);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  start_request (self, g_steal_pointer (&task), "POST",
                 "/api/jitsi/generate-token", body, TRUE);
}

AtxTokenResult *
atx_token_client_generate_token_finish (AtxTokenClient  *self,
                                        GAsyncResult    *result,
                                        GError         **error)
{
  g_return_val_if_fail (ATX_IS_TOKEN_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        atx_token_client_generate_token_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
atx_token_client_create_room_async (AtxTokenClient            *self,
                                    const char                *room_name,
                                    const AtxTokenParticipant *participants,
                                    guint                      n_participants,
                                    GDateTime                 *not_before,
                                    GDateTime                 *expires_at,
                                    GCancellable              *cancellable,
                                    GAsyncReadyCallback        callback,
                                    gpointer                   user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;
  Request *request;

  g_return_if_fail (ATX_IS_TOKEN_CLIENT (self));
  g_return_if_fail (participants != NULL || n_participants == 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = new_task (self, KIND_CREATE_ROOM, atx_token_client_create_room_async,
                   cancellable, callback, user_data);
  request = g_task_get_task_data (task);

  if (room_name != NULL && !atx_room_name_is_valid (room_name))
    {
      return_error (task, g_error_new_literal (ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_INVALID_REQUEST,
                                               _("The call room name or the therapist details "
                                                 "are not valid.")));
      return;
    }
  for (guint i = 0; i < n_participants; i++)
    if (!person_is_sendable (participants[i].user_name, participants[i].user_email,
                             participants[i].user_id))
      {
        return_error (task, g_error_new_literal (ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_INVALID_REQUEST,
                                                 _("The call room name or the therapist details "
                                                   "are not valid.")));
        return;
      }

  request->room_name = g_strdup (room_name);
  request->n_expected = n_participants;
  request->expected = g_new0 (ExpectedToken, MAX (n_participants, 1));

  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  if (room_name != NULL)
    {
      json_builder_set_member_name (builder, "roomName");
      json_builder_add_string_value (builder, room_name);
    }
  json_builder_set_member_name (builder, "participants");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_participants; i++)
    {
      request->expected[i].user_id = g_strdup (participants[i].user_id != NULL
                                               ? participants[i].user_id : "");
      request->expected[i].is_moderator = !!participants[i].is_moderator;
      json_builder_begin_object (builder);
      add_person_members (builder, participants[i].user_name, participants[i].user_email,
                          participants[i].user_id, request->expected[i].is_moderator);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  add_time_member (builder, "notBefore", not_before);
  add_time_member (builder, "expiresAt", expires_at);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  start_request (self, g_steal_pointer (&task), "POST",
                 "/api/jitsi/create-room", body, TRUE);
}

AtxRoomResult *
atx_token_client_create_room_finish (AtxTokenClient  *self,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  g_return_val_if_fail (ATX_IS_TOKEN_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        atx_token_client_create_room_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
atx_token_client_validate_token_async (AtxTokenClient      *self,
                                       const char          *token,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (ATX_IS_TOKEN_CLIENT (self));
  g_return_if_fail (token != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = new_task (self, KIND_VALIDATE_TOKEN, atx_token_client_validate_token_async,
                   cancellable, callback, user_data);

  if (!g_utf8_validate (token, -1, NULL))
    {
      return_error (task, g_error_new_literal (ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_INVALID_REQUEST,
                                               _("The token to check is not text.")));
      return;
    }

  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, token);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  start_request (self, g_steal_pointer (&task), "POST",
                 "/api/jitsi/validate-token", body, TRUE);
}

AtxTokenValidation *
atx_token_client_validate_token_finish (AtxTokenClient  *self,
                                        GAsyncResult    *result,
                                        GError         **error)
{
  g_return_val_if_fail (ATX_IS_TOKEN_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        atx_token_client_validate_token_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
atx_token_client_check_health_async (AtxTokenClient      *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (ATX_IS_TOKEN_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = new_task (self, KIND_HEALTH, atx_token_client_check_health_async,
                   cancellable, callback, user_data);
  start_request (self, task, "GET", "/healthz", NULL, FALSE);
}

gboolean
atx_token_client_check_health_finish (AtxTokenClient  *self,
                                      GAsyncResult    *result,
                                      GError         **error)
{
  g_return_val_if_fail (ATX_IS_TOKEN_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        atx_token_client_check_health_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- the object ---- */

const char *
atx_token_client_get_base_url (AtxTokenClient *self)
{
  g_return_val_if_fail (ATX_IS_TOKEN_CLIENT (self), NULL);
  return self->base_url;
}

void
atx_token_client_set_base_url (AtxTokenClient *self,
                               const char     *base_url)
{
  g_return_if_fail (ATX_IS_TOKEN_CLIENT (self));

  if (g_strcmp0 (self->base_url, base_url) == 0)
    return;
  g_free (self->base_url);
  self->base_url = g_strdup (base_url);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BASE_URL]);
}

void
atx_token_client_set_api_key (AtxTokenClient *self,
                              const char     *api_key)
{
  g_return_if_fail (ATX_IS_TOKEN_CLIENT (self));

  if (g_strcmp0 (self->api_key, api_key) == 0)
    return;
  g_clear_pointer (&self->api_key, g_free);
  self->api_key = g_strdup (api_key);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_API_KEY]);
}

guint
atx_token_client_get_timeout (AtxTokenClient *self)
{
  g_return_val_if_fail (ATX_IS_TOKEN_CLIENT (self), 0);
  return self->timeout;
}

void
atx_token_client_set_timeout (AtxTokenClient *self,
                              guint           seconds)
{
  g_return_if_fail (ATX_IS_TOKEN_CLIENT (self));
  g_return_if_fail (seconds > 0);

  if (self->timeout == seconds)
    return;
  self->timeout = seconds;
  if (self->session != NULL)
    g_object_set (self->session, "timeout", seconds, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

static void
atx_token_client_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  AtxTokenClient *self = ATX_TOKEN_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_API_KEY:
      g_value_set_string (value, self->api_key);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atx_token_client_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  AtxTokenClient *self = ATX_TOKEN_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      atx_token_client_set_base_url (self, g_value_get_string (value));
      break;
    case PROP_API_KEY:
      atx_token_client_set_api_key (self, g_value_get_string (value));
      break;
    case PROP_TIMEOUT:
      atx_token_client_set_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atx_token_client_dispose (GObject *object)
{
  AtxTokenClient *self = ATX_TOKEN_CLIENT (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (atx_token_client_parent_class)->dispose (object);
}

static void
atx_token_client_finalize (GObject *object)
{
  AtxTokenClient *self = ATX_TOKEN_CLIENT (object);

  g_clear_pointer (&self->base_url, g_free);
  if (self->api_key != NULL)
    memset (self->api_key, 0, strlen (self->api_key));
  g_clear_pointer (&self->api_key, g_free);

  G_OBJECT_CLASS (atx_token_client_parent_class)->finalize (object);
}

static void
atx_token_client_class_init (AtxTokenClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = atx_token_client_get_property;
  object_class->set_property = atx_token_client_set_property;
  object_class->dispose = atx_token_client_dispose;
  object_class->finalize = atx_token_client_finalize;

  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_API_KEY] =
    g_param_spec_string ("api-key", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 1, 600, ATX_TOKEN_CLIENT_DEFAULT_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
atx_token_client_init (AtxTokenClient *self)
{
  self->timeout = ATX_TOKEN_CLIENT_DEFAULT_TIMEOUT;
}

AtxTokenClient *
atx_token_client_new (const char *base_url,
                      const char *api_key)
{
  return g_object_new (ATX_TYPE_TOKEN_CLIENT,
                       "base-url", base_url,
                       "api-key", api_key,
                       NULL);
}

/* atx-call-host.c — the loopback browser call host.
 *
 * Every request goes through the early handler, which sees the method and
 * headers before any body is read: stopped → 404, Host → 403, capability
 * path → 404, Origin → 403, Content-Length → 413 (chunked bodies are
 * counted as they arrive). Only then does the normal handler route it:
 * the page, its two static files, the event sink and the command stream.
 * Each answer carries the same security headers; none carries CORS headers.
 */
#define G_LOG_DOMAIN "atx-call-host"

#include "config.h"

#include "atx-call-host.h"

#include <string.h>
#include "core/atx-body-limit.h"
#include "core/atx-random.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "core/atx-lazy-libsoup.h"

#include "core/atx-settings.h"

/* 24 bytes = 192 bits of capability, 48 lowercase hex characters. */
#define SECRET_BYTES 24
/* Commands kept while no browser listens (a tab reloading). */
#define MAX_PENDING_COMMANDS 32
/* How long an EventSource waits before reconnecting (well inside the grace). */
#define SSE_RETRY_MS 2000

G_DEFINE_QUARK (atx-call-host-error-quark, atx_call_host_error)

typedef enum {
  RESOURCE_NONE = 0,
  RESOURCE_PAGE,
  RESOURCE_SCRIPT,
  RESOURCE_STYLE,
  RESOURCE_EVENTS,
  RESOURCE_COMMANDS,
} Resource;

/* What the early handler decided about one request. */
typedef struct {
  Resource  resource;
} RequestInfo;

static GQuark request_info_quark;

struct _AtxCallHost {
  GObject          parent_instance;

  AtxCallSession  *session;
  gulong           command_handler;
  gulong           state_handler;

  SoupServer      *soup;
  guint            port;
  char            *secret;
  char            *url;
  char            *expected_host;    /* "127.0.0.1:PORT" */
  char            *expected_origin;  /* "http://127.0.0.1:PORT" */
  char            *csp;

  GBytes          *page;             /* rendered once; holds the JWT */
  GBytes          *script;
  GBytes          *style;

  GPtrArray       *streams;          /* SoupServerMessage*, open command streams */
  GQueue           pending;          /* char* SSE frames waiting for a stream */

  guint            ping_interval;
  guint            transport_grace;
  guint            close_delay;
  guint            ping_source;
  guint            grace_source;
  guint            close_source;

  gboolean         running;
  gboolean         connected;
  gboolean         ever_connected;
  gboolean         browser_closed;
};

G_DEFINE_FINAL_TYPE (AtxCallHost, atx_call_host, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_URL,
  PROP_PORT,
  PROP_CONNECTED,
  PROP_BROWSER_CLOSED,
  PROP_RUNNING,
  PROP_PING_INTERVAL,
  PROP_TRANSPORT_GRACE,
  PROP_CLOSE_DELAY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void restart_ping (AtxCallHost *self);
static void stream_finished_cb (SoupServerMessage *msg, gpointer user_data);

/* ---- small helpers ---- */

static char *
make_secret (void)
{
  static const char hex[] = "0123456789abcdef";
  guint8 bytes[SECRET_BYTES];
  char *secret = g_malloc (SECRET_BYTES * 2 + 1);

  atx_random_fill (bytes, sizeof bytes);
  for (gsize i = 0; i < SECRET_BYTES; i++)
    {
      secret[2 * i] = hex[bytes[i] >> 4];
      secret[2 * i + 1] = hex[bytes[i] & 0xf];
    }
  secret[SECRET_BYTES * 2] = '\0';
  explicit_bzero (bytes, sizeof bytes);
  return secret;
}

/* Compares @candidate (@candidate_len bytes, not NUL-terminated) with the
 * secret in time that depends only on the secret's length. */
static gboolean
secret_matches (const char *secret,
                const char *candidate,
                gsize       candidate_len)
{
  gsize secret_len = strlen (secret);
  guint diff = (guint) (candidate_len ^ secret_len);

  for (gsize i = 0; i < secret_len; i++)
    {
      guint8 c = i < candidate_len ? (guint8) candidate[i] : 0;

      diff |= (guint8) (c ^ (guint8) secret[i]);
    }
  return diff == 0;
}

/* Maps "/call/<secret>/<rest>" to a resource; RESOURCE_NONE for anything
 * else, including a wrong secret. */
static Resource
find_resource (AtxCallHost *self,
               const char  *path)
{
  static const struct { const char *name; Resource resource; } names[] = {
    { "", RESOURCE_PAGE },
    { "call.js", RESOURCE_SCRIPT },
    { "call.css", RESOURCE_STYLE },
    { "events", RESOURCE_EVENTS },
    { "commands", RESOURCE_COMMANDS },
  };
  const char *candidate;
  const char *slash;
  gboolean match;

  if (path == NULL || !g_str_has_prefix (path, "/call/"))
    return RESOURCE_NONE;
  candidate = path + strlen ("/call/");
  slash = strchr (candidate, '/');
  /* Compare whatever is there, even without a slash, so that the time
   * taken does not tell how a request's path was shaped. */
  match = secret_matches (self->secret, candidate,
                          slash ? (gsize) (slash - candidate) : strlen (candidate));
  if (!match || slash == NULL)
    return RESOURCE_NONE;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (strcmp (slash + 1, names[i].name) == 0)
      return names[i].resource;
  return RESOURCE_NONE;
}

static void
add_security_headers (AtxCallHost       *self,
                      SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (headers, "Content-Security-Policy", self->csp);
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "X-Frame-Options", "DENY");
  soup_message_headers_replace (headers, "Cross-Origin-Resource-Policy", "same-origin");
}

static void
respond_text (AtxCallHost       *self,
              SoupServerMessage *msg,
              guint              status,
              const char        *text)
{
  add_security_headers (self, msg);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/plain; charset=utf-8", SOUP_MEMORY_STATIC,
                                    text, strlen (text));
}

static void
respond_status (AtxCallHost       *self,
                SoupServerMessage *msg,
                guint              status)
{
  const char *phrase = soup_status_get_phrase (status);

  respond_text (self, msg, status, phrase ? phrase : "Error");
}

static RequestInfo *
get_request_info (SoupServerMessage *msg)
{
  return g_object_get_qdata (G_OBJECT (msg), request_info_quark);
}

/* ---- the early handler: method and headers, before any body ---- */

/* Answers @status from the early handler. libsoup still reads a request
 * body (unless the client sent Expect: 100-continue): discard it rather than
 * keep it, whatever its size, and close the connection afterwards. */
static void
refuse (AtxCallHost       *self,
        SoupServerMessage *msg,
        guint              status)
{
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
  respond_status (self, msg, status);
}

static void
request_started_cb (SoupServer        *soup,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  /* Even answers libsoup makes by itself (a malformed request) get them. */
  add_security_headers (user_data, msg);
}

static void
early_handler (SoupServer        *soup,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  AtxCallHost *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *method = soup_server_message_get_method (msg);
  const char *host;
  const char *origin;
  RequestInfo *info = g_new0 (RequestInfo, 1);

  g_object_set_qdata_full (G_OBJECT (msg), request_info_quark, info, g_free);
  add_security_headers (self, msg);

  if (!self->running)
    {
      refuse (self, msg, SOUP_STATUS_NOT_FOUND);
      return;
    }

  /* DNS rebinding: a page of another site whose name now resolves to
   * 127.0.0.1 sends its own name here. */
  host = soup_message_headers_get_one (headers, "Host");
  if (host == NULL || strcmp (host, self->expected_host) != 0)
    {
      g_debug ("refused a %s request: wrong Host", method);
      refuse (self, msg, SOUP_STATUS_FORBIDDEN);
      return;
    }

  info->resource = find_resource (self, path);
  if (info->resource == RESOURCE_NONE)
    {
      refuse (self, msg, SOUP_STATUS_NOT_FOUND);
      return;
    }

  /* Browsers send no Origin on a top-level GET or a same-origin
   * EventSource, but always on a POST. */
  origin = soup_message_headers_get_one (headers, "Origin");
  if ((origin == NULL && strcmp (method, "POST") == 0) ||
      (origin != NULL && strcmp (origin, self->expected_origin) != 0))
    {
      g_debug ("refused a %s request: wrong or missing Origin", method);
      refuse (self, msg, SOUP_STATUS_FORBIDDEN);
      return;
    }

  if (!atx_body_limit_watch (msg, ATX_CALL_HOST_MAX_BODY))
    refuse (self, msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
}

/* ---- the command stream (Server-Sent Events) ---- */

static void
stream_write (SoupServerMessage *msg,
              const char        *frame)
{
  soup_message_body_append (soup_server_message_get_response_body (msg),
                            SOUP_MEMORY_COPY, frame, strlen (frame));
  soup_server_message_unpause (msg);
}

/* A snapshot holding its own references. */
static GPtrArray *
copy_streams (AtxCallHost *self)
{
  GPtrArray *copy = g_ptr_array_new_full (self->streams->len, g_object_unref);

  for (guint i = 0; i < self->streams->len; i++)
    g_ptr_array_add (copy, g_object_ref (self->streams->pdata[i]));
  return copy;
}

static void
broadcast (AtxCallHost *self,
           const char  *frame)
{
  /* A write may finish a dead stream at once and shrink the array. */
  g_autoptr(GPtrArray) streams = copy_streams (self);

  for (guint i = 0; i < streams->len; i++)
    if (g_ptr_array_find (self->streams, streams->pdata[i], NULL))
      stream_write (streams->pdata[i], frame);
}

static void
set_connected (AtxCallHost *self,
               gboolean     connected)
{
  if (self->connected == connected)
    return;
  self->connected = connected;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
}

static gboolean
grace_expired_cb (gpointer user_data)
{
  AtxCallHost *self = user_data;
  AtxCallState state;

  self->grace_source = 0;
  if (!self->running || self->streams->len > 0)
    return G_SOURCE_REMOVE;

  state = atx_call_session_get_state (self->session);
  if (state == ATX_CALL_STATE_ENDED || state == ATX_CALL_STATE_FAILED)
    return G_SOURCE_REMOVE;

  g_debug ("no command stream for %u ms: the browser is gone", self->transport_grace);
  self->browser_closed = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BROWSER_CLOSED]);
  /* Ends the session, whose state change stops this host. */
  atx_call_session_transport_lost (self->session);
  return G_SOURCE_REMOVE;
}

static void
remove_stream (AtxCallHost       *self,
               SoupServerMessage *msg)
{
  g_signal_handlers_disconnect_by_func (msg, stream_finished_cb, self);
  g_ptr_array_remove (self->streams, msg);

  if (self->streams->len > 0)
    return;
  set_connected (self, FALSE);
  if (self->running && self->ever_connected && self->grace_source == 0)
    self->grace_source = g_timeout_add (self->transport_grace, grace_expired_cb, self);
}

static void
stream_finished_cb (SoupServerMessage *msg,
                    gpointer           user_data)
{
  g_debug ("a command stream closed");
  remove_stream (user_data, msg);
}

static void
open_stream (AtxCallHost       *self,
             SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autofree char *retry = g_strdup_printf ("retry: %u\n\n", SSE_RETRY_MS);
  char *frame;

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_replace (headers, "Content-Type", "text/event-stream; charset=utf-8");
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_CHUNKED);
  soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
  soup_message_body_append (soup_server_message_get_response_body (msg),
                            SOUP_MEMORY_COPY, retry, strlen (retry));

  /* Commands that came while no browser listened go first. */
  while ((frame = g_queue_pop_head (&self->pending)) != NULL)
    {
      soup_message_body_append (soup_server_message_get_response_body (msg),
                                SOUP_MEMORY_TAKE, frame, strlen (frame));
    }

  g_ptr_array_add (self->streams, g_object_ref (msg));
  g_signal_connect (msg, "finished", G_CALLBACK (stream_finished_cb), self);
  g_clear_handle_id (&self->grace_source, g_source_remove);
  self->ever_connected = TRUE;
  set_connected (self, TRUE);
  g_debug ("a command stream opened (%u open)", self->streams->len);
}

static void
end_streams (AtxCallHost *self)
{
  g_autoptr(GPtrArray) streams = copy_streams (self);

  for (guint i = 0; i < streams->len; i++)
    {
      SoupServerMessage *msg = streams->pdata[i];

      remove_stream (self, msg);
      soup_message_body_complete (soup_server_message_get_response_body (msg));
      soup_server_message_unpause (msg);
    }
}

static gboolean
ping_cb (gpointer user_data)
{
  AtxCallHost *self = user_data;

  /* A dead browser is noticed only when a write fails. */
  if (self->streams->len > 0)
    broadcast (self, ": ping\n\n");
  return G_SOURCE_CONTINUE;
}

static void
restart_ping (AtxCallHost *self)
{
  g_clear_handle_id (&self->ping_source, g_source_remove);
  if (self->running)
    self->ping_source = g_timeout_add (self->ping_interval, ping_cb, self);
}

static void
session_command_cb (AtxCallSession *session,
                    const char     *json,
                    gpointer        user_data)
{
  AtxCallHost *self = user_data;
  g_autoptr(GString) frame = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;

  if (!self->running || json == NULL)
    return;

  /* One "data:" line per line of the payload (json-glib writes one). */
  lines = g_strsplit_set (json, "\r\n", -1);
  for (guint i = 0; lines[i]; i++)
    if (lines[i][0] != '\0')
      g_string_append_printf (frame, "data: %s\n", lines[i]);
  g_string_append_c (frame, '\n');

  if (self->streams->len > 0)
    {
      broadcast (self, frame->str);
      return;
    }
  if (g_queue_get_length (&self->pending) >= MAX_PENDING_COMMANDS)
    g_free (g_queue_pop_head (&self->pending));
  g_queue_push_tail (&self->pending, g_string_free (g_steal_pointer (&frame), FALSE));
}

static void
session_state_cb (AtxCallSession *session,
                  GParamSpec     *pspec,
                  gpointer        user_data)
{
  if (atx_call_session_get_state (session) == ATX_CALL_STATE_ENDED)
    atx_call_host_stop (user_data);
}

/* ---- the normal handler ---- */

static void
serve_bytes (AtxCallHost       *self,
             SoupServerMessage *msg,
             const char        *content_type,
             GBytes            *bytes)
{
  gsize len;
  gconstpointer data = g_bytes_get_data (bytes, &len);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, data, len);
}

static void
handle_event (AtxCallHost       *self,
              SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(AtxBridgeMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  message = atx_bridge_message_parse_json (data ? data : "", (gssize) len, &error);
  if (message == NULL)
    {
      /* Never the body: it may carry names of people in the call. */
      g_debug ("refused an event message of %" G_GSIZE_FORMAT " bytes (bridge error %d)",
               len, error ? error->code : -1);
      respond_status (self, msg, SOUP_STATUS_BAD_REQUEST);
      return;
    }

  /* Keep the host alive: the message may end the session, which stops it. */
  g_object_ref (self);
  atx_call_session_handle_message (self->session, message);
  soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
  g_object_unref (self);
}

static void
respond_method_not_allowed (AtxCallHost       *self,
                            SoupServerMessage *msg,
                            const char        *allow)
{
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allow);
  respond_status (self, msg, SOUP_STATUS_METHOD_NOT_ALLOWED);
}

static void
server_handler (SoupServer        *soup,
                SoupServerMessage *msg,
                const char        *path,
                GHashTable        *query,
                gpointer           user_data)
{
  AtxCallHost *self = user_data;
  RequestInfo *info = get_request_info (msg);
  const char *method = soup_server_message_get_method (msg);
  gboolean is_get = strcmp (method, "GET") == 0 || strcmp (method, "HEAD") == 0;

  add_security_headers (self, msg);

  /* The early handler refuses these; this is the safety net. */
  if (info == NULL || !self->running || info->resource == RESOURCE_NONE)
    {
      respond_status (self, msg, SOUP_STATUS_NOT_FOUND);
      return;
    }

  if (atx_body_limit_exceeded (msg))
    {
      respond_status (self, msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE);
      return;
    }

  switch (info->resource)
    {
    case RESOURCE_PAGE:
    case RESOURCE_SCRIPT:
    case RESOURCE_STYLE:
      if (!is_get)
        respond_method_not_allowed (self, msg, "GET, HEAD");
      else if (info->resource == RESOURCE_PAGE)
        serve_bytes (self, msg, "text/html; charset=utf-8", self->page);
      else if (info->resource == RESOURCE_SCRIPT)
        serve_bytes (self, msg, "text/javascript; charset=utf-8", self->script);
      else
        serve_bytes (self, msg, "text/css; charset=utf-8", self->style);
      break;

    case RESOURCE_EVENTS:
      if (strcmp (method, "POST") != 0)
        respond_method_not_allowed (self, msg, "POST");
      else
        handle_event (self, msg);
      break;

    case RESOURCE_COMMANDS:
      if (strcmp (method, "GET") != 0)
        respond_method_not_allowed (self, msg, "GET");
      else
        open_stream (self, msg);
      break;

    case RESOURCE_NONE:
    default:
      g_assert_not_reached ();
    }
}

/* ---- construction ---- */

static char *
build_csp (const char *jitsi_domain)
{
  const char *scheme = atx_jitsi_domain_get_scheme (jitsi_domain);
  g_autofree char *jitsi = g_strdup_printf ("%s://%s", scheme, jitsi_domain);
  g_autofree char *frames = NULL;

  /* The real External API always frames https://<domain>; a loopback test
   * server is reached over http. */
  if (strcmp (scheme, "https") == 0)
    frames = g_strdup (jitsi);
  else
    frames = g_strdup_printf ("%s https://%s", jitsi, jitsi_domain);

  return g_strdup_printf ("default-src 'none'; script-src 'self' %s; frame-src %s; "
                          "connect-src 'self' %s; style-src 'self'; img-src 'self' data:; "
                          "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
                          jitsi, frames, jitsi);
}

static GBytes *
load_resource (const char  *name,
               GError     **error)
{
  g_autofree char *path = g_strconcat ("/org/ataraxia/Calendar/call/", name, NULL);

  return g_resources_lookup_data (path, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
}

AtxCallHost *
atx_call_host_new (AtxCallSession          *session,
                   const AtxCallPageConfig *page_config,
                   const char              *jitsi_domain,
                   GError                 **error)
{
  g_autoptr(AtxCallHost) self = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoslist(GUri) uris = NULL;
  g_autofree char *events_url = NULL;
  g_autofree char *commands_url = NULL;
  AtxCallPageConfig config;

  g_return_val_if_fail (ATX_IS_CALL_SESSION (session), NULL);
  g_return_val_if_fail (page_config != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (jitsi_domain == NULL || !atx_jitsi_domain_parse (jitsi_domain, NULL, NULL, NULL))
    {
      g_set_error (error, ATX_CALL_HOST_ERROR, ATX_CALL_HOST_ERROR_DOMAIN,
                   _("The Jitsi server “%s” is not a valid host name"), jitsi_domain ? jitsi_domain : "");
      return NULL;
    }

  if (!atx_lazy_libsoup_load (&local_error))
    {
      g_set_error (error, ATX_CALL_HOST_ERROR, ATX_CALL_HOST_ERROR_LISTEN,
                   _("Could not open a local port for the browser call: %s"), local_error->message);
      return NULL;
    }

  self = g_object_new (ATX_TYPE_CALL_HOST, "session", session, NULL);
  self->secret = make_secret ();
  self->csp = build_csp (jitsi_domain);

  events_url = g_strdup_printf ("/call/%s/events", self->secret);
  commands_url = g_strdup_printf ("/call/%s/commands", self->secret);
  config = *page_config;
  config.transport = "http";
  config.events_url = events_url;
  config.commands_url = commands_url;
  config.skip_webrtc_check = FALSE;
  self->page = atx_call_page_render (&config, &local_error);
  if (self->page == NULL)
    {
      g_set_error (error, ATX_CALL_HOST_ERROR, ATX_CALL_HOST_ERROR_PAGE,
                   _("The call page could not be prepared: %s"), local_error->message);
      return NULL;
    }
  self->script = load_resource ("call.js", &local_error);
  if (self->script != NULL)
    self->style = load_resource ("call.css", &local_error);
  if (self->style == NULL)
    {
      g_set_error (error, ATX_CALL_HOST_ERROR, ATX_CALL_HOST_ERROR_PAGE,
                   _("The call page is missing from this build: %s"), local_error->message);
      return NULL;
    }

  self->soup = soup_server_new ("server-header", NULL, NULL);
  soup_server_add_early_handler (self->soup, NULL, early_handler, self, NULL);
  soup_server_add_handler (self->soup, NULL, server_handler, self, NULL);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (request_started_cb), self);

  if (!soup_server_listen_local (self->soup, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &local_error))
    {
      g_set_error (error, ATX_CALL_HOST_ERROR, ATX_CALL_HOST_ERROR_LISTEN,
                   _("Could not open a local port for the browser call: %s"), local_error->message);
      return NULL;
    }
  uris = soup_server_get_uris (self->soup);
  if (uris == NULL || g_uri_get_port (uris->data) <= 0)
    {
      g_set_error_literal (error, ATX_CALL_HOST_ERROR, ATX_CALL_HOST_ERROR_LISTEN,
                           _("Could not open a local port for the browser call"));
      return NULL;
    }
  self->port = (guint) g_uri_get_port (uris->data);
  self->expected_host = g_strdup_printf ("127.0.0.1:%u", self->port);
  self->expected_origin = g_strdup_printf ("http://127.0.0.1:%u", self->port);
  self->url = g_strdup_printf ("http://127.0.0.1:%u/call/%s/", self->port, self->secret);
  self->running = TRUE;

  self->command_handler = g_signal_connect (session, "command",
                                            G_CALLBACK (session_command_cb), self);
  self->state_handler = g_signal_connect (session, "notify::state",
                                          G_CALLBACK (session_state_cb), self);
  restart_ping (self);
  g_debug ("listening on 127.0.0.1:%u", self->port);

  return g_steal_pointer (&self);
}

/* ---- stopping ---- */

static void
disconnect_server (AtxCallHost *self)
{
  g_clear_handle_id (&self->close_source, g_source_remove);
  if (self->soup != NULL)
    {
      soup_server_disconnect (self->soup);
      g_debug ("port %u closed", self->port);
    }
  g_clear_object (&self->soup);
}

static gboolean
close_cb (gpointer user_data)
{
  AtxCallHost *self = user_data;

  self->close_source = 0;
  disconnect_server (self);
  return G_SOURCE_REMOVE;
}

void
atx_call_host_stop (AtxCallHost *self)
{
  g_return_if_fail (ATX_IS_CALL_HOST (self));

  if (!self->running)
    return;
  self->running = FALSE;
  g_clear_handle_id (&self->ping_source, g_source_remove);
  g_clear_handle_id (&self->grace_source, g_source_remove);
  g_queue_clear_full (&self->pending, g_free);
  end_streams (self);
  if (self->soup != NULL)
    self->close_source = g_timeout_add (self->close_delay, close_cb, self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

/* ---- opening the browser ---- */

static void
launch_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    g_task_return_new_error (task, ATX_CALL_HOST_ERROR, ATX_CALL_HOST_ERROR_LAUNCH,
                             _("The web browser could not be opened: %s"), error->message);
  else
    g_task_return_boolean (task, TRUE);
}

void
atx_call_host_open_in_browser_async (AtxCallHost         *self,
                                     GAppLaunchContext   *context,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ATX_IS_CALL_HOST (self));
  g_return_if_fail (context == NULL || G_IS_APP_LAUNCH_CONTEXT (context));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, atx_call_host_open_in_browser_async);
  if (!self->running)
    {
      g_task_return_new_error (task, ATX_CALL_HOST_ERROR, ATX_CALL_HOST_ERROR_LAUNCH,
                               _("The call has ended"));
      return;
    }
  g_app_info_launch_default_for_uri_async (self->url, context, cancellable,
                                           launch_cb, g_steal_pointer (&task));
}

gboolean
atx_call_host_open_in_browser_finish (AtxCallHost   *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == atx_call_host_open_in_browser_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- accessors ---- */

const char *
atx_call_host_get_url (AtxCallHost *self)
{
  g_return_val_if_fail (ATX_IS_CALL_HOST (self), NULL);
  return self->url;
}

guint
atx_call_host_get_port (AtxCallHost *self)
{
  g_return_val_if_fail (ATX_IS_CALL_HOST (self), 0);
  return self->port;
}

AtxCallSession *
atx_call_host_get_session (AtxCallHost *self)
{
  g_return_val_if_fail (ATX_IS_CALL_HOST (self), NULL);
  return self->session;
}

gboolean
atx_call_host_get_connected (AtxCallHost *self)
{
  g_return_val_if_fail (ATX_IS_CALL_HOST (self), FALSE);
  return self->connected;
}

gboolean
atx_call_host_get_browser_closed (AtxCallHost *self)
{
  g_return_val_if_fail (ATX_IS_CALL_HOST (self), FALSE);
  return self->browser_closed;
}

gboolean
atx_call_host_get_running (AtxCallHost *self)
{
  g_return_val_if_fail (ATX_IS_CALL_HOST (self), FALSE);
  return self->running;
}

/* ---- GObject ---- */

static void
atx_call_host_dispose (GObject *object)
{
  AtxCallHost *self = ATX_CALL_HOST (object);

  if (self->session != NULL)
    {
      g_clear_signal_handler (&self->command_handler, self->session);
      g_clear_signal_handler (&self->state_handler, self->session);
    }
  self->running = FALSE;
  g_clear_handle_id (&self->ping_source, g_source_remove);
  g_clear_handle_id (&self->grace_source, g_source_remove);
  end_streams (self);
  disconnect_server (self);
  g_queue_clear_full (&self->pending, g_free);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (atx_call_host_parent_class)->dispose (object);
}

static void
atx_call_host_finalize (GObject *object)
{
  AtxCallHost *self = ATX_CALL_HOST (object);

  g_ptr_array_unref (self->streams);
  if (self->secret != NULL)
    explicit_bzero (self->secret, strlen (self->secret));
  g_free (self->secret);
  g_free (self->url);
  g_free (self->expected_host);
  g_free (self->expected_origin);
  g_free (self->csp);
  g_clear_pointer (&self->page, g_bytes_unref);
  g_clear_pointer (&self->script, g_bytes_unref);
  g_clear_pointer (&self->style, g_bytes_unref);

  G_OBJECT_CLASS (atx_call_host_parent_class)->finalize (object);
}

static void
atx_call_host_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  AtxCallHost *self = ATX_CALL_HOST (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_CONNECTED:
      g_value_set_boolean (value, self->connected);
      break;
    case PROP_BROWSER_CLOSED:
      g_value_set_boolean (value, self->browser_closed);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_PING_INTERVAL:
      g_value_set_uint (value, self->ping_interval);
      break;
    case PROP_TRANSPORT_GRACE:
      g_value_set_uint (value, self->transport_grace);
      break;
    case PROP_CLOSE_DELAY:
      g_value_set_uint (value, self->close_delay);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atx_call_host_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  AtxCallHost *self = ATX_CALL_HOST (object);
  guint ms;

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;
    case PROP_PING_INTERVAL:
      ms = g_value_get_uint (value);
      if (ms != self->ping_interval)
        {
          self->ping_interval = ms;
          if (self->ping_source != 0)
            restart_ping (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_TRANSPORT_GRACE:
      ms = g_value_get_uint (value);
      if (ms != self->transport_grace)
        {
          self->transport_grace = ms;
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_CLOSE_DELAY:
      ms = g_value_get_uint (value);
      if (ms != self->close_delay)
        {
          self->close_delay = ms;
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atx_call_host_class_init (AtxCallHostClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = atx_call_host_dispose;
  object_class->finalize = atx_call_host_finalize;
  object_class->get_property = atx_call_host_get_property;
  object_class->set_property = atx_call_host_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL, ATX_TYPE_CALL_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_URL] = g_param_spec_string ("url", NULL, NULL, NULL, ro);
  properties[PROP_PORT] = g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT16, 0, ro);
  properties[PROP_CONNECTED] = g_param_spec_boolean ("connected", NULL, NULL, FALSE, ro);
  properties[PROP_BROWSER_CLOSED] = g_param_spec_boolean ("browser-closed", NULL, NULL, FALSE, ro);
  properties[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE, ro);
  properties[PROP_PING_INTERVAL] =
    g_param_spec_uint ("ping-interval", NULL, NULL, 10, 5000,
                       ATX_CALL_HOST_DEFAULT_PING_INTERVAL, rw);
  properties[PROP_TRANSPORT_GRACE] =
    g_param_spec_uint ("transport-grace", NULL, NULL, 10, G_MAXUINT,
                       ATX_CALL_HOST_DEFAULT_TRANSPORT_GRACE, rw);
  properties[PROP_CLOSE_DELAY] =
    g_param_spec_uint ("close-delay", NULL, NULL, 0, G_MAXUINT,
                       ATX_CALL_HOST_DEFAULT_CLOSE_DELAY, rw);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  request_info_quark = g_quark_from_static_string ("atx-call-host-request-info");
}

static void
atx_call_host_init (AtxCallHost *self)
{
  self->streams = g_ptr_array_new_with_free_func (g_object_unref);
  g_queue_init (&self->pending);
  self->ping_interval = ATX_CALL_HOST_DEFAULT_PING_INTERVAL;
  self->transport_grace = ATX_CALL_HOST_DEFAULT_TRANSPORT_GRACE;
  self->close_delay = ATX_CALL_HOST_DEFAULT_CLOSE_DELAY;
}

/* atx-token-server.c — SoupServer front of the token backend.
 *
 * Every request goes: route (404) → CORS preflight → method (405) → API key
 * (401) → rate limit (429) → body size (413, checked on the headers already
 * by an early handler) → JSON → AtxTokenService. Each answer is logged on
 * stderr with the key's short name, never with a token or personal data.
 */
#define G_LOG_DOMAIN "atx-token-server"

#include "config.h"

#include "atx-token-server.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "atx-connection-stream.h"
#include "core/atx-body-limit.h"
#include "atx-token-service.h"

typedef enum {
  ROUTE_NONE = -1,
  ROUTE_GENERATE_TOKEN,
  ROUTE_CREATE_ROOM,
  ROUTE_VALIDATE_TOKEN,
  ROUTE_HEALTHZ,
} Route;

static const struct {
  const char *path;
  const char *method; /* the one method it answers (HEAD too for GET) */
  const char *allow;
} routes[] = {
  [ROUTE_GENERATE_TOKEN] = { "/api/jitsi/generate-token", "POST", "POST, OPTIONS" },
  [ROUTE_CREATE_ROOM] = { "/api/jitsi/create-room", "POST", "POST, OPTIONS" },
  [ROUTE_VALIDATE_TOKEN] = { "/api/jitsi/validate-token", "POST", "POST, OPTIONS" },
  [ROUTE_HEALTHZ] = { "/healthz", "GET", "GET, HEAD, OPTIONS" },
};

/* What the early handler learns about a request, kept until it is logged. */
typedef struct {
  gint64  started;      /* monotonic usec when the headers were in */
  Route   route;
  char    key_name[9];  /* "" until a key is recognised */
} RequestInfo;

static GQuark request_info_quark;

struct _AtxTokenServer {
  GObject           parent_instance;

  AtxServerConfig  *config;
  AtxTokenService  *service;
  AtxApiKeys       *api_keys;
  SoupServer       *soup;
  GSocket          *listen_socket; /* accepted here, served by soup: see accept_cb */
  GSocketAddress   *bound_address;
  GSource          *accept_source;
  GSocket          *keep_alive_peer;
  GTlsCertificate  *certificate;
  JsonParser       *parser; /* reused: requests are handled one at a time */

  /* Access-log timestamp, formatted once per second. */
  time_t            log_second;
  char              log_stamp[32];
};

G_DEFINE_FINAL_TYPE (AtxTokenServer, atx_token_server, G_TYPE_OBJECT)

static void stop_accepting (AtxTokenServer *self);

static void
atx_token_server_dispose (GObject *object)
{
  AtxTokenServer *self = ATX_TOKEN_SERVER (object);

  stop_accepting (self);
  if (self->soup)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  g_clear_object (&self->certificate);
  g_clear_object (&self->parser);
  g_clear_object (&self->service);
  g_clear_object (&self->api_keys);
  g_clear_object (&self->config);

  G_OBJECT_CLASS (atx_token_server_parent_class)->dispose (object);
}

static void
atx_token_server_class_init (AtxTokenServerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = atx_token_server_dispose;
  request_info_quark = g_quark_from_static_string ("atx-token-server-request-info");
}

static void
atx_token_server_init (AtxTokenServer *self)
{
}

/* ---- helpers ---- */

static Route
find_route (const char *path)
{
  if (path == NULL)
    return ROUTE_NONE;
  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    if (strcmp (path, routes[i].path) == 0)
      return (Route) i;
  return ROUTE_NONE;
}

static RequestInfo *
get_request_info (SoupServerMessage *msg)
{
  return g_object_get_qdata (G_OBJECT (msg), request_info_quark);
}

static void
set_json_response (SoupServerMessage *msg,
                   guint              status,
                   char              *json)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  /* libsoup 3.2 has no phrase for 429. */
  soup_server_message_set_status (msg, status, status == 429 ? "Too Many Requests" : NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_TAKE,
                                    json, strlen (json));
}

static void
respond_error (SoupServerMessage *msg,
               guint              status,
               const char        *code,
               const char        *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  set_json_response (msg, status, json_to_string (root, FALSE));
}

static void
respond_too_large (SoupServerMessage *msg)
{
  respond_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large",
                 "The request body is larger than 16 KiB");
}

static const char *
allowed_origin (AtxTokenServer    *self,
                SoupServerMessage *msg)
{
  const char * const *origins = atx_server_config_get_cors_origins (self->config);
  const char *origin;

  if (origins[0] == NULL)
    return NULL;
  origin = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Origin");
  if (origin == NULL)
    return NULL;
  for (guint i = 0; origins[i]; i++)
    if (strcmp (origin, origins[i]) == 0)
      return origins[i];
  return NULL;
}

static void
add_cors_headers (AtxTokenServer    *self,
                  SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  const char *origin;

  if (atx_server_config_get_cors_origins (self->config)[0] == NULL)
    return;
  /* The answer depends on Origin whenever CORS is on, allowed or not. */
  soup_message_headers_append (headers, "Vary", "Origin");
  origin = allowed_origin (self, msg);
  if (origin != NULL)
    soup_message_headers_replace (headers, "Access-Control-Allow-Origin", origin);
}

static void
respond_preflight (AtxTokenServer    *self,
                   SoupServerMessage *msg,
                   Route              route)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_replace (headers, "Allow", routes[route].allow);
  if (allowed_origin (self, msg) != NULL)
    {
      soup_message_headers_replace (headers, "Access-Control-Allow-Methods", routes[route].allow);
      soup_message_headers_replace (headers, "Access-Control-Allow-Headers", "Authorization, Content-Type");
      soup_message_headers_replace (headers, "Access-Control-Max-Age", "600");
    }
  soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
}

static AtxApiKey *
authenticate (AtxTokenServer    *self,
              SoupServerMessage *msg)
{
  const char *value;

  value = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                        "Authorization");
  if (value == NULL || g_ascii_strncasecmp (value, "Bearer ", 7) != 0)
    return NULL;
  value += 7;
  while (*value == ' ')
    value++;
  return atx_api_keys_authenticate (self->api_keys, value);
}

/* ---- request processing ---- */

static void
early_handler (SoupServer        *soup,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  RequestInfo *info = g_new0 (RequestInfo, 1);

  info->started = g_get_monotonic_time ();
  info->route = find_route (path);
  g_object_set_qdata_full (G_OBJECT (msg), request_info_quark, info, g_free);

  if (!atx_body_limit_watch (msg, ATX_TOKEN_SERVER_MAX_BODY))
    {
      if (info->route != ROUTE_NONE)
        add_cors_headers (user_data, msg);
      respond_too_large (msg);
    }
}

static JsonNode *
parse_body (AtxTokenServer    *self,
            SoupServerMessage *msg,
            GError           **error)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  if (data == NULL || len == 0 || !g_utf8_validate_len (data, len, NULL) ||
      !json_parser_load_from_data (self->parser, data, (gssize) len, NULL) ||
      json_parser_get_root (self->parser) == NULL)
    {
      g_set_error_literal (error, ATX_TOKEN_SERVICE_ERROR, ATX_TOKEN_SERVICE_ERROR_INVALID_JSON,
                           "The request body is not valid JSON");
      return NULL;
    }
  return json_node_ref (json_parser_get_root (self->parser));
}

static void
handle_api (AtxTokenServer    *self,
            SoupServerMessage *msg,
            Route              route,
            AtxApiRole         role)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(JsonNode) answer = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  request = parse_body (self, msg, &error);
  if (request != NULL)
    {
      switch (route)
        {
        case ROUTE_GENERATE_TOKEN:
          answer = atx_token_service_generate_token (self->service, request, role, now, &error);
          break;
        case ROUTE_CREATE_ROOM:
          answer = atx_token_service_create_room (self->service, request, role, now, &error);
          break;
        case ROUTE_VALIDATE_TOKEN:
          answer = atx_token_service_validate_token (self->service, request, now, &error);
          break;
        case ROUTE_HEALTHZ:
        case ROUTE_NONE:
        default:
          g_assert_not_reached ();
        }
    }

  if (answer == NULL)
    {
      g_assert (error != NULL && error->domain == ATX_TOKEN_SERVICE_ERROR);
      respond_error (msg, atx_token_service_error_to_status (error->code),
                     atx_token_service_error_to_code (error->code), error->message);
      return;
    }
  set_json_response (msg, SOUP_STATUS_OK, json_to_string (answer, FALSE));
}

static void
handler (SoupServer        *soup,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  AtxTokenServer *self = user_data;
  RequestInfo *info = get_request_info (msg);
  const char *method = soup_server_message_get_method (msg);
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  Route route = info ? info->route : find_route (path);
  AtxApiKey *key;
  guint retry_after = 1;

  if (route == ROUTE_NONE)
    {
      respond_error (msg, SOUP_STATUS_NOT_FOUND, "not-found", "There is nothing at this path");
      return;
    }

  add_cors_headers (self, msg);

  if (strcmp (method, "OPTIONS") == 0)
    {
      respond_preflight (self, msg, route);
      return;
    }
  if (strcmp (method, routes[route].method) != 0 &&
      !(route == ROUTE_HEALTHZ && strcmp (method, "HEAD") == 0))
    {
      soup_message_headers_replace (response_headers, "Allow", routes[route].allow);
      respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed",
                     "This path does not answer this method");
      return;
    }

  if (route == ROUTE_HEALTHZ)
    {
      set_json_response (msg, SOUP_STATUS_OK, g_strdup ("{\"status\":\"ok\"}"));
      return;
    }

  key = authenticate (self, msg);
  if (key == NULL)
    {
      soup_message_headers_replace (response_headers, "WWW-Authenticate", "Bearer");
      respond_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                     "A valid API key is required: Authorization: Bearer <key>");
      return;
    }
  if (info)
    memcpy (info->key_name, atx_api_key_get_name (key), sizeof info->key_name);

  if (!atx_api_keys_consume (self->api_keys, key, g_get_monotonic_time (), &retry_after))
    {
      char seconds[16];

      g_snprintf (seconds, sizeof seconds, "%u", retry_after);
      soup_message_headers_replace (response_headers, "Retry-After", seconds);
      respond_error (msg, 429 /* Too Many Requests: not in libsoup 3.2 */, "rate-limited",
                     "Too many requests for this API key; try again shortly");
      return;
    }

  if (atx_body_limit_exceeded (msg))
    {
      respond_too_large (msg);
      return;
    }

  handle_api (self, msg, route, atx_api_key_get_role (key));
}

/* ---- access log ---- */

static const char *
loggable_method (const char *method)
{
  static const char * const known[] = { "GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS" };

  /* A method is client text: only known ones are written to the log. */
  for (guint i = 0; method && i < G_N_ELEMENTS (known); i++)
    if (strcmp (method, known[i]) == 0)
      return known[i];
  return "OTHER";
}

static void
log_request (AtxTokenServer    *self,
             SoupServerMessage *msg,
             const char        *outcome)
{
  RequestInfo *info = get_request_info (msg);
  struct timespec ts;
  char line[256];
  char latency[32] = "-";
  int len;

  clock_gettime (CLOCK_REALTIME, &ts);
  if (ts.tv_sec != self->log_second)
    {
      struct tm tm;

      gmtime_r (&ts.tv_sec, &tm);
      strftime (self->log_stamp, sizeof self->log_stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
      self->log_second = ts.tv_sec;
    }
  if (info)
    g_snprintf (latency, sizeof latency, "%.3fms",
                (double) (g_get_monotonic_time () - info->started) / 1000.0);

  /* Only the route's own path: an unknown path is client text and could
   * carry a token or a name. */
  len = g_snprintf (line, sizeof line, "%s %s %s %s %u %s key=%s\n",
                    self->log_stamp,
                    outcome,
                    loggable_method (soup_server_message_get_method (msg)),
                    info && info->route != ROUTE_NONE ? routes[info->route].path : "-",
                    soup_server_message_get_status (msg),
                    latency,
                    info && info->key_name[0] ? info->key_name : "-");
  if (len > 0 && write (STDERR_FILENO, line, MIN ((gsize) len, sizeof line - 1)) < 0)
    {
      /* Nowhere left to report it. */
    }
}

static void
request_finished_cb (SoupServer        *soup,
                     SoupServerMessage *msg,
                     AtxTokenServer    *self)
{
  log_request (self, msg, "done");
}

static void
request_aborted_cb (SoupServer        *soup,
                    SoupServerMessage *msg,
                    AtxTokenServer    *self)
{
  log_request (self, msg, "aborted");
}

/* ---- connections ---- */

/* Connections are accepted here and handed over with
 * soup_server_accept_iostream() rather than by soup_server_listen(), because
 * of two leaks of the libsoup 3.2 in Debian 12: its listener leaks the GSocket
 * of every connection it accepts (fixed upstream by b545d5f0), and it never
 * frees a keep-alive connection that the client closes while idle, fd
 * included (fixed by d20c6601 in 3.3; worked around by AtxConnectionStream).
 *
 * libsoup keeps connections alive only while it has a listener of its own,
 * so it gets one that can never accept anything: one end of a private
 * socketpair (see keep_alive_listener). */
static void
serve_connection (AtxTokenServer *self,
                  GSocket        *socket)
{
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GSocketAddress) remote = NULL;
  g_autoptr(GIOStream) tls = NULL;
  g_autoptr(GIOStream) wrapped = NULL;

  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);
  connection = g_socket_connection_factory_create_connection (socket);
  remote = g_socket_get_remote_address (socket, NULL);
  if (remote == NULL)
    {
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
      return;
    }

  if (self->certificate != NULL)
    {
      /* The handshake happens implicitly on libsoup's first read. */
      tls = g_tls_server_connection_new (G_IO_STREAM (connection), self->certificate, NULL);
      if (tls == NULL)
        {
          g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
          return;
        }
      g_tls_connection_set_require_close_notify (G_TLS_CONNECTION (tls), FALSE);
    }

  wrapped = atx_connection_stream_wrap (tls ? tls : G_IO_STREAM (connection));
  soup_server_accept_iostream (self->soup, wrapped, self->bound_address, remote, NULL);
}

static gboolean
keep_alive_listener (AtxTokenServer  *self,
                     GError         **error)
{
  g_autoptr(GSocket) end = NULL;
  int fds[2];

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "socketpair: %s", g_strerror (saved_errno));
      return FALSE;
    }
  end = g_socket_new_from_fd (fds[0], error);
  self->keep_alive_peer = g_socket_new_from_fd (fds[1], error);
  if (end == NULL || self->keep_alive_peer == NULL)
    {
      if (end == NULL)
        close (fds[0]);
      if (self->keep_alive_peer == NULL)
        close (fds[1]);
      return FALSE;
    }
  /* Nothing is ever written to the peer: the listener never wakes up. */
  return soup_server_listen_socket (self->soup, end, 0, error);
}

static gboolean
accept_cb (GSocket      *listen_socket,
           GIOCondition  condition,
           gpointer      user_data)
{
  AtxTokenServer *self = user_data;

  /* Drain what is pending, but let requests in progress run in between. */
  for (int i = 0; i < 64; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) socket = g_socket_accept (listen_socket, NULL, &error);

      if (socket == NULL)
        {
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            g_warning ("Cannot accept a connection: %s", error->message);
          break;
        }
      serve_connection (self, socket);
    }
  return G_SOURCE_CONTINUE;
}

static void
stop_accepting (AtxTokenServer *self)
{
  if (self->accept_source)
    g_source_destroy (self->accept_source);
  g_clear_pointer (&self->accept_source, g_source_unref);
  if (self->listen_socket)
    g_socket_close (self->listen_socket, NULL);
  g_clear_object (&self->listen_socket);
  g_clear_object (&self->bound_address);
  if (self->keep_alive_peer)
    g_socket_close (self->keep_alive_peer, NULL);
  g_clear_object (&self->keep_alive_peer);
}

/* ---- public ---- */

AtxTokenServer *
atx_token_server_new (AtxServerConfig *config)
{
  AtxTokenServer *self;
  GTlsCertificate *certificate;

  g_return_val_if_fail (ATX_IS_SERVER_CONFIG (config), NULL);

  self = g_object_new (ATX_TYPE_TOKEN_SERVER, NULL);
  self->config = g_object_ref (config);
  self->api_keys = g_object_ref (atx_server_config_get_api_keys (config));
  self->service = atx_token_service_new (config);
  self->parser = json_parser_new_immutable ();

  certificate = atx_server_config_get_tls_certificate (config);
  self->certificate = certificate ? g_object_ref (certificate) : NULL;
  self->soup = soup_server_new ("server-header", "ataraxia-token-server", NULL);
  soup_server_add_early_handler (self->soup, NULL, early_handler, self, NULL);
  soup_server_add_handler (self->soup, NULL, handler, self, NULL);
  g_signal_connect_object (self->soup, "request-finished", G_CALLBACK (request_finished_cb), self, 0);
  g_signal_connect_object (self->soup, "request-aborted", G_CALLBACK (request_aborted_cb), self, 0);

  return self;
}

char *
atx_token_server_listen (AtxTokenServer  *self,
                         guint16          port,
                         GError         **error)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autofree char *host = NULL;
  gboolean ipv6;

  g_return_val_if_fail (ATX_IS_TOKEN_SERVER (self), NULL);
  g_return_val_if_fail (self->listen_socket == NULL, NULL);

  address = g_inet_address_new_from_string (atx_server_config_get_address (self->config));
  g_assert (address != NULL); /* validated by AtxServerConfig */
  socket_address = g_inet_socket_address_new (address, port);
  ipv6 = g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6;

  socket = g_socket_new (ipv6 ? G_SOCKET_FAMILY_IPV6 : G_SOCKET_FAMILY_IPV4,
                         G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return NULL;
  /* GIO's default backlog of 10 drops connections under load. */
  g_socket_set_listen_backlog (socket, 1024);
  if (!g_socket_bind (socket, socket_address, TRUE, error) ||
      !g_socket_listen (socket, error))
    {
      g_prefix_error (error, "Cannot listen on %s port %u: ",
                      atx_server_config_get_address (self->config), port);
      return NULL;
    }
  g_socket_set_blocking (socket, FALSE);
  self->bound_address = g_socket_get_local_address (socket, error);
  if (self->bound_address == NULL)
    return NULL;

  if (!keep_alive_listener (self, error))
    return NULL;

  self->listen_socket = g_steal_pointer (&socket);
  self->accept_source = g_socket_create_source (self->listen_socket, G_IO_IN, NULL);
  g_source_set_callback (self->accept_source, (GSourceFunc) (GCallback) accept_cb, self, NULL);
  g_source_attach (self->accept_source, NULL);

  host = g_inet_address_to_string (address);
  return g_strdup_printf ("%s://%s%s%s:%u",
                          self->certificate ? "https" : "http",
                          ipv6 ? "[" : "", host, ipv6 ? "]" : "",
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (self->bound_address)));
}

void
atx_token_server_disconnect (AtxTokenServer *self)
{
  g_return_if_fail (ATX_IS_TOKEN_SERVER (self));

  stop_accepting (self);
  soup_server_disconnect (self->soup);
}

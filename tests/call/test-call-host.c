/* test-call-host.c — the loopback browser call host against its safety list
 * (issue 8, "Safety"), one test per line, each against a running host with a
 * real AtxCallSession on a temp store.
 *
 * Requests are written by hand on a plain socket (so that Host, Origin and
 * the framing are exactly what a test says) from a worker thread, while the
 * main thread runs the host's main loop.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "call/atx-call-host.h"
#include "call/atx-call-session.h"
#include "core/atx-room-name.h"
#include "atx-test-utils.h"

#define TEST_JWT "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb29tIjoidGVzdCJ9.c2lnbmF0dXJlLXRlc3Qtb25seQ"
#define TEST_DOMAIN "meet.example.org"
#define WAIT_MS 10000

typedef struct {
  char                *dir;
  char                *path;
  AtxAppointmentStore *store;
  char                *appointment_id;
  char                *room;
  AtxCallSession      *session;
  AtxCallHost         *host;
  char                *host_header;  /* "127.0.0.1:PORT" */
  char                *origin;       /* "http://127.0.0.1:PORT" */
  char                *base;         /* "/call/<secret>/" */
} Fixture;

/* ------------------------------------------------------------ raw HTTP */

/* One connection: send @request, read until the server closes it (or until
 * @until appears, or @stop is set), all in a worker thread. */
typedef struct {
  guint16    port;
  char      *address;
  GBytes    *request;
  const char *until;

  GMutex     lock;
  GString   *raw;
  gboolean   connected;
  gboolean   connect_failed;
  gint       done;
  gint       stop;
  GThread   *thread;
} Exchange;

static gpointer
exchange_thread (gpointer data)
{
  Exchange *ex = data;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (ex->address);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (inet, ex->port);
  gsize len;
  const char *request = g_bytes_get_data (ex->request, &len);
  gsize sent = 0;

  socket = g_socket_new (g_inet_address_get_family (inet), G_SOCKET_TYPE_STREAM,
                         G_SOCKET_PROTOCOL_TCP, NULL);
  g_assert_nonnull (socket);
  g_socket_set_timeout (socket, 5);
  if (!g_socket_connect (socket, address, NULL, NULL))
    {
      g_mutex_lock (&ex->lock);
      ex->connect_failed = TRUE;
      g_mutex_unlock (&ex->lock);
      g_atomic_int_set (&ex->done, 1);
      g_main_context_wakeup (NULL);
      return NULL;
    }
  g_mutex_lock (&ex->lock);
  ex->connected = TRUE;
  g_mutex_unlock (&ex->lock);

  while (sent < len)
    {
      gssize n = g_socket_send (socket, request + sent, len - sent, NULL, NULL);
      if (n <= 0)
        break; /* the server may answer (413) and close before all is sent */
      sent += (gsize) n;
    }

  /* Bounded: 10 s without a byte ends the exchange. */
  for (guint idle = 0; !g_atomic_int_get (&ex->stop) && idle < 100;)
    {
      char buf[4096];
      gssize n;

      if (!g_socket_condition_timed_wait (socket, G_IO_IN, 100 * 1000, NULL, NULL))
        {
          idle++;
          continue;
        }
      n = g_socket_receive (socket, buf, sizeof buf, NULL, NULL);
      if (n <= 0)
        break;
      idle = 0;
      g_mutex_lock (&ex->lock);
      g_string_append_len (ex->raw, buf, n);
      if (ex->until != NULL && strstr (ex->raw->str, ex->until) != NULL)
        g_atomic_int_set (&ex->stop, 1);
      g_mutex_unlock (&ex->lock);
      /* The main thread may be waiting for this text. */
      g_main_context_wakeup (NULL);
    }

  g_socket_close (socket, NULL);
  g_atomic_int_set (&ex->done, 1);
  g_main_context_wakeup (NULL);
  return NULL;
}

static Exchange *
exchange_start_at (const char *address,
                   guint16     port,
                   const char *request,
                   gsize       len,
                   const char *until)
{
  Exchange *ex = g_new0 (Exchange, 1);

  ex->address = g_strdup (address);
  ex->port = port;
  ex->request = g_bytes_new (request, len);
  ex->until = until;
  ex->raw = g_string_new (NULL);
  g_mutex_init (&ex->lock);
  ex->thread = g_thread_new ("exchange", exchange_thread, ex);
  return ex;
}

static gboolean
exchange_done (gpointer data)
{
  return g_atomic_int_get (&((Exchange *) data)->done);
}

static void
exchange_free (Exchange *ex)
{
  g_atomic_int_set (&ex->stop, 1);
  g_assert_true (atx_test_wait_until (exchange_done, ex, WAIT_MS));
  g_thread_join (ex->thread);
  g_bytes_unref (ex->request);
  g_string_free (ex->raw, TRUE);
  g_mutex_clear (&ex->lock);
  g_free (ex->address);
  g_free (ex);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Exchange, exchange_free)

/* Text received so far (copy). */
static char *
exchange_text (Exchange *ex)
{
  char *text;

  g_mutex_lock (&ex->lock);
  text = g_strndup (ex->raw->str, ex->raw->len);
  g_mutex_unlock (&ex->lock);
  return text;
}

typedef struct {
  guint               status;
  SoupMessageHeaders *headers;
  char               *body;
  gsize               body_len;
} Response;

static void
response_free (Response *r)
{
  g_clear_pointer (&r->headers, soup_message_headers_unref);
  g_free (r->body);
  g_free (r);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Response, response_free)

static Response *
parse_response (const char *raw,
                gsize       len)
{
  Response *r = g_new0 (Response, 1);
  const char *end = g_strstr_len (raw, len, "\r\n\r\n");
  const char *body;
  gsize body_len;

  r->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  if (end == NULL)
    g_error ("no complete response: %.*s", (int) MIN (len, 400), raw);
  g_assert_true (soup_headers_parse_response (raw, end + 4 - raw, r->headers, NULL, &r->status, NULL));
  body = end + 4;
  body_len = len - (body - raw);

  if (soup_message_headers_get_encoding (r->headers) == SOUP_ENCODING_CHUNKED)
    {
      GString *decoded = g_string_new (NULL);
      const char *p = body;

      while (p < body + body_len)
        {
          char *next;
          guint64 size = g_ascii_strtoull (p, &next, 16);
          const char *line_end = g_strstr_len (p, body + body_len - p, "\r\n");

          if (line_end == NULL || size == 0)
            break;
          p = line_end + 2;
          g_string_append_len (decoded, p, MIN (size, (guint64) (body + body_len - p)));
          p += size + 2;
        }
      r->body_len = decoded->len;
      r->body = g_string_free (decoded, FALSE);
    }
  else
    {
      r->body = g_strndup (body, body_len);
      r->body_len = body_len;
    }
  return r;
}

/* Sends @request to the host and returns the parsed answer. */
static Response *
http_raw (Fixture    *f,
          const char *request,
          gsize       len)
{
  g_autoptr(Exchange) ex = exchange_start_at ("127.0.0.1", atx_call_host_get_port (f->host),
                                              request, len, NULL);
  g_autofree char *text = NULL;

  g_assert_true (atx_test_wait_until (exchange_done, ex, WAIT_MS));
  g_assert_false (ex->connect_failed);
  text = exchange_text (ex);
  return parse_response (text, strlen (text));
}

/* A request with the given Host and Origin (NULL: no such header). */
static Response *
http (Fixture    *f,
      const char *method,
      const char *path,
      const char *host,
      const char *origin,
      const char *body)
{
  g_autoptr(GString) req = g_string_new (NULL);

  g_string_append_printf (req, "%s %s HTTP/1.1\r\n", method, path);
  if (host)
    g_string_append_printf (req, "Host: %s\r\n", host);
  if (origin)
    g_string_append_printf (req, "Origin: %s\r\n", origin);
  if (body)
    g_string_append_printf (req, "Content-Type: application/json\r\nContent-Length: %zu\r\n",
                            strlen (body));
  else if (strcmp (method, "POST") == 0)
    g_string_append (req, "Content-Length: 0\r\n");
  g_string_append (req, "Connection: close\r\n\r\n");
  if (body)
    g_string_append (req, body);
  return http_raw (f, req->str, req->len);
}

/* A well-formed request from the page itself. */
static Response *
get_ok (Fixture    *f,
        const char *resource)
{
  g_autofree char *path = g_strconcat (f->base, resource, NULL);

  return http (f, "GET", path, f->host_header, NULL, NULL);
}

static Response *
post_event (Fixture    *f,
            const char *json)
{
  g_autofree char *path = g_strconcat (f->base, "events", NULL);

  return http (f, "POST", path, f->host_header, f->origin, json);
}

/* ------------------------------------------------------------- fixture */

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(AtxAppointment) appointment = atx_appointment_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) end = g_date_time_add_minutes (now, 50);
  g_autoptr(GError) error = NULL;
  AtxCallPageConfig config = { 0 };

  f->dir = atx_test_make_tmp_dir ();
  f->path = g_build_filename (f->dir, "ataraxia", "appointments.json", NULL);
  f->store = atx_appointment_store_new (f->path);
  g_assert_true (atx_appointment_store_load (f->store, &error));
  g_assert_no_error (error);

  f->room = atx_room_name_generate ();
  atx_appointment_set_title (appointment, "Session");
  atx_appointment_set_start (appointment, now);
  atx_appointment_set_end (appointment, end);
  atx_appointment_set_is_video_call (appointment, TRUE);
  atx_appointment_set_video_call_type (appointment, ATX_CALL_TYPE_VIDEO);
  atx_appointment_set_video_call_room_name (appointment, f->room);
  f->appointment_id = g_strdup (atx_appointment_get_id (appointment));
  g_assert_true (atx_appointment_store_add (f->store, appointment, &error));
  g_assert_no_error (error);
  g_assert_true (atx_appointment_store_flush (f->store, &error));

  f->session = atx_call_session_new (f->store, f->appointment_id, "Session", f->room,
                                     ATX_CALL_TYPE_VIDEO, FALSE, ATX_CALL_WHERE_BROWSER, FALSE);

  config.domain = TEST_DOMAIN;
  config.room_name = f->room;
  config.jwt = TEST_JWT;
  config.display_name = "Dr Test";
  config.email = "dr.test@example.org";
  /* Whatever the caller puts here, the host uses its own. */
  config.transport = "webkit";
  config.events_url = "/elsewhere";
  f->host = atx_call_host_new (f->session, &config, TEST_DOMAIN, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->host);
  g_object_set (f->host, "close-delay", 300, "ping-interval", 100, "transport-grace", 400, NULL);

  f->host_header = g_strdup_printf ("127.0.0.1:%u", atx_call_host_get_port (f->host));
  f->origin = g_strdup_printf ("http://%s", f->host_header);
  g_assert_true (g_str_has_prefix (atx_call_host_get_url (f->host), f->origin));
  f->base = g_strdup (atx_call_host_get_url (f->host) + strlen (f->origin));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  atx_call_host_stop (f->host);
  g_assert_finalize_object (g_steal_pointer (&f->host));
  g_clear_object (&f->session);
  atx_appointment_store_flush (f->store, NULL);
  g_clear_object (&f->store);
  atx_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->appointment_id);
  g_free (f->room);
  g_free (f->host_header);
  g_free (f->origin);
  g_free (f->base);
}

static char *
read_store (Fixture *f)
{
  g_assert_true (atx_appointment_store_flush (f->store, NULL));
  return atx_test_read_file (f->path);
}

/* The callLog of the fixture's appointment, as on disk. */
static JsonArray *
read_call_log (Fixture     *f,
               JsonParser **out_parser)
{
  g_autofree char *contents = read_store (f);
  JsonParser *parser = json_parser_new ();
  JsonArray *appointments;

  g_assert_true (json_parser_load_from_data (parser, contents, -1, NULL));
  appointments = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                               "appointments");
  *out_parser = parser;
  for (guint i = 0; i < json_array_get_length (appointments); i++)
    {
      JsonObject *a = json_array_get_object_element (appointments, i);

      if (g_strcmp0 (json_object_get_string_member (a, "id"), f->appointment_id) == 0)
        return json_object_has_member (a, "callLog") ? json_object_get_array_member (a, "callLog") : NULL;
    }
  return NULL;
}

static gboolean
port_refuses (gpointer data)
{
  Fixture *f = data;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1",
                                                atx_call_host_get_port (f->host), NULL, NULL);
  return connection == NULL;
}

/* ------------------------------------------------------------- tests */

static void
test_binds_loopback_only (Fixture       *f,
                          gconstpointer  data)
{
  guint16 port = atx_call_host_get_port (f->host);
  struct ifaddrs *addrs = NULL, *a;
  guint tried = 0;

  g_assert_cmpuint (port, >, 0);
  g_assert_true (g_str_has_prefix (atx_call_host_get_url (f->host), "http://127.0.0.1:"));

  /* Another loopback address of this machine, IPv6 loopback, and every
   * other address an interface has: none of them reaches the host. */
  {
    g_autoptr(Exchange) other = exchange_start_at ("127.0.0.2", port, "GET / HTTP/1.0\r\n\r\n", 18, NULL);
    g_autoptr(Exchange) v6 = exchange_start_at ("::1", port, "GET / HTTP/1.0\r\n\r\n", 18, NULL);

    g_assert_true (atx_test_wait_until (exchange_done, other, WAIT_MS));
    g_assert_true (atx_test_wait_until (exchange_done, v6, WAIT_MS));
    g_assert_true (other->connect_failed);
    g_assert_true (v6->connect_failed);
  }

  g_assert_cmpint (getifaddrs (&addrs), ==, 0);
  for (a = addrs; a != NULL; a = a->ifa_next)
    {
      char text[INET6_ADDRSTRLEN];
      g_autoptr(Exchange) ex = NULL;

      if (a->ifa_addr == NULL || (a->ifa_addr->sa_family != AF_INET && a->ifa_addr->sa_family != AF_INET6))
        continue;
      if (a->ifa_addr->sa_family == AF_INET)
        inet_ntop (AF_INET, &((struct sockaddr_in *) a->ifa_addr)->sin_addr, text, sizeof text);
      else
        {
          struct sockaddr_in6 *in6 = (struct sockaddr_in6 *) a->ifa_addr;
          if (IN6_IS_ADDR_LINKLOCAL (&in6->sin6_addr))
            continue; /* needs a scope id; not a way in anyway */
          inet_ntop (AF_INET6, &in6->sin6_addr, text, sizeof text);
        }
      if (strcmp (text, "127.0.0.1") == 0)
        continue;
      ex = exchange_start_at (text, port, "GET / HTTP/1.0\r\n\r\n", 18, NULL);
      g_assert_true (atx_test_wait_until (exchange_done, ex, WAIT_MS));
      if (!ex->connect_failed)
        g_error ("the host answers on %s", text);
      tried++;
    }
  freeifaddrs (addrs);
  g_test_message ("%u other local addresses refused", tried);

  /* And it does answer on 127.0.0.1. */
  {
    g_autoptr(Response) r = get_ok (f, "");
    g_assert_cmpuint (r->status, ==, 200);
  }
}

static void
test_wrong_or_missing_secret_is_404 (Fixture       *f,
                                     gconstpointer  data)
{
  const char *secret = f->base + strlen ("/call/");
  gsize secret_len = strlen (secret) - 1; /* without the trailing slash */
  g_autofree char *flipped = g_strdup (f->base);
  g_autofree char *prefix = g_strndup (f->base, strlen (f->base) - 2);
  g_autofree char *longer = g_strdup_printf ("/call/%.*s0/", (int) secret_len, secret);
  g_autofree char *no_slash = g_strndup (f->base, strlen (f->base) - 1);
  g_autofree char *events_wrong = NULL;
  const char *paths[] = { "/", "/call/", "/call//", "/call/x/", NULL, NULL, NULL, NULL, NULL,
                          "/call.js", "/events", "/commands", "/favicon.ico" };

  /* Same length, last character changed. */
  flipped[strlen (flipped) - 2] = flipped[strlen (flipped) - 2] == 'a' ? 'b' : 'a';
  events_wrong = g_strconcat (flipped, "events", NULL);
  g_assert_cmpuint (secret_len, >=, 32); /* ≥ 128 bits in hex */
  paths[4] = flipped;
  paths[5] = prefix;
  paths[6] = longer;
  paths[7] = no_slash;
  paths[8] = events_wrong;

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(Response) r = http (f, "GET", paths[i], f->host_header, NULL, NULL);

      g_test_message ("GET %s → %u", paths[i], r->status);
      g_assert_cmpuint (r->status, ==, 404);
    }
  {
    g_autoptr(Response) r = http (f, "POST", events_wrong, f->host_header, f->origin,
                                  "{\"type\":\"readyToClose\",\"data\":{}}");
    g_assert_cmpuint (r->status, ==, 404);
  }
  {
    g_autoptr(Response) r = get_ok (f, "");
    g_assert_cmpuint (r->status, ==, 200);
  }
}

static void
test_wrong_host_is_403 (Fixture       *f,
                        gconstpointer  data)
{
  guint port = atx_call_host_get_port (f->host);
  g_autofree char *localhost = g_strdup_printf ("localhost:%u", port);
  g_autofree char *other_port = g_strdup_printf ("127.0.0.1:%u", port == 1 ? 2 : port - 1);
  g_autofree char *evil_port = g_strdup_printf ("evil.com:%u", port);
  g_autofree char *v6 = g_strdup_printf ("[::1]:%u", port);
  const char *hosts[] = { localhost, "evil.com", evil_port, "127.0.0.1", other_port, v6,
                          "attacker.example.org" };

  for (guint i = 0; i < G_N_ELEMENTS (hosts); i++)
    {
      g_autoptr(Response) page = http (f, "GET", f->base, hosts[i], NULL, NULL);
      g_autofree char *events = g_strconcat (f->base, "events", NULL);
      g_autoptr(Response) post = http (f, "POST", events, hosts[i], f->origin,
                                       "{\"type\":\"readyToClose\",\"data\":{}}");

      g_test_message ("Host: %s → %u / %u", hosts[i], page->status, post->status);
      g_assert_cmpuint (page->status, ==, 403);
      g_assert_cmpuint (post->status, ==, 403);
      g_assert_null (strstr (page->body, TEST_JWT));
    }

  /* No Host at all (HTTP/1.0). */
  {
    g_autofree char *req = g_strdup_printf ("GET %s HTTP/1.0\r\n\r\n", f->base);
    g_autoptr(Response) r = http_raw (f, req, strlen (req));

    g_assert_cmpuint (r->status, ==, 403);
    g_assert_null (strstr (r->body, TEST_JWT));
  }
}

static void
test_post_without_or_with_other_origin_is_403 (Fixture       *f,
                                               gconstpointer  data)
{
  guint port = atx_call_host_get_port (f->host);
  g_autofree char *events = g_strconcat (f->base, "events", NULL);
  g_autofree char *localhost = g_strdup_printf ("http://localhost:%u", port);
  g_autofree char *other_port = g_strdup_printf ("http://127.0.0.1:%u", port == 1 ? 2 : port - 1);
  g_autofree char *https = g_strdup_printf ("https://127.0.0.1:%u", port);
  g_autofree char *trailing = g_strdup_printf ("http://127.0.0.1:%u/", port);
  const char *origins[] = { NULL, "null", "http://evil.com", localhost, other_port, https, trailing, "" };
  const char *joined = "{\"type\":\"videoConferenceJoined\",\"data\":{\"roomName\":\"r\",\"id\":\"me\"}}";
  g_autofree char *before = read_store (f);

  for (guint i = 0; i < G_N_ELEMENTS (origins); i++)
    {
      g_autoptr(Response) r = http (f, "POST", events, f->host_header, origins[i], joined);

      g_test_message ("Origin: %s → %u", origins[i] ? origins[i] : "(none)", r->status);
      g_assert_cmpuint (r->status, ==, 403);
    }
  /* Nothing reached the session. */
  g_assert_cmpint (atx_call_session_get_state (f->session), ==, ATX_CALL_STATE_CONNECTING);
  {
    g_autofree char *after = read_store (f);
    g_assert_cmpstr (before, ==, after);
  }

  /* On a GET, a foreign Origin is refused too; none at all is fine. */
  {
    g_autoptr(Response) r = http (f, "GET", f->base, f->host_header, "http://evil.com", NULL);
    g_assert_cmpuint (r->status, ==, 403);
  }
  {
    g_autoptr(Response) r = http (f, "GET", f->base, f->host_header, f->origin, NULL);
    g_assert_cmpuint (r->status, ==, 200);
  }

  /* The page's own Origin gets through. */
  {
    g_autoptr(Response) r = post_event (f, joined);
    g_assert_cmpuint (r->status, ==, 204);
    g_assert_cmpint (atx_call_session_get_state (f->session), ==, ATX_CALL_STATE_JOINED);
  }
}

static void
test_body_over_64k_is_413 (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *events = g_strconcat (f->base, "events", NULL);
  gsize big = ATX_CALL_HOST_MAX_BODY + 1;
  g_autofree char *padding = g_malloc (big + 1);
  g_autoptr(GString) req = g_string_new (NULL);

  memset (padding, ' ', big);
  padding[big] = '\0';

  /* Content-Length over the cap: refused on the headers. */
  g_string_printf (req, "POST %s HTTP/1.1\r\nHost: %s\r\nOrigin: %s\r\n"
                   "Content-Type: application/json\r\nContent-Length: %zu\r\n"
                   "Connection: close\r\n\r\n%s",
                   events, f->host_header, f->origin, big, padding);
  {
    g_autoptr(Response) r = http_raw (f, req->str, req->len);
    g_assert_cmpuint (r->status, ==, 413);
  }
  /* A huge announced length is refused on the headers alone: with
   * Expect: 100-continue the answer comes before any of the body. */
  g_string_printf (req, "POST %s HTTP/1.1\r\nHost: %s\r\nOrigin: %s\r\n"
                   "Content-Length: 1000000000\r\nExpect: 100-continue\r\n"
                   "Connection: close\r\n\r\n",
                   events, f->host_header, f->origin);
  {
    g_autoptr(Response) r = http_raw (f, req->str, req->len);
    g_assert_cmpuint (r->status, ==, 413);
  }

  /* Chunked: counted as it arrives. */
  g_string_printf (req, "POST %s HTTP/1.1\r\nHost: %s\r\nOrigin: %s\r\n"
                   "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
                   "Connection: close\r\n\r\n",
                   events, f->host_header, f->origin);
  for (guint i = 0; i < 20; i++)
    {
      g_string_append_printf (req, "%x\r\n", 4096);
      g_string_append_len (req, padding, 4096);
      g_string_append (req, "\r\n");
    }
  g_string_append (req, "0\r\n\r\n");
  {
    g_autoptr(Response) r = http_raw (f, req->str, req->len);
    g_assert_cmpuint (r->status, ==, 413);
  }

  /* A small chunked message is fine. */
  {
    const char *msg = "{\"type\":\"readyToClose\",\"data\":{}}";

    g_string_printf (req, "POST %s HTTP/1.1\r\nHost: %s\r\nOrigin: %s\r\n"
                     "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n%zx\r\n%s\r\n0\r\n\r\n",
                     events, f->host_header, f->origin, strlen (msg), msg);
    {
      g_autoptr(Response) r = http_raw (f, req->str, req->len);
      g_assert_cmpuint (r->status, ==, 204);
    }
  }
}

static void
assert_no_cors (Response   *r,
                const char *what)
{
  SoupMessageHeadersIter iter;
  const char *name, *value;

  soup_message_headers_iter_init (&iter, r->headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    if (g_ascii_strncasecmp (name, "Access-Control-", 15) == 0)
      g_error ("%s answered with %s: %s", what, name, value);
}

/* Every kind of answer the host gives, for the header tests. */
static GPtrArray *
all_kinds_of_answers (Fixture *f)
{
  GPtrArray *answers = g_ptr_array_new_with_free_func ((GDestroyNotify) response_free);
  g_autofree char *events = g_strconcat (f->base, "events", NULL);
  g_autofree char *big = NULL;
  guint port = atx_call_host_get_port (f->host);
  g_autofree char *preflight = g_strdup_printf ("OPTIONS %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n"
                                                "Origin: http://evil.com\r\n"
                                                "Access-Control-Request-Method: POST\r\n"
                                                "Access-Control-Request-Headers: content-type\r\n"
                                                "Connection: close\r\n\r\n", events, port);
  g_autofree char *preflight_own = g_strdup_printf ("OPTIONS %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n"
                                                    "Origin: http://127.0.0.1:%u\r\n"
                                                    "Access-Control-Request-Method: POST\r\n"
                                                    "Connection: close\r\n\r\n", events, port, port);

  big = g_strdup_printf ("POST %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\nOrigin: http://127.0.0.1:%u\r\n"
                         "Content-Length: 999999\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n", events, port, port);

  g_ptr_array_add (answers, get_ok (f, ""));                                   /* 200 page */
  g_ptr_array_add (answers, get_ok (f, "call.js"));                            /* 200 script */
  g_ptr_array_add (answers, get_ok (f, "call.css"));                           /* 200 style */
  g_ptr_array_add (answers, http (f, "GET", "/nothing", f->host_header, NULL, NULL)); /* 404 */
  g_ptr_array_add (answers, http (f, "GET", f->base, "evil.com", "http://evil.com", NULL)); /* 403 */
  g_ptr_array_add (answers, http (f, "POST", events, f->host_header, NULL, "{}"));          /* 403 */
  g_ptr_array_add (answers, http_raw (f, big, strlen (big)));                  /* 413 */
  g_ptr_array_add (answers, http_raw (f, preflight, strlen (preflight)));      /* 403 */
  g_ptr_array_add (answers, http_raw (f, preflight_own, strlen (preflight_own))); /* 405 */
  g_ptr_array_add (answers, http (f, "DELETE", f->base, f->host_header, NULL, NULL)); /* 405 */
  g_ptr_array_add (answers, post_event (f, "not json"));                       /* 400 */
  g_ptr_array_add (answers, post_event (f, "{\"type\":\"browserSupport\",\"data\":{\"supported\":true}}")); /* 204 */
  return answers;
}

static void
test_no_cors_headers (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) answers = all_kinds_of_answers (f);
  guint statuses[] = { 200, 200, 200, 404, 403, 403, 413, 403, 405, 405, 400, 204 };

  g_assert_cmpuint (answers->len, ==, G_N_ELEMENTS (statuses));
  for (guint i = 0; i < answers->len; i++)
    {
      Response *r = answers->pdata[i];
      g_autofree char *what = g_strdup_printf ("answer %u (%u)", i, r->status);

      g_assert_cmpuint (r->status, ==, statuses[i]);
      assert_no_cors (r, what);
    }
}

static void
test_security_headers_on_every_answer (Fixture       *f,
                                       gconstpointer  data)
{
  g_autoptr(GPtrArray) answers = all_kinds_of_answers (f);
  const char *expected_csp =
    "default-src 'none'; script-src 'self' https://" TEST_DOMAIN "; frame-src https://" TEST_DOMAIN "; "
    "connect-src 'self' https://" TEST_DOMAIN "; style-src 'self'; img-src 'self' data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  for (guint i = 0; i < answers->len; i++)
    {
      Response *r = answers->pdata[i];

      g_test_message ("answer %u: %u", i, r->status);
      g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Cache-Control"), ==, "no-store");
      g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Referrer-Policy"), ==, "no-referrer");
      g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Content-Security-Policy"), ==, expected_csp);
      g_assert_cmpstr (soup_message_headers_get_one (r->headers, "X-Content-Type-Options"), ==, "nosniff");
    }

  /* The command stream too. */
  {
    g_autofree char *req = g_strdup_printf ("GET %scommands HTTP/1.1\r\nHost: %s\r\n\r\n",
                                            f->base, f->host_header);
    g_autoptr(Exchange) ex = exchange_start_at ("127.0.0.1", atx_call_host_get_port (f->host),
                                                req, strlen (req), "retry:");
    g_autofree char *text = NULL;
    g_autoptr(Response) r = NULL;

    g_assert_true (atx_test_wait_until (exchange_done, ex, WAIT_MS));
    text = exchange_text (ex);
    r = parse_response (text, strlen (text));
    g_assert_cmpuint (r->status, ==, 200);
    g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Cache-Control"), ==, "no-store");
    g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Referrer-Policy"), ==, "no-referrer");
    g_assert_cmpstr (soup_message_headers_get_one (r->headers, "Content-Security-Policy"), ==, expected_csp);
    assert_no_cors (r, "the command stream");
  }
}

static void
test_jwt_only_in_page_body (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(Response) page = get_ok (f, "");
  g_autoptr(Response) script = get_ok (f, "call.js");
  SoupMessageHeadersIter iter;
  const char *name, *value;
  const char *config_start;

  g_assert_cmpuint (page->status, ==, 200);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (page->headers, NULL), "text/html"));
  g_assert_nonnull (strstr (page->body, TEST_JWT));
  /* The page's configuration: the http transport on the host's own paths. */
  config_start = strstr (page->body, "ataraxia-config");
  g_assert_nonnull (config_start);
  {
    g_autofree char *events = g_strconcat (f->base, "events", NULL);
    g_autofree char *commands = g_strconcat (f->base, "commands", NULL);

    g_assert_nonnull (strstr (page->body, events));
    g_assert_nonnull (strstr (page->body, commands));
    g_assert_null (strstr (events, TEST_JWT));
    g_assert_null (strstr (commands, TEST_JWT));
    g_assert_nonnull (strstr (page->body, "\"http\""));
    g_assert_null (strstr (page->body, "/elsewhere"));
  }

  /* Never in a URL, a header or the static files. */
  g_assert_null (strstr (atx_call_host_get_url (f->host), TEST_JWT));
  g_assert_null (strstr (script->body, TEST_JWT));
  soup_message_headers_iter_init (&iter, page->headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    g_assert_null (strstr (value, TEST_JWT));
  g_assert_null (strstr (atx_call_host_get_url (f->host), "jwt"));
}

static void
test_bad_event_messages_are_400_and_change_nothing (Fixture       *f,
                                                    gconstpointer  data)
{
  g_autofree char *long_id = g_strnfill (ATX_BRIDGE_MAX_STRING + 1, 'x');
  g_autofree char *oversized = g_strdup_printf ("{\"type\":\"participantJoined\",\"data\":{\"id\":\"%s\"}}", long_id);
  g_autofree char *before = read_store (f);
  const char *bad[] = {
    "", "not json", "[]", "null", "42", "\"text\"", "{", "{}",
    "{\"type\":\"videoConferenceJoined\"}",
    "{\"type\":\"noSuchEvent\",\"data\":{}}",
    "{\"type\":42,\"data\":{}}",
    "{\"type\":\"participantJoined\",\"data\":{}}",
    "{\"type\":\"participantJoined\",\"data\":{\"id\":7}}",
    "{\"type\":\"participantJoined\",\"data\":[]}",
    "{\"type\":\"knockingParticipant\",\"data\":{\"participant\":\"x\"}}",
    "{\"type\":\"audioMuteStatusChanged\",\"data\":{\"muted\":\"yes\"}}",
    "{\"type\":\"videoConferenceJoined\",\"data\":{\"roomName\":\"r\",\"id\":\"me\"}} junk",
    oversized,
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(Response) r = post_event (f, bad[i]);

      g_test_message ("event %u → %u", i, r->status);
      g_assert_cmpuint (r->status, ==, 400);
    }

  /* 1000 more, of random bytes and random shapes: no crash, no change. */
  {
    GRand *rand = g_rand_new_with_seed (8);

    for (guint i = 0; i < 1000; i++)
      {
        guint len = g_rand_int_range (rand, 1, 300);
        g_autofree char *junk = g_malloc (len + 1);
        g_autoptr(Response) r = NULL;

        for (guint j = 0; j < len; j++)
          junk[j] = (char) g_rand_int_range (rand, 1, 256);
        junk[len] = '\0';
        if (i % 3 == 1)
          {
            g_free (junk);
            junk = g_strdup_printf ("{\"type\":\"%s\",\"data\":{\"id\":%u}}",
                                    i % 2 ? "participantLeft" : "bogus", i);
          }
        r = post_event (f, junk);
        g_assert_cmpuint (r->status, ==, 400);
      }
    g_rand_free (rand);
  }

  g_assert_cmpint (atx_call_session_get_state (f->session), ==, ATX_CALL_STATE_CONNECTING);
  {
    g_autofree char *after = read_store (f);
    g_assert_cmpstr (before, ==, after);
  }
  /* And the host still works. */
  {
    g_autoptr(Response) r = post_event (f, "{\"type\":\"videoConferenceJoined\",\"data\":{\"roomName\":\"r\",\"id\":\"me\"}}");
    g_assert_cmpuint (r->status, ==, 204);
    g_assert_cmpint (atx_call_session_get_state (f->session), ==, ATX_CALL_STATE_JOINED);
  }
}

static gboolean
host_stopped (gpointer data)
{
  return !atx_call_host_get_running (data);
}

static void
test_after_the_call_every_url_is_404_then_port_closed (Fixture       *f,
                                                       gconstpointer  data)
{
  const char *resources[] = { "", "call.js", "call.css", "commands", "events" };

  /* Give the close delay room for the requests below. */
  g_object_set (f->host, "close-delay", 3000, NULL);
  {
    g_autoptr(Response) r = post_event (f, "{\"type\":\"videoConferenceJoined\",\"data\":{\"roomName\":\"r\",\"id\":\"me\"}}");
    g_assert_cmpuint (r->status, ==, 204);
  }
  {
    g_autoptr(Response) r = post_event (f, "{\"type\":\"videoConferenceLeft\",\"data\":{\"roomName\":\"r\"}}");
    g_assert_cmpuint (r->status, ==, 204);
  }
  g_assert_cmpint (atx_call_session_get_state (f->session), ==, ATX_CALL_STATE_ENDED);
  g_assert_true (host_stopped (f->host));

  for (guint i = 0; i < G_N_ELEMENTS (resources); i++)
    {
      g_autoptr(Response) get = get_ok (f, resources[i]);
      g_autoptr(Response) post = post_event (f, "{\"type\":\"readyToClose\",\"data\":{}}");

      g_assert_cmpuint (get->status, ==, 404);
      g_assert_cmpuint (post->status, ==, 404);
      g_assert_null (strstr (get->body, TEST_JWT));
    }

  g_assert_true (atx_test_wait_until (port_refuses, f, WAIT_MS));
}

static void
test_stop_closes_the_port_after_the_delay (Fixture       *f,
                                           gconstpointer  data)
{
  g_autoptr(GTimer) timer = g_timer_new ();

  g_object_set (f->host, "close-delay", 500, NULL);
  atx_call_host_stop (f->host);
  {
    g_autoptr(Response) r = get_ok (f, "");
    g_assert_cmpuint (r->status, ==, 404);
  }
  g_assert_true (atx_test_wait_until (port_refuses, f, WAIT_MS));
  g_assert_cmpfloat (g_timer_elapsed (timer, NULL), >=, 0.4);
}

static gboolean
host_connected (gpointer data)
{
  return atx_call_host_get_connected (data);
}

typedef struct {
  Exchange   *ex;
  const char *needle;
  guint       count;
} StreamWait;

static gboolean
stream_has (gpointer data)
{
  StreamWait *wait = data;
  g_autofree char *text = exchange_text (wait->ex);
  guint n = 0;

  for (const char *p = text; (p = strstr (p, wait->needle)) != NULL; p++)
    n++;
  return n >= wait->count;
}

static void
test_sse_delivers_commands_and_pings (Fixture       *f,
                                      gconstpointer  data)
{
  g_autofree char *req = g_strdup_printf ("GET %scommands HTTP/1.1\r\nHost: %s\r\n"
                                          "Accept: text/event-stream\r\n\r\n",
                                          f->base, f->host_header);
  g_autoptr(Exchange) ex = NULL;
  g_autofree char *text = NULL;
  g_autoptr(Response) head = NULL;
  StreamWait wait;

  /* Joined first, through the host, as the page would. */
  {
    g_autoptr(Response) r = post_event (f, "{\"type\":\"videoConferenceJoined\",\"data\":{\"roomName\":\"r\",\"id\":\"me\"}}");
    g_assert_cmpuint (r->status, ==, 204);
  }

  g_assert_false (atx_call_host_get_connected (f->host));
  ex = exchange_start_at ("127.0.0.1", atx_call_host_get_port (f->host), req, strlen (req), NULL);
  g_assert_true (atx_test_wait_until (host_connected, f->host, WAIT_MS));

  /* Pings every ping-interval (100 ms here). */
  wait.ex = ex;
  wait.needle = ": ping\n\n";
  wait.count = 3;
  g_assert_true (atx_test_wait_until (stream_has, &wait, WAIT_MS));

  /* A command from the session arrives as one event. */
  atx_call_session_toggle_audio (f->session);
  wait.needle = "data: {";
  wait.count = 1;
  g_assert_true (atx_test_wait_until (stream_has, &wait, WAIT_MS));
  atx_call_session_leave (f->session);
  wait.needle = "hangup";
  g_assert_true (atx_test_wait_until (stream_has, &wait, WAIT_MS));

  text = exchange_text (ex);
  head = parse_response (text, strlen (text));
  g_assert_cmpuint (head->status, ==, 200);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (head->headers, NULL),
                                   "text/event-stream"));
  g_assert_cmpint (soup_message_headers_get_encoding (head->headers), ==, SOUP_ENCODING_CHUNKED);
  g_assert_nonnull (strstr (text, "\"toggleAudio\""));
  /* Each command is one SSE event: "data: <json>\n\n". */
  {
    const char *data_line = strstr (text, "data: {");
    const char *line_end = strchr (data_line, '\n');
    g_autofree char *json = g_strndup (data_line + 6, line_end - data_line - 6);
    g_autoptr(JsonParser) parser = json_parser_new ();

    g_assert_cmpint (line_end[1], ==, '\n');
    g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "name"),
                     ==, "toggleAudio");
  }
}

static void
test_stream_gone_past_grace_ends_browser_closed (Fixture       *f,
                                                 gconstpointer  data)
{
  g_autofree char *req = g_strdup_printf ("GET %scommands HTTP/1.1\r\nHost: %s\r\n\r\n",
                                          f->base, f->host_header);
  g_autoptr(JsonParser) parser = NULL;
  JsonArray *log;
  JsonObject *entry;

  {
    g_autoptr(Response) r = post_event (f, "{\"type\":\"videoConferenceJoined\",\"data\":{\"roomName\":\"r\",\"id\":\"me\"}}");
    g_assert_cmpuint (r->status, ==, 204);
  }

  /* A stream that drops and comes back within the grace changes nothing. */
  {
    g_autoptr(Exchange) ex = exchange_start_at ("127.0.0.1", atx_call_host_get_port (f->host),
                                                req, strlen (req), NULL);
    g_assert_true (atx_test_wait_until (host_connected, f->host, WAIT_MS));
  }
  atx_test_spin (100);
  {
    g_autoptr(Exchange) ex = exchange_start_at ("127.0.0.1", atx_call_host_get_port (f->host),
                                                req, strlen (req), NULL);
    g_assert_true (atx_test_wait_until (host_connected, f->host, WAIT_MS));
    atx_test_spin (600); /* longer than the grace, with the stream open */
    g_assert_cmpint (atx_call_session_get_state (f->session), ==, ATX_CALL_STATE_JOINED);
    /* Now the browser dies: the stream is closed and does not come back. */
  }
  g_assert_true (atx_test_wait_until (host_stopped, f->host, WAIT_MS));
  g_assert_true (atx_call_host_get_browser_closed (f->host));
  g_assert_cmpint (atx_call_session_get_state (f->session), ==, ATX_CALL_STATE_ENDED);

  log = read_call_log (f, &parser);
  g_assert_nonnull (log);
  g_assert_cmpuint (json_array_get_length (log), ==, 1);
  entry = json_array_get_object_element (log, 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "endReason"), ==, "browser-closed");
  g_assert_cmpstr (json_object_get_string_member (entry, "where"), ==, "browser");
  g_assert_true (json_object_has_member (entry, "endedAt"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/call-host/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("binds-127.0.0.1-only", test_binds_loopback_only);
  ADD ("wrong-or-missing-secret-is-404", test_wrong_or_missing_secret_is_404);
  ADD ("host-not-127.0.0.1-port-is-403", test_wrong_host_is_403);
  ADD ("post-without-or-with-other-origin-is-403", test_post_without_or_with_other_origin_is_403);
  ADD ("body-over-64k-is-413", test_body_over_64k_is_413);
  ADD ("no-cors-headers", test_no_cors_headers);
  ADD ("no-store-no-referrer-csp-on-every-answer", test_security_headers_on_every_answer);
  ADD ("jwt-only-in-the-page-body", test_jwt_only_in_page_body);
  ADD ("bad-event-messages-are-400-and-change-nothing", test_bad_event_messages_are_400_and_change_nothing);
  ADD ("after-the-call-every-url-is-404-then-port-closed", test_after_the_call_every_url_is_404_then_port_closed);
  ADD ("stop-closes-the-port-after-the-delay", test_stop_closes_the_port_after_the_delay);
  ADD ("sse-delivers-commands-and-pings", test_sse_delivers_commands_and_pings);
  ADD ("stream-gone-past-grace-ends-browser-closed", test_stream_gone_past_grace_ends_browser_closed);

  return g_test_run ();
}

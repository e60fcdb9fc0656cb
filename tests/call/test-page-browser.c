/* test-page-browser.c — the bundled call page and the fake Jitsi stub
 * together in a real browser (headless Chromium), over the HTTP transport.
 *
 * A minimal host here (not the app's call host) serves the rendered page
 * with a strict CSP, collects the page's event POSTs through the bridge
 * validator and sends commands as Server-Sent Events. Skipped when Chromium
 * is not installed.
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <libsoup/soup.h>

#include "atx-call-bridge.h"
#include "atx-fake-jitsi.h"
#include "atx-test-utils.h"

#define SECRET "0123456789abcdef0123456789abcdef"
#define ROOM "ataraxia-pagetestroomaaaaaaaaaaaaaaa"
#define JWT "aaa.bbb.ccc"
#define WAIT_MS 20000

typedef struct {
  AtxFakeJitsi      *fake;
  SoupServer        *host;
  char              *host_url;
  AtxCallPageConfig  config;
  GPtrArray         *messages;   /* AtxBridgeMessage* */
  guint              rejected;
  SoupServerMessage *commands;
  GQueue             pending;    /* char* command JSON before the stream is open */
  GSubprocess       *browser;
  char              *profile;
  const char        *shim_js;    /* served as shim.js, loaded before call.js */
} Fixture;

/* Stands in for WebKit's script message handler and for the C side's
 * evaluate_javascript("window.ataraxiaCommand(…)"), so that the page's
 * "webkit" transport runs here too: messages go out as objects, commands
 * come in as objects. */
static const char webkit_shim[] =
  "(function () {\n"
  "  var chain = Promise.resolve();\n"
  "  window.webkit = { messageHandlers: { ataraxia: { postMessage: function (message) {\n"
  "    if (typeof message !== 'object') throw new Error('not an object');\n"
  "    var body = JSON.stringify(message);\n"
  "    chain = chain.then(function () { return fetch('events', {method: 'POST', body: body}); });\n"
  "  } } } };\n"
  "  var source = new EventSource('commands');\n"
  "  source.onmessage = function (event) { window.ataraxiaCommand(JSON.parse(event.data)); };\n"
  "}());\n";

/* A browser without WebRTC, as Debian's WebKitGTK. */
static const char no_webrtc_shim[] =
  "delete window.RTCPeerConnection; window.RTCPeerConnection = undefined;\n";

static const char *
find_chromium (void)
{
  static const char *names[] = { "chromium", "chromium-browser", "google-chrome" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_find_program_in_path (names[i]);
      if (path != NULL)
        return names[i];
    }
  return NULL;
}

static void
send_command_frame (Fixture    *f,
                    const char *json)
{
  g_autofree char *frame = g_strdup_printf ("data: %s\n\n", json);

  soup_message_body_append (soup_server_message_get_response_body (f->commands),
                            SOUP_MEMORY_COPY, frame, strlen (frame));
  soup_server_message_unpause (f->commands);
}

static void
send_command (Fixture    *f,
              const char *json)
{
  if (f->commands != NULL)
    send_command_frame (f, json);
  else
    g_queue_push_tail (&f->pending, g_strdup (json));
}

static void
on_commands_finished (SoupServerMessage *msg,
                      gpointer           user_data)
{
  Fixture *f = user_data;

  if (f->commands == msg)
    g_clear_object (&f->commands);
}

static void
serve_resource (SoupServerMessage *msg,
                const char        *name,
                const char        *type)
{
  g_autofree char *path = g_strconcat ("/org/ataraxia/Calendar/call/", name, NULL);
  g_autoptr(GBytes) bytes = g_resources_lookup_data (path, 0, NULL);

  g_assert_nonnull (bytes);
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, type, SOUP_MEMORY_COPY,
                                    g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
host_handler (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  Fixture *f = user_data;
  SoupMessageHeaders *response = soup_server_message_get_response_headers (msg);
  g_autofree char *csp = NULL;

  soup_message_headers_replace (response, "Cache-Control", "no-store");
  soup_message_headers_replace (response, "Referrer-Policy", "no-referrer");
  /* As strict as the app's host will be: only self and the Jitsi server. */
  csp = g_strdup_printf ("default-src 'none'; script-src 'self' http://%s; "
                         "frame-src http://%s; connect-src 'self'; style-src 'self'; "
                         "img-src 'self'; base-uri 'none'; form-action 'none'",
                         atx_fake_jitsi_get_domain (f->fake), atx_fake_jitsi_get_domain (f->fake));
  soup_message_headers_replace (response, "Content-Security-Policy", csp);

  if (strcmp (path, "/call/" SECRET "/") == 0)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) page = atx_call_page_render (&f->config, &error);

      g_assert_no_error (error);
      soup_server_message_set_status (msg, 200, NULL);
      if (f->shim_js != NULL)
        {
          g_autofree char *html = g_strndup (g_bytes_get_data (page, NULL), g_bytes_get_size (page));
          g_auto(GStrv) parts = g_strsplit (html, "<script src=\"call.js\"", 2);
          g_autofree char *shimmed = NULL;

          g_assert_cmpuint (g_strv_length (parts), ==, 2);
          shimmed = g_strconcat (parts[0], "<script src=\"shim.js\"></script>\n<script src=\"call.js\"",
                                 parts[1], NULL);
          soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_COPY,
                                            shimmed, strlen (shimmed));
        }
      else
        soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_COPY,
                                          g_bytes_get_data (page, NULL), g_bytes_get_size (page));
    }
  else if (strcmp (path, "/call/" SECRET "/shim.js") == 0 && f->shim_js != NULL)
    {
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/javascript", SOUP_MEMORY_COPY,
                                        f->shim_js, strlen (f->shim_js));
    }
  else if (strcmp (path, "/call/" SECRET "/call.js") == 0)
    serve_resource (msg, "call.js", "application/javascript");
  else if (strcmp (path, "/call/" SECRET "/call.css") == 0)
    serve_resource (msg, "call.css", "text/css");
  else if (strcmp (path, "/call/" SECRET "/events") == 0 &&
           soup_server_message_get_method (msg) == SOUP_METHOD_POST)
    {
      g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
      g_autoptr(GError) error = NULL;
      AtxBridgeMessage *message;

      message = atx_bridge_message_parse_json (g_bytes_get_data (body, NULL),
                                               g_bytes_get_size (body), &error);
      if (message != NULL)
        {
          g_test_message ("page → %s", atx_bridge_message_type_to_string (message->type));
          g_ptr_array_add (f->messages, message);
        }
      else
        {
          g_test_message ("page sent a rejected message: %s", error->message);
          f->rejected++;
        }
      soup_server_message_set_status (msg, 204, NULL);
    }
  else if (strcmp (path, "/call/" SECRET "/commands") == 0)
    {
      char *json;

      g_set_object (&f->commands, msg);
      g_signal_connect (msg, "finished", G_CALLBACK (on_commands_finished), f);
      soup_server_message_set_status (msg, 200, NULL);
      soup_message_headers_set_content_type (response, "text/event-stream", NULL);
      soup_message_headers_set_encoding (response, SOUP_ENCODING_CHUNKED);
      soup_message_body_set_accumulate (soup_server_message_get_response_body (msg), FALSE);
      send_command_frame (f, ": hello");
      while ((json = g_queue_pop_head (&f->pending)) != NULL)
        {
          send_command_frame (f, json);
          g_free (json);
        }
    }
  else
    soup_server_message_set_status (msg, 404, NULL);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;

  if (find_chromium () == NULL)
    {
      g_test_skip ("Chromium is not installed");
      return;
    }

  f->fake = atx_fake_jitsi_new (&error);
  g_assert_no_error (error);
  f->messages = g_ptr_array_new_with_free_func ((GDestroyNotify) atx_bridge_message_free);
  g_queue_init (&f->pending);

  f->host = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->host, NULL, host_handler, f, NULL);
  soup_server_listen_local (f->host, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->host);
  f->host_url = g_strdup_printf ("http://127.0.0.1:%d/call/" SECRET "/", g_uri_get_port (uris->data));

  f->config.domain = atx_fake_jitsi_get_domain (f->fake);
  f->config.room_name = ROOM;
  f->config.jwt = JWT;
  f->config.display_name = "Dr. Ö </script><script>alert(1)</script>";
  f->config.email = "therapist@example.org";
  f->config.audio_only = FALSE;
  f->config.transport = "http";
  f->config.events_url = "/call/" SECRET "/events";
  f->config.commands_url = "/call/" SECRET "/commands";
  f->profile = atx_test_make_tmp_dir ();
}

static void
start_browser (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *profile_arg = g_strconcat ("--user-data-dir=", f->profile, NULL);
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);

  f->browser = g_subprocess_launcher_spawn (launcher, &error, find_chromium (),
                                            "--headless", "--no-sandbox", "--disable-gpu",
                                            "--disable-background-networking", "--no-first-run",
                                            "--password-store=basic",
                                            "--use-fake-ui-for-media-stream",
                                            "--use-fake-device-for-media-stream",
                                            profile_arg, f->host_url, NULL);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->fake == NULL)
    return;

  if (f->browser != NULL)
    {
      g_subprocess_send_signal (f->browser, SIGKILL);
      g_subprocess_wait (f->browser, NULL, NULL);
      g_clear_object (&f->browser);
    }
  if (f->commands != NULL)
    g_signal_handlers_disconnect_by_func (f->commands, on_commands_finished, f);
  g_clear_object (&f->commands);
  soup_server_disconnect (f->host);
  g_clear_object (&f->host);
  g_clear_pointer (&f->fake, atx_fake_jitsi_free);
  g_clear_pointer (&f->messages, g_ptr_array_unref);
  g_queue_clear_full (&f->pending, g_free);
  atx_test_rm_rf (f->profile);
  g_free (f->profile);
  g_free (f->host_url);
}

typedef struct {
  Fixture             *f;
  AtxBridgeMessageType type;
  guint                skip;
} MessageWait;

static gboolean
have_message (gpointer user_data)
{
  MessageWait *w = user_data;
  guint seen = 0;

  for (guint i = 0; i < w->f->messages->len; i++)
    {
      AtxBridgeMessage *m = g_ptr_array_index (w->f->messages, i);
      if (m->type == w->type && seen++ == w->skip)
        return TRUE;
    }
  return FALSE;
}

static AtxBridgeMessage *
wait_message (Fixture              *f,
              AtxBridgeMessageType  type)
{
  MessageWait w = { f, type, 0 };

  if (!atx_test_wait_until (have_message, &w, WAIT_MS))
    g_error ("no %s message from the page", atx_bridge_message_type_to_string (type));

  for (guint i = 0; i < f->messages->len; i++)
    {
      AtxBridgeMessage *m = g_ptr_array_index (f->messages, i);
      if (m->type == type)
        return m;
    }
  g_assert_not_reached ();
}

static gboolean
has_string (JsonArray  *array,
            const char *value)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_array_get_string_element (array, i), value) == 0)
      return TRUE;
  return FALSE;
}

static void
test_call_flow (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(JsonObject) options = NULL;
  g_autoptr(JsonArray) args = NULL;
  g_autoptr(GPtrArray) commands = NULL;
  JsonObject *overwrite;
  AtxBridgeMessage *m;
  guint n_before;

  if (f->fake == NULL)
    return;

  start_browser (f);
  options = atx_fake_jitsi_wait_constructed (f->fake, WAIT_MS);
  g_assert_nonnull (options);

  g_assert_cmpstr (atx_fake_jitsi_get_constructed_domain (f->fake), ==, atx_fake_jitsi_get_domain (f->fake));
  g_assert_cmpstr (atx_fake_jitsi_get_constructed_options_type (f->fake), ==, "object");
  g_assert_cmpstr (json_object_get_string_member (options, "roomName"), ==, ROOM);
  g_assert_cmpstr (json_object_get_string_member (options, "jwt"), ==, JWT);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (options, "userInfo"), "displayName"),
                   ==, f->config.display_name);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (options, "parentNode"), "id"),
                   ==, "meet");
  overwrite = json_object_get_object_member (options, "configOverwrite");
  g_assert_false (json_object_get_boolean_member (overwrite, "startAudioOnly"));
  g_assert_false (json_object_get_boolean_member (json_object_get_object_member (overwrite, "prejoinConfig"), "enabled"));
  g_assert_true (has_string (json_object_get_array_member (overwrite, "toolbarButtons"), "desktop"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (options, "interfaceConfigOverwrite"),
                                                  "PROVIDER_NAME"), ==, "Ataraxia");
  g_assert_true (g_str_has_prefix (atx_fake_jitsi_get_constructed_iframe_src (f->fake),
                                   atx_fake_jitsi_get_base_url (f->fake)));

  /* The stub's own init event comes through the page. */
  m = wait_message (f, ATX_BRIDGE_BROWSER_SUPPORT);
  g_assert_true (m->supported);

  atx_fake_jitsi_cue (f->fake, "videoConferenceJoined",
                      "{\"roomName\": \"" ROOM "\", \"id\": \"me1\", \"displayName\": \"Dr\", \"visitor\": false}");
  m = wait_message (f, ATX_BRIDGE_VIDEO_CONFERENCE_JOINED);
  g_assert_cmpstr (m->id, ==, "me1");
  atx_fake_jitsi_cue (f->fake, "knockingParticipant", "{\"participant\": {\"id\": \"k1\", \"name\": \"Guest\"}}");
  m = wait_message (f, ATX_BRIDGE_KNOCKING_PARTICIPANT);
  g_assert_cmpstr (m->id, ==, "k1");
  g_assert_cmpstr (m->display_name, ==, "Guest");
  /* An event the page does not forward. */
  atx_fake_jitsi_cue (f->fake, "incomingMessage", "{\"message\": \"hi\"}");

  /* Commands: whitelisted ones run with their arguments, others never. */
  send_command (f, "{\"name\": \"executeCommand\", \"args\": [\"hangup\"]}");
  send_command (f, "{\"name\": \"answerKnockingParticipant\", \"args\": [\"k1\"]}");
  send_command (f, "{\"name\": \"toggleLobby\", \"args\": [\"yes\"]}");
  send_command (f, "not json");
  {
    g_autofree char *answer = atx_bridge_command_to_json (ATX_BRIDGE_COMMAND_ANSWER_KNOCKING, "k1", TRUE);
    send_command (f, answer);
  }
  g_assert_true (atx_fake_jitsi_wait_command (f->fake, "answerKnockingParticipant", WAIT_MS, &args));
  g_assert_cmpuint (json_array_get_length (args), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (args, 0), ==, "k1");
  g_assert_true (json_array_get_boolean_element (args, 1));

  {
    g_autofree char *toggle = atx_bridge_command_to_json (ATX_BRIDGE_COMMAND_TOGGLE_AUDIO, NULL, FALSE);
    send_command (f, toggle);
  }
  m = wait_message (f, ATX_BRIDGE_AUDIO_MUTE_STATUS_CHANGED);
  g_assert_true (m->muted);

  n_before = f->messages->len;
  {
    g_autofree char *hangup = atx_bridge_command_to_json (ATX_BRIDGE_COMMAND_HANGUP, NULL, FALSE);
    send_command (f, hangup);
  }
  g_assert_true (atx_fake_jitsi_wait_command (f->fake, "hangup", WAIT_MS, NULL));
  wait_message (f, ATX_BRIDGE_READY_TO_CLOSE);
  g_assert_true (atx_fake_jitsi_wait_disposed (f->fake, WAIT_MS));
  /* videoConferenceLeft came before readyToClose. */
  g_assert_cmpint (((AtxBridgeMessage *) g_ptr_array_index (f->messages, n_before))->type,
                   ==, ATX_BRIDGE_VIDEO_CONFERENCE_LEFT);

  commands = atx_fake_jitsi_get_commands (f->fake);
  g_assert_cmpuint (commands->len, ==, 3);  /* answer, toggleAudio, hangup */
  g_assert_cmpuint (f->rejected, ==, 0);
}

static void
test_audio_only (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(JsonObject) options = NULL;
  JsonObject *overwrite;

  if (f->fake == NULL)
    return;

  f->config.audio_only = TRUE;
  f->config.jwt = NULL;
  start_browser (f);
  options = atx_fake_jitsi_wait_constructed (f->fake, WAIT_MS);
  g_assert_nonnull (options);
  overwrite = json_object_get_object_member (options, "configOverwrite");
  g_assert_true (json_object_get_boolean_member (overwrite, "startAudioOnly"));
  g_assert_true (json_object_get_boolean_member (overwrite, "startWithVideoMuted"));
  g_assert_false (json_object_has_member (options, "jwt"));
}

static void
check_load_failure (Fixture    *f,
                    const char *reason)
{
  AtxBridgeMessage *m;
  g_autofree char *url = g_strdup_printf ("%s/external_api.js", atx_fake_jitsi_get_base_url (f->fake));

  start_browser (f);
  m = wait_message (f, ATX_BRIDGE_EXTERNAL_API_LOAD_FAILED);
  g_assert_cmpstr (m->url, ==, url);
  g_assert_cmpstr (m->reason, ==, reason);
  g_assert_cmpuint (atx_fake_jitsi_get_constructed_count (f->fake), ==, 0);
}

static void
test_script_404 (Fixture       *f,
                 gconstpointer  data)
{
  if (f->fake == NULL)
    return;
  atx_fake_jitsi_set_script_status (f->fake, 404);
  check_load_failure (f, "load-error");
}

static void
test_script_without_api (Fixture       *f,
                         gconstpointer  data)
{
  if (f->fake == NULL)
    return;
  atx_fake_jitsi_set_script_body (f->fake, "/* not Jitsi */ window.somethingElse = 1;\n");
  check_load_failure (f, "missing-api");
}

static void
test_script_timeout (Fixture       *f,
                     gconstpointer  data)
{
  if (f->fake == NULL)
    return;
  atx_fake_jitsi_set_script_status (f->fake, 0);
  f->config.load_timeout_ms = 1500;
  check_load_failure (f, "timeout");
}

static void
test_hangup_before_api (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *hangup = atx_bridge_command_to_json (ATX_BRIDGE_COMMAND_HANGUP, NULL, FALSE);

  if (f->fake == NULL)
    return;
  atx_fake_jitsi_set_script_status (f->fake, 0);
  start_browser (f);
  send_command (f, hangup);
  wait_message (f, ATX_BRIDGE_READY_TO_CLOSE);
}

static void
test_webkit_transport (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(JsonObject) options = NULL;
  g_autoptr(JsonArray) args = NULL;
  g_autofree char *lobby = atx_bridge_command_to_json (ATX_BRIDGE_COMMAND_TOGGLE_LOBBY, NULL, TRUE);
  g_autofree char *hangup = atx_bridge_command_to_json (ATX_BRIDGE_COMMAND_HANGUP, NULL, FALSE);
  AtxBridgeMessage *m;

  if (f->fake == NULL)
    return;

  f->config.transport = "webkit";
  f->config.events_url = NULL;
  f->config.commands_url = NULL;
  f->shim_js = webkit_shim;
  start_browser (f);

  options = atx_fake_jitsi_wait_constructed (f->fake, WAIT_MS);
  g_assert_nonnull (options);
  g_assert_cmpstr (json_object_get_string_member (options, "roomName"), ==, ROOM);
  m = wait_message (f, ATX_BRIDGE_BROWSER_SUPPORT);
  g_assert_true (m->supported);

  atx_fake_jitsi_cue (f->fake, "participantRoleChanged", "{\"id\": \"me1\", \"role\": \"moderator\"}");
  m = wait_message (f, ATX_BRIDGE_PARTICIPANT_ROLE_CHANGED);
  g_assert_cmpstr (m->role, ==, "moderator");
  /* readyToClose has no payload in the API: the page sends {}. */
  send_command (f, lobby);
  g_assert_true (atx_fake_jitsi_wait_command (f->fake, "toggleLobby", WAIT_MS, &args));
  g_assert_true (json_array_get_boolean_element (args, 0));
  send_command (f, hangup);
  wait_message (f, ATX_BRIDGE_READY_TO_CLOSE);
  g_assert_true (atx_fake_jitsi_wait_disposed (f->fake, WAIT_MS));
  g_assert_cmpuint (f->rejected, ==, 0);
}

static void
test_no_webrtc (Fixture       *f,
                gconstpointer  data)
{
  AtxBridgeMessage *m;

  if (f->fake == NULL)
    return;

  f->shim_js = no_webrtc_shim;
  start_browser (f);
  m = wait_message (f, ATX_BRIDGE_BROWSER_SUPPORT);
  g_assert_false (m->supported);
  /* The page said so itself and never loaded the API. */
  atx_test_spin (300);
  g_assert_cmpuint (atx_fake_jitsi_get_script_requests (f->fake), ==, 0);
  g_assert_cmpuint (atx_fake_jitsi_get_constructed_count (f->fake), ==, 0);
}

static void
test_no_webrtc_check_skipped (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(JsonObject) options = NULL;

  if (f->fake == NULL)
    return;

  f->shim_js = no_webrtc_shim;
  f->config.skip_webrtc_check = TRUE;
  start_browser (f);
  options = atx_fake_jitsi_wait_constructed (f->fake, WAIT_MS);
  g_assert_nonnull (options);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/call-page/browser/flow", test_call_flow);
  ADD ("/call-page/browser/audio-only-without-jwt", test_audio_only);
  ADD ("/call-page/browser/script-404", test_script_404);
  ADD ("/call-page/browser/script-without-api", test_script_without_api);
  ADD ("/call-page/browser/script-timeout", test_script_timeout);
  ADD ("/call-page/browser/hangup-before-api", test_hangup_before_api);
  ADD ("/call-page/browser/webkit-transport-through-shim", test_webkit_transport);
  ADD ("/call-page/browser/no-webrtc-posts-browser-support-false", test_no_webrtc);
  ADD ("/call-page/browser/no-webrtc-check-skipped", test_no_webrtc_check_skipped);
#undef ADD

  return g_test_run ();
}

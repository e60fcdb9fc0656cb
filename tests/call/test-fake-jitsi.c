/* test-fake-jitsi.c — the fake Jitsi server's C API over plain HTTP (no
 * browser): the script's configurable answers, CORS, records and waits,
 * cues queued until a listener connects. test-page-browser drives the stub
 * itself in Chromium.
 */
#include "config.h"

#include <string.h>
#include <libsoup/soup.h>

#include "atx-fake-jitsi.h"
#include "atx-test-utils.h"

typedef struct {
  AtxFakeJitsi *fake;
  SoupSession  *session;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->fake = atx_fake_jitsi_new (&error);
  g_assert_no_error (error);
  f->session = soup_session_new_with_options ("timeout", 5, NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->session);
  atx_fake_jitsi_free (f->fake);
}

typedef struct {
  GBytes       *body;
  SoupMessage  *msg;
  GError       *error;
  gboolean      done;
} Exchange;

static void
on_sent (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Exchange *ex = user_data;

  ex->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &ex->error);
  ex->done = TRUE;
}

static gboolean
exchange_done (gpointer data)
{
  return ((Exchange *) data)->done;
}

/* One request, bounded by @timeout_ms; returns the status (0 on timeout). */
static guint
request (Fixture     *f,
         const char  *method,
         const char  *path,
         const char  *body,
         guint        timeout_ms,
         char       **out_body,
         SoupMessage **out_msg)
{
  g_autofree char *url = g_strconcat (atx_fake_jitsi_get_base_url (f->fake), path, NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Exchange ex = { 0 };
  guint status;

  ex.msg = soup_message_new (method, url);
  soup_message_headers_replace (soup_message_get_request_headers (ex.msg), "Origin", "http://127.0.0.1:1");
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (ex.msg, "application/json", bytes);
    }
  soup_session_send_and_read_async (f->session, ex.msg, G_PRIORITY_DEFAULT, cancellable, on_sent, &ex);
  if (!atx_test_wait_until (exchange_done, &ex, timeout_ms))
    {
      g_cancellable_cancel (cancellable);
      atx_test_wait_until (exchange_done, &ex, 5000);
      g_clear_error (&ex.error);
      g_clear_pointer (&ex.body, g_bytes_unref);
      g_object_unref (ex.msg);
      return 0;
    }

  g_assert_no_error (ex.error);
  status = soup_message_get_status (ex.msg);
  if (out_body != NULL)
    *out_body = g_strndup (g_bytes_get_data (ex.body, NULL), g_bytes_get_size (ex.body));
  if (out_msg != NULL)
    *out_msg = g_object_ref (ex.msg);
  g_bytes_unref (ex.body);
  g_object_unref (ex.msg);
  return status;
}

static void
test_script_answers (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *body = NULL;
  g_autofree char *other = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  SoupMessageHeaders *headers;

  g_assert_true (g_str_has_prefix (atx_fake_jitsi_get_domain (f->fake), "127.0.0.1:"));

  g_assert_cmpuint (request (f, "GET", "/external_api.js", NULL, 5000, &body, &msg), ==, 200);
  g_assert_nonnull (strstr (body, "window.JitsiMeetExternalAPI = JitsiMeetExternalAPI"));
  g_assert_nonnull (strstr (body, "\"hangup_closes\": true"));
  headers = soup_message_get_response_headers (msg);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Access-Control-Allow-Origin"), ==, "http://127.0.0.1:1");
  g_assert_cmpstr (soup_message_headers_get_content_type (headers, NULL), ==, "application/javascript");

  atx_fake_jitsi_set_browser_supported (f->fake, FALSE);
  atx_fake_jitsi_set_hangup_closes (f->fake, FALSE);
  g_clear_pointer (&body, g_free);
  g_assert_cmpuint (request (f, "GET", "/external_api.js", NULL, 5000, &body, NULL), ==, 200);
  g_assert_nonnull (strstr (body, "\"browser_supported\": false"));
  g_assert_nonnull (strstr (body, "\"hangup_closes\": false"));

  atx_fake_jitsi_set_script_status (f->fake, 404);
  g_assert_cmpuint (request (f, "GET", "/external_api.js", NULL, 5000, NULL, NULL), ==, 404);

  atx_fake_jitsi_set_script_status (f->fake, 200);
  atx_fake_jitsi_set_script_body (f->fake, "var x = 1;");
  g_clear_pointer (&body, g_free);
  g_assert_cmpuint (request (f, "GET", "/external_api.js", NULL, 5000, &body, NULL), ==, 200);
  g_assert_cmpstr (body, ==, "var x = 1;");

  /* Never answers: the request is still open when we give up. */
  atx_fake_jitsi_set_script_status (f->fake, 0);
  g_assert_cmpuint (request (f, "GET", "/external_api.js", NULL, 500, NULL, NULL), ==, 0);
  g_assert_cmpuint (atx_fake_jitsi_get_script_requests (f->fake), ==, 5);

  /* Any other path: the room page. */
  g_assert_cmpuint (request (f, "GET", "/ataraxia-room?jwt=x", NULL, 5000, &other, NULL), ==, 200);
  g_assert_nonnull (strstr (other, "fake Jitsi room"));
}

static void
test_records_and_waits (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(JsonObject) options = NULL;
  g_autoptr(JsonArray) args = NULL;
  g_autoptr(GPtrArray) commands = NULL;
  gint64 start = g_get_monotonic_time ();

  /* Bounded waits. */
  g_assert_null (atx_fake_jitsi_wait_constructed (f->fake, 200));
  g_assert_false (atx_fake_jitsi_wait_command (f->fake, "hangup", 100, NULL));
  g_assert_false (atx_fake_jitsi_wait_disposed (f->fake, 100));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);

  g_assert_cmpuint (request (f, "POST", "/__fake/record",
                             "{\"kind\": \"constructed\", \"domain\": \"127.0.0.1:9\", \"optionsType\": \"object\","
                             " \"options\": {\"roomName\": \"r\"}, \"iframeSrc\": \"http://127.0.0.1:9/r\"}",
                             5000, NULL, NULL), ==, 204);
  g_assert_cmpuint (request (f, "POST", "/__fake/record",
                             "{\"kind\": \"command\", \"name\": \"answerKnockingParticipant\", \"args\": [\"k1\", true]}",
                             5000, NULL, NULL), ==, 204);
  g_assert_cmpuint (request (f, "POST", "/__fake/record", "{\"kind\": \"disposed\"}", 5000, NULL, NULL), ==, 204);
  g_assert_cmpuint (request (f, "POST", "/__fake/record", "not json", 5000, NULL, NULL), ==, 400);

  options = atx_fake_jitsi_wait_constructed (f->fake, 1000);
  g_assert_nonnull (options);
  g_assert_cmpstr (json_object_get_string_member (options, "roomName"), ==, "r");
  g_assert_cmpstr (atx_fake_jitsi_get_constructed_domain (f->fake), ==, "127.0.0.1:9");
  g_assert_cmpstr (atx_fake_jitsi_get_constructed_options_type (f->fake), ==, "object");
  g_assert_cmpstr (atx_fake_jitsi_get_constructed_iframe_src (f->fake), ==, "http://127.0.0.1:9/r");
  /* Each construction is returned once. */
  g_assert_null (atx_fake_jitsi_wait_constructed (f->fake, 100));

  g_assert_true (atx_fake_jitsi_wait_command (f->fake, "answerKnockingParticipant", 1000, &args));
  g_assert_cmpstr (json_array_get_string_element (args, 0), ==, "k1");
  g_assert_true (json_array_get_boolean_element (args, 1));
  g_assert_false (atx_fake_jitsi_wait_command (f->fake, "answerKnockingParticipant", 100, NULL));
  commands = atx_fake_jitsi_get_commands (f->fake);
  g_assert_cmpuint (commands->len, ==, 1);
  g_assert_true (atx_fake_jitsi_wait_disposed (f->fake, 1000));

  atx_fake_jitsi_reset (f->fake);
  g_assert_cmpuint (atx_fake_jitsi_get_constructed_count (f->fake), ==, 0);
}

/* ---- cues over Server-Sent Events ---- */

typedef struct {
  GInputStream *stream;
  GString      *text;
  guint8        buffer[4096];
  gboolean      open;
} Reader;

static void read_more (Reader *r);

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Reader *r = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n <= 0)
    {
      r->open = FALSE;
      return;
    }
  g_string_append_len (r->text, (const char *) r->buffer, n);
  read_more (r);
}

static void
read_more (Reader *r)
{
  g_input_stream_read_async (r->stream, r->buffer, sizeof r->buffer, G_PRIORITY_DEFAULT, NULL, on_read, r);
}

static void
on_stream (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Reader *r = user_data;

  r->stream = soup_session_send_finish (SOUP_SESSION (source), result, NULL);
  g_assert_nonnull (r->stream);
  r->open = TRUE;
  read_more (r);
}

static gboolean
has_two_cues (gpointer data)
{
  Reader *r = data;
  const char *second = strstr (r->text->str, "\"event\":\"participantJoined\"");
  return second != NULL && strstr (r->text->str, "\"event\":\"videoConferenceJoined\"") != NULL;
}

static void
test_cues_queued_then_streamed (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *url = g_strconcat (atx_fake_jitsi_get_base_url (f->fake), "/__fake/cues", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Reader r = { 0 };

  r.text = g_string_new (NULL);

  /* Nobody listens yet: queued. */
  atx_fake_jitsi_cue (f->fake, "videoConferenceJoined", "{\"roomName\": \"r\", \"id\": \"me\"}");
  g_assert_false (atx_fake_jitsi_wait_listening (f->fake, 100));

  soup_session_send_async (f->session, msg, G_PRIORITY_DEFAULT, cancellable, on_stream, &r);
  g_assert_true (atx_fake_jitsi_wait_listening (f->fake, 5000));
  atx_fake_jitsi_cue (f->fake, "participantJoined", NULL);
  g_assert_true (atx_test_wait_until (has_two_cues, &r, 5000));
  g_assert_cmpstr (soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL),
                   ==, "text/event-stream");
  g_assert_nonnull (strstr (r.text->str, "data: {\"id\":1,\"event\":\"videoConferenceJoined\","
                                         "\"payload\":{\"roomName\":\"r\",\"id\":\"me\"}}\n\n"));
  g_assert_nonnull (strstr (r.text->str, "data: {\"id\":2,\"event\":\"participantJoined\",\"payload\":{}}\n\n"));

  g_cancellable_cancel (cancellable);
  if (r.stream != NULL)
    {
      g_input_stream_close (r.stream, NULL, NULL);
      atx_test_spin (50);
      g_clear_object (&r.stream);
    }
  g_string_free (r.text, TRUE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/fake-jitsi/script-status-body-and-cors", test_script_answers);
  ADD ("/fake-jitsi/records-and-bounded-waits", test_records_and_waits);
  ADD ("/fake-jitsi/cues-queued-then-streamed", test_cues_queued_then_streamed);
#undef ADD

  return g_test_run ();
}

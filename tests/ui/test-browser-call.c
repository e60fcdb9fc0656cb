/* test-browser-call.c — a browser call end to end, in a real browser.
 *
 * Debian's Chromium, headless, is installed as the default web browser of
 * this test's private XDG dirs (a .desktop handler + mimeapps.list), so the
 * companion's own "open in browser" path launches it. The loopback fake
 * Jitsi server serves the stub External API, the real ataraxia-token-server
 * runs on port 0 and mints the therapist's token, and an AtxCallSession
 * with its AtxCallHost and companion window runs the call. Checked: what
 * the External API was constructed with (room, a JWT that verifies, the
 * display name, the audio-only options), the call log written to the store
 * file as events arrive, Leave reaching the page as hangup, a knock shown
 * with Admit/Deny, and a killed browser ending the call as browser-closed.
 *
 * Every wait is bounded; Chromium is killed at teardown and, should this
 * process die first, by the watchdog in the fake browser's launcher script.
 */
#include "config.h"

#include <signal.h>
#include <sys/types.h>

#include <adwaita.h>
#include <glib/gstdio.h>

#include "atx-call-companion.h"
#include "call/atx-call-host.h"
#include "call/atx-call-session.h"
#include "core/atx-join-token.h"
#include "core/atx-jwt.h"
#include "core/atx-room-name.h"
#include "atx-fake-jitsi.h"
#include "atx-test-browser.h"
#include "atx-test-utils.h"
#include "token-server-fixture.h"

#define BROWSER_TIMEOUT_MS 45000
#define WAIT_MS 15000
#define GRACE_MS 1500

typedef struct {
  char                *dir;
  char                *path;
  char                *profile;
  Server              *server;
  AtxFakeJitsi        *fake;
  GSettings           *gsettings;
  AtxSettings         *settings;
  AtxTokenClient      *client;
  AtxAppointmentStore *store;
  char                *appointment_id;
  char                *room;
  AtxCallType          call_type;
  AtxTokenResult      *token;
  AtxCallSession      *session;
  AtxCallHost         *host;
  AtxCallCompanion    *companion;
  JsonObject          *options;   /* the External API's constructor options */
} Fixture;

/* ---------------------------------------------------------------- fixture */

static void
token_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Fixture *f = user_data;
  g_autoptr(GError) error = NULL;

  f->token = atx_join_token_get_finish (result, &error);
  g_assert_no_error (error);
}

static gboolean
have_token (gpointer data)
{
  return ((Fixture *) data)->token != NULL;
}

static JsonObject *
get_object (JsonObject *object,
            const char *member)
{
  g_assert_true (json_object_has_member (object, member));
  return json_object_get_object_member (object, member);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(AtxAppointment) appointment = atx_appointment_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) end = g_date_time_add_minutes (now, 50);
  g_autoptr(GError) error = NULL;
  ServerOptions options = { 0 };
  AtxCallPageConfig config = { 0 };

  f->call_type = GPOINTER_TO_INT (data);
  if (!atx_test_browser_is_installed ())
    {
      g_test_skip ("needs " ATX_TEST_CHROMIUM " and the private XDG dirs of gui-test-env");
      return;
    }

  f->dir = atx_test_make_tmp_dir ();
  f->path = g_build_filename (f->dir, "ataraxia", "appointments.json", NULL);
  f->profile = g_build_filename (f->dir, "chromium-profile", NULL);
  atx_test_browser_prepare (f->profile);

  f->fake = atx_fake_jitsi_new (&error);
  g_assert_no_error (error);
  options.domain = atx_fake_jitsi_get_domain (f->fake);
  f->server = server_start (&options);
  g_assert_nonnull (f->server);

  f->gsettings = g_settings_new (APP_ID);
  g_settings_set_string (f->gsettings, "jitsi-domain", atx_fake_jitsi_get_domain (f->fake));
  g_settings_set_boolean (f->gsettings, "use-jwt", TRUE);
  g_settings_set_string (f->gsettings, "backend-url", f->server->url);
  g_settings_set_string (f->gsettings, "user-name", "Dr Test");
  g_settings_set_string (f->gsettings, "user-email", "dr.test@example.org");
  g_settings_set_string (f->gsettings, "user-id", "therapist-1");
  g_settings_set_boolean (f->gsettings, "lobby-for-clients", TRUE);
  g_setenv ("ATARAXIA_BACKEND_API_KEY", FIXTURE_THERAPIST_KEY, TRUE);
  f->settings = atx_settings_new (f->gsettings);
  f->client = atx_token_client_new (f->server->url, FIXTURE_THERAPIST_KEY);

  f->store = atx_appointment_store_new (f->path);
  g_assert_true (atx_appointment_store_load (f->store, &error));
  f->room = atx_room_name_generate ();
  atx_appointment_set_title (appointment, "Initial consultation");
  atx_appointment_set_client_name (appointment, "Alex Doe");
  atx_appointment_set_start (appointment, now);
  atx_appointment_set_end (appointment, end);
  atx_appointment_set_is_video_call (appointment, TRUE);
  atx_appointment_set_video_call_type (appointment, f->call_type);
  atx_appointment_set_video_call_room_name (appointment, f->room);
  f->appointment_id = g_strdup (atx_appointment_get_id (appointment));
  g_assert_true (atx_appointment_store_add (f->store, appointment, &error));
  g_assert_no_error (error);

  /* A warm token, as at join. */
  atx_join_token_get_async (f->store, atx_appointment_store_lookup (f->store, f->appointment_id),
                            f->settings, f->client, NULL, token_cb, f);
  g_assert_true (atx_test_wait_until (have_token, f, WAIT_MS));

  f->session = atx_call_session_new (f->store, f->appointment_id, "Initial consultation", f->room,
                                     f->call_type, FALSE, ATX_CALL_WHERE_BROWSER, TRUE);
  config.domain = atx_fake_jitsi_get_domain (f->fake);
  config.room_name = f->room;
  config.jwt = f->token->token;
  config.display_name = "Dr Test";
  config.email = "dr.test@example.org";
  config.audio_only = f->call_type == ATX_CALL_TYPE_AUDIO;

  /* The companion's "open in browser": host, default browser, window. */
  f->companion = atx_call_companion_start_browser_call (NULL, f->session, &config,
                                                        atx_fake_jitsi_get_domain (f->fake), &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->companion);
  f->host = g_object_ref (atx_call_companion_get_host (f->companion));
  g_object_set (f->host, "transport-grace", GRACE_MS, "ping-interval", 200, "close-delay", 500, NULL);

  f->options = atx_fake_jitsi_wait_constructed (f->fake, BROWSER_TIMEOUT_MS);
  if (f->options == NULL)
    {
      g_autofree char *log = atx_test_browser_get_log (f->profile);
      g_error ("the External API was not constructed in Chromium; its log:\n%s", log ? log : "(none)");
    }
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->dir == NULL)
    return;

  if (f->companion != NULL)
    gtk_window_destroy (GTK_WINDOW (f->companion));
  if (f->host != NULL)
    atx_call_host_stop (f->host);
  atx_test_browser_kill (f->profile);
  atx_test_spin (50);
  g_clear_object (&f->host);
  g_clear_object (&f->session);
  g_clear_pointer (&f->options, json_object_unref);
  g_clear_pointer (&f->token, atx_token_result_free);
  if (f->store != NULL)
    atx_appointment_store_flush (f->store, NULL);
  g_clear_object (&f->store);
  g_clear_object (&f->client);
  g_clear_object (&f->settings);
  g_clear_object (&f->gsettings);
  g_clear_pointer (&f->fake, atx_fake_jitsi_free);
  g_clear_pointer (&f->server, server_free);
  atx_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->profile);
  g_free (f->appointment_id);
  g_free (f->room);
}

/* ---------------------------------------------------------------- helpers */

/* The fixture appointment's first callLog entry, read from the file. */
static JsonObject *
read_log_entry (Fixture *f)
{
  g_autofree char *contents = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *appointments;

  if (!g_file_get_contents (f->path, &contents, NULL, NULL) ||
      !json_parser_load_from_data (parser, contents, -1, NULL))
    return NULL;
  appointments = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                               "appointments");
  for (guint i = 0; i < json_array_get_length (appointments); i++)
    {
      JsonObject *a = json_array_get_object_element (appointments, i);
      JsonArray *log;

      if (g_strcmp0 (json_object_get_string_member (a, "id"), f->appointment_id) != 0)
        continue;
      if (!json_object_has_member (a, "callLog"))
        return NULL;
      log = json_object_get_array_member (a, "callLog");
      if (json_array_get_length (log) == 0)
        return NULL;
      return json_object_ref (json_array_get_object_element (log, 0));
    }
  return NULL;
}

typedef struct {
  Fixture    *f;
  const char *participant;  /* that participant is listed … */
  gboolean    left;         /* … and has leftAt */
  const char *end_reason;   /* the entry ended with this reason */
} LogWait;

static gboolean
log_matches (gpointer data)
{
  LogWait *wait = data;
  g_autoptr(JsonObject) entry = read_log_entry (wait->f);

  if (entry == NULL)
    return FALSE;
  if (wait->participant != NULL)
    {
      JsonArray *participants;
      gboolean found = FALSE;

      if (!json_object_has_member (entry, "participants"))
        return FALSE;
      participants = json_object_get_array_member (entry, "participants");
      for (guint i = 0; i < json_array_get_length (participants); i++)
        {
          JsonObject *p = json_array_get_object_element (participants, i);

          if (g_strcmp0 (json_object_get_string_member (p, "id"), wait->participant) == 0 &&
              (!wait->left || json_object_has_member (p, "leftAt")))
            found = TRUE;
        }
      if (!found)
        return FALSE;
    }
  if (wait->end_reason != NULL)
    return json_object_has_member (entry, "endedAt") &&
           g_strcmp0 (json_object_get_string_member_with_default (entry, "endReason", ""),
                      wait->end_reason) == 0;
  return TRUE;
}

static void
wait_for_log (Fixture    *f,
              const char *participant,
              gboolean    left,
              const char *end_reason)
{
  LogWait wait = { f, participant, left, end_reason };

  if (!atx_test_wait_until (log_matches, &wait, WAIT_MS))
    {
      g_autofree char *contents = NULL;
      g_file_get_contents (f->path, &contents, NULL, NULL);
      g_error ("the call log never showed participant=%s left=%d endReason=%s:\n%s",
               participant, left, end_reason, contents);
    }
}

typedef struct {
  AtxCallSession *session;
  AtxCallState    state;
} StateWait;

static gboolean
state_is (gpointer data)
{
  StateWait *wait = data;

  return atx_call_session_get_state (wait->session) == wait->state;
}

static void
wait_for_state (Fixture      *f,
                AtxCallState  state)
{
  StateWait wait = { f->session, state };

  if (!atx_test_wait_until (state_is, &wait, WAIT_MS))
    g_error ("the session stayed in state %d (wanted %d); the companion says “%s”",
             atx_call_session_get_state (f->session), state,
             f->companion ? atx_call_companion_get_state_text (f->companion) : "(closed)");
}

static gboolean
host_connected (gpointer data)
{
  return atx_call_host_get_connected (data);
}

static gboolean
host_disconnected (gpointer data)
{
  return !atx_call_host_get_connected (data);
}

/* The browser's command stream is open and the stub is in the conference. */
static void
join (Fixture *f)
{
  g_autofree char *joined = g_strdup_printf ("{\"roomName\":\"%s\",\"id\":\"me0001\","
                                             "\"displayName\":\"Dr Test\",\"formattedDisplayName\":\"Dr Test (me)\"}",
                                             f->room);

  g_assert_true (atx_test_wait_until (host_connected, f->host, WAIT_MS));
  g_assert_cmpstr (atx_call_companion_get_state_text (f->companion), ==, "Joining the call…");
  g_assert_true (atx_fake_jitsi_wait_listening (f->fake, WAIT_MS));
  atx_fake_jitsi_cue (f->fake, "videoConferenceJoined", joined);
  wait_for_state (f, ATX_CALL_STATE_JOINED);
  g_assert_cmpstr (atx_call_companion_get_state_text (f->companion), ==, "In call");
}

static void
click (GtkWidget *button)
{
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

/* ------------------------------------------------------------------ tests */

static void
test_constructed_with_room_token_and_name (Fixture       *f,
                                           gconstpointer  data)
{
  g_autoptr(AtxJwtClaims) claims = NULL;
  g_autoptr(GError) error = NULL;
  AtxJwtExpectations expect = { .issuer = "ataraxia", .audience = "jitsi" };
  JsonObject *user_info;
  JsonObject *config;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (f->dir == NULL)
    return;

  g_assert_cmpstr (atx_fake_jitsi_get_constructed_domain (f->fake), ==, atx_fake_jitsi_get_domain (f->fake));
  g_assert_cmpstr (atx_fake_jitsi_get_constructed_options_type (f->fake), ==, "object");
  g_assert_cmpstr (json_object_get_string_member (f->options, "roomName"), ==, f->room);

  /* A JWT that verifies with the token server's secret, as prosody checks. */
  expect.subject = atx_fake_jitsi_get_domain (f->fake);
  expect.room = f->room;
  claims = atx_jwt_verify (json_object_get_string_member (f->options, "jwt"),
                           (const guint8 *) FIXTURE_SECRET, strlen (FIXTURE_SECRET),
                           &expect, now, &error);
  g_assert_no_error (error);
  g_assert_true (claims->moderator);
  g_assert_cmpstr (claims->room, ==, f->room);
  g_assert_cmpint (claims->expires_at, >, now);

  user_info = get_object (f->options, "userInfo");
  g_assert_cmpstr (json_object_get_string_member (user_info, "displayName"), ==, "Dr Test");
  g_assert_cmpstr (json_object_get_string_member (user_info, "email"), ==, "dr.test@example.org");

  config = get_object (f->options, "configOverwrite");
  if (f->call_type == ATX_CALL_TYPE_AUDIO)
    {
      g_assert_true (json_object_get_boolean_member (config, "startAudioOnly"));
      g_assert_true (json_object_get_boolean_member (config, "startWithVideoMuted"));
    }
  else
    {
      g_assert_false (json_object_get_boolean_member_with_default (config, "startAudioOnly", FALSE));
      g_assert_false (json_object_get_boolean_member_with_default (config, "startWithVideoMuted", FALSE));
    }

  /* The token went into the page only: never into the URL opened. */
  g_assert_null (strstr (atx_call_host_get_url (f->host), f->token->token));
  g_assert_null (strstr (atx_call_host_get_url (f->host), "jwt"));
}

static void
test_join_leave_logged_and_leave_hangs_up (Fixture       *f,
                                           gconstpointer  data)
{
  g_autoptr(JsonObject) entry = NULL;

  if (f->dir == NULL)
    return;

  join (f);
  wait_for_log (f, NULL, FALSE, NULL);

  /* Participants land in the file while the call runs. */
  atx_fake_jitsi_cue (f->fake, "participantJoined",
                      "{\"id\":\"c1ient01\",\"displayName\":\"Alex Doe\",\"formattedDisplayName\":\"Alex Doe\"}");
  wait_for_log (f, "c1ient01", FALSE, NULL);
  g_assert_cmpstr (atx_call_companion_get_participants_text (f->companion), ==, "1 other participant");
  atx_fake_jitsi_cue (f->fake, "participantLeft", "{\"id\":\"c1ient01\"}");
  wait_for_log (f, "c1ient01", TRUE, NULL);
  entry = read_log_entry (f);
  g_assert_false (json_object_has_member (entry, "endedAt"));
  g_assert_cmpstr (json_object_get_string_member (entry, "where"), ==, "browser");

  /* Leave in the companion reaches the page as hangup; the stub answers
   * with videoConferenceLeft + readyToClose and the entry is closed. */
  click (atx_call_companion_get_leave_button (f->companion));
  g_assert_true (atx_fake_jitsi_wait_command (f->fake, "hangup", WAIT_MS, NULL));
  wait_for_state (f, ATX_CALL_STATE_ENDED);
  wait_for_log (f, NULL, FALSE, "hangup");
  g_assert_cmpstr (atx_call_companion_get_state_text (f->companion), ==, "Call ended");
  g_assert_false (atx_call_host_get_running (f->host));
  g_assert_false (gtk_widget_get_sensitive (atx_call_companion_get_leave_button (f->companion)));
}

static gboolean
knock_shown (gpointer data)
{
  Fixture *f = data;

  return atx_call_companion_get_knock_button (f->companion, "kn0ck01", TRUE) != NULL &&
         atx_call_companion_get_knock_button (f->companion, "kn0ck01", FALSE) != NULL;
}

static gboolean
knock_gone (gpointer data)
{
  return !knock_shown (data);
}

static gboolean
audio_muted (gpointer data)
{
  Fixture *f = data;

  return atx_call_session_get_audio_muted (f->session) &&
         gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (atx_call_companion_get_mute_button (f->companion)));
}

static void
test_knock_admit_and_toggles (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(JsonArray) args = NULL;
  g_autofree char *own_role = g_strdup ("{\"id\":\"me0001\",\"role\":\"moderator\"}");

  if (f->dir == NULL)
    return;

  join (f);

  /* Moderator with lobby-for-clients: the lobby is turned on. */
  atx_fake_jitsi_cue (f->fake, "participantRoleChanged", own_role);
  g_assert_true (atx_fake_jitsi_wait_command (f->fake, "toggleLobby", WAIT_MS, &args));
  g_assert_cmpuint (json_array_get_length (args), ==, 1);
  g_assert_true (json_array_get_boolean_element (args, 0));
  g_clear_pointer (&args, json_array_unref);

  /* A knock shows Admit and Deny; Admit answers the knock. */
  atx_fake_jitsi_cue (f->fake, "knockingParticipant",
                      "{\"participant\":{\"id\":\"kn0ck01\",\"name\":\"Alex Doe\"}}");
  g_assert_true (atx_test_wait_until (knock_shown, f, WAIT_MS));
  click (atx_call_companion_get_knock_button (f->companion, "kn0ck01", TRUE));
  g_assert_true (atx_fake_jitsi_wait_command (f->fake, "answerKnockingParticipant", WAIT_MS, &args));
  g_assert_cmpuint (json_array_get_length (args), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (args, 0), ==, "kn0ck01");
  g_assert_true (json_array_get_boolean_element (args, 1));
  g_assert_true (atx_test_wait_until (knock_gone, f, WAIT_MS));

  /* The microphone toggle sends toggleAudio and mirrors what Jitsi says. */
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (atx_call_companion_get_mute_button (f->companion))));
  click (atx_call_companion_get_mute_button (f->companion));
  g_assert_true (atx_fake_jitsi_wait_command (f->fake, "toggleAudio", WAIT_MS, NULL));
  g_assert_true (atx_test_wait_until (audio_muted, f, WAIT_MS));
}

static void
test_killed_browser_ends_as_browser_closed (Fixture       *f,
                                            gconstpointer  data)
{
  g_autoptr(GArray) main_pid = NULL;
  g_autoptr(JsonObject) entry = NULL;

  if (f->dir == NULL)
    return;

  join (f);
  atx_fake_jitsi_cue (f->fake, "participantJoined", "{\"id\":\"c1ient02\",\"displayName\":\"Alex Doe\"}");
  wait_for_log (f, "c1ient02", FALSE, NULL);

  main_pid = atx_test_browser_find_processes (f->profile, TRUE);
  if (main_pid->len != 1)
    {
      g_autoptr(GArray) all = atx_test_browser_find_processes (f->profile, FALSE);
      g_error ("%u main Chromium processes for %s (%u in all)", main_pid->len, f->profile, all->len);
    }
  g_assert_cmpint (kill (g_array_index (main_pid, pid_t, 0), SIGKILL), ==, 0);
  g_assert_true (atx_test_wait_until (atx_test_browser_gone, f->profile, 10000));

  /* The dead stream is noticed at the next ping; during the grace the
   * companion says it is waiting for the browser. */
  g_assert_true (atx_test_wait_until (host_disconnected, f->host, WAIT_MS));
  if (atx_call_session_get_state (f->session) == ATX_CALL_STATE_JOINED)
    g_assert_cmpstr (atx_call_companion_get_state_text (f->companion), ==,
                     "In call — waiting for the browser to reconnect…");
  wait_for_state (f, ATX_CALL_STATE_ENDED);
  wait_for_log (f, "c1ient02", TRUE, "browser-closed");
  g_assert_true (atx_call_host_get_browser_closed (f->host));
  g_assert_cmpstr (atx_call_companion_get_state_text (f->companion), ==, "Browser closed");
  entry = read_log_entry (f);
  g_assert_true (json_object_has_member (entry, "endedAt"));
}

static GtkWidget *
find_message_dialog (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  return find_message_dialog () != NULL;
}

static gboolean
pointer_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
test_closing_the_window_asks_then_hangs_up (Fixture       *f,
                                            gconstpointer  data)
{
  GtkWidget *dialog;

  if (f->dir == NULL)
    return;

  join (f);

  /* Closing during the call asks first; Cancel keeps everything. */
  gtk_window_close (GTK_WINDOW (f->companion));
  g_assert_true (atx_test_wait_until (dialog_shown, NULL, WAIT_MS));
  dialog = find_message_dialog ();
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  atx_test_spin (100);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->companion)));
  g_assert_cmpint (atx_call_session_get_state (f->session), ==, ATX_CALL_STATE_JOINED);

  /* Leave Call: the hangup still reaches the page, the log is closed, and
   * only then does the window go away. */
  g_object_add_weak_pointer (G_OBJECT (f->companion), (gpointer *) &f->companion);
  gtk_window_close (GTK_WINDOW (f->companion));
  g_assert_true (atx_test_wait_until (dialog_shown, NULL, WAIT_MS));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (find_message_dialog ()), "leave");
  g_assert_true (atx_fake_jitsi_wait_command (f->fake, "hangup", WAIT_MS, NULL));
  wait_for_state (f, ATX_CALL_STATE_ENDED);
  wait_for_log (f, NULL, FALSE, "hangup");
  g_assert_true (atx_test_wait_until (pointer_cleared, &f->companion, WAIT_MS));
}

int
main (int   argc,
      char *argv[])
{
  atx_test_browser_install ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, type, func) \
  g_test_add ("/browser-call/" path, Fixture, GINT_TO_POINTER (type), fixture_set_up, func, fixture_tear_down)

  ADD ("video/constructed-with-room-token-and-name", ATX_CALL_TYPE_VIDEO, test_constructed_with_room_token_and_name);
  ADD ("audio/constructed-audio-only", ATX_CALL_TYPE_AUDIO, test_constructed_with_room_token_and_name);
  ADD ("join-leave-logged-and-leave-hangs-up", ATX_CALL_TYPE_VIDEO, test_join_leave_logged_and_leave_hangs_up);
  ADD ("knock-admit-and-toggles", ATX_CALL_TYPE_VIDEO, test_knock_admit_and_toggles);
  ADD ("closing-the-window-asks-then-hangs-up", ATX_CALL_TYPE_VIDEO, test_closing_the_window_asks_then_hangs_up);
  ADD ("killed-browser-ends-as-browser-closed", ATX_CALL_TYPE_VIDEO, test_killed_browser_ends_as_browser_closed);

  return g_test_run ();
}

/* test-call-session.c — AtxCallSession: the rules of a running call, fed
 * with validated bridge messages; commands checked as exact JSON.
 */
#include "config.h"

#include "atx-call-session.h"
#include "call-test-store.h"

typedef struct {
  CallTestStore   s;
  AtxCallSession *session;
  GPtrArray      *commands;  /* char* */
  guint           knocking_changed;
  guint           participants_changed;
  guint           audio_notifies;
} Fixture;

static void
on_command (AtxCallSession *session,
            const char     *json,
            Fixture        *f)
{
  g_ptr_array_add (f->commands, g_strdup (json));
}

static void
on_knocking_changed (AtxCallSession *session,
                     Fixture        *f)
{
  f->knocking_changed++;
}

static void
on_participants_changed (AtxCallSession *session,
                         Fixture        *f)
{
  f->participants_changed++;
}

static void
on_audio_notify (GObject    *object,
                 GParamSpec *pspec,
                 Fixture    *f)
{
  f->audio_notifies++;
}

static void
make_session (Fixture     *f,
              AtxCallType  type,
              gboolean     lobby)
{
  f->session = atx_call_session_new (f->s.store, CALL_TEST_ID, "Initial consultation", CALL_TEST_ROOM,
                                     type, FALSE, ATX_CALL_WHERE_EMBEDDED, lobby);
  g_signal_connect (f->session, "command", G_CALLBACK (on_command), f);
  g_signal_connect (f->session, "knocking-changed", G_CALLBACK (on_knocking_changed), f);
  g_signal_connect (f->session, "participants-changed", G_CALLBACK (on_participants_changed), f);
  g_signal_connect (f->session, "notify::audio-muted", G_CALLBACK (on_audio_notify), f);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  call_test_store_init (&f->s);
  f->commands = g_ptr_array_new_with_free_func (g_free);
  make_session (f, ATX_CALL_TYPE_VIDEO, TRUE);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (f->session != NULL)
    g_assert_finalize_object (f->session);
  g_ptr_array_unref (f->commands);
  call_test_store_clear (&f->s);
}

static void
feed (Fixture    *f,
      const char *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxBridgeMessage) message = atx_bridge_message_parse_json (json, -1, &error);

  g_assert_no_error (error);
  atx_call_session_handle_message (f->session, message);
}

#define JOINED_ME "{\"type\": \"videoConferenceJoined\", \"data\": {\"roomName\": \"" CALL_TEST_ROOM "\", \"id\": \"me\", \"displayName\": \"Dr\"}}"
#define ROLE(id, role) "{\"type\": \"participantRoleChanged\", \"data\": {\"id\": \"" id "\", \"role\": \"" role "\"}}"
#define KNOCK(id, name) "{\"type\": \"knockingParticipant\", \"data\": {\"participant\": {\"id\": \"" id "\", \"name\": \"" name "\"}}}"
#define PJOINED(id, name) "{\"type\": \"participantJoined\", \"data\": {\"id\": \"" id "\", \"displayName\": \"" name "\"}}"
#define PLEFT(id) "{\"type\": \"participantLeft\", \"data\": {\"id\": \"" id "\"}}"
#define ERROR_MSG(name, fatal) "{\"type\": \"errorOccurred\", \"data\": {\"error\": {\"name\": \"" name "\", \"type\": \"CONNECTION\", \"isFatal\": " fatal ", \"message\": \"m\"}}}"
#define LEFT_MSG "{\"type\": \"videoConferenceLeft\", \"data\": {\"roomName\": \"" CALL_TEST_ROOM "\"}}"
#define READY_MSG "{\"type\": \"readyToClose\", \"data\": {}}"

#define LOBBY_ON "{\"name\":\"toggleLobby\",\"args\":[true]}"

static JsonObject *
last_entry (Fixture *f)
{
  g_autoptr(JsonArray) log = call_test_store_read_log (&f->s, CALL_TEST_ID);

  g_assert_cmpuint (json_array_get_length (log), >, 0);
  return json_object_ref (json_array_get_object_element (log, json_array_get_length (log) - 1));
}

static guint
log_length (Fixture *f)
{
  g_autoptr(JsonArray) log = call_test_store_read_log (&f->s, CALL_TEST_ID);
  return json_array_get_length (log);
}

/* ------------------------------------------------------------ lobby */

static void
test_lobby_once_after_own_moderator (Fixture       *f,
                                     gconstpointer  data)
{
  feed (f, JOINED_ME);
  g_assert_cmpint (atx_call_session_get_state (f->session), ==, ATX_CALL_STATE_JOINED);
  g_assert_cmpuint (f->commands->len, ==, 0);

  feed (f, ROLE ("other", "moderator"));
  g_assert_cmpuint (f->commands->len, ==, 0);
  feed (f, ROLE ("me", "participant"));
  g_assert_cmpuint (f->commands->len, ==, 0);
  g_assert_false (atx_call_session_get_is_moderator (f->session));

  feed (f, ROLE ("me", "moderator"));
  g_assert_cmpuint (f->commands->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->commands, 0), ==, LOBBY_ON);
  g_assert_true (atx_call_session_get_is_moderator (f->session));

  /* Never again in this call. */
  feed (f, ROLE ("me", "participant"));
  feed (f, ROLE ("me", "moderator"));
  feed (f, JOINED_ME);
  g_assert_cmpuint (f->commands->len, ==, 1);
}

static void
test_lobby_role_before_joined (Fixture       *f,
                               gconstpointer  data)
{
  /* The local role can be announced before videoConferenceJoined. */
  feed (f, ROLE ("me", "moderator"));
  g_assert_cmpuint (f->commands->len, ==, 0);
  feed (f, JOINED_ME);
  g_assert_cmpuint (f->commands->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->commands, 0), ==, LOBBY_ON);
}

static void
test_lobby_off (Fixture       *f,
                gconstpointer  data)
{
  g_assert_finalize_object (f->session);
  make_session (f, ATX_CALL_TYPE_VIDEO, FALSE);

  feed (f, JOINED_ME);
  feed (f, ROLE ("me", "moderator"));
  g_assert_cmpuint (f->commands->len, ==, 0);
  g_assert_true (atx_call_session_get_is_moderator (f->session));
}

/* ------------------------------------------------------------ knocking */

static void
test_knocking (Fixture       *f,
               gconstpointer  data)
{
  GPtrArray *knocking = atx_call_session_get_knocking (f->session);
  AtxCallParticipant *p;

  /* Not in the call yet: nothing to admit to. */
  feed (f, KNOCK ("early", "Early"));
  g_assert_cmpuint (knocking->len, ==, 0);

  feed (f, JOINED_ME);
  feed (f, KNOCK ("k1", "Guest"));
  g_assert_cmpuint (knocking->len, ==, 1);
  p = g_ptr_array_index (knocking, 0);
  g_assert_cmpstr (p->id, ==, "k1");
  g_assert_cmpstr (p->display_name, ==, "Guest");
  g_assert_cmpuint (f->knocking_changed, ==, 1);

  feed (f, KNOCK ("k1", "Guest"));  /* announced again */
  g_assert_cmpuint (knocking->len, ==, 1);
  feed (f, KNOCK ("k2", "Other"));
  feed (f, KNOCK ("k3", "Third"));
  g_assert_cmpuint (knocking->len, ==, 3);
  {
    guint count;
    g_object_get (f->session, "knocking-count", &count, NULL);
    g_assert_cmpuint (count, ==, 3);
  }

  atx_call_session_answer_knocking (f->session, "k1", TRUE);
  g_assert_cmpuint (f->commands->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->commands, 0), ==,
                   "{\"name\":\"answerKnockingParticipant\",\"args\":[\"k1\",true]}");
  g_assert_cmpuint (knocking->len, ==, 2);

  atx_call_session_answer_knocking (f->session, "k2", FALSE);
  g_assert_cmpstr (g_ptr_array_index (f->commands, 1), ==,
                   "{\"name\":\"answerKnockingParticipant\",\"args\":[\"k2\",false]}");
  g_assert_cmpuint (knocking->len, ==, 1);

  /* Unknown or already answered: no command. */
  atx_call_session_answer_knocking (f->session, "k1", TRUE);
  atx_call_session_answer_knocking (f->session, "nobody", TRUE);
  g_assert_cmpuint (f->commands->len, ==, 2);

  /* Admitted elsewhere (another moderator): gone when they join. */
  feed (f, PJOINED ("k3", "Third"));
  g_assert_cmpuint (knocking->len, ==, 0);
}

/* ------------------------------------------------------------ participants */

static void
test_participants_tracked_and_logged (Fixture       *f,
                                      gconstpointer  data)
{
  GPtrArray *participants = atx_call_session_get_participants (f->session);
  g_autoptr(JsonObject) entry = NULL;
  JsonArray *logged;
  guint count;

  feed (f, JOINED_ME);
  g_assert_cmpuint (log_length (f), ==, 1);

  feed (f, PJOINED ("p1", "Alex"));
  feed (f, PJOINED ("p2", "Sam"));
  g_assert_cmpuint (participants->len, ==, 2);
  g_object_get (f->session, "participant-count", &count, NULL);
  g_assert_cmpuint (count, ==, 2);
  feed (f, PLEFT ("p1"));
  g_assert_cmpuint (participants->len, ==, 1);
  g_assert_cmpstr (((AtxCallParticipant *) g_ptr_array_index (participants, 0))->id, ==, "p2");
  feed (f, PLEFT ("never-joined"));
  g_assert_cmpuint (f->participants_changed, ==, 3);

  /* On disk while the call runs. */
  entry = last_entry (f);
  g_assert_false (json_object_has_member (entry, "endedAt"));
  logged = json_object_get_array_member (entry, "participants");
  g_assert_cmpuint (json_array_get_length (logged), ==, 2);
  g_assert_true (json_object_has_member (json_array_get_object_element (logged, 0), "leftAt"));
  g_assert_false (json_object_has_member (json_array_get_object_element (logged, 1), "leftAt"));
}

/* ------------------------------------------------------------ mute */

static void
test_mute_mirroring (Fixture       *f,
                     gconstpointer  data)
{
  feed (f, JOINED_ME);
  g_assert_false (atx_call_session_get_audio_muted (f->session));
  g_assert_false (atx_call_session_get_video_muted (f->session));

  feed (f, "{\"type\": \"audioMuteStatusChanged\", \"data\": {\"muted\": true}}");
  g_assert_true (atx_call_session_get_audio_muted (f->session));
  g_assert_cmpuint (f->audio_notifies, ==, 1);
  feed (f, "{\"type\": \"audioMuteStatusChanged\", \"data\": {\"muted\": true}}");
  g_assert_cmpuint (f->audio_notifies, ==, 1);
  feed (f, "{\"type\": \"audioMuteStatusChanged\", \"data\": {\"muted\": false}}");
  g_assert_false (atx_call_session_get_audio_muted (f->session));
  g_assert_cmpuint (f->audio_notifies, ==, 2);

  feed (f, "{\"type\": \"videoMuteStatusChanged\", \"data\": {\"muted\": true}}");
  g_assert_true (atx_call_session_get_video_muted (f->session));

  /* The toggles only ask; the state follows Jitsi's answer. */
  atx_call_session_toggle_audio (f->session);
  atx_call_session_toggle_video (f->session);
  g_assert_cmpuint (f->commands->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (f->commands, 0), ==, "{\"name\":\"toggleAudio\",\"args\":[]}");
  g_assert_cmpstr (g_ptr_array_index (f->commands, 1), ==, "{\"name\":\"toggleVideo\",\"args\":[]}");
  g_assert_false (atx_call_session_get_audio_muted (f->session));
}

static void
test_audio_call_starts_camera_off (Fixture       *f,
                                   gconstpointer  data)
{
  g_assert_finalize_object (f->session);
  make_session (f, ATX_CALL_TYPE_AUDIO, TRUE);
  g_assert_true (atx_call_session_get_video_muted (f->session));
  g_assert_cmpint (atx_call_session_get_call_type (f->session), ==, ATX_CALL_TYPE_AUDIO);
}

/* ------------------------------------------------------------ errors */

static void
test_members_only_not_failure (Fixture       *f,
                               gconstpointer  data)
{
  feed (f, ERROR_MSG ("conference.connectionError.membersOnly", "false"));
  g_assert_cmpint (atx_call_session_get_state (f->session), ==, ATX_CALL_STATE_CONNECTING);
  feed (f, JOINED_ME);
  feed (f, ERROR_MSG ("conference.connectionError.membersOnly", "false"));
  feed (f, ERROR_MSG ("conference.authenticationRequired", "false"));
  g_assert_cmpint (atx_call_session_get_state (f->session), ==, ATX_CALL_STATE_JOINED);
  g_assert_cmpint (atx_call_session_get_failure (f->session), ==, ATX_CALL_FAILURE_NONE);
  {
    g_autoptr(JsonObject) entry = last_entry (f);
    g_assert_true (json_object_get_null_member (entry, "error"));
  }
}

static void
check_failure (Fixture        *f,
               const char     *message,
               AtxCallState    state,
               AtxCallFailure  failure)
{
  feed (f, message);
  g_assert_cmpint (atx_call_session_get_state (f->session), ==, state);
  g_assert_cmpint (atx_call_session_get_failure (f->session), ==, failure);
  if (state == ATX_CALL_STATE_FAILED)
    g_assert_nonnull (atx_call_session_get_failure_message (f->session));
}

static void
test_password_required_is_token (Fixture       *f,
                                 gconstpointer  data)
{
  check_failure (f, ERROR_MSG ("connection.passwordRequired", "false"),
                 ATX_CALL_STATE_FAILED, ATX_CALL_FAILURE_TOKEN);
  /* Never joined: no log entry. */
  g_assert_null (atx_call_session_get_log (f->session));
  g_assert_cmpuint (log_length (f), ==, 0);
}

static void
test_not_allowed (Fixture       *f,
                  gconstpointer  data)
{
  check_failure (f, ERROR_MSG ("conference.connectionError.notAllowed", "false"),
                 ATX_CALL_STATE_FAILED, ATX_CALL_FAILURE_NOT_ALLOWED);
}

static void
test_fatal_is_connection (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(JsonObject) entry = NULL;

  feed (f, JOINED_ME);
  feed (f, PJOINED ("p1", "Alex"));
  check_failure (f, ERROR_MSG ("connection.droppedError", "true"),
                 ATX_CALL_STATE_FAILED, ATX_CALL_FAILURE_CONNECTION);
  g_assert_cmpuint (atx_call_session_get_participants (f->session)->len, ==, 0);

  entry = last_entry (f);
  g_assert_cmpstr (json_object_get_string_member (entry, "endReason"), ==, "error");
  g_assert_cmpstr (json_object_get_string_member (entry, "error"), ==, "connection.droppedError: m");
  g_assert_true (json_object_has_member (json_array_get_object_element (
                   json_object_get_array_member (entry, "participants"), 0), "leftAt"));

  /* Over: later messages change nothing. */
  feed (f, PJOINED ("p2", "Late"));
  g_assert_cmpuint (atx_call_session_get_participants (f->session)->len, ==, 0);
}

static void
test_config_error_fatal (Fixture       *f,
                         gconstpointer  data)
{
  check_failure (f, "{\"type\": \"errorOccurred\", \"data\": {\"error\": {\"type\": \"CONFIG\", \"isFatal\": true}}}",
                 ATX_CALL_STATE_FAILED, ATX_CALL_FAILURE_CONNECTION);
}

static void
test_browser_unsupported (Fixture       *f,
                          gconstpointer  data)
{
  feed (f, "{\"type\": \"browserSupport\", \"data\": {\"supported\": true}}");
  g_assert_cmpint (atx_call_session_get_state (f->session), ==, ATX_CALL_STATE_CONNECTING);
  check_failure (f, "{\"type\": \"browserSupport\", \"data\": {\"supported\": false}}",
                 ATX_CALL_STATE_UNSUPPORTED, ATX_CALL_FAILURE_NONE);
}

static void
test_load_failed (Fixture       *f,
                  gconstpointer  data)
{
  check_failure (f, "{\"type\": \"externalApiLoadFailed\", \"data\": {\"url\": \"http://127.0.0.1:9/external_api.js\","
                    " \"reason\": \"timeout\"}}",
                 ATX_CALL_STATE_FAILED, ATX_CALL_FAILURE_LOAD);
}

static void
test_fail_and_restart (Fixture       *f,
                       gconstpointer  data)
{
  atx_call_session_fail (f->session, ATX_CALL_FAILURE_BACKEND, NULL);
  g_assert_cmpint (atx_call_session_get_state (f->session), ==, ATX_CALL_STATE_FAILED);
  g_assert_cmpint (atx_call_session_get_failure (f->session), ==, ATX_CALL_FAILURE_BACKEND);
  g_assert_nonnull (atx_call_session_get_failure_message (f->session));

  atx_call_session_fail (f->session, ATX_CALL_FAILURE_TLS, "custom");
  g_assert_cmpint (atx_call_session_get_failure (f->session), ==, ATX_CALL_FAILURE_BACKEND);

  atx_call_session_restart (f->session);
  g_assert_cmpint (atx_call_session_get_state (f->session), ==, ATX_CALL_STATE_CONNECTING);
  g_assert_cmpint (atx_call_session_get_failure (f->session), ==, ATX_CALL_FAILURE_NONE);
  feed (f, JOINED_ME);
  g_assert_cmpint (atx_call_session_get_state (f->session), ==, ATX_CALL_STATE_JOINED);
  g_assert_cmpuint (log_length (f), ==, 1);

  /* A failure while joined ends that entry; a retry gets a new one. */
  atx_call_session_fail (f->session, ATX_CALL_FAILURE_TLS, "TLS says no");
  g_assert_cmpstr (atx_call_session_get_failure_message (f->session), ==, "TLS says no");
  atx_call_session_restart (f->session);
  feed (f, JOINED_ME);
  g_assert_cmpuint (log_length (f), ==, 2);
}

/* ------------------------------------------------------------ ending */

static void
test_leave_hangup_then_ready (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(JsonObject) entry = NULL;

  feed (f, JOINED_ME);
  feed (f, PJOINED ("p1", "Alex"));
  atx_call_session_leave (f->session);
  g_assert_cmpint (atx_call_session_get_state (f->session), ==, ATX_CALL_STATE_LEAVING);
  g_assert_cmpuint (f->commands->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->commands, 0), ==, "{\"name\":\"hangup\",\"args\":[]}");

  /* Leave again: nothing more. */
  atx_call_session_leave (f->session);
  g_assert_cmpuint (f->commands->len, ==, 1);
  entry = last_entry (f);
  g_assert_false (json_object_has_member (entry, "endedAt"));
  g_clear_pointer (&entry, json_object_unref);

  feed (f, READY_MSG);
  g_assert_cmpint (atx_call_session_get_state (f->session), ==, ATX_CALL_STATE_ENDED);
  entry = last_entry (f);
  g_assert_cmpstr (json_object_get_string_member (entry, "endReason"), ==, "hangup");
  g_assert_true (json_object_has_member (entry, "endedAt"));
}

static void
test_leave_then_conference_left (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(JsonObject) entry = NULL;

  feed (f, JOINED_ME);
  atx_call_session_leave (f->session);
  feed (f, LEFT_MSG);
  g_assert_cmpint (atx_call_session_get_state (f->session), ==, ATX_CALL_STATE_ENDED);
  feed (f, READY_MSG);
  entry = last_entry (f);
  g_assert_cmpstr (json_object_get_string_member (entry, "endReason"), ==, "hangup");
}

static gboolean
is_ended (gpointer data)
{
  return atx_call_session_get_state (data) == ATX_CALL_STATE_ENDED;
}

static void
test_leave_times_out (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(JsonObject) entry = NULL;
  gint64 start = g_get_monotonic_time ();

  feed (f, JOINED_ME);
  atx_call_session_leave (f->session);
  g_assert_true (atx_test_wait_until (is_ended, f->session, 8000));
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 4900 * 1000);
  entry = last_entry (f);
  g_assert_cmpstr (json_object_get_string_member (entry, "endReason"), ==, "hangup");
}

static void
test_leave_before_joined (Fixture       *f,
                          gconstpointer  data)
{
  atx_call_session_leave (f->session);
  g_assert_cmpuint (f->commands->len, ==, 1);
  feed (f, READY_MSG);
  g_assert_cmpint (atx_call_session_get_state (f->session), ==, ATX_CALL_STATE_ENDED);
  g_assert_cmpuint (log_length (f), ==, 0);
}

static void
test_conference_left_alone (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(JsonObject) entry = NULL;

  feed (f, JOINED_ME);
  feed (f, LEFT_MSG);
  g_assert_cmpint (atx_call_session_get_state (f->session), ==, ATX_CALL_STATE_ENDED);
  g_assert_cmpuint (f->commands->len, ==, 0);
  entry = last_entry (f);
  g_assert_cmpstr (json_object_get_string_member (entry, "endReason"), ==, "left");
}

static void
test_transport_lost (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(JsonObject) entry = NULL;

  feed (f, JOINED_ME);
  feed (f, PJOINED ("p1", "Alex"));
  atx_call_session_transport_lost (f->session);
  g_assert_cmpint (atx_call_session_get_state (f->session), ==, ATX_CALL_STATE_ENDED);
  entry = last_entry (f);
  g_assert_cmpstr (json_object_get_string_member (entry, "endReason"), ==, "browser-closed");

  /* Later news of the dead browser is ignored. */
  atx_call_session_transport_lost (f->session);
  feed (f, LEFT_MSG);
  g_clear_pointer (&entry, json_object_unref);
  entry = last_entry (f);
  g_assert_cmpstr (json_object_get_string_member (entry, "endReason"), ==, "browser-closed");
}

static void
test_dispose_closes_log (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(JsonObject) entry = NULL;

  feed (f, JOINED_ME);
  g_assert_finalize_object (f->session);
  f->session = NULL;
  entry = last_entry (f);
  g_assert_cmpstr (json_object_get_string_member (entry, "endReason"), ==, "hangup");
}

static void
test_elapsed (Fixture       *f,
              gconstpointer  data)
{
  gint64 at_end;

  g_assert_cmpint (atx_call_session_get_elapsed_seconds (f->session), ==, 0);
  feed (f, JOINED_ME);
  atx_test_spin (1100);
  g_assert_cmpint (atx_call_session_get_elapsed_seconds (f->session), >=, 1);
  feed (f, LEFT_MSG);
  at_end = atx_call_session_get_elapsed_seconds (f->session);
  atx_test_spin (1100);
  /* Frozen once over. */
  g_assert_cmpint (atx_call_session_get_elapsed_seconds (f->session), ==, at_end);
}

static void
test_accessors (Fixture       *f,
                gconstpointer  data)
{
  g_assert_cmpstr (atx_call_session_get_title (f->session), ==, "Initial consultation");
  g_assert_cmpstr (atx_call_session_get_room_name (f->session), ==, CALL_TEST_ROOM);
  g_assert_cmpstr (atx_call_session_get_appointment_id (f->session), ==, CALL_TEST_ID);
  g_assert_cmpint (atx_call_session_get_where (f->session), ==, ATX_CALL_WHERE_EMBEDDED);
  g_assert_false (atx_call_session_get_ad_hoc (f->session));
  g_assert_cmpint (atx_call_session_get_state (f->session), ==, ATX_CALL_STATE_CONNECTING);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/call-session/lobby/toggled-once-after-own-moderator-role", test_lobby_once_after_own_moderator);
  ADD ("/call-session/lobby/own-role-before-joined", test_lobby_role_before_joined);
  ADD ("/call-session/lobby/not-when-lobby-for-clients-off", test_lobby_off);
  ADD ("/call-session/knocking/add-admit-deny", test_knocking);
  ADD ("/call-session/participants/tracked-and-logged", test_participants_tracked_and_logged);
  ADD ("/call-session/mute/mirrors-jitsi", test_mute_mirroring);
  ADD ("/call-session/mute/audio-call-starts-camera-off", test_audio_call_starts_camera_off);
  ADD ("/call-session/errors/members-only-is-not-a-failure", test_members_only_not_failure);
  ADD ("/call-session/errors/password-required-is-token", test_password_required_is_token);
  ADD ("/call-session/errors/not-allowed", test_not_allowed);
  ADD ("/call-session/errors/fatal-is-connection-and-logged", test_fatal_is_connection);
  ADD ("/call-session/errors/config-error-is-fatal", test_config_error_fatal);
  ADD ("/call-session/errors/browser-unsupported", test_browser_unsupported);
  ADD ("/call-session/errors/external-api-load-failed", test_load_failed);
  ADD ("/call-session/errors/fail-and-restart", test_fail_and_restart);
  ADD ("/call-session/end/leave-hangup-then-ready-to-close", test_leave_hangup_then_ready);
  ADD ("/call-session/end/leave-then-conference-left", test_leave_then_conference_left);
  ADD ("/call-session/end/leave-times-out-after-5s", test_leave_times_out);
  ADD ("/call-session/end/leave-before-joined", test_leave_before_joined);
  ADD ("/call-session/end/conference-left-alone-is-left", test_conference_left_alone);
  ADD ("/call-session/end/transport-lost-is-browser-closed", test_transport_lost);
  ADD ("/call-session/end/dispose-closes-log", test_dispose_closes_log);
  ADD ("/call-session/elapsed", test_elapsed);
  ADD ("/call-session/accessors", test_accessors);
#undef ADD

  return g_test_run ();
}

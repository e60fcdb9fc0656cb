/* test-embedded-call.c — the embedded call window end to end: the WebKit
 * module loaded from the build dir, the bundled call page, the fake Jitsi
 * server's stub External API (tests/support/atx-fake-jitsi.h) and the real
 * ataraxia-token-server on port 0.
 *
 * Covers: WebKit mapped only once a call window opens; the options the page
 * gives the External API (room, a fresh verifying token, display name,
 * audio-only); participants reaching the store's call log while the call
 * runs; Leave and closing the window hanging up and recording the end; the
 * mute toggles following Jitsi; the waiting room (Admit sends the answer);
 * failures (script 404, no WebRTC) with their pages; the view's safety rules
 * (permissions, navigation, 1000 malformed bridge messages).
 *
 * Runs under tests/support/gui-test-env with ATARAXIA_MODULE_DIR,
 * ATARAXIA_CALL_SKIP_WEBRTC_CHECK=1 and ATARAXIA_CALL_MOCK_CAPTURE=1 (the
 * no-WebRTC test runs in a subprocess without the override).
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "atx-call-embed-loader.h"
#include "atx-call-window.h"
#include "atx-fake-jitsi.h"
#include "atx-test-utils.h"
#include "call/atx-call-session.h"
#include "core/atx-appointment-store.h"
#include "core/atx-join-token.h"
#include "core/atx-jwt.h"
#include "core/atx-room-name.h"
#include "core/atx-settings.h"
#include "token-server-fixture.h"

#define WAIT_MS 15000
#define DISPLAY_NAME "Dr Test"
#define EMAIL "dr.test@example.org"

/* Shared by every test of the process: servers take a while to start. */
static struct {
  AtxFakeJitsi   *fake;
  Server         *server;
  AtxSettings    *settings;
  AtxTokenClient *client;
} world;

static gboolean webkit_mapped_at_start;

typedef struct {
  char                *dir;
  char                *path;
  AtxAppointmentStore *store;
  char                *id;
  char                *room;
  AtxCallSession      *session;
  AtxCallWindow       *window;
  AtxTokenResult      *token;
  GPtrArray           *decisions;  /* "TypeName:0|1" of ::permission-decided */
  GPtrArray           *blocked;    /* URIs of ::navigation-blocked */
  gboolean             retried;
  gboolean             retry_refresh;
  gboolean             browser_asked;
  gboolean             link_opened;
} Fixture;

static gboolean
webkit_is_mapped (void)
{
  g_autofree char *maps = NULL;

  g_assert_true (g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL));
  return strstr (maps, "libwebkitgtk-6.0") != NULL;
}

static void
ensure_world (void)
{
  ServerOptions options = { NULL, };
  g_autoptr(GError) error = NULL;

  if (world.fake != NULL)
    return;

  world.fake = atx_fake_jitsi_new (&error);
  g_assert_no_error (error);

  /* The token's sub is the Jitsi domain the server is configured for. */
  options.domain = atx_fake_jitsi_get_domain (world.fake);
  world.server = server_start (&options);
  g_assert_nonnull (world.server);

  world.settings = atx_settings_new (NULL);
  atx_settings_set_jitsi_domain (world.settings, atx_fake_jitsi_get_domain (world.fake));
  atx_settings_set_use_jwt (world.settings, TRUE);
  atx_settings_set_backend_url (world.settings, world.server->url);
  atx_settings_set_user_name (world.settings, DISPLAY_NAME);
  atx_settings_set_user_email (world.settings, EMAIL);
  atx_settings_set_user_id (world.settings, "therapist-1");
  world.client = atx_token_client_new (NULL, NULL);
}

/* ---- store ---- */

static AtxAppointment *
lookup (Fixture *f)
{
  AtxAppointment *appointment = atx_appointment_store_lookup (f->store, f->id);

  g_assert_nonnull (appointment);
  return appointment;
}

static char *
sign_token (const char *room,
            gint64      expires_at)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  AtxJwtSignParams params = {
    .issuer = "ataraxia", .audience = "jitsi", .subject = atx_fake_jitsi_get_domain (world.fake),
    .room = room, .user_id = "therapist-1", .user_name = DISPLAY_NAME, .user_email = EMAIL,
    .moderator = TRUE, .issued_at = now - 7200, .not_before = now - 7200, .expires_at = expires_at,
  };

  return atx_jwt_sign (&params, (const guint8 *) FIXTURE_SECRET, strlen (FIXTURE_SECRET));
}

static void
add_appointment (Fixture     *f,
                 const char  *title,
                 AtxCallType  type,
                 gboolean     expired_token)
{
  g_autoptr(AtxAppointment) appointment = atx_appointment_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) start = g_date_time_add_minutes (now, -5);
  g_autoptr(GDateTime) end = g_date_time_add_minutes (now, 45);
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;

  f->room = atx_room_name_generate ();
  url = g_strdup_printf ("http://%s/%s", atx_fake_jitsi_get_domain (world.fake), f->room);
  atx_appointment_set_title (appointment, title);
  atx_appointment_set_client_name (appointment, "Alex Doe");
  atx_appointment_set_start (appointment, start);
  atx_appointment_set_end (appointment, end);
  atx_appointment_set_is_video_call (appointment, TRUE);
  atx_appointment_set_video_call_type (appointment, type);
  atx_appointment_set_video_call_room_name (appointment, f->room);
  atx_appointment_set_video_call_url (appointment, url);
  if (expired_token)
    {
      gint64 expired = g_get_real_time () / G_USEC_PER_SEC - 60;
      g_autofree char *jwt = sign_token (f->room, expired);
      g_autoptr(GDateTime) expires_at = g_date_time_new_from_unix_utc (expired);

      atx_appointment_set_video_call_jwt (appointment, jwt);
      atx_appointment_set_video_call_jwt_expires_at (appointment, expires_at);
    }
  f->id = g_strdup (atx_appointment_get_id (appointment));
  g_assert_true (atx_appointment_store_add (f->store, appointment, &error));
  g_assert_no_error (error);
  g_assert_true (atx_appointment_store_flush (f->store, &error));
  g_assert_no_error (error);
}

static void
got_token (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
pointer_set (gpointer user_data)
{
  return *(gpointer *) user_data != NULL;
}

/* The join token as the join action gets it: the stored one if reusable,
 * else a fresh one from the token server. */
static void
fetch_token (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  atx_join_token_get_async (f->store, lookup (f), world.settings, world.client, NULL,
                            got_token, &result);
  g_assert_true (atx_test_wait_until (pointer_set, &result, WAIT_MS));
  f->token = atx_join_token_get_finish (result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->token);
}

/* The last entry of the appointment's callLog, or NULL. */
static JsonObject *
last_call_log_entry (Fixture *f)
{
  JsonArray *log = atx_appointment_get_call_log (lookup (f));
  guint n = json_array_get_length (log);

  return n > 0 ? json_array_get_object_element (log, n - 1) : NULL;
}

/* ---- window ---- */

static void
on_permission_decided (GObject    *view,
                       const char *type_name,
                       gboolean    granted,
                       Fixture    *f)
{
  g_ptr_array_add (f->decisions, g_strdup_printf ("%s:%d", type_name, granted));
}

static void
on_navigation_blocked (GObject    *view,
                       const char *uri,
                       Fixture    *f)
{
  g_ptr_array_add (f->blocked, g_strdup (uri));
}

static void
on_link_opened (GObject    *view,
                const char *uri,
                Fixture    *f)
{
  f->link_opened = TRUE;
}

static void
on_retry (AtxCallWindow *window,
          gboolean       refresh_token,
          Fixture       *f)
{
  f->retried = TRUE;
  f->retry_refresh = refresh_token;
}

static void
on_open_in_browser (AtxCallWindow *window,
                    Fixture       *f)
{
  f->browser_asked = TRUE;
}

static void
open_window (Fixture  *f,
             gboolean  skip_webrtc_check)
{
  AtxAppointment *appointment = lookup (f);
  AtxCallType type = atx_appointment_get_video_call_type (appointment);
  AtxCallPageConfig config = {
    .domain = atx_fake_jitsi_get_domain (world.fake),
    .room_name = f->room,
    .jwt = f->token ? f->token->token : NULL,
    .display_name = DISPLAY_NAME,
    .email = EMAIL,
    .audio_only = type == ATX_CALL_TYPE_AUDIO,
    .skip_webrtc_check = skip_webrtc_check,
    .transport = "webkit",
  };
  GtkWidget *view;

  f->session = atx_call_session_new (f->store, f->id, atx_appointment_get_title (appointment),
                                     f->room, type, FALSE, ATX_CALL_WHERE_EMBEDDED, TRUE);
  f->window = atx_call_window_new (NULL, f->session, &config, atx_fake_jitsi_get_domain (world.fake));
  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  g_signal_connect (f->window, "retry", G_CALLBACK (on_retry), f);
  g_signal_connect (f->window, "open-in-browser", G_CALLBACK (on_open_in_browser), f);

  view = atx_call_window_get_view (f->window);
  g_assert_nonnull (view);
  g_signal_connect (view, "permission-decided", G_CALLBACK (on_permission_decided), f);
  g_signal_connect (view, "navigation-blocked", G_CALLBACK (on_navigation_blocked), f);
  g_signal_connect (view, "link-opened", G_CALLBACK (on_link_opened), f);
  gtk_window_present (GTK_WINDOW (f->window));
}

typedef struct {
  AtxCallSession *session;
  AtxCallState    state;
} StateWait;

static gboolean
state_reached (gpointer user_data)
{
  StateWait *wait = user_data;

  return atx_call_session_get_state (wait->session) == wait->state;
}

static void
wait_state (Fixture      *f,
            AtxCallState  state)
{
  StateWait wait = { f->session, state };

  if (!atx_test_wait_until (state_reached, &wait, WAIT_MS))
    g_error ("call state %d, expected %d (failure: %s)", atx_call_session_get_state (f->session), state,
             atx_call_session_get_failure_message (f->session));
}

static gboolean
pointer_cleared (gpointer user_data)
{
  return *(gpointer *) user_data == NULL;
}

/* Waits for construction and joins as moderator: the state every in-call
 * test starts from. */
static JsonObject *
join_call (Fixture *f)
{
  JsonObject *options = atx_fake_jitsi_wait_constructed (world.fake, WAIT_MS);
  g_autofree char *joined = NULL;

  g_assert_nonnull (options);
  joined = g_strdup_printf ("{\"roomName\": \"%s\", \"id\": \"me000001\", \"displayName\": \"%s\","
                            " \"formattedDisplayName\": \"%s (me)\", \"avatarURL\": \"\","
                            " \"breakoutRoom\": false, \"email\": \"%s\", \"visitor\": false}",
                            f->room, DISPLAY_NAME, DISPLAY_NAME, EMAIL);
  atx_fake_jitsi_cue (world.fake, "videoConferenceJoined", joined);
  wait_state (f, ATX_CALL_STATE_JOINED);
  return options;
}

/* ---- fixture ---- */

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  ensure_world ();
  atx_fake_jitsi_reset (world.fake);
  atx_fake_jitsi_set_script_status (world.fake, 200);
  atx_fake_jitsi_set_script_body (world.fake, NULL);
  atx_fake_jitsi_set_browser_supported (world.fake, TRUE);
  atx_fake_jitsi_set_hangup_closes (world.fake, TRUE);
  atx_fake_jitsi_set_toggles_emit (world.fake, TRUE);

  f->dir = atx_test_make_tmp_dir ();
  f->path = g_build_filename (f->dir, "ataraxia", "appointments.json", NULL);
  f->store = atx_appointment_store_new (f->path);
  g_assert_true (atx_appointment_store_load (f->store, &error));
  g_assert_no_error (error);
  f->decisions = g_ptr_array_new_with_free_func (g_free);
  f->blocked = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  g_assert_true (atx_test_wait_until (pointer_cleared, &f->window, WAIT_MS));
  atx_test_spin (50);
  g_clear_object (&f->session);
  g_assert_true (atx_appointment_store_flush (f->store, NULL));
  g_clear_object (&f->store);
  g_clear_pointer (&f->token, atx_token_result_free);
  g_clear_pointer (&f->decisions, g_ptr_array_unref);
  g_clear_pointer (&f->blocked, g_ptr_array_unref);
  atx_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->id);
  g_free (f->room);
}

/* ---- tests ---- */

static void
test_webkit_mapped_only_with_first_window (Fixture       *f,
                                           gconstpointer  data)
{
  g_assert_false (webkit_mapped_at_start);
  if (!atx_call_embed_is_loaded ())
    g_assert_false (webkit_is_mapped ());

  add_appointment (f, "Initial consultation", ATX_CALL_TYPE_VIDEO, FALSE);
  fetch_token (f);
  open_window (f, TRUE);
  g_assert_true (atx_call_embed_is_loaded ());
  g_assert_true (webkit_is_mapped ());
  g_assert_nonnull (atx_fake_jitsi_wait_constructed (world.fake, WAIT_MS));
}

static void
test_video_join_passes_room_fresh_token_and_name (Fixture       *f,
                                                  gconstpointer  data)
{
  g_autoptr(JsonObject) options = NULL;
  g_autoptr(AtxJwtClaims) claims = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expired = NULL;
  AtxJwtExpectations expect = { .issuer = "ataraxia", .audience = "jitsi" };
  JsonObject *config_overwrite;
  JsonArray *toolbar;
  JsonObject *user_info;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  add_appointment (f, "Initial consultation", ATX_CALL_TYPE_VIDEO, TRUE);
  expired = g_strdup (atx_appointment_get_video_call_jwt (lookup (f)));
  fetch_token (f);
  /* The stored token had expired: a fresh one, stored for next time. */
  g_assert_cmpstr (f->token->token, !=, expired);
  g_assert_cmpstr (atx_appointment_get_video_call_jwt (lookup (f)), ==, f->token->token);

  open_window (f, TRUE);
  g_assert_cmpstr (atx_call_window_get_visible_page (f->window), ==, "call");
  options = atx_fake_jitsi_wait_constructed (world.fake, WAIT_MS);
  g_assert_nonnull (options);
  g_assert_cmpstr (atx_fake_jitsi_get_constructed_domain (world.fake), ==,
                   atx_fake_jitsi_get_domain (world.fake));
  g_assert_cmpstr (atx_fake_jitsi_get_constructed_options_type (world.fake), ==, "object");

  g_assert_cmpstr (json_object_get_string_member (options, "roomName"), ==, f->room);
  expect.subject = atx_fake_jitsi_get_domain (world.fake);
  expect.room = f->room;
  claims = atx_jwt_verify (json_object_get_string_member (options, "jwt"),
                           (const guint8 *) FIXTURE_SECRET, strlen (FIXTURE_SECRET),
                           &expect, now, &error);
  g_assert_no_error (error);
  g_assert_true (claims->moderator);
  g_assert_cmpstr (claims->room, ==, f->room);
  g_assert_cmpint (claims->expires_at, >, now + 5 * 60);

  user_info = json_object_get_object_member (options, "userInfo");
  g_assert_nonnull (user_info);
  g_assert_cmpstr (json_object_get_string_member (user_info, "displayName"), ==, DISPLAY_NAME);
  g_assert_cmpstr (json_object_get_string_member (user_info, "email"), ==, EMAIL);

  config_overwrite = json_object_get_object_member (options, "configOverwrite");
  g_assert_nonnull (config_overwrite);
  g_assert_false (json_object_get_boolean_member_with_default (config_overwrite, "startAudioOnly", FALSE));
  g_assert_false (json_object_get_boolean_member (json_object_get_object_member (config_overwrite, "prejoinConfig"),
                                                  "enabled"));
  /* Screen sharing is denied in this view: no button for it, the others
   * are there. */
  toolbar = json_object_get_array_member (config_overwrite, "toolbarButtons");
  g_assert_nonnull (toolbar);
  for (guint i = 0; i < json_array_get_length (toolbar); i++)
    g_assert_cmpstr (json_array_get_string_element (toolbar, i), !=, "desktop");
  g_assert_cmpuint (json_array_get_length (toolbar), ==, 9);
  /* The frame goes to the Jitsi server, with the token. */
  g_assert_true (g_str_has_prefix (atx_fake_jitsi_get_constructed_iframe_src (world.fake),
                                   atx_fake_jitsi_get_base_url (world.fake)));

  /* The header names the appointment; F11 is bound to fullscreen. */
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (f->window)), ==, "Initial consultation");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "call.toggle-fullscreen", NULL));
}

static void
test_audio_call_starts_audio_only (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(JsonObject) options = NULL;
  JsonObject *config_overwrite;

  add_appointment (f, "Phone session", ATX_CALL_TYPE_AUDIO, FALSE);
  fetch_token (f);
  open_window (f, TRUE);
  options = atx_fake_jitsi_wait_constructed (world.fake, WAIT_MS);
  g_assert_nonnull (options);
  config_overwrite = json_object_get_object_member (options, "configOverwrite");
  g_assert_true (json_object_get_boolean_member (config_overwrite, "startAudioOnly"));
  g_assert_true (json_object_get_boolean_member (config_overwrite, "startWithVideoMuted"));
  g_assert_cmpstr (json_object_get_string_member (options, "roomName"), ==, f->room);
}

typedef struct {
  Fixture    *f;
  const char *id;
  gboolean    left;
} ParticipantWait;

static JsonObject *
find_participant (Fixture    *f,
                  const char *id)
{
  JsonObject *entry = last_call_log_entry (f);
  JsonArray *participants;

  if (entry == NULL || !json_object_has_member (entry, "participants"))
    return NULL;
  participants = json_object_get_array_member (entry, "participants");
  for (guint i = 0; i < json_array_get_length (participants); i++)
    {
      JsonObject *participant = json_array_get_object_element (participants, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (participant, "id", NULL), id) == 0)
        return participant;
    }
  return NULL;
}

static gboolean
participant_logged (gpointer user_data)
{
  ParticipantWait *wait = user_data;
  JsonObject *participant = find_participant (wait->f, wait->id);

  if (participant == NULL)
    return FALSE;
  return !wait->left || json_object_has_member (participant, "leftAt");
}

/* The therapist and one client. */
static gboolean
participants_text_is_two (gpointer user_data)
{
  return g_strcmp0 (atx_call_window_get_participants_text (user_data), "2") == 0;
}

static gboolean
elapsed_moved (gpointer user_data)
{
  return g_strcmp0 (atx_call_window_get_elapsed_text (user_data), "0:00") != 0;
}

static void
test_participants_logged_while_call_runs (Fixture       *f,
                                          gconstpointer  data)
{
  g_autoptr(JsonObject) options = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  ParticipantWait wait = { f, "c1a2b3", FALSE };
  JsonObject *entry;
  JsonObject *participant;

  add_appointment (f, "Follow-up", ATX_CALL_TYPE_VIDEO, FALSE);
  fetch_token (f);
  open_window (f, TRUE);
  options = join_call (f);

  /* The entry is open while the call runs. */
  entry = last_call_log_entry (f);
  g_assert_nonnull (entry);
  g_assert_true (json_object_has_member (entry, "startedAt"));
  g_assert_false (json_object_has_member (entry, "endedAt"));
  g_assert_cmpstr (json_object_get_string_member (entry, "where"), ==, "embedded");
  g_assert_cmpstr (json_object_get_string_member (entry, "roomName"), ==, f->room);

  atx_fake_jitsi_cue (world.fake, "participantJoined",
                      "{\"id\": \"c1a2b3\", \"displayName\": \"Alex Doe\","
                      " \"formattedDisplayName\": \"Alex Doe\"}");
  g_assert_true (atx_test_wait_until (participant_logged, &wait, WAIT_MS));
  participant = find_participant (f, "c1a2b3");
  g_assert_cmpstr (json_object_get_string_member (participant, "displayName"), ==, "Alex Doe");
  g_assert_true (json_object_has_member (participant, "joinedAt"));
  g_assert_true (atx_test_wait_until (participants_text_is_two, f->window, WAIT_MS));

  /* Written to disk as it happens. */
  g_assert_true (atx_appointment_store_flush (f->store, &error));
  g_assert_no_error (error);
  contents = atx_test_read_file (f->path);
  g_assert_nonnull (strstr (contents, "c1a2b3"));

  atx_fake_jitsi_cue (world.fake, "participantLeft", "{\"id\": \"c1a2b3\"}");
  wait.left = TRUE;
  g_assert_true (atx_test_wait_until (participant_logged, &wait, WAIT_MS));
  g_assert_false (json_object_has_member (last_call_log_entry (f), "endedAt"));

  /* The clock runs. */
  g_assert_true (atx_test_wait_until (elapsed_moved, f->window, 3000));
}

static gboolean
entry_ended (gpointer user_data)
{
  JsonObject *entry = last_call_log_entry (user_data);

  return entry != NULL && json_object_has_member (entry, "endedAt");
}

static void
test_leave_hangs_up_and_records_end (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(JsonObject) options = NULL;
  JsonObject *entry;

  add_appointment (f, "Follow-up", ATX_CALL_TYPE_VIDEO, FALSE);
  fetch_token (f);
  open_window (f, TRUE);
  options = join_call (f);

  g_assert_true (gtk_widget_is_sensitive (atx_call_window_get_leave_button (f->window)));
  g_signal_emit_by_name (atx_call_window_get_leave_button (f->window), "clicked");
  g_assert_true (atx_fake_jitsi_wait_command (world.fake, "hangup", WAIT_MS, NULL));
  g_assert_true (atx_test_wait_until (pointer_cleared, &f->window, WAIT_MS));

  g_assert_true (atx_test_wait_until (entry_ended, f, WAIT_MS));
  entry = last_call_log_entry (f);
  g_assert_cmpstr (json_object_get_string_member (entry, "endReason"), ==, "hangup");
  g_assert_cmpint (atx_call_session_get_state (f->session), ==, ATX_CALL_STATE_ENDED);
}

static void
test_closing_window_hangs_up_first (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(JsonObject) options = NULL;
  gint64 started;

  add_appointment (f, "Follow-up", ATX_CALL_TYPE_VIDEO, FALSE);
  fetch_token (f);
  /* A page that never answers the hang-up: the window still closes, in
   * bounded time. */
  atx_fake_jitsi_set_hangup_closes (world.fake, FALSE);
  open_window (f, TRUE);
  options = join_call (f);

  started = g_get_monotonic_time ();
  gtk_window_close (GTK_WINDOW (f->window));
  g_assert_nonnull (f->window);
  g_assert_true (atx_fake_jitsi_wait_command (world.fake, "hangup", WAIT_MS, NULL));
  g_assert_true (atx_test_wait_until (pointer_cleared, &f->window,
                                      ATX_CALL_WINDOW_CLOSE_TIMEOUT_MS + 3000));
  g_assert_cmpint (g_get_monotonic_time () - started, <, (ATX_CALL_WINDOW_CLOSE_TIMEOUT_MS + 3000) * 1000);
}

static gboolean
toggle_active (gpointer user_data)
{
  return gtk_toggle_button_get_active (user_data);
}

static gboolean
toggle_inactive (gpointer user_data)
{
  return !gtk_toggle_button_get_active (user_data);
}

static void
test_mute_toggles_follow_jitsi (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(JsonObject) options = NULL;
  GtkWidget *audio;
  GtkWidget *video;

  add_appointment (f, "Follow-up", ATX_CALL_TYPE_VIDEO, FALSE);
  fetch_token (f);
  open_window (f, TRUE);
  options = join_call (f);

  audio = atx_call_window_get_audio_button (f->window);
  video = atx_call_window_get_video_button (f->window);
  g_assert_true (gtk_widget_is_sensitive (audio));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (audio)));
  g_assert_nonnull (gtk_widget_get_tooltip_text (audio));

  /* A click asks Jitsi; the button follows Jitsi's answer. */
  gtk_widget_activate (audio);
  g_assert_true (atx_fake_jitsi_wait_command (world.fake, "toggleAudio", WAIT_MS, NULL));
  g_assert_true (atx_test_wait_until (toggle_active, audio, WAIT_MS));
  g_assert_true (atx_call_session_get_audio_muted (f->session));

  gtk_widget_activate (video);
  g_assert_true (atx_fake_jitsi_wait_command (world.fake, "toggleVideo", WAIT_MS, NULL));
  g_assert_true (atx_test_wait_until (toggle_active, video, WAIT_MS));

  /* Unmuted from inside Jitsi's own toolbar: mirrored too. */
  atx_fake_jitsi_cue (world.fake, "audioMuteStatusChanged", "{\"muted\": false}");
  g_assert_true (atx_test_wait_until (toggle_inactive, audio, WAIT_MS));
  g_assert_false (atx_call_session_get_audio_muted (f->session));
}

static gboolean
knocking_shown (gpointer user_data)
{
  return atx_call_window_get_n_knocking (user_data) == 1;
}

static gboolean
knocking_gone (gpointer user_data)
{
  return atx_call_window_get_n_knocking (user_data) == 0;
}

static void
test_knocking_client_admitted (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(JsonObject) options = NULL;
  g_autoptr(JsonArray) args = NULL;

  add_appointment (f, "Follow-up", ATX_CALL_TYPE_VIDEO, FALSE);
  fetch_token (f);
  open_window (f, TRUE);
  options = join_call (f);

  /* Moderator → the lobby goes on (lobby-for-clients). */
  atx_fake_jitsi_cue (world.fake, "participantRoleChanged", "{\"id\": \"me000001\", \"role\": \"moderator\"}");
  g_assert_true (atx_fake_jitsi_wait_command (world.fake, "toggleLobby", WAIT_MS, &args));
  g_assert_true (json_array_get_boolean_element (args, 0));
  g_clear_pointer (&args, json_array_unref);

  atx_fake_jitsi_cue (world.fake, "knockingParticipant",
                      "{\"participant\": {\"id\": \"lobby-k1\", \"name\": \"Alex Doe\"}}");
  g_assert_true (atx_test_wait_until (knocking_shown, f->window, WAIT_MS));
  g_assert_cmpstr (atx_call_window_get_knocking_text (f->window, 0), ==, "Alex Doe is waiting");
  g_assert_nonnull (atx_call_window_get_knocking_button (f->window, 0, FALSE));

  g_signal_emit_by_name (atx_call_window_get_knocking_button (f->window, 0, TRUE), "clicked");
  g_assert_true (atx_fake_jitsi_wait_command (world.fake, "answerKnockingParticipant", WAIT_MS, &args));
  g_assert_cmpuint (json_array_get_length (args), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (args, 0), ==, "lobby-k1");
  g_assert_true (json_array_get_boolean_element (args, 1));
  g_assert_true (atx_test_wait_until (knocking_gone, f->window, WAIT_MS));
}

static gboolean
page_is (AtxCallWindow *window,
         const char    *name)
{
  return g_strcmp0 (atx_call_window_get_visible_page (window), name) == 0;
}

static void
test_script_404_fails_with_retry (Fixture       *f,
                                  gconstpointer  data)
{
  GtkWidget *browser;

  add_appointment (f, "Follow-up", ATX_CALL_TYPE_VIDEO, FALSE);
  fetch_token (f);
  atx_fake_jitsi_set_script_status (world.fake, 404);
  open_window (f, TRUE);

  wait_state (f, ATX_CALL_STATE_FAILED);
  g_assert_cmpint (atx_call_session_get_failure (f->session), ==, ATX_CALL_FAILURE_LOAD);
  g_assert_true (page_is (f->window, "failed"));
  g_assert_cmpuint (atx_fake_jitsi_get_script_requests (world.fake), >=, 1);
  g_assert_cmpuint (atx_fake_jitsi_get_constructed_count (world.fake), ==, 0);
  g_assert_cmpstr (atx_call_window_get_status_title (f->window), ==, "The Jitsi server could not be reached");
  g_assert_nonnull (atx_call_window_get_status_description (f->window));
  g_assert_cmpstr (atx_call_window_get_status_description (f->window), !=, "");

  g_assert_true (gtk_widget_get_visible (atx_call_window_get_retry_button (f->window)));
  g_signal_emit_by_name (atx_call_window_get_retry_button (f->window), "clicked");
  g_assert_true (f->retried);
  g_assert_false (f->retry_refresh);

  browser = atx_call_window_get_open_in_browser_button (f->window);
  g_assert_nonnull (browser);
  g_signal_emit_by_name (browser, "clicked");
  g_assert_true (f->browser_asked);

  /* A failed call closes at once: nothing to hang up. */
  gtk_window_close (GTK_WINDOW (f->window));
  g_assert_true (atx_test_wait_until (pointer_cleared, &f->window, 2000));
}

static void
test_rejected_token_retry_refreshes (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(JsonObject) options = NULL;

  add_appointment (f, "Follow-up", ATX_CALL_TYPE_VIDEO, FALSE);
  fetch_token (f);
  open_window (f, TRUE);
  options = atx_fake_jitsi_wait_constructed (world.fake, WAIT_MS);
  g_assert_nonnull (options);

  /* What a rejected JWT gives. */
  atx_fake_jitsi_cue (world.fake, "errorOccurred",
                      "{\"error\": {\"name\": \"connection.passwordRequired\", \"type\": \"CONNECTION\","
                      " \"isFatal\": true, \"message\": \"Password required\"}}");
  wait_state (f, ATX_CALL_STATE_FAILED);
  g_assert_cmpint (atx_call_session_get_failure (f->session), ==, ATX_CALL_FAILURE_TOKEN);
  g_assert_true (page_is (f->window, "failed"));
  g_assert_cmpstr (atx_call_window_get_status_title (f->window), ==, "The call token was refused");

  g_signal_emit_by_name (atx_call_window_get_retry_button (f->window), "clicked");
  g_assert_true (f->retried);
  g_assert_true (f->retry_refresh);
}

typedef struct {
  GObject    *view;
  const char *property;
  guint       value;
} CounterWait;

static gboolean
counter_reached (gpointer user_data)
{
  CounterWait *wait = user_data;
  guint value = 0;

  g_object_get (wait->view, wait->property, &value, NULL);
  return value >= wait->value;
}

static char *
view_title (Fixture *f)
{
  char *title = NULL;

  g_object_get (atx_call_window_get_view (f->window), "title", &title, NULL);
  return title;
}

typedef struct {
  Fixture    *f;
  const char *needle;
} TitleWait;

static gboolean
title_contains (gpointer user_data)
{
  TitleWait *wait = user_data;
  g_autofree char *title = view_title (wait->f);

  return title != NULL && strstr (title, wait->needle) != NULL;
}

static gboolean
decided (Fixture    *f,
         const char *decision)
{
  for (guint i = 0; i < f->decisions->len; i++)
    if (g_strcmp0 (g_ptr_array_index (f->decisions, i), decision) == 0)
      return TRUE;
  return FALSE;
}

/* A Jitsi server whose script asks for more than a call needs. */
static const char permissions_script[] =
  "(function () {\n"
  "  var results = {};\n"
  "  function report(key, value) {\n"
  "    results[key] = value;\n"
  "    if (Object.keys(results).length === 3) { results.done = true; }\n"
  "    document.title = JSON.stringify(results);\n"
  "  }\n"
  "  navigator.geolocation.getCurrentPosition(function () { report('geolocation', 'granted'); },\n"
  "    function (e) { report('geolocation', 'denied-' + e.code); });\n"
  "  if (window.Notification) {\n"
  "    Notification.requestPermission().then(function (p) { report('notification', p); });\n"
  "  } else { report('notification', 'absent'); }\n"
  "  navigator.mediaDevices.getUserMedia({audio: true, video: true}).then(function (stream) {\n"
  "    report('media', 'granted-' + stream.getTracks().length);\n"
  "    stream.getTracks().forEach(function (t) { t.stop(); });\n"
  "  }, function (e) { report('media', 'denied-' + e.name); });\n"
  "  window.JitsiMeetExternalAPI = function () {};\n"
  "  window.JitsiMeetExternalAPI.prototype.addListener = function () { return this; };\n"
  "}());\n";

static void
test_permissions_only_camera_and_microphone (Fixture       *f,
                                             gconstpointer  data)
{
  TitleWait wait = { f, "\"done\":true" };
  g_autofree char *title = NULL;
  guint denied = 0;

  add_appointment (f, "Follow-up", ATX_CALL_TYPE_VIDEO, FALSE);
  fetch_token (f);
  atx_fake_jitsi_set_script_body (world.fake, permissions_script);
  open_window (f, TRUE);

  if (!atx_test_wait_until (title_contains, &wait, WAIT_MS))
    {
      g_autofree char *partial = view_title (f);
      g_error ("the page did not finish its permission requests: %s", partial);
    }
  title = view_title (f);
  g_test_message ("page says %s", title);
  g_assert_nonnull (strstr (title, "\"geolocation\":\"denied-1\""));
  g_assert_nonnull (strstr (title, "\"notification\":\"denied\""));
  /* The call page itself, for the configured domain: the mock devices. */
  g_assert_nonnull (strstr (title, "\"media\":\"granted-2\""));

  g_assert_true (decided (f, "WebKitGeolocationPermissionRequest:0"));
  g_assert_true (decided (f, "WebKitUserMediaPermissionRequest:1"));
  g_assert_false (decided (f, "WebKitGeolocationPermissionRequest:1"));
  g_assert_false (decided (f, "WebKitNotificationPermissionRequest:1"));
  g_object_get (atx_call_window_get_view (f->window), "n-permissions-denied", &denied, NULL);
  g_assert_cmpuint (denied, >=, 1);
  /* Nothing of this is a call failure. */
  g_assert_cmpint (atx_call_session_get_state (f->session), ==, ATX_CALL_STATE_CONNECTING);
}

static void
test_navigation_to_other_origin_blocked (Fixture       *f,
                                         gconstpointer  data)
{
  g_autoptr(AtxFakeJitsi) other = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *script = NULL;
  g_autofree char *target = NULL;
  g_autofree char *uri = NULL;
  TitleWait wait = { f, "still-here" };
  CounterWait blocked;

  other = atx_fake_jitsi_new (&error);
  g_assert_no_error (error);
  target = g_strdup_printf ("%s/external_api.js", atx_fake_jitsi_get_base_url (other));
  script = g_strdup_printf ("window.JitsiMeetExternalAPI = function () {};\n"
                            "window.JitsiMeetExternalAPI.prototype.addListener = function () { return this; };\n"
                            "window.setTimeout(function () { window.location.href = '%s'; }, 0);\n"
                            /* A scripted click is no user's click: no browser tab either. */
                            "window.setTimeout(function () {\n"
                            "  var a = document.createElement('a');\n"
                            "  a.href = '%s?clicked'; document.body.appendChild(a); a.click();\n"
                            "}, 200);\n"
                            "window.setTimeout(function () { document.title = 'still-here'; }, 1000);\n",
                            target, target);

  add_appointment (f, "Follow-up", ATX_CALL_TYPE_VIDEO, FALSE);
  fetch_token (f);
  atx_fake_jitsi_set_script_body (world.fake, script);
  open_window (f, TRUE);

  blocked = (CounterWait) { G_OBJECT (atx_call_window_get_view (f->window)), "n-navigations-blocked", 1 };
  g_assert_true (atx_test_wait_until (counter_reached, &blocked, WAIT_MS));
  g_assert_true (atx_test_wait_until (title_contains, &wait, WAIT_MS));
  g_assert_cmpuint (f->blocked->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (f->blocked, 0), ==, target);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (f->blocked, 1), target));
  g_assert_false (f->link_opened);

  /* Never fetched, and the call page is still there. */
  g_assert_cmpuint (atx_fake_jitsi_get_script_requests (other), ==, 0);
  g_object_get (atx_call_window_get_view (f->window), "uri", &uri, NULL);
  g_assert_cmpstr (uri, ==, "ataraxia-call://call/");
}

static gboolean
spare_ready (gpointer user_data)
{
  return atx_call_embed_has_spare_view ();
}

static gboolean
spare_gone (gpointer user_data)
{
  return !atx_call_embed_has_spare_view ();
}

/* A closed call window leaves a view ready for the next call (its web
 * process up on about:blank); the next call takes it and runs as usual,
 * with nothing carried over; a low-memory warning drops a spare. */
static void
test_next_call_uses_view_made_ahead (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(GMemoryMonitor) monitor = NULL;
  g_autofree char *uri = NULL;
  guint blocked = 99, granted = 99, denied = 99;

  add_appointment (f, "Follow-up", ATX_CALL_TYPE_VIDEO, FALSE);
  fetch_token (f);
  /* An earlier case's closed window may have left one in the making: let
   * it finish, so that this call takes it. */
  atx_test_wait_until (spare_ready, NULL, 3000);
  open_window (f, TRUE);
  g_assert_nonnull (atx_fake_jitsi_wait_constructed (world.fake, WAIT_MS));
  /* None made during a call. */
  g_assert_false (atx_call_embed_has_spare_view ());
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_assert_true (atx_test_wait_until (pointer_cleared, &f->window, WAIT_MS));
  g_clear_object (&f->session);

  g_assert_true (atx_test_wait_until (spare_ready, NULL, WAIT_MS));
  open_window (f, TRUE);
  g_assert_false (atx_call_embed_has_spare_view ());
  g_assert_nonnull (atx_fake_jitsi_wait_constructed (world.fake, WAIT_MS));
  g_assert_cmpstr (atx_fake_jitsi_get_constructed_domain (world.fake), ==,
                   atx_fake_jitsi_get_domain (world.fake));
  g_object_get (atx_call_window_get_view (f->window), "uri", &uri,
                "n-navigations-blocked", &blocked, "n-permissions-granted", &granted,
                "n-permissions-denied", &denied, NULL);
  g_assert_cmpstr (uri, ==, "ataraxia-call://call/");
  g_assert_cmpuint (blocked, ==, 0);
  g_assert_cmpuint (f->blocked->len, ==, 0);
  g_assert_cmpuint (denied, ==, 0);
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_assert_true (atx_test_wait_until (pointer_cleared, &f->window, WAIT_MS));

  g_assert_true (atx_test_wait_until (spare_ready, NULL, WAIT_MS));
  monitor = g_memory_monitor_dup_default ();
  g_signal_emit_by_name (monitor, "low-memory-warning", G_MEMORY_MONITOR_WARNING_LEVEL_LOW);
  g_assert_true (atx_test_wait_until (spare_gone, NULL, WAIT_MS));
}

/* 1000 messages of every wrong kind, posted before the call page's own. */
static const char malformed_script[] =
  "(function () {\n"
  "  var h = window.webkit.messageHandlers.ataraxia;\n"
  "  var big = 'x'.repeat(1 << 18);\n"
  "  var long = 'y'.repeat(600);\n"
  "  var deep = {}; var d = deep;\n"
  "  for (var k = 0; k < 300; k++) { d.a = {}; d = d.a; }\n"
  "  var cases = [\n"
  "    function (i) { return 'just a string ' + i; },\n"
  "    function (i) { return i; },\n"
  "    function () { return null; },\n"
  "    function (i) { return [i, 'participantJoined']; },\n"
  "    function (i) { return { type: i, data: {} }; },\n"
  "    function (i) { return { type: 'participantJoined', data: { id: i } }; },\n"
  "    function () { return { type: 'participantJoined', data: { id: big } }; },\n"
  "    function (i) { return { type: 'noSuchEvent' + i, data: {} }; },\n"
  "    function () { return { type: 'videoConferenceJoined', data: 'joined' }; },\n"
  "    function () { return { type: 'participantLeft' }; },\n"
  "    function () { return { type: 'participantJoined', data: { id: long, displayName: 'A' } }; },\n"
  "    function () { return { type: 'participantJoined', data: { id: 'p1', displayName: long } }; },\n"
  "    function () { return { type: 'audioMuteStatusChanged', data: { muted: 'yes' } }; },\n"
  "    function () { return { type: 'knockingParticipant', data: { participant: 'k1' } }; },\n"
  "    function () { return { type: 'errorOccurred', data: deep }; },\n"
  "    function () { return { type: 'browserSupport', data: { supported: 'no' } }; },\n"
  "    function () { return { type: big, data: {} }; },\n"
  "    function () { return { type: 'videoConferenceJoined', data: { roomName: 7, id: [] } }; },\n"
  "    function () { return { data: { id: 'p2' } }; }\n"
  "  ];\n"
  "  for (var i = 0; i < 1000; i++) { h.postMessage(cases[i % cases.length](i)); }\n"
  "  window.JitsiMeetExternalAPI = function () {};\n"
  "  window.JitsiMeetExternalAPI.prototype.addListener = function () { return this; };\n"
  "  document.title = 'posted';\n"
  "}());\n";

static void
test_malformed_messages_change_nothing (Fixture       *f,
                                        gconstpointer  data)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  CounterWait rejected;
  guint accepted = 1;

  add_appointment (f, "Follow-up", ATX_CALL_TYPE_VIDEO, FALSE);
  fetch_token (f);
  g_assert_true (atx_appointment_store_flush (f->store, &error));
  before = atx_test_read_file (f->path);
  atx_fake_jitsi_set_script_body (world.fake, malformed_script);
  open_window (f, TRUE);

  rejected = (CounterWait) { G_OBJECT (atx_call_window_get_view (f->window)), "n-messages-rejected", 1000 };
  g_assert_true (atx_test_wait_until (counter_reached, &rejected, 60000));
  atx_test_spin (200);
  g_object_get (rejected.view, "n-messages-accepted", &accepted, NULL);
  g_assert_cmpuint (accepted, ==, 0);

  g_assert_cmpint (atx_call_session_get_state (f->session), ==, ATX_CALL_STATE_CONNECTING);
  g_assert_cmpuint (json_array_get_length (atx_appointment_get_call_log (lookup (f))), ==, 0);
  g_assert_false (atx_appointment_store_has_unsaved_changes (f->store));
  g_assert_true (atx_appointment_store_flush (f->store, &error));
  g_assert_no_error (error);
  after = atx_test_read_file (f->path);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpuint (atx_call_window_get_n_knocking (f->window), ==, 0);
}

static gboolean
page_is_ended (gpointer user_data)
{
  return g_strcmp0 (atx_call_window_get_visible_page (user_data), "ended") == 0;
}

static void
test_call_ended_in_jitsi_shows_ended (Fixture       *f,
                                      gconstpointer  data)
{
  g_autoptr(JsonObject) options = NULL;
  g_autofree char *left = NULL;
  JsonObject *entry;

  add_appointment (f, "Follow-up", ATX_CALL_TYPE_VIDEO, FALSE);
  fetch_token (f);
  open_window (f, TRUE);
  options = join_call (f);

  /* Hung up from Jitsi's own toolbar: the window stays and says so. */
  left = g_strdup_printf ("{\"roomName\": \"%s\"}", f->room);
  atx_fake_jitsi_cue (world.fake, "videoConferenceLeft", left);
  wait_state (f, ATX_CALL_STATE_ENDED);
  g_assert_true (atx_test_wait_until (page_is_ended, f->window, WAIT_MS));
  g_assert_nonnull (f->window);
  entry = last_call_log_entry (f);
  g_assert_cmpstr (json_object_get_string_member (entry, "endReason"), ==, "left");
  g_assert_false (gtk_widget_is_sensitive (atx_call_window_get_audio_button (f->window)));

  gtk_window_close (GTK_WINDOW (f->window));
  g_assert_true (atx_test_wait_until (pointer_cleared, &f->window, 2000));
}

static void
test_view_refuses_foreign_domain (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(AtxCallSession) session = NULL;
  g_autoptr(GError) error = NULL;
  AtxCallPageConfig config = {
    .domain = "meet.elsewhere.example", .room_name = "ataraxia-test", .transport = "webkit",
  };
  GtkWidget *view;

  add_appointment (f, "Follow-up", ATX_CALL_TYPE_VIDEO, FALSE);
  session = atx_call_session_new (f->store, f->id, "Follow-up", f->room, ATX_CALL_TYPE_VIDEO,
                                  FALSE, ATX_CALL_WHERE_EMBEDDED, TRUE);

  /* A page for another server than the configured one is never made. */
  view = atx_call_embed_load_view (session, &config, atx_fake_jitsi_get_domain (world.fake), &error);
  g_assert_null (view);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);

  view = atx_call_embed_load_view (session, &config, "not a domain/", &error);
  g_assert_null (view);
  g_assert_error (error, ATX_CALL_EMBED_ERROR, ATX_CALL_EMBED_ERROR_INVALID_DOMAIN);
}

static void
test_no_webrtc_shows_unsupported (Fixture       *f,
                                  gconstpointer  data)
{
  if (!g_test_subprocess ())
    {
      /* Without ATARAXIA_CALL_SKIP_WEBRTC_CHECK: see main(). */
      g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }

  g_assert_null (g_getenv ("ATARAXIA_CALL_SKIP_WEBRTC_CHECK"));
  add_appointment (f, "Follow-up", ATX_CALL_TYPE_VIDEO, FALSE);
  fetch_token (f);
  open_window (f, FALSE);

  /* Debian's WebKitGTK has no RTCPeerConnection, even with enable-webrtc. */
  wait_state (f, ATX_CALL_STATE_UNSUPPORTED);
  g_assert_true (page_is (f->window, "unsupported"));
  g_assert_cmpstr (atx_call_window_get_status_title (f->window), ==, "This WebKitGTK cannot make calls");
  g_assert_cmpuint (atx_fake_jitsi_get_script_requests (world.fake), ==, 0);
  g_signal_emit_by_name (atx_call_window_get_open_in_browser_button (f->window), "clicked");
  g_assert_true (f->browser_asked);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  webkit_mapped_at_start = webkit_is_mapped ();

  g_test_init (&argc, &argv, NULL);
  /* Before any thread exists. */
  if (g_test_subprocess ())
    g_unsetenv ("ATARAXIA_CALL_SKIP_WEBRTC_CHECK");
  g_setenv (ATX_ENV_BACKEND_API_KEY, FIXTURE_THERAPIST_KEY, TRUE);
  gtk_init ();
  adw_init ();

#define ADD(path, func) \
  g_test_add ("/embedded-call/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  /* First: nothing may have loaded the module yet. */
  ADD ("webkit-mapped-only-with-first-window", test_webkit_mapped_only_with_first_window);
  ADD ("video-join-passes-room-fresh-token-and-name", test_video_join_passes_room_fresh_token_and_name);
  ADD ("audio-call-starts-audio-only", test_audio_call_starts_audio_only);
  ADD ("participants-logged-while-call-runs", test_participants_logged_while_call_runs);
  ADD ("leave-hangs-up-and-records-end", test_leave_hangs_up_and_records_end);
  ADD ("closing-window-hangs-up-first", test_closing_window_hangs_up_first);
  ADD ("mute-toggles-follow-jitsi", test_mute_toggles_follow_jitsi);
  ADD ("knocking-client-admitted", test_knocking_client_admitted);
  ADD ("script-404-fails-with-retry", test_script_404_fails_with_retry);
  ADD ("rejected-token-retry-refreshes", test_rejected_token_retry_refreshes);
  ADD ("permissions-only-camera-and-microphone", test_permissions_only_camera_and_microphone);
  ADD ("navigation-to-other-origin-blocked", test_navigation_to_other_origin_blocked);
  ADD ("malformed-messages-change-nothing", test_malformed_messages_change_nothing);
  ADD ("next-call-uses-view-made-ahead", test_next_call_uses_view_made_ahead);
  ADD ("call-ended-in-jitsi-shows-ended", test_call_ended_in_jitsi_shows_ended);
  ADD ("view-refuses-foreign-domain", test_view_refuses_foreign_domain);
  ADD ("no-webrtc-shows-unsupported", test_no_webrtc_shows_unsupported);
#undef ADD

  status = g_test_run ();

  g_clear_object (&world.client);
  g_clear_object (&world.settings);
  g_clear_pointer (&world.server, server_free);
  g_clear_pointer (&world.fake, atx_fake_jitsi_free);
  return status;
}

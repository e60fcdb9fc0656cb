/* test-video-scheduling.c — end to end with the real ataraxia-token-server on
 * port 0: a video appointment created through the editor gets a room, a join
 * URL and a moderator token that verifies with the server's secret; with the
 * server gone the appointment is still saved and the panel says the token
 * will be fetched at join; an audio appointment shows the phone mark. */
#include "config.h"

#include <adwaita.h>

#include "atx-application.h"
#include "atx-appointment-editor.h"
#include "atx-details-panel.h"
#include "atx-month-view.h"
#include "atx-window.h"
#include "core/atx-jwt.h"
#include "atx-test-utils.h"
#include "token-server-fixture.h"

typedef struct {
  char           *dir;
  char           *path;
  Server         *server;
  AtxApplication *app;
  AtxWindow      *window;
} Fixture;

static gboolean
app_loaded (gpointer user_data)
{
  return atx_application_is_loaded (user_data);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  ServerOptions options = { .domain = "meet.example.org" };
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(GError) error = NULL;
  static guint n_apps;
  g_autofree char *app_id = g_strdup_printf ("%s.Test%u", APP_ID, n_apps++);

  f->dir = atx_test_make_tmp_dir ();
  f->path = g_build_filename (f->dir, "ataraxia", "appointments.json", NULL);
  f->server = server_start (&options);
  g_assert_nonnull (f->server);

  /* GSETTINGS_BACKEND=memory: one backend for the whole process, so the
   * app's own GSettings sees these values. */
  g_settings_set_string (settings, "jitsi-domain", "meet.example.org");
  g_settings_set_boolean (settings, "use-jwt", TRUE);
  g_settings_set_string (settings, "backend-url", f->server->url);
  g_settings_set_string (settings, "user-name", "Dr Test");
  g_settings_set_string (settings, "user-email", "dr.test@example.org");
  g_settings_set_string (settings, "user-id", "therapist-1");
  g_setenv ("ATARAXIA_BACKEND_API_KEY", FIXTURE_THERAPIST_KEY, TRUE);

  f->app = g_object_new (ATX_TYPE_APPLICATION,
                         "application-id", app_id,
                         "flags", G_APPLICATION_NON_UNIQUE,
                         "resource-base-path", "/org/ataraxia/Calendar",
                         "store-path", f->path,
                         NULL);
  g_application_register (G_APPLICATION (f->app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (f->app));
  f->window = ATX_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (f->app)));
  g_assert_nonnull (f->window);
  g_assert_true (atx_test_wait_until (app_loaded, f->app, 5000));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  atx_test_spin (20);
  g_clear_object (&f->app);
  g_clear_pointer (&f->server, server_free);
  atx_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static gboolean
switch_is_on (gpointer user_data)
{
  return gtk_switch_get_active (user_data);
}

static gboolean
editor_gone (gpointer user_data)
{
  return atx_window_get_editor (user_data) == NULL;
}

/* Creates an appointment through the editor as a user would: title, video
 * switch on, call type, Save. Returns the stored appointment. */
static AtxAppointment *
create_through_editor (Fixture     *f,
                       const char  *title,
                       AtxCallType  type)
{
  AtxAppointmentEditor *editor;
  GtkSwitch *video_switch;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.new-appointment", NULL));
  editor = ATX_APPOINTMENT_EDITOR (atx_window_get_editor (f->window));
  g_assert_nonnull (editor);

  gtk_editable_set_text (atx_appointment_editor_get_title_editable (editor), title);
  video_switch = atx_appointment_editor_get_video_switch (editor);
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (video_switch)));
  adw_action_row_activate (atx_appointment_editor_get_video_row (editor));
  g_assert_true (atx_test_wait_until (switch_is_on, video_switch, 5000));
  gtk_widget_activate (GTK_WIDGET (atx_appointment_editor_get_call_type_button (editor, type)));

  g_assert_true (gtk_widget_activate (atx_appointment_editor_get_save_button (editor)));
  g_assert_true (atx_test_wait_until (editor_gone, f->window, 5000));

  return atx_window_get_selected_appointment (f->window);
}

typedef struct {
  AtxAppointmentStore *store;
  const char          *id;
} TokenWait;

static gboolean
token_stored (gpointer user_data)
{
  TokenWait *wait = user_data;
  AtxAppointment *appointment = atx_appointment_store_lookup (wait->store, wait->id);

  return appointment != NULL && atx_appointment_get_video_call_jwt (appointment) != NULL;
}

static gboolean
store_saved (gpointer user_data)
{
  return !atx_appointment_store_has_unsaved_changes (user_data);
}

static void
test_video_appointment_gets_verified_token (Fixture       *f,
                                            gconstpointer  data)
{
  AtxAppointmentStore *store = atx_application_get_store (f->app);
  AtxAppointment *created;
  AtxAppointment *stored;
  g_autofree char *id = NULL;
  g_autofree char *room = NULL;
  g_autofree char *expected_url = NULL;
  g_autoptr(AtxJwtClaims) claims = NULL;
  g_autoptr(GError) error = NULL;
  AtxJwtExpectations expect = { .issuer = "ataraxia", .audience = "jitsi",
                                .subject = "meet.example.org" };
  TokenWait wait;
  g_autofree char *contents = NULL;

  created = create_through_editor (f, "Initial consultation", ATX_CALL_TYPE_VIDEO);
  g_assert_nonnull (created);
  id = g_strdup (atx_appointment_get_id (created));

  /* The token is fetched in the background after saving. */
  wait.store = store;
  wait.id = id;
  if (!atx_test_wait_until (token_stored, &wait, 10000))
    g_error ("no token stored; the panel says: %s",
             atx_details_panel_get_token_state (ATX_DETAILS_PANEL (atx_window_get_details_panel (f->window))));
  stored = atx_appointment_store_lookup (store, id);

  room = g_strdup (atx_appointment_get_video_call_room_name (stored));
  g_assert_true (g_str_has_prefix (room, "ataraxia-"));
  g_assert_null (strstr (room, "initial"));
  expected_url = g_strdup_printf ("https://meet.example.org/%s", room);
  g_assert_cmpstr (atx_appointment_get_video_call_url (stored), ==, expected_url);
  g_assert_cmpint (atx_appointment_get_video_call_type (stored), ==, ATX_CALL_TYPE_VIDEO);

  /* It verifies with the server's secret, as prosody would check it. */
  expect.room = room;
  claims = atx_jwt_verify (atx_appointment_get_video_call_jwt (stored),
                           (const guint8 *) FIXTURE_SECRET, strlen (FIXTURE_SECRET),
                           &expect, g_get_real_time () / G_USEC_PER_SEC, &error);
  g_assert_no_error (error);
  g_assert_true (claims->moderator);
  g_assert_cmpstr (claims->room, ==, room);
  g_assert_cmpstr (claims->user_name, ==, "Dr Test");
  g_assert_nonnull (atx_appointment_get_video_call_jwt_expires_at (stored));
  g_assert_cmpint (g_date_time_to_unix (atx_appointment_get_video_call_jwt_expires_at (stored)),
                   ==, claims->expires_at);

  /* On disk too, and the panel says until when the token is valid. */
  g_assert_true (atx_test_wait_until (store_saved, store, 5000));
  contents = atx_test_read_file (f->path);
  g_assert_nonnull (strstr (contents, atx_appointment_get_video_call_jwt (stored)));
  g_assert_nonnull (strstr (contents, "\"videoCallJWTExpiresAt\""));
  g_assert_cmpstr (atx_details_panel_get_call_section (ATX_DETAILS_PANEL (atx_window_get_details_panel (f->window))),
                   ==, "scheduled");
  g_assert_true (g_str_has_prefix (atx_details_panel_get_token_state (ATX_DETAILS_PANEL (atx_window_get_details_panel (f->window))),
                                   "Valid until"));
}

typedef struct {
  AtxDetailsPanel *panel;
} PanelWait;

static gboolean
panel_shows_pending_with_reason (gpointer user_data)
{
  const char *state = atx_details_panel_get_token_state (user_data);

  return state != NULL && g_str_has_prefix (state, "Will be fetched when you join") &&
         strstr (state, "failed") != NULL;
}

static void
test_offline_still_saved_and_pending (Fixture       *f,
                                      gconstpointer  data)
{
  AtxAppointmentStore *store = atx_application_get_store (f->app);
  AtxDetailsPanel *panel = ATX_DETAILS_PANEL (atx_window_get_details_panel (f->window));
  AtxAppointment *created;
  g_autofree char *contents = NULL;

  /* The backend goes away before the appointment is scheduled. */
  g_assert_cmpint (server_stop (f->server, SIGTERM), ==, 0);

  created = create_through_editor (f, "Follow-up", ATX_CALL_TYPE_VIDEO);
  g_assert_nonnull (created);
  g_assert_true (atx_appointment_get_is_video_call (created));
  g_assert_nonnull (atx_appointment_get_video_call_room_name (created));
  g_assert_null (atx_appointment_get_video_call_jwt (created));

  g_assert_true (atx_test_wait_until (panel_shows_pending_with_reason, panel, 15000));

  g_assert_true (atx_test_wait_until (store_saved, store, 5000));
  contents = atx_test_read_file (f->path);
  g_assert_nonnull (strstr (contents, atx_appointment_get_id (created)));
  g_assert_nonnull (strstr (contents, atx_appointment_get_video_call_room_name (created)));
  g_assert_null (strstr (contents, "videoCallJWT\""));
}

static void
test_audio_appointment_shows_phone_mark (Fixture       *f,
                                         gconstpointer  data)
{
  AtxAppointment *created;
  AtxMonthView *month_view = ATX_MONTH_VIEW (atx_window_get_month_view (f->window));
  g_autoptr(GDateTime) local = NULL;
  gboolean video = TRUE, audio = FALSE;

  created = create_through_editor (f, "Phone check-in", ATX_CALL_TYPE_AUDIO);
  g_assert_nonnull (created);
  g_assert_cmpint (atx_appointment_get_video_call_type (created), ==, ATX_CALL_TYPE_AUDIO);

  local = g_date_time_to_local (atx_appointment_get_start (created));
  atx_month_view_get_marks_for_day (month_view, g_date_time_get_year (local),
                                    g_date_time_get_month (local),
                                    g_date_time_get_day_of_month (local), &video, &audio);
  g_assert_true (audio);
  g_assert_false (video);
}

typedef struct {
  char     *text;
  gboolean  done;
} ClipboardRead;

static void
on_clipboard_text (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ClipboardRead *read = user_data;

  read->text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);
  read->done = TRUE;
}

static gboolean
clipboard_read_done (gpointer user_data)
{
  return ((ClipboardRead *) user_data)->done;
}

static gboolean
clipboard_has_invite (gpointer user_data)
{
  GdkClipboard *clipboard = user_data;
  ClipboardRead read = { 0 };
  gboolean found;

  gdk_clipboard_read_text_async (clipboard, NULL, on_clipboard_text, &read);
  if (!atx_test_wait_until (clipboard_read_done, &read, 2000))
    return FALSE;
  found = read.text != NULL && strstr (read.text, "?jwt=") != NULL;
  g_free (read.text);
  return found;
}

/* "Copy client invite link": a participant token bound to the session
 * window (15 minutes before start to 1 hour after end), in the link. */
static void
test_client_invite_link (Fixture       *f,
                         gconstpointer  data)
{
  AtxAppointment *created;
  GdkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (f->window));
  ClipboardRead read = { 0 };
  g_autofree char *room = NULL;
  g_autofree char *prefix = NULL;
  g_autoptr(AtxJwtClaims) claims = NULL;
  g_autoptr(GError) error = NULL;
  AtxJwtExpectations expect = { .issuer = "ataraxia", .audience = "jitsi",
                                .subject = "meet.example.org" };
  gint64 start, end;

  /* Tomorrow (09:00 by default), so that the window's start is ahead and
   * not clamped by the server to now − 60 s. */
  atx_month_view_move_days (ATX_MONTH_VIEW (atx_window_get_month_view (f->window)), 1);
  created = create_through_editor (f, "Weekly session", ATX_CALL_TYPE_VIDEO);
  g_assert_nonnull (created);
  room = g_strdup (atx_appointment_get_video_call_room_name (created));
  start = g_date_time_to_unix (atx_appointment_get_start (created));
  end = g_date_time_to_unix (atx_appointment_get_end (created));

  gdk_clipboard_set_text (clipboard, "nothing yet");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.copy-invite-link", NULL));
  g_assert_true (atx_test_wait_until (clipboard_has_invite, clipboard, 10000));

  gdk_clipboard_read_text_async (clipboard, NULL, on_clipboard_text, &read);
  g_assert_true (atx_test_wait_until (clipboard_read_done, &read, 2000));
  prefix = g_strdup_printf ("https://meet.example.org/%s?jwt=", room);
  g_assert_true (g_str_has_prefix (read.text, prefix));

  /* Checked at the start of the window, when the client may first join. */
  expect.room = room;
  claims = atx_jwt_verify (read.text + strlen (prefix),
                           (const guint8 *) FIXTURE_SECRET, strlen (FIXTURE_SECRET),
                           &expect, start - 15 * 60, &error);
  g_assert_no_error (error);
  g_assert_false (claims->moderator);
  g_assert_cmpint (claims->not_before, ==, start - 15 * 60);
  g_assert_cmpint (claims->expires_at, ==, end + 60 * 60);
  /* No health data in the link: neither title nor client. */
  g_assert_null (strstr (read.text, "Weekly"));
  g_free (read.text);
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/video-scheduling/editor-creates-room-url-and-verified-moderator-token",
       test_video_appointment_gets_verified_token);
  ADD ("/video-scheduling/backend-down-still-saves-and-panel-says-pending",
       test_offline_still_saved_and_pending);
  ADD ("/video-scheduling/audio-appointment-shows-phone-mark",
       test_audio_appointment_shows_phone_mark);
  ADD ("/video-scheduling/client-invite-link-carries-participant-token-for-the-window",
       test_client_invite_link);
#undef ADD

  return g_test_run ();
}

/* test-call-flow.c — the app's own join flow, end to end.
 *
 * Everything starts where the user starts it: the action app.join-call('ID')
 * of a real AtxApplication (unique id, its own store file) or the main
 * window's Join / Start video call buttons, and goes through the app's
 * AtxCallManager: the join token from the real ataraxia-token-server on
 * port 0, an AtxCallSession writing the call log, then the embedded call
 * window (the WebKit module from the build dir) or, with embed-calls off or
 * after "Open in Browser", the browser call host with its companion and
 * headless Chromium as the default browser (tests/support/atx-test-browser.h).
 * The loopback fake Jitsi server (tests/support/atx-fake-jitsi.h) records
 * what the External API was constructed with and the commands it ran.
 *
 * Runs under tests/support/gui-test-env with ATARAXIA_MODULE_DIR,
 * ATARAXIA_CALL_SKIP_WEBRTC_CHECK=1 and ATARAXIA_CALL_MOCK_CAPTURE=1; the
 * no-WebRTC case runs in a subprocess without the override (see main()).
 * Every wait is bounded; each case cleans up its windows, Chromium, servers
 * and temp dir.
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "atx-application.h"
#include "atx-call-companion.h"
#include "atx-call-manager.h"
#include "atx-call-window.h"
#include "atx-window.h"
#include "call/atx-call-host.h"
#include "core/atx-jwt.h"
#include "core/atx-room-name.h"
#include "atx-fake-jitsi.h"
#include "atx-test-browser.h"
#include "atx-test-utils.h"
#include "token-server-fixture.h"

#define WAIT_MS 15000
#define BROWSER_TIMEOUT_MS 45000
#define DISPLAY_NAME "Dr Test"
#define EMAIL "dr.test@example.org"

typedef struct {
  char           *dir;
  char           *path;
  char           *profile;     /* Chromium's, when a case uses the browser */
  AtxFakeJitsi   *fake;
  Server         *server;
  GSettings      *gsettings;
  AtxApplication *app;
  AtxWindow      *window;
  AtxCallManager *manager;
  GPtrArray      *messages;    /* ::message texts */
  GPtrArray      *busy;        /* "ID:busy:join-button-sensitive" per ::busy-changed */
  char           *id;
  char           *room;
} Fixture;

/* ------------------------------------------------------------ fixture */

static gboolean
app_loaded (gpointer user_data)
{
  return atx_application_is_loaded (user_data);
}

static GtkWidget *find_actionable (GtkWidget *root, const char *action_name);

static gboolean
action_button_sensitive (Fixture    *f,
                         const char *action_name)
{
  GtkWidget *button = find_actionable (GTK_WIDGET (f->window), action_name);

  g_assert_nonnull (button);
  return gtk_widget_get_sensitive (button);
}

static void
on_message (AtxCallManager *manager,
            const char     *text,
            Fixture        *f)
{
  g_test_message ("::message “%s”", text);
  g_ptr_array_add (f->messages, g_strdup (text));
}

/* Connected after the application's own handler: the window has already
 * been told, so the Join button's sensitivity is what the user sees. */
static void
on_busy_changed (AtxCallManager *manager,
                 const char     *id,
                 gboolean        busy,
                 Fixture        *f)
{
  g_ptr_array_add (f->busy, g_strdup_printf ("%s:%d:%d", id, busy,
                                             action_button_sensitive (f, "win.join-call")));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  ServerOptions options = { NULL, };
  g_autoptr(GError) error = NULL;
  static guint n_apps;
  g_autofree char *app_id = g_strdup_printf ("%s.CallFlow%u", APP_ID, n_apps++);

  f->dir = atx_test_make_tmp_dir ();
  f->path = g_build_filename (f->dir, "ataraxia", "appointments.json", NULL);
  f->messages = g_ptr_array_new_with_free_func (g_free);
  f->busy = g_ptr_array_new_with_free_func (g_free);

  f->fake = atx_fake_jitsi_new (&error);
  g_assert_no_error (error);
  /* The token's sub and the join URLs name the fake server. */
  options.domain = atx_fake_jitsi_get_domain (f->fake);
  f->server = server_start (&options);
  g_assert_nonnull (f->server);

  /* GSETTINGS_BACKEND=memory: one backend for the whole process, so the
   * app's own GSettings sees these values (set again for every case). */
  f->gsettings = g_settings_new (APP_ID);
  g_settings_set_string (f->gsettings, "jitsi-domain", atx_fake_jitsi_get_domain (f->fake));
  g_settings_set_boolean (f->gsettings, "use-jwt", TRUE);
  g_settings_set_string (f->gsettings, "backend-url", f->server->url);
  g_settings_set_string (f->gsettings, "user-name", DISPLAY_NAME);
  g_settings_set_string (f->gsettings, "user-email", EMAIL);
  g_settings_set_string (f->gsettings, "user-id", "therapist-1");
  g_settings_set_boolean (f->gsettings, "lobby-for-clients", TRUE);
  g_settings_set_boolean (f->gsettings, "embed-calls", TRUE);

  /* data "primary": the app as `ataraxia` runs it, the primary instance
   * of org.ataraxia.Calendar on this test's private session bus. */
  f->app = g_object_new (ATX_TYPE_APPLICATION,
                         "application-id", data != NULL ? APP_ID : app_id,
                         "flags", data != NULL ? G_APPLICATION_HANDLES_COMMAND_LINE : G_APPLICATION_NON_UNIQUE,
                         "resource-base-path", "/org/ataraxia/Calendar",
                         "store-path", f->path,
                         NULL);
  g_application_register (G_APPLICATION (f->app), NULL, &error);
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (f->app));
  f->window = ATX_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (f->app)));
  g_assert_nonnull (f->window);
  g_assert_true (atx_test_wait_until (app_loaded, f->app, 5000));

  f->manager = atx_application_get_call_manager (f->app);
  g_signal_connect (f->manager, "message", G_CALLBACK (on_message), f);
  g_signal_connect (f->manager, "busy-changed", G_CALLBACK (on_busy_changed), f);
}

static gboolean
pointer_cleared (gpointer user_data)
{
  return *(gpointer *) user_data == NULL;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  GtkWindow *call_window = atx_call_manager_get_call_window (f->manager);
  g_autoptr(GError) error = NULL;

  g_signal_handlers_disconnect_by_data (f->manager, f);
  if (call_window != NULL)
    {
      g_object_add_weak_pointer (G_OBJECT (call_window), (gpointer *) &call_window);
      gtk_window_destroy (call_window);
      g_assert_true (atx_test_wait_until (pointer_cleared, &call_window, WAIT_MS));
    }
  g_assert_false (atx_call_manager_has_call (f->manager));
  if (f->profile != NULL)
    atx_test_browser_kill (f->profile);

  g_assert_true (atx_appointment_store_flush (atx_application_get_store (f->app), &error));
  g_assert_no_error (error);
  gtk_window_destroy (GTK_WINDOW (f->window));
  atx_test_spin (50);
  g_clear_object (&f->app);
  g_clear_object (&f->gsettings);
  g_clear_pointer (&f->server, server_free);
  g_clear_pointer (&f->fake, atx_fake_jitsi_free);
  g_clear_pointer (&f->messages, g_ptr_array_unref);
  g_clear_pointer (&f->busy, g_ptr_array_unref);
  atx_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->path);
  g_free (f->profile);
  g_free (f->id);
  g_free (f->room);
}

/* ------------------------------------------------------------ helpers */

static GtkWidget *
find_actionable (GtkWidget  *root,
                 const char *action_name)
{
  if (GTK_IS_ACTIONABLE (root) &&
      g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action_name) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_actionable (child, action_name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Adds an appointment that runs now to the app's store and selects it in
 * the main window. A video one gets a room and its join URL, no token. */
static void
add_appointment (Fixture     *f,
                 const char  *title,
                 gboolean     video,
                 AtxCallType  type)
{
  AtxAppointmentStore *store = atx_application_get_store (f->app);
  g_autoptr(AtxAppointment) appointment = atx_appointment_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) start = g_date_time_add_minutes (now, -5);
  g_autoptr(GDateTime) end = g_date_time_add_minutes (now, 45);
  g_autoptr(GError) error = NULL;

  atx_appointment_set_title (appointment, title);
  atx_appointment_set_client_name (appointment, "Alex Doe");
  atx_appointment_set_start (appointment, start);
  atx_appointment_set_end (appointment, end);
  if (video)
    {
      g_autofree char *url = NULL;

      f->room = atx_room_name_generate ();
      url = g_strdup_printf ("http://%s/%s", atx_fake_jitsi_get_domain (f->fake), f->room);
      atx_appointment_set_is_video_call (appointment, TRUE);
      atx_appointment_set_video_call_type (appointment, type);
      atx_appointment_set_video_call_room_name (appointment, f->room);
      atx_appointment_set_video_call_url (appointment, url);
    }
  f->id = g_strdup (atx_appointment_get_id (appointment));
  g_assert_true (atx_appointment_store_add (store, appointment, &error));
  g_assert_no_error (error);
  g_assert_true (atx_appointment_store_flush (store, &error));
  g_assert_no_error (error);

  atx_window_select_appointment (f->window, atx_appointment_store_lookup (store, f->id));
  g_assert_cmpstr (atx_appointment_get_id (atx_window_get_selected_appointment (f->window)), ==, f->id);
}

static void
activate_join (Fixture    *f,
               const char *id)
{
  g_action_group_activate_action (G_ACTION_GROUP (f->app), "join-call", g_variant_new_string (id));
}

static void
click (GtkWidget *button)
{
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static gboolean
manager_has_window (gpointer user_data)
{
  Fixture *f = user_data;

  return atx_call_manager_get_call_window (f->manager) != NULL;
}

static GtkWindow *
wait_call_window (Fixture *f)
{
  if (!atx_test_wait_until (manager_has_window, f, WAIT_MS))
    g_error ("no call window; messages: %s",
             f->messages->len > 0 ? (char *) g_ptr_array_index (f->messages, f->messages->len - 1) : "none");
  return atx_call_manager_get_call_window (f->manager);
}

static guint
count_toplevels (GType type)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();
  guint n = 0;

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type))
      n++;
  return n;
}

static void
assert_moderator_token_for_room (Fixture    *f,
                                 JsonObject *options,
                                 const char *room)
{
  g_autoptr(AtxJwtClaims) claims = NULL;
  g_autoptr(GError) error = NULL;
  AtxJwtExpectations expect = { .issuer = "ataraxia", .audience = "jitsi" };
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  JsonObject *user_info;

  g_assert_cmpstr (json_object_get_string_member (options, "roomName"), ==, room);
  expect.subject = atx_fake_jitsi_get_domain (f->fake);
  expect.room = room;
  claims = atx_jwt_verify (json_object_get_string_member (options, "jwt"),
                           (const guint8 *) FIXTURE_SECRET, strlen (FIXTURE_SECRET),
                           &expect, now, &error);
  g_assert_no_error (error);
  g_assert_true (claims->moderator);
  g_assert_cmpstr (claims->room, ==, room);
  g_assert_cmpint (claims->expires_at, >, now + 5 * 60);
  user_info = json_object_get_object_member (options, "userInfo");
  g_assert_nonnull (user_info);
  g_assert_cmpstr (json_object_get_string_member (user_info, "displayName"), ==, DISPLAY_NAME);
}

/* The fixture appointment as stored in the file (NULL if not there). */
static JsonObject *
read_stored_appointment (Fixture *f)
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

      if (g_strcmp0 (json_object_get_string_member (a, "id"), f->id) == 0)
        return json_object_ref (a);
    }
  return NULL;
}

/* The last callLog entry of the fixture appointment, read from the file. */
static JsonObject *
read_log_entry (Fixture *f)
{
  g_autoptr(JsonObject) appointment = read_stored_appointment (f);
  JsonArray *log;
  guint n;

  if (appointment == NULL || !json_object_has_member (appointment, "callLog"))
    return NULL;
  log = json_object_get_array_member (appointment, "callLog");
  n = json_array_get_length (log);
  return n > 0 ? json_object_ref (json_array_get_object_element (log, n - 1)) : NULL;
}

typedef struct {
  Fixture    *f;
  const char *participant;  /* listed in the entry */
  const char *end_reason;   /* NULL: still running (no endedAt) */
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
        if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (participants, i), "id"),
                       wait->participant) == 0)
          found = TRUE;
      if (!found)
        return FALSE;
    }
  if (wait->end_reason == NULL)
    return !json_object_has_member (entry, "endedAt");
  return json_object_has_member (entry, "endedAt") &&
         g_strcmp0 (json_object_get_string_member_with_default (entry, "endReason", ""),
                    wait->end_reason) == 0;
}

static JsonObject *
wait_for_log (Fixture    *f,
              const char *participant,
              const char *end_reason)
{
  LogWait wait = { f, participant, end_reason };

  if (!atx_test_wait_until (log_matches, &wait, WAIT_MS))
    {
      g_autofree char *contents = NULL;

      g_file_get_contents (f->path, &contents, NULL, NULL);
      g_error ("the call log never showed participant=%s endReason=%s:\n%s",
               participant, end_reason, contents);
    }
  return read_log_entry (f);
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
wait_state (AtxCallSession *session,
            AtxCallState    state)
{
  StateWait wait = { session, state };

  if (!atx_test_wait_until (state_reached, &wait, WAIT_MS))
    g_error ("call state %d, expected %d (failure: %s)", atx_call_session_get_state (session), state,
             atx_call_session_get_failure_message (session));
}

/* The stub joins the conference (as the therapist) and a client comes in. */
static void
cue_joined_with_client (Fixture        *f,
                        AtxCallSession *session,
                        const char     *room,
                        const char     *client_id)
{
  g_autofree char *joined = g_strdup_printf ("{\"roomName\":\"%s\",\"id\":\"me000001\","
                                             "\"displayName\":\"" DISPLAY_NAME "\","
                                             "\"formattedDisplayName\":\"" DISPLAY_NAME " (me)\"}",
                                             room);
  g_autofree char *client = g_strdup_printf ("{\"id\":\"%s\",\"displayName\":\"Alex Doe\","
                                             "\"formattedDisplayName\":\"Alex Doe\"}", client_id);

  g_assert_true (atx_fake_jitsi_wait_listening (f->fake, WAIT_MS));
  atx_fake_jitsi_cue (f->fake, "videoConferenceJoined", joined);
  wait_state (session, ATX_CALL_STATE_JOINED);
  atx_fake_jitsi_cue (f->fake, "participantJoined", client);
}

static gboolean
host_connected (gpointer data)
{
  return atx_call_host_get_connected (data);
}

static JsonObject *
wait_constructed_in_browser (Fixture *f)
{
  JsonObject *options = atx_fake_jitsi_wait_constructed (f->fake, BROWSER_TIMEOUT_MS);

  if (options == NULL)
    {
      g_autofree char *log = atx_test_browser_get_log (f->profile);
      g_autofree char *args = atx_test_browser_get_launch_args (f->profile);

      g_error ("the External API was not constructed in Chromium; launched with:\n%s\nits log:\n%s",
               args, log ? log : "(none)");
    }
  return options;
}

/* The browser was given the host's capability URL and nothing else: no
 * token in it. */
static void
assert_browser_opened_host_url (Fixture        *f,
                                AtxCallCompanion *companion,
                                JsonObject     *options)
{
  g_autofree char *args = atx_test_browser_get_launch_args (f->profile);
  const char *url = atx_call_host_get_url (atx_call_companion_get_host (companion));

  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));
  g_assert_nonnull (strstr (url, "/call/"));
  g_assert_nonnull (strstr (args, url));
  g_assert_null (strstr (args, "jwt"));
  g_assert_null (strstr (args, json_object_get_string_member (options, "jwt")));
  g_assert_null (strstr (args, f->room));
}

/* -------------------------------------------------------------- cases */

static void
test_embedded_join_through_app_action (Fixture       *f,
                                       gconstpointer  data)
{
  g_autoptr(JsonObject) options = NULL;
  g_autoptr(JsonObject) entry = NULL;
  g_autofree char *busy_on = NULL;
  g_autofree char *busy_off = NULL;
  AtxCallWindow *window;
  AtxCallSession *session;

  add_appointment (f, "Initial consultation", TRUE, ATX_CALL_TYPE_VIDEO);
  g_assert_true (action_button_sensitive (f, "win.join-call"));

  /* Twice at once: the second is the same join, still fetching its token. */
  activate_join (f, f->id);
  activate_join (f, f->id);
  window = ATX_CALL_WINDOW (wait_call_window (f));
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  session = atx_call_window_get_session (window);
  g_assert_cmpstr (atx_call_session_get_appointment_id (session), ==, f->id);
  g_assert_cmpint (atx_call_session_get_where (session), ==, ATX_CALL_WHERE_EMBEDDED);
  g_assert_false (atx_call_session_get_ad_hoc (session));
  g_assert_true (atx_call_manager_has_call (f->manager));

  /* While the token was fetched, Join was insensitive; then sensitive again. */
  busy_on = g_strdup_printf ("%s:1:0", f->id);
  busy_off = g_strdup_printf ("%s:0:1", f->id);
  g_assert_cmpuint (f->busy->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (f->busy, 0), ==, busy_on);
  g_assert_cmpstr (g_ptr_array_index (f->busy, 1), ==, busy_off);

  /* The External API got this room and a moderator token that verifies,
   * now cached in the appointment. */
  options = atx_fake_jitsi_wait_constructed (f->fake, WAIT_MS);
  g_assert_nonnull (options);
  assert_moderator_token_for_room (f, options, f->room);
  g_assert_cmpstr (atx_appointment_get_video_call_jwt (atx_appointment_store_lookup (atx_application_get_store (f->app), f->id)),
                   ==, json_object_get_string_member (options, "jwt"));

  /* One call at a time: joining again presents the same window. */
  activate_join (f, f->id);
  atx_test_spin (300);
  g_assert_true (atx_call_manager_get_call_window (f->manager) == GTK_WINDOW (window));
  g_assert_cmpuint (count_toplevels (ATX_TYPE_CALL_WINDOW), ==, 1);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_cmpuint (atx_fake_jitsi_get_constructed_count (f->fake), ==, 1);
  g_assert_cmpuint (f->busy->len, ==, 2);
  g_assert_cmpuint (f->messages->len, ==, 0);

  /* The call runs: the log entry is in the file with the client. */
  cue_joined_with_client (f, session, f->room, "c1ient01");
  entry = wait_for_log (f, "c1ient01", NULL);
  g_assert_cmpstr (json_object_get_string_member (entry, "roomName"), ==, f->room);
  g_assert_cmpstr (json_object_get_string_member (entry, "where"), ==, "embedded");
  g_assert_false (json_object_get_boolean_member (entry, "adHoc"));
  g_clear_pointer (&entry, json_object_unref);

  /* Leave hangs up, records the end, closes the window; no call remains. */
  click (atx_call_window_get_leave_button (window));
  g_assert_true (atx_fake_jitsi_wait_command (f->fake, "hangup", WAIT_MS, NULL));
  entry = wait_for_log (f, "c1ient01", "hangup");
  g_assert_true (atx_test_wait_until (pointer_cleared, &window, WAIT_MS));
  g_assert_false (atx_call_manager_has_call (f->manager));
  g_assert_null (atx_call_manager_get_call_window (f->manager));
  g_assert_cmpuint (f->messages->len, ==, 0);
}

static void
test_adhoc_call_writes_only_the_log (Fixture       *f,
                                     gconstpointer  data)
{
  g_autoptr(JsonObject) options = NULL;
  g_autoptr(JsonObject) before = NULL;
  g_autoptr(JsonObject) after = NULL;
  g_autoptr(JsonObject) entry = NULL;
  g_autofree char *room = NULL;
  AtxCallWindow *window;
  AtxCallSession *session;
  GList *members;

  add_appointment (f, "Follow-up in person", FALSE, ATX_CALL_TYPE_VIDEO);
  before = read_stored_appointment (f);
  g_assert_nonnull (before);

  /* A non-video appointment offers an ad-hoc call, not Join. */
  g_assert_false (action_button_sensitive (f, "win.join-call"));
  click (find_actionable (GTK_WIDGET (f->window), "win.start-adhoc-call"));

  window = ATX_CALL_WINDOW (wait_call_window (f));
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  session = atx_call_window_get_session (window);
  g_assert_true (atx_call_session_get_ad_hoc (session));

  /* A fresh temporary room with its own moderator token. */
  options = atx_fake_jitsi_wait_constructed (f->fake, WAIT_MS);
  g_assert_nonnull (options);
  room = g_strdup (json_object_get_string_member (options, "roomName"));
  g_assert_true (g_str_has_prefix (room, "ataraxia-"));
  g_assert_cmpuint (strlen (room), >=, strlen ("ataraxia-") + 26);
  g_assert_cmpstr (atx_call_session_get_room_name (session), ==, room);
  assert_moderator_token_for_room (f, options, room);

  /* A joined/left cycle. */
  f->room = g_strdup (room);
  cue_joined_with_client (f, session, room, "c1ient02");
  wait_for_log (f, "c1ient02", NULL);
  atx_fake_jitsi_cue (f->fake, "participantLeft", "{\"id\":\"c1ient02\"}");
  click (atx_call_window_get_leave_button (window));
  g_assert_true (atx_fake_jitsi_wait_command (f->fake, "hangup", WAIT_MS, NULL));
  entry = wait_for_log (f, "c1ient02", "hangup");
  g_assert_true (json_object_get_boolean_member (entry, "adHoc"));
  g_assert_cmpstr (json_object_get_string_member (entry, "roomName"), ==, room);
  g_assert_true (atx_test_wait_until (pointer_cleared, &window, WAIT_MS));

  /* Nothing but the log was written: no video members appeared, every
   * other member is as it was. */
  after = read_stored_appointment (f);
  members = json_object_get_members (after);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *name = l->data;

      if (g_str_has_prefix (name, "videoCall"))
        g_error ("the ad-hoc call wrote %s into the appointment", name);
      if (strcmp (name, "callLog") == 0 || strcmp (name, "updatedAt") == 0)
        continue;
      g_assert_true (json_object_has_member (before, name));
      g_assert_true (json_node_equal (json_object_get_member (before, name),
                                      json_object_get_member (after, name)));
    }
  g_list_free (members);
  g_assert_false (json_object_get_boolean_member_with_default (after, "isVideoCall", FALSE));
  g_assert_false (atx_appointment_get_is_video_call (atx_appointment_store_lookup (atx_application_get_store (f->app), f->id)));
}

static void
test_embed_off_goes_to_browser (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(JsonObject) options = NULL;
  g_autoptr(JsonObject) entry = NULL;
  AtxCallCompanion *companion;
  AtxCallSession *session;

  if (!atx_test_browser_is_installed ())
    {
      g_test_skip ("needs " ATX_TEST_CHROMIUM " and the private XDG dirs of gui-test-env");
      return;
    }
  f->profile = g_build_filename (f->dir, "chromium-profile", NULL);
  atx_test_browser_prepare (f->profile);
  g_settings_set_boolean (f->gsettings, "embed-calls", FALSE);
  add_appointment (f, "Initial consultation", TRUE, ATX_CALL_TYPE_VIDEO);

  activate_join (f, f->id);
  companion = ATX_CALL_COMPANION (wait_call_window (f));
  session = atx_call_companion_get_session (companion);
  g_assert_cmpint (atx_call_session_get_where (session), ==, ATX_CALL_WHERE_BROWSER);
  g_assert_cmpuint (count_toplevels (ATX_TYPE_CALL_WINDOW), ==, 0);

  options = wait_constructed_in_browser (f);
  assert_moderator_token_for_room (f, options, f->room);
  assert_browser_opened_host_url (f, companion, options);

  /* In the call, then Leave in the companion reaches the page as hangup. */
  g_assert_true (atx_test_wait_until (host_connected, atx_call_companion_get_host (companion), WAIT_MS));
  cue_joined_with_client (f, session, f->room, "c1ient03");
  entry = wait_for_log (f, "c1ient03", NULL);
  g_assert_cmpstr (json_object_get_string_member (entry, "where"), ==, "browser");
  g_clear_pointer (&entry, json_object_unref);
  click (atx_call_companion_get_leave_button (companion));
  g_assert_true (atx_fake_jitsi_wait_command (f->fake, "hangup", WAIT_MS, NULL));
  wait_state (session, ATX_CALL_STATE_ENDED);
  entry = wait_for_log (f, "c1ient03", "hangup");
  g_assert_cmpuint (f->messages->len, ==, 0);
}

static gboolean
page_is_unsupported (gpointer user_data)
{
  return g_strcmp0 (atx_call_window_get_visible_page (user_data), "unsupported") == 0;
}

static gboolean
manager_shows_companion (gpointer user_data)
{
  Fixture *f = user_data;

  return ATX_IS_CALL_COMPANION (atx_call_manager_get_call_window (f->manager));
}

static void
test_open_in_browser_from_unsupported (Fixture       *f,
                                       gconstpointer  data)
{
  g_autoptr(JsonObject) options = NULL;
  AtxCallWindow *window;
  AtxCallCompanion *companion;

  g_assert_null (g_getenv ("ATARAXIA_CALL_SKIP_WEBRTC_CHECK"));
  if (!atx_test_browser_is_installed ())
    {
      g_test_skip ("needs " ATX_TEST_CHROMIUM " and the private XDG dirs of gui-test-env");
      return;
    }
  f->profile = g_build_filename (f->dir, "chromium-profile", NULL);
  atx_test_browser_prepare (f->profile);
  add_appointment (f, "Initial consultation", TRUE, ATX_CALL_TYPE_VIDEO);

  /* Debian's WebKitGTK has no RTCPeerConnection: the window says so. */
  activate_join (f, f->id);
  window = ATX_CALL_WINDOW (wait_call_window (f));
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  g_assert_true (atx_test_wait_until (page_is_unsupported, window, WAIT_MS));

  /* Open in Browser: the same call moves to the browser and its companion. */
  click (atx_call_window_get_open_in_browser_button (window));
  g_assert_true (atx_test_wait_until (pointer_cleared, &window, WAIT_MS));
  g_assert_true (atx_test_wait_until (manager_shows_companion, f, WAIT_MS));
  companion = ATX_CALL_COMPANION (atx_call_manager_get_call_window (f->manager));
  g_assert_cmpstr (atx_call_session_get_appointment_id (atx_call_companion_get_session (companion)), ==, f->id);
  g_assert_cmpint (atx_call_session_get_where (atx_call_companion_get_session (companion)), ==,
                   ATX_CALL_WHERE_BROWSER);
  g_assert_cmpuint (count_toplevels (ATX_TYPE_CALL_WINDOW), ==, 0);

  options = wait_constructed_in_browser (f);
  assert_moderator_token_for_room (f, options, f->room);
  assert_browser_opened_host_url (f, companion, options);
  g_assert_cmpuint (f->messages->len, ==, 0);
}

static void
test_open_in_browser_from_unsupported_subprocess (void)
{
  /* Without ATARAXIA_CALL_SKIP_WEBRTC_CHECK: see main(). */
  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 150 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }
  {
    Fixture f = { NULL, };

    fixture_set_up (&f, NULL);
    test_open_in_browser_from_unsupported (&f, NULL);
    fixture_tear_down (&f, NULL);
  }
}

static gboolean
has_message (gpointer user_data)
{
  return ((Fixture *) user_data)->messages->len > 0;
}

static gboolean
has_two_messages (gpointer user_data)
{
  return ((Fixture *) user_data)->messages->len >= 2;
}

static gboolean
has_call_window (gpointer user_data)
{
  Fixture *f = user_data;
  GtkWindow *window = atx_call_manager_get_call_window (f->manager);

  return window != NULL && ATX_IS_CALL_WINDOW (window) && gtk_widget_get_visible (GTK_WIDGET (window));
}

static gboolean
busy_len_is_four (gpointer user_data)
{
  Fixture *f = user_data;

  return f->busy->len >= 4;
}

static void
test_backend_down_at_join (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *busy_on = NULL;
  g_autofree char *busy_off = NULL;
  AtxCallWindow *window;

  add_appointment (f, "Initial consultation", TRUE, ATX_CALL_TYPE_VIDEO);
  g_assert_null (atx_appointment_get_video_call_jwt (atx_appointment_store_lookup (atx_application_get_store (f->app), f->id)));
  g_assert_cmpint (server_stop (f->server, SIGTERM), ==, 0);

  activate_join (f, f->id);
  g_assert_true (atx_test_wait_until (has_call_window, f, WAIT_MS));
  window = ATX_CALL_WINDOW (atx_call_manager_get_call_window (f->manager));

  /* The call window says why, with Retry and Open in Browser; no page was
   * loaded, nothing was stored, and the busy state is over. */
  g_assert_cmpstr (atx_call_window_get_visible_page (window), ==, "failed");
  g_assert_cmpint (atx_call_session_get_failure (atx_call_window_get_session (window)), ==,
                   ATX_CALL_FAILURE_BACKEND);
  g_assert_nonnull (atx_call_window_get_status_description (window));
  g_assert_cmpuint (strlen (atx_call_window_get_status_description (window)), >, 0);
  g_assert_true (gtk_widget_get_visible (atx_call_window_get_retry_button (window)));
  g_assert_true (gtk_widget_get_visible (atx_call_window_get_open_in_browser_button (window)));
  g_assert_cmpuint (f->messages->len, ==, 0);
  busy_on = g_strdup_printf ("%s:1:0", f->id);
  busy_off = g_strdup_printf ("%s:0:1", f->id);
  g_assert_cmpuint (f->busy->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (f->busy, 0), ==, busy_on);
  g_assert_cmpstr (g_ptr_array_index (f->busy, 1), ==, busy_off);
  g_assert_cmpuint (atx_fake_jitsi_get_script_requests (f->fake), ==, 0);
  g_assert_null (atx_appointment_get_video_call_jwt (atx_appointment_store_lookup (atx_application_get_store (f->app), f->id)));

  /* Retry with the backend still down: a new attempt, failing the same way. */
  gtk_widget_activate (atx_call_window_get_retry_button (window));
  g_assert_true (atx_test_wait_until (busy_len_is_four, f, WAIT_MS));
  g_assert_true (atx_test_wait_until (has_call_window, f, WAIT_MS));
  g_assert_cmpstr (atx_call_window_get_visible_page (ATX_CALL_WINDOW (atx_call_manager_get_call_window (f->manager))),
                   ==, "failed");
}

static gboolean
page_is_ended (gpointer user_data)
{
  return g_strcmp0 (atx_call_window_get_visible_page (user_data), "ended") == 0;
}

typedef struct {
  Fixture   *f;
  GtkWindow *old;
} OtherWindowWait;

static gboolean
manager_has_other_window (gpointer user_data)
{
  OtherWindowWait *wait = user_data;
  GtkWindow *window = atx_call_manager_get_call_window (wait->f->manager);

  return window != NULL && window != wait->old;
}

static GtkWindow *
wait_other_call_window (Fixture   *f,
                        GtkWindow *old)
{
  OtherWindowWait wait = { f, old };

  if (!atx_test_wait_until (manager_has_other_window, &wait, WAIT_MS))
    g_error ("no new call window; messages: %u", f->messages->len);
  return atx_call_manager_get_call_window (f->manager);
}

static void
test_join_after_ended_call_starts_new_one (Fixture       *f,
                                           gconstpointer  data)
{
  g_autoptr(JsonObject) options = NULL;
  g_autoptr(JsonObject) entry = NULL;
  g_autofree char *left = NULL;
  AtxCallWindow *window;
  AtxCallWindow *second;

  add_appointment (f, "Initial consultation", TRUE, ATX_CALL_TYPE_VIDEO);
  activate_join (f, f->id);
  window = ATX_CALL_WINDOW (wait_call_window (f));
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  options = atx_fake_jitsi_wait_constructed (f->fake, WAIT_MS);
  g_assert_nonnull (options);
  g_clear_pointer (&options, json_object_unref);
  cue_joined_with_client (f, atx_call_window_get_session (window), f->room, "c1ient04");
  wait_for_log (f, "c1ient04", NULL);

  /* Hung up from Jitsi's own toolbar: the window stays and says so. */
  left = g_strdup_printf ("{\"roomName\": \"%s\"}", f->room);
  atx_fake_jitsi_cue (f->fake, "videoConferenceLeft", left);
  g_assert_true (atx_test_wait_until (page_is_ended, window, WAIT_MS));
  entry = wait_for_log (f, "c1ient04", "left");

  /* An ended call is not "the call that is running": joining again starts
   * a new call instead of raising the old window. */
  activate_join (f, f->id);
  second = ATX_CALL_WINDOW (wait_other_call_window (f, GTK_WINDOW (window)));
  g_object_add_weak_pointer (G_OBJECT (second), (gpointer *) &second);
  g_assert_true (atx_test_wait_until (pointer_cleared, &window, WAIT_MS));
  options = atx_fake_jitsi_wait_constructed (f->fake, WAIT_MS);
  g_assert_nonnull (options);
  assert_moderator_token_for_room (f, options, f->room);
  g_assert_cmpuint (count_toplevels (ATX_TYPE_CALL_WINDOW), ==, 1);
  g_assert_cmpint (atx_call_session_get_state (atx_call_window_get_session (second)), ==,
                   ATX_CALL_STATE_CONNECTING);
  g_assert_cmpuint (f->messages->len, ==, 0);
  /* The teardown closes it, after this frame is gone. */
  g_object_remove_weak_pointer (G_OBJECT (second), (gpointer *) &second);
}

static gboolean
session_failed (gpointer user_data)
{
  AtxCallWindow *window = user_data;

  return atx_call_session_get_state (atx_call_window_get_session (window)) == ATX_CALL_STATE_FAILED;
}

static void
test_retry_from_the_call_window (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(JsonObject) options = NULL;
  AtxAppointmentStore *store = atx_application_get_store (f->app);
  g_autoptr(AtxAppointment) removed = NULL;
  g_autoptr(GError) error = NULL;
  AtxCallWindow *window;
  AtxCallWindow *second;

  add_appointment (f, "Initial consultation", TRUE, ATX_CALL_TYPE_VIDEO);

  /* The Jitsi server does not serve its script: the failure page. */
  atx_fake_jitsi_set_script_status (f->fake, 404);
  activate_join (f, f->id);
  window = ATX_CALL_WINDOW (wait_call_window (f));
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  g_assert_true (atx_test_wait_until (session_failed, window, WAIT_MS));

  /* Retry once the server is back: the call comes up in a new window. */
  atx_fake_jitsi_set_script_status (f->fake, 200);
  click (atx_call_window_get_retry_button (window));
  second = ATX_CALL_WINDOW (wait_other_call_window (f, GTK_WINDOW (window)));
  g_object_add_weak_pointer (G_OBJECT (second), (gpointer *) &second);
  g_assert_true (atx_test_wait_until (pointer_cleared, &window, WAIT_MS));
  options = atx_fake_jitsi_wait_constructed (f->fake, WAIT_MS);
  g_assert_nonnull (options);
  assert_moderator_token_for_room (f, options, f->room);

  /* Jitsi refuses the token; meanwhile the appointment is deleted in the
   * main window. Retry then says so instead of joining nothing. */
  atx_fake_jitsi_cue (f->fake, "errorOccurred",
                      "{\"error\": {\"name\": \"connection.passwordRequired\", \"type\": \"CONNECTION\","
                      " \"isFatal\": true, \"message\": \"Password required\"}}");
  g_assert_true (atx_test_wait_until (session_failed, second, WAIT_MS));
  removed = atx_appointment_store_remove (store, f->id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (removed);
  g_ptr_array_set_size (f->busy, 0);
  click (atx_call_window_get_retry_button (second));
  g_assert_true (atx_test_wait_until (has_message, f, WAIT_MS));
  {
    g_autofree char *expected = g_strdup_printf ("There is no appointment with the id “%s”.", f->id);

    g_assert_cmpstr (g_ptr_array_index (f->messages, 0), ==, expected);
  }
  g_assert_true (atx_test_wait_until (pointer_cleared, &second, WAIT_MS));
  g_assert_null (atx_call_manager_get_call_window (f->manager));
  g_assert_false (atx_call_manager_has_call (f->manager));
  /* Nothing is left waiting: a later join is not swallowed. */
  g_assert_cmpuint (f->busy->len % 2, ==, 0);
  activate_join (f, "nope");
  g_assert_true (atx_test_wait_until (has_two_messages, f, WAIT_MS));
}

static void
test_unknown_id_action (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  add_appointment (f, "Initial consultation", TRUE, ATX_CALL_TYPE_VIDEO);
  before = atx_test_read_file (f->path);

  activate_join (f, "nope");
  g_assert_true (atx_test_wait_until (has_message, f, WAIT_MS));
  atx_test_spin (200);

  g_assert_cmpuint (f->messages->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->messages, 0), ==, "There is no appointment with the id “nope”.");
  g_assert_cmpuint (f->busy->len, ==, 0);
  g_assert_false (atx_call_manager_has_call (f->manager));
  g_assert_cmpuint (count_toplevels (ATX_TYPE_CALL_WINDOW), ==, 0);
  g_assert_cmpuint (count_toplevels (ATX_TYPE_CALL_COMPANION), ==, 0);
  g_assert_cmpuint (atx_fake_jitsi_get_script_requests (f->fake), ==, 0);
  g_assert_true (action_button_sensitive (f, "win.join-call"));
  after = atx_test_read_file (f->path);
  g_assert_cmpstr (before, ==, after);
}

typedef struct {
  gboolean  done;
  int       status;
  char     *err;
} Remote;

static void
remote_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Remote *remote = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, NULL, &remote->err, &error);
  g_assert_no_error (error);
  remote->status = g_subprocess_get_exit_status (G_SUBPROCESS (source));
  remote->done = TRUE;
}

static gboolean
remote_finished (gpointer user_data)
{
  return ((Remote *) user_data)->done;
}

/* Runs the real `ataraxia --join ID` as a second instance: it hands its
 * command line to this process (the primary) over D-Bus. */
static void
run_remote_join (const char *id,
                 Remote     *remote)
{
  g_autofree char *binary = g_build_filename (g_getenv ("ATX_BUILD_ROOT"), "src", "ataraxia", NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error,
                              binary, "--join", id, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, remote_done, remote);
  if (!atx_test_wait_until (remote_finished, remote, WAIT_MS))
    {
      g_subprocess_force_exit (process);
      g_error ("ataraxia --join %s did not finish", id);
    }
}

static void
test_second_instance_join (Fixture       *f,
                           gconstpointer  data)
{
  Remote unknown = { FALSE, -1, NULL };
  Remote known = { FALSE, -1, NULL };
  g_autoptr(JsonObject) options = NULL;

  if (g_getenv ("ATX_BUILD_ROOT") == NULL)
    {
      g_test_skip ("needs ATX_BUILD_ROOT (the ataraxia binary)");
      return;
    }
  g_assert_false (g_application_get_is_remote (G_APPLICATION (f->app)));
  add_appointment (f, "Initial consultation", TRUE, ATX_CALL_TYPE_VIDEO);

  /* An unknown id: the error on the caller's stderr, status 1, and the
   * message in the running window; no call. */
  run_remote_join ("nope", &unknown);
  g_test_message ("remote stderr: %s", unknown.err);
  g_assert_cmpint (unknown.status, ==, 1);
  g_assert_nonnull (strstr (unknown.err, "There is no appointment with the id “nope”."));
  g_assert_nonnull (atx_window_get_problem (f->window));
  g_assert_nonnull (strstr (atx_window_get_problem (f->window), "nope"));
  g_assert_false (atx_call_manager_has_call (f->manager));
  g_free (unknown.err);

  /* A known one starts the call here and exits 0. */
  run_remote_join (f->id, &known);
  g_assert_cmpint (known.status, ==, 0);
  g_assert_cmpstr (known.err, ==, "");
  g_free (known.err);
  g_assert_true (ATX_IS_CALL_WINDOW (wait_call_window (f)));
  options = atx_fake_jitsi_wait_constructed (f->fake, WAIT_MS);
  g_assert_nonnull (options);
  assert_moderator_token_for_room (f, options, f->room);
}

int
main (int   argc,
      char *argv[])
{
  atx_test_browser_install ();
  g_test_init (&argc, &argv, NULL);
  /* Before any thread exists. */
  if (g_test_subprocess ())
    g_unsetenv ("ATARAXIA_CALL_SKIP_WEBRTC_CHECK");
  g_setenv (ATX_ENV_BACKEND_API_KEY, FIXTURE_THERAPIST_KEY, TRUE);
  gtk_init ();
  adw_init ();

#define ADD(path, func) \
  g_test_add ("/call-flow/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("embedded-join-through-app-action", test_embedded_join_through_app_action);
  ADD ("adhoc-call-writes-only-the-log", test_adhoc_call_writes_only_the_log);
  ADD ("embed-off-goes-to-browser", test_embed_off_goes_to_browser);
  g_test_add_func ("/call-flow/open-in-browser-from-unsupported", test_open_in_browser_from_unsupported_subprocess);
  ADD ("backend-down-at-join", test_backend_down_at_join);
  ADD ("unknown-id-action", test_unknown_id_action);
  ADD ("join-after-ended-call-starts-a-new-one", test_join_after_ended_call_starts_new_one);
  ADD ("retry-from-the-call-window", test_retry_from_the_call_window);
  g_test_add ("/call-flow/second-instance-join", Fixture, "primary",
              fixture_set_up, test_second_instance_join, fixture_tear_down);
#undef ADD

  return g_test_run ();
}

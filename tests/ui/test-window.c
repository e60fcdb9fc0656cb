/* test-window.c — the main window with the real store on a temp dir:
 * opening, creating through the editor, deleting with undo, and the store's
 * problems reaching the user. */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "atx-application.h"
#include "atx-appointment-editor.h"
#include "atx-details-panel.h"
#include "atx-lazy-menu.h"
#include "atx-month-view.h"
#include "atx-window.h"
#include "atx-test-utils.h"

typedef struct {
  char           *dir;
  char           *path;
  AtxApplication *app;
  AtxWindow      *window;
} Fixture;

static gboolean
app_loaded (gpointer user_data)
{
  return atx_application_is_loaded (user_data);
}

static void
start_app (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  static guint n_apps;
  /* One bus name per test: a registered object path outlives the test. */
  g_autofree char *app_id = g_strdup_printf ("%s.Test%u", APP_ID, n_apps++);

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
  atx_test_spin (50);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->dir = atx_test_make_tmp_dir ();
  f->path = g_build_filename (f->dir, "ataraxia", "appointments.json", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (f->window));
  atx_test_spin (20);
  g_clear_object (&f->app);
  atx_test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static char *
today_at (int hour, int minute)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) at = g_date_time_new_local (g_date_time_get_year (now),
                                                   g_date_time_get_month (now),
                                                   g_date_time_get_day_of_month (now),
                                                   hour, minute, 0);
  return g_date_time_format (at, "%FT%T%:z");
}

static void
write_one_appointment_today (Fixture *f)
{
  g_autofree char *start = today_at (10, 0);
  g_autofree char *end = today_at (10, 50);
  g_autofree char *json = g_strdup_printf (
    "{\"version\": 1, \"appointments\": [{"
    "\"id\": \"a1\", \"title\": \"Initial consultation\", \"clientName\": \"Alex Doe\","
    "\"clientEmail\": \"alex@example.com\", \"start\": \"%s\", \"end\": \"%s\","
    "\"status\": \"scheduled\", \"notes\": \"Bring forms\", \"customMember\": 42,"
    "\"createdAt\": \"%s\", \"updatedAt\": \"%s\"}]}",
    start, end, start, start);

  atx_test_write_file (f->path, json);
}

static guint
agenda_rows (AtxWindow *window)
{
  GtkListBox *agenda = atx_window_get_agenda (window);
  guint n = 0;

  while (gtk_list_box_get_row_at_index (agenda, n) != NULL)
    n++;
  return n;
}

/* The agenda's "No appointments on this day", if it is there and shown. */
static gboolean
agenda_says_empty_day (AtxWindow *window)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (atx_window_get_agenda (window)));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LABEL (child))
      return gtk_widget_get_child_visible (child) && gtk_widget_get_mapped (child) &&
             g_strcmp0 (gtk_label_get_label (GTK_LABEL (child)), "No appointments on this day") == 0;
  return FALSE;
}

static JsonArray *
appointments_on_disk (Fixture *f, JsonParser **parser_out)
{
  g_autoptr(GError) error = NULL;
  JsonParser *parser = json_parser_new ();

  json_parser_load_from_file (parser, f->path, &error);
  g_assert_no_error (error);
  *parser_out = parser;
  return json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                       "appointments");
}

static gboolean
store_saved (gpointer user_data)
{
  return !atx_appointment_store_has_unsaved_changes (user_data);
}

static AtxDetailsPanel *
details (Fixture *f)
{
  return ATX_DETAILS_PANEL (atx_window_get_details_panel (f->window));
}

static void
test_window_opens (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  GtkWidget *month_view;

  write_one_appointment_today (f);
  start_app (f);

  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (f->window)));
  g_assert_null (atx_window_get_problem (f->window));

  month_view = atx_window_get_month_view (f->window);
  g_assert_cmpint (atx_month_view_get_count_for_day (ATX_MONTH_VIEW (month_view),
                                                     g_date_time_get_year (now),
                                                     g_date_time_get_month (now),
                                                     g_date_time_get_day_of_month (now)), ==, 1);
  g_assert_cmpuint (agenda_rows (f->window), ==, 1);
  g_assert_false (agenda_says_empty_day (f->window));
  g_assert_nonnull (atx_window_get_selected_appointment (f->window));
  g_assert_cmpstr (atx_appointment_get_title (atx_window_get_selected_appointment (f->window)),
                   ==, "Initial consultation");
  g_assert_cmpstr (atx_details_panel_get_visible_page (details (f)), ==, "details");

  /* Moving a day away and back changes the agenda. */
  atx_month_view_move_days (ATX_MONTH_VIEW (month_view), 1);
  g_assert_cmpuint (agenda_rows (f->window), ==, 0);
  atx_test_spin (20);
  g_assert_true (agenda_says_empty_day (f->window));
  g_assert_null (atx_window_get_selected_appointment (f->window));
  g_assert_cmpstr (atx_details_panel_get_visible_page (details (f)), ==, "empty");
  atx_month_view_move_days (ATX_MONTH_VIEW (month_view), -1);
  g_assert_cmpuint (agenda_rows (f->window), ==, 1);
  atx_test_spin (20);
  g_assert_false (agenda_says_empty_day (f->window));
}

/* An empty store: "No appointment selected" once it is read, not a blank
 * pane (the details wait for the store, not for a selection). */
static void
test_window_empty_store_says_nothing_selected (Fixture       *f,
                                               gconstpointer  data)
{
  start_app (f);
  g_assert_cmpuint (agenda_rows (f->window), ==, 0);
  g_assert_true (agenda_says_empty_day (f->window));
  g_assert_null (atx_window_get_selected_appointment (f->window));
  g_assert_cmpstr (atx_details_panel_get_visible_page (details (f)), ==, "empty");
}

static void
test_window_delete_and_undo (Fixture       *f,
                             gconstpointer  data)
{
  AtxAppointmentStore *store;
  g_autoptr(JsonParser) parser = NULL;
  JsonArray *on_disk;

  write_one_appointment_today (f);
  start_app (f);
  store = atx_application_get_store (f->app);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.delete-appointment", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  g_assert_cmpuint (agenda_rows (f->window), ==, 0);
  g_assert_true (atx_test_wait_until (store_saved, store, 5000));
  on_disk = appointments_on_disk (f, &parser);
  g_assert_cmpuint (json_array_get_length (on_disk), ==, 0);
  g_clear_object (&parser);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo-delete", "s", "a1"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);
  g_assert_cmpuint (agenda_rows (f->window), ==, 1);
  g_assert_true (atx_test_wait_until (store_saved, store, 5000));

  on_disk = appointments_on_disk (f, &parser);
  g_assert_cmpuint (json_array_get_length (on_disk), ==, 1);
  {
    JsonObject *restored = json_array_get_object_element (on_disk, 0);
    g_assert_cmpstr (json_object_get_string_member (restored, "id"), ==, "a1");
    g_assert_cmpstr (json_object_get_string_member (restored, "notes"), ==, "Bring forms");
    /* Undo brings back the very same entry, unknown members included. */
    g_assert_cmpint (json_object_get_int_member (restored, "customMember"), ==, 42);
  }
}

static gboolean
editor_gone (gpointer user_data)
{
  return atx_window_get_editor (user_data) == NULL;
}

static void
test_window_create_through_editor (Fixture       *f,
                                   gconstpointer  data)
{
  AtxAppointmentStore *store;
  GtkWindow *editor;
  g_autoptr(JsonParser) parser = NULL;
  JsonArray *on_disk;
  AtxAppointment *created;

  start_app (f);
  store = atx_application_get_store (f->app);
  g_assert_cmpuint (agenda_rows (f->window), ==, 0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.new-appointment", NULL));
  editor = atx_window_get_editor (f->window);
  g_assert_nonnull (editor);
  g_assert_true (ATX_IS_APPOINTMENT_EDITOR (editor));

  gtk_editable_set_text (atx_appointment_editor_get_title_editable (ATX_APPOINTMENT_EDITOR (editor)),
                         "Follow-up session");
  g_assert_true (gtk_widget_get_sensitive (atx_appointment_editor_get_save_button (ATX_APPOINTMENT_EDITOR (editor))));
  g_assert_true (gtk_widget_activate (atx_appointment_editor_get_save_button (ATX_APPOINTMENT_EDITOR (editor))));
  g_assert_true (atx_test_wait_until (editor_gone, f->window, 5000));

  /* In the agenda, selected, and in the file on disk. */
  g_assert_cmpuint (agenda_rows (f->window), ==, 1);
  created = atx_window_get_selected_appointment (f->window);
  g_assert_nonnull (created);
  g_assert_cmpstr (atx_appointment_get_title (created), ==, "Follow-up session");

  g_assert_true (atx_test_wait_until (store_saved, store, 5000));
  on_disk = appointments_on_disk (f, &parser);
  g_assert_cmpuint (json_array_get_length (on_disk), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (on_disk, 0), "title"),
                   ==, "Follow-up session");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (on_disk, 0), "id"),
                   ==, atx_appointment_get_id (created));
}

static void
test_window_corrupt_file_reported (Fixture       *f,
                                   gconstpointer  data)
{
  const char *problem;
  g_autofree char *dirname = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  gboolean found = FALSE;

  atx_test_write_file (f->path, "{\"version\": 1, \"appointments\": [ {\"id\": ");
  start_app (f);

  problem = atx_window_get_problem (f->window);
  g_assert_nonnull (problem);
  g_assert_nonnull (strstr (problem, "appointments.json.corrupt-"));

  /* The file moved aside is there, byte for byte. */
  dirname = g_path_get_dirname (f->path);
  dir = g_dir_open (dirname, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      if (g_str_has_prefix (name, "appointments.json.corrupt-"))
        {
          g_autofree char *moved = g_build_filename (dirname, name, NULL);
          g_autofree char *contents = atx_test_read_file (moved);
          g_assert_cmpstr (contents, ==, "{\"version\": 1, \"appointments\": [ {\"id\": ");
          g_assert_nonnull (strstr (problem, moved));
          found = TRUE;
        }
    }
  g_assert_true (found);
  /* Still usable: a new appointment can be created. */
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (f->window)));
}

static void
test_window_newer_version_read_only (Fixture       *f,
                                     gconstpointer  data)
{
  const char *json = "{\"version\": 99, \"appointments\": []}";
  g_autofree char *after = NULL;
  const char *problem;

  atx_test_write_file (f->path, json);
  start_app (f);

  problem = atx_window_get_problem (f->window);
  g_assert_nonnull (problem);
  g_assert_nonnull (strstr (problem, f->path));

  /* Read-only: creating is not offered, and nothing is written. */
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.new-appointment", NULL) &&
                  atx_window_get_editor (f->window) != NULL);
  g_assert_null (atx_window_get_editor (f->window));
  atx_test_spin (100);
  after = atx_test_read_file (f->path);
  g_assert_cmpstr (after, ==, json);
}

static gboolean
problem_shown (gpointer user_data)
{
  return atx_window_get_problem (user_data) != NULL;
}

static gboolean
problem_hidden (gpointer user_data)
{
  return atx_window_get_problem (user_data) == NULL;
}

static void
test_window_save_failure_keeps_edit (Fixture       *f,
                                     gconstpointer  data)
{
  AtxAppointmentStore *store;
  g_autofree char *data_dir = g_path_get_dirname (f->path);
  g_autofree char *moved_dir = g_strconcat (data_dir, ".moved", NULL);
  const char *problem;
  g_autoptr(JsonParser) parser = NULL;
  JsonArray *on_disk;

  write_one_appointment_today (f);
  start_app (f);
  store = atx_application_get_store (f->app);

  /* Make the directory unusable even for root: a plain file takes its place. */
  g_assert_cmpint (g_rename (data_dir, moved_dir), ==, 0);
  atx_test_write_file (data_dir, "not a directory");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.delete-appointment", NULL));
  g_assert_true (atx_test_wait_until (problem_shown, f->window, 5000));
  problem = atx_window_get_problem (f->window);
  g_assert_nonnull (strstr (problem, "could not be saved"));
  g_assert_nonnull (strstr (problem, f->path));
  g_assert_true (atx_appointment_store_has_unsaved_changes (store));

  /* Undo is still possible and in memory; once the directory is back, Try
   * Again writes the current state. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.undo-delete", "s", "a1"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);

  g_assert_cmpint (g_unlink (data_dir), ==, 0);
  g_assert_cmpint (g_rename (moved_dir, data_dir), ==, 0);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.retry-save", NULL));
  g_assert_true (atx_test_wait_until (problem_hidden, f->window, 5000));
  g_assert_true (atx_test_wait_until (store_saved, store, 5000));

  on_disk = appointments_on_disk (f, &parser);
  g_assert_cmpuint (json_array_get_length (on_disk), ==, 1);
}

static void
test_window_shows_call_history (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *start = today_at (10, 0);
  g_autofree char *end = today_at (10, 50);
  g_autofree char *json = g_strdup_printf (
    "{\"version\": 1, \"appointments\": [{"
    "\"id\": \"a1\", \"title\": \"Session\", \"start\": \"%s\", \"end\": \"%s\","
    "\"status\": \"scheduled\", \"callLog\": ["
    "{\"startedAt\": \"2026-11-20T10:00:00Z\", \"endedAt\": \"2026-11-20T10:50:00Z\","
    " \"roomName\": \"ataraxia-a\", \"callType\": \"video\", \"adHoc\": false, \"where\": \"embedded\","
    " \"endReason\": \"hangup\", \"error\": null, \"participants\": ["
    "  {\"id\": \"p1\", \"displayName\": \"Alex Doe\", \"joinedAt\": \"2026-11-20T10:01:00Z\", \"leftAt\": \"2026-11-20T10:20:00Z\"},"
    "  {\"id\": \"p2\", \"displayName\": \"Alex Doe\", \"joinedAt\": \"2026-11-20T10:21:00Z\", \"leftAt\": \"2026-11-20T10:49:00Z\"},"
    "  {\"id\": \"p3\", \"displayName\": \"Al\", \"joinedAt\": \"2026-11-20T10:02:00Z\", \"leftAt\": \"2026-11-20T10:03:00Z\"}]},"
    "{\"startedAt\": \"2026-11-21T10:00:00Z\", \"endedAt\": \"2026-11-21T10:05:00Z\","
    " \"roomName\": \"ataraxia-b\", \"callType\": \"audio\", \"adHoc\": true, \"where\": \"browser\","
    " \"endReason\": \"browser-closed\", \"error\": null, \"participants\": []},"
    "{\"startedAt\": \"2026-11-22T10:00:00Z\", \"roomName\": \"ataraxia-c\", \"callType\": \"video\","
    " \"adHoc\": false, \"where\": \"embedded\", \"error\": null, \"participants\": []}"
    "]}]}", start, end);
  AtxDetailsPanel *panel;
  const char *newest, *middle, *oldest;

  atx_test_write_file (f->path, json);
  start_app (f);
  panel = ATX_DETAILS_PANEL (atx_window_get_details_panel (f->window));

  /* The entry still open at start was closed as ended-unexpectedly; newest
   * first. */
  g_assert_cmpuint (atx_details_panel_get_n_history_rows (panel), ==, 3);
  newest = atx_details_panel_get_history_subtitle (panel, 0);
  middle = atx_details_panel_get_history_subtitle (panel, 1);
  oldest = atx_details_panel_get_history_subtitle (panel, 2);
  g_assert_nonnull (strstr (newest, "ended unexpectedly"));
  g_assert_nonnull (strstr (middle, "5 minutes"));
  g_assert_nonnull (strstr (middle, "in the browser"));
  g_assert_nonnull (strstr (middle, "ad-hoc"));
  g_assert_nonnull (strstr (middle, "the browser was closed"));
  g_assert_nonnull (strstr (oldest, "50 minutes"));
  /* Someone who rejoined is listed once, and a name inside another is kept. */
  g_assert_nonnull (strstr (oldest, "Alex Doe, Al"));
  g_assert_null (strstr (oldest, "Alex Doe, Alex Doe"));
}

static gboolean
agenda_has_three_rows (gpointer user_data)
{
  return agenda_rows (user_data) == 3;
}

/* Calls are not set up here (no Jitsi server in the settings): said on the
 * video and audio appointments, whose call it stops, not on every other one.
 * An audio-only call is joined with "Join Audio Call". */
static void
test_window_not_set_up_said_where_a_call_is_scheduled (Fixture       *f,
                                                       gconstpointer  data)
{
  g_autofree char *start = today_at (10, 0);
  g_autofree char *end = today_at (10, 50);
  g_autofree char *video_start = today_at (11, 0);
  g_autofree char *video_end = today_at (11, 50);
  g_autofree char *audio_start = today_at (12, 0);
  g_autofree char *audio_end = today_at (12, 50);
  g_autofree char *json = g_strdup_printf (
    "{\"version\": 1, \"appointments\": ["
    "{\"id\": \"a1\", \"title\": \"In person\", \"start\": \"%s\", \"end\": \"%s\","
    " \"status\": \"scheduled\"},"
    "{\"id\": \"a2\", \"title\": \"Video\", \"start\": \"%s\", \"end\": \"%s\","
    " \"status\": \"scheduled\", \"isVideoCall\": true, \"videoCallType\": \"video\","
    " \"videoCallRoomName\": \"ataraxia-abcdefghijklmnopqrstuvwxyz234567\"},"
    "{\"id\": \"a3\", \"title\": \"Audio\", \"start\": \"%s\", \"end\": \"%s\","
    " \"status\": \"scheduled\", \"isVideoCall\": true, \"videoCallType\": \"audio\","
    " \"videoCallRoomName\": \"ataraxia-bcdefghijklmnopqrstuvwxyz2345672\"}]}",
    start, end, video_start, video_end, audio_start, audio_end);
  AtxDetailsPanel *panel;
  GtkListBox *agenda;

  atx_test_write_file (f->path, json);
  start_app (f);
  panel = ATX_DETAILS_PANEL (atx_window_get_details_panel (f->window));
  agenda = atx_window_get_agenda (f->window);
  g_assert_true (atx_test_wait_until (agenda_has_three_rows, f->window, 5000));

  g_assert_cmpstr (atx_appointment_get_id (atx_details_panel_get_appointment (panel)), ==, "a1");
  g_assert_cmpstr (atx_details_panel_get_call_section (panel), ==, "none");
  g_assert_null (atx_details_panel_get_join_label (panel));

  gtk_list_box_select_row (agenda, gtk_list_box_get_row_at_index (agenda, 1));
  g_assert_cmpstr (atx_appointment_get_id (atx_details_panel_get_appointment (panel)), ==, "a2");
  g_assert_cmpstr (atx_details_panel_get_call_section (panel), ==, "setup");
  g_assert_cmpstr (atx_details_panel_get_join_label (panel), ==, "_Join Video Call");

  gtk_list_box_select_row (agenda, gtk_list_box_get_row_at_index (agenda, 2));
  g_assert_cmpstr (atx_appointment_get_id (atx_details_panel_get_appointment (panel)), ==, "a3");
  g_assert_cmpstr (atx_details_panel_get_call_section (panel), ==, "setup");
  g_assert_cmpstr (atx_details_panel_get_join_label (panel), ==, "_Join Audio Call");

  gtk_list_box_select_row (agenda, gtk_list_box_get_row_at_index (agenda, 0));
  g_assert_cmpstr (atx_details_panel_get_call_section (panel), ==, "none");
}

/* The window's main menu and the details' invite menu build their popover
 * when first opened, once. */
static void
test_lazy_menu_built_when_opened (void)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  GtkWidget *window = gtk_window_new ();
  GtkWidget *button = gtk_menu_button_new ();
  GtkPopover *popover;

  g_menu_append (menu, "Preferences", "app.preferences");
  gtk_window_set_child (GTK_WINDOW (window), button);
  atx_lazy_menu_attach (GTK_MENU_BUTTON (button), G_MENU_MODEL (menu));
  gtk_window_present (GTK_WINDOW (window));
  atx_test_spin (20);
  g_assert_null (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button)));

  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (button));
  g_assert_true (GTK_IS_POPOVER_MENU (popover));
  g_assert_true (gtk_popover_menu_get_menu_model (GTK_POPOVER_MENU (popover)) == G_MENU_MODEL (menu));

  gtk_menu_button_popdown (GTK_MENU_BUTTON (button));
  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  g_assert_true (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button)) == popover);
  gtk_menu_button_popdown (GTK_MENU_BUTTON (button));
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* The store warns about the broken files these tests feed it, as it
   * should; criticals stay fatal. */
  g_log_set_always_fatal (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/window/opens-with-todays-agenda", test_window_opens);
  ADD ("/window/empty-store-says-nothing-selected", test_window_empty_store_says_nothing_selected);
  ADD ("/window/delete-and-undo-restores", test_window_delete_and_undo);
  ADD ("/window/create-through-editor-reaches-agenda-and-disk", test_window_create_through_editor);
  ADD ("/window/corrupt-file-moved-aside-and-reported", test_window_corrupt_file_reported);
  ADD ("/window/newer-version-opens-read-only", test_window_newer_version_read_only);
  ADD ("/window/save-failure-keeps-edit-and-retries", test_window_save_failure_keeps_edit);
  ADD ("/window/details-show-call-history-newest-first", test_window_shows_call_history);
  ADD ("/window/not-set-up-said-where-a-call-is-scheduled", test_window_not_set_up_said_where_a_call_is_scheduled);
#undef ADD
  g_test_add_func ("/window/menus-built-when-first-opened", test_lazy_menu_built_when_opened);

  return g_test_run ();
}

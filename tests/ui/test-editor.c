/* test-editor.c — the appointment editor dialog against a real store.
 *
 * Each test has its own temporary directory holding the store's file, fills
 * the form through the widgets a user would touch, and checks both the
 * store in memory and the JSON on disk.
 */
#define G_LOG_DOMAIN "test-editor"

#define G_SETTINGS_ENABLE_BACKEND

#include <string.h>

#include <adwaita.h>
#include <gio/gsettingsbackend.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "atx-appointment-editor.h"
#include "atx-resources.h"

#define WAIT_SECONDS 5

#define STORED_ID "6a1f3c2e-8b4d-4f0a-9c55-0d7e2b1a9f10"

/* One appointment with video members, a call log entry and a member the app
 * does not know. Berlin is +01:00 in November (TZ is set in main). */
static const char stored_json[] =
  "{\n"
  "  \"version\": 1,\n"
  "  \"appointments\": [\n"
  "    {\n"
  "      \"id\": \"" STORED_ID "\",\n"
  "      \"title\": \"Follow-up\",\n"
  "      \"clientName\": \"Alex Doe\",\n"
  "      \"clientEmail\": \"alex@example.com\",\n"
  "      \"start\": \"2026-11-24T15:00:00+01:00\",\n"
  "      \"end\": \"2026-11-24T15:50:00+01:00\",\n"
  "      \"status\": \"scheduled\",\n"
  "      \"notes\": \"Bring the intake form.\",\n"
  "      \"isVideoCall\": true,\n"
  "      \"videoCallType\": \"video\",\n"
  "      \"videoCallRoomName\": \"ataraxia-k3v9qg7m2xw4hzt6bp5ncr8ya\",\n"
  "      \"videoCallUrl\": \"https://meet.example.org/ataraxia-k3v9qg7m2xw4hzt6bp5ncr8ya\",\n"
  "      \"callLog\": [\n"
  "        { \"startedAt\": \"2026-11-17T15:01:00Z\", \"endedAt\": \"2026-11-17T15:49:00Z\",\n"
  "          \"roomName\": \"ataraxia-k3v9qg7m2xw4hzt6bp5ncr8ya\", \"callType\": \"video\",\n"
  "          \"adHoc\": false, \"where\": \"embedded\", \"endReason\": \"hangup\",\n"
  "          \"participants\": [], \"error\": null }\n"
  "      ],\n"
  "      \"practiceBilling\": { \"code\": \"A12\", \"items\": [1, 2, 3] },\n"
  "      \"createdAt\": \"2026-11-01T09:00:00Z\",\n"
  "      \"updatedAt\": \"2026-11-01T09:00:00Z\"\n"
  "    }\n"
  "  ]\n"
  "}\n";

/* The same appointment with a cached token for its room. */
#define STORED_JWT "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb29tIjoiYXRhcmF4aWEifQ.c2lnbmF0dXJl"
#define STORED_JWT_EXPIRES_AT "2026-11-24T17:00:00Z"
#define STORED_ROOM "ataraxia-k3v9qg7m2xw4hzt6bp5ncr8ya"

typedef struct {
  char                 *dir;
  char                 *path;
  AtxAppointmentStore  *store;
  guint                 n_store_saved;
  guint                 n_editor_saved;
  AtxAppointment       *editor_saved;  /* from the editor's ::saved */
  AtxSettings          *settings;      /* NULL unless the test makes one */
} Fixture;

static void spin_main_loop (guint ms);

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          remove_tree (child);
        }
    }
  g_remove (path);
}

static void
on_store_saved (AtxAppointmentStore *store,
                Fixture             *f)
{
  f->n_store_saved++;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("atx-test-editor-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "appointments.json", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->editor_saved);
  if (f->settings != NULL)
    g_assert_finalize_object (g_steal_pointer (&f->settings));
  if (f->store != NULL)
    {
      /* A finished save may still hold the store until its callback ran. */
      atx_appointment_store_flush (f->store, NULL);
      spin_main_loop (50);
      g_assert_finalize_object (g_steal_pointer (&f->store));
    }
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

/* Writes contents (unless NULL) as the store's file and loads the store.
 * Returns what load returned. */
static gboolean
fixture_load_store (Fixture     *f,
                    const char  *contents,
                    GError     **error)
{
  if (contents != NULL)
    {
      g_autoptr(GError) write_error = NULL;

      g_file_set_contents (f->path, contents, -1, &write_error);
      g_assert_no_error (write_error);
    }

  f->store = atx_appointment_store_new (f->path);
  g_signal_connect (f->store, "saved", G_CALLBACK (on_store_saved), f);
  return atx_appointment_store_load (f->store, error);
}

static gboolean
wake_up (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Iterates the main context until *flag is non-zero or the deadline passes. */
static void
wait_for_flag (const guint *flag)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_TIME_SPAN_SECOND;
  guint tick = g_timeout_add (20, wake_up, NULL);

  while (*flag == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (tick);
}

/* Until the weak pointer *object is cleared (the dialog was finalized). */
static void
wait_for_finalize (gpointer *object)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_TIME_SPAN_SECOND;
  guint tick = g_timeout_add (20, wake_up, NULL);

  while (*object != NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (tick);
}

/* Lets pending idles, layout and any (unwanted) save run for a while. */
static void
spin_main_loop (guint ms)
{
  gint64 deadline = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;
  guint tick = g_timeout_add (10, wake_up, NULL);

  while (g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (tick);
}

static void
on_editor_saved (AtxAppointmentEditor *editor,
                 AtxAppointment       *appointment,
                 Fixture              *f)
{
  f->n_editor_saved++;
  g_set_object (&f->editor_saved, appointment);
}

/* The dialog is owned by GTK's toplevel list: the returned pointer is weak
 * and becomes NULL once the dialog is closed and finalized. */
static void
open_editor (Fixture               *f,
             AtxAppointment        *appointment,
             GDateTime             *default_start,
             AtxAppointmentEditor **editor)
{
  *editor = atx_appointment_editor_new (NULL, f->store, appointment, default_start);
  g_assert_nonnull (*editor);
  g_object_add_weak_pointer (G_OBJECT (*editor), (gpointer *) editor);
  g_signal_connect (*editor, "saved", G_CALLBACK (on_editor_saved), f);
  gtk_window_present (GTK_WINDOW (*editor));
  spin_main_loop (50);
}

/* Settings of their own (memory backend) with the given Jitsi server and
 * no JWTs, so that video calls are usable without a token backend
 * (atx_settings_is_video_configured). */
static AtxSettings *
fixture_make_settings (Fixture    *f,
                       const char *jitsi_domain)
{
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr(GSettings) gsettings = g_settings_new_with_backend (ATX_SETTINGS_SCHEMA_ID, backend);

  g_assert_null (f->settings);
  f->settings = atx_settings_new (gsettings);
  atx_settings_set_jitsi_domain (f->settings, jitsi_domain);
  atx_settings_set_use_jwt (f->settings, FALSE);
  return f->settings;
}

static void
open_editor_with_settings (Fixture               *f,
                           AtxAppointment        *appointment,
                           GDateTime             *default_start,
                           AtxAppointmentEditor **editor)
{
  *editor = atx_appointment_editor_new_with_settings (NULL, f->store, f->settings,
                                                      appointment, default_start);
  g_assert_nonnull (*editor);
  g_object_add_weak_pointer (G_OBJECT (*editor), (gpointer *) editor);
  g_signal_connect (*editor, "saved", G_CALLBACK (on_editor_saved), f);
  gtk_window_present (GTK_WINDOW (*editor));
  spin_main_loop (50);
}

static void
close_editor (AtxAppointmentEditor **editor)
{
  if (*editor != NULL)
    gtk_window_destroy (GTK_WINDOW (*editor));
  wait_for_finalize ((gpointer *) editor);
  g_assert_null (*editor);
}

static gboolean
can_save (AtxAppointmentEditor *editor)
{
  GtkWidget *save = atx_appointment_editor_get_save_button (editor);

  return gtk_widget_get_sensitive (save);
}

static gboolean
message_shown (AtxAppointmentEditor *editor,
               AtxEditorMessage      which)
{
  GtkLabel *label = atx_appointment_editor_get_message_label (editor, which);

  return gtk_widget_get_visible (GTK_WIDGET (label)) && gtk_label_get_text (label)[0] != '\0';
}

static GDateTime *
local_time (int year, int month, int day, int hour, int minute)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();

  return g_date_time_new (tz, year, month, day, hour, minute, 0);
}

static void
set_notes (AtxAppointmentEditor *editor,
           const char           *notes)
{
  GtkTextView *view = atx_appointment_editor_get_notes_view (editor);

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), notes, -1);
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

/* The single appointment of the file on disk (the parser is returned so
 * that the object stays alive). */
static JsonObject *
read_single_appointment (const char  *path,
                         JsonParser **out_parser)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root;
  JsonArray *appointments;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "version"), ==, 1);
  appointments = json_object_get_array_member (root, "appointments");
  g_assert_nonnull (appointments);
  g_assert_cmpuint (json_array_get_length (appointments), ==, 1);

  *out_parser = g_steal_pointer (&parser);
  return json_array_get_object_element (appointments, 0);
}

static void
assert_member_time (JsonObject *object,
                    const char *member,
                    GDateTime  *expected)
{
  const char *text = json_object_get_string_member (object, member);
  g_autoptr(GDateTime) actual = NULL;

  g_assert_nonnull (text);
  actual = g_date_time_new_from_iso8601 (text, NULL);
  g_assert_nonnull (actual);
  g_assert_true (g_date_time_equal (actual, expected));
}

static void
test_new_is_invalid_until_title (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GDateTime) start = local_time (2026, 11, 24, 15, 0);
  AtxAppointmentEditor *editor = NULL;
  GtkEditable *title;

  g_assert_true (fixture_load_store (f, NULL, NULL));
  open_editor (f, NULL, start, &editor);
  title = atx_appointment_editor_get_title_editable (editor);

  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (editor)), ==, "New Appointment");
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (editor)));

  /* Fresh: cannot be saved, but no scolding before the user typed. */
  g_assert_false (can_save (editor));
  g_assert_false (message_shown (editor, ATX_EDITOR_MESSAGE_TITLE));

  gtk_editable_set_text (title, "Initial consultation");
  g_assert_true (can_save (editor));
  g_assert_false (message_shown (editor, ATX_EDITOR_MESSAGE_TITLE));

  gtk_editable_set_text (title, "");
  g_assert_false (can_save (editor));
  g_assert_true (message_shown (editor, ATX_EDITOR_MESSAGE_TITLE));
  g_assert_cmpstr (gtk_label_get_text (atx_appointment_editor_get_message_label (editor, ATX_EDITOR_MESSAGE_TITLE)),
                   ==, "A title is required.");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (title), "error"));

  /* Blanks are no title. */
  gtk_editable_set_text (title, "   ");
  g_assert_false (can_save (editor));

  /* The invalid editor cannot be saved, not even through its action. */
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  gtk_widget_activate (atx_appointment_editor_get_save_button (editor));
  spin_main_loop (100);
  g_assert_nonnull (editor);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 0);
  g_assert_cmpuint (f->n_editor_saved, ==, 0);
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));

  gtk_editable_set_text (title, "Intake");
  g_assert_true (can_save (editor));
  g_assert_false (message_shown (editor, ATX_EDITOR_MESSAGE_TITLE));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (title), "error"));

  close_editor (&editor);
}

static void
test_invalid_email_blocks_save (Fixture       *f,
                                gconstpointer  data)
{
  const char *invalid[] = { "alex", "alex@", "@example.com", "alex@example",
                            "alex@example.", "alex doe@example.com", "alex@@example.com",
                            "alex@example..com" };
  const char *valid[] = { "alex@example.com", " alex.doe+therapy@mail.example.org ", "" };
  AtxAppointmentEditor *editor = NULL;
  GtkEditable *email;

  g_assert_true (fixture_load_store (f, NULL, NULL));
  open_editor (f, NULL, NULL, &editor);
  email = atx_appointment_editor_get_client_email_editable (editor);
  gtk_editable_set_text (atx_appointment_editor_get_title_editable (editor), "Session");
  g_assert_true (can_save (editor));

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_test_message ("invalid: '%s'", invalid[i]);
      gtk_editable_set_text (email, invalid[i]);
      g_assert_false (can_save (editor));
      g_assert_true (message_shown (editor, ATX_EDITOR_MESSAGE_EMAIL));
      g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (email), "error"));
    }

  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.save", NULL);
  spin_main_loop (50);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_test_message ("valid: '%s'", valid[i]);
      gtk_editable_set_text (email, valid[i]);
      g_assert_true (can_save (editor));
      g_assert_false (message_shown (editor, ATX_EDITOR_MESSAGE_EMAIL));
      g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (email), "error"));
    }

  close_editor (&editor);
}

/* The form cannot express an end at or before the start: the duration spin
 * button clamps to at least 5 minutes and the end is start + duration. This
 * checks that guard, and that an end past midnight is fine. */
static void
test_zero_duration_blocks_save (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GDateTime) start = local_time (2026, 11, 24, 15, 0);
  AtxAppointmentEditor *editor = NULL;
  GtkSpinButton *duration;

  g_assert_true (fixture_load_store (f, NULL, NULL));
  open_editor (f, NULL, start, &editor);
  duration = atx_appointment_editor_get_duration_spin (editor);
  gtk_editable_set_text (atx_appointment_editor_get_title_editable (editor), "Session");

  g_assert_cmpint (gtk_spin_button_get_value_as_int (duration), ==, 50);
  g_assert_cmpstr (atx_appointment_editor_get_end_text (editor), ==, "Ends at 15:50");

  gtk_spin_button_set_value (duration, 0);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (duration), ==, 5);
  gtk_spin_button_set_value (duration, -30);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (duration), ==, 5);

  /* Typed, as a user would. */
  gtk_editable_set_text (GTK_EDITABLE (duration), "0");
  gtk_spin_button_update (duration);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (duration), ==, 5);
  g_assert_cmpstr (atx_appointment_editor_get_end_text (editor), ==, "Ends at 15:05");
  g_assert_true (can_save (editor));
  g_assert_false (message_shown (editor, ATX_EDITOR_MESSAGE_TIME));

  /* Any minute can be typed, not only multiples of the step. */
  gtk_editable_set_text (GTK_EDITABLE (duration), "47");
  gtk_spin_button_update (duration);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (duration), ==, 47);
  g_assert_cmpstr (atx_appointment_editor_get_end_text (editor), ==, "Ends at 15:47");

  /* Past midnight is after the start. */
  gtk_spin_button_set_value (atx_appointment_editor_get_hour_spin (editor), 23);
  gtk_spin_button_set_value (atx_appointment_editor_get_minute_spin (editor), 30);
  gtk_spin_button_set_value (duration, 50);
  g_assert_true (can_save (editor));
  g_assert_false (message_shown (editor, ATX_EDITOR_MESSAGE_TIME));
  g_assert_true (g_str_has_suffix (atx_appointment_editor_get_end_text (editor), "00:20"));

  gtk_widget_activate (atx_appointment_editor_get_save_button (editor));
  wait_for_flag (&f->n_store_saved);
  g_assert_cmpuint (f->n_editor_saved, ==, 1);
  {
    AtxAppointment *saved = g_list_model_get_item (G_LIST_MODEL (f->store), 0);
    g_autoptr(GDateTime) expected_start = local_time (2026, 11, 24, 23, 30);
    g_autoptr(GDateTime) expected_end = local_time (2026, 11, 25, 0, 20);

    g_assert_true (g_date_time_equal (atx_appointment_get_start (saved), expected_start));
    g_assert_true (g_date_time_equal (atx_appointment_get_end (saved), expected_end));
    g_object_unref (saved);
  }

  wait_for_finalize ((gpointer *) &editor);
  g_assert_null (editor);
}

static void
test_save_adds_to_store_and_disk (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GDateTime) day = local_time (2026, 11, 24, 12, 0);
  g_autoptr(GDateTime) expected_start = local_time (2026, 11, 24, 15, 0);
  g_autoptr(GDateTime) expected_end = local_time (2026, 11, 24, 15, 50);
  g_autoptr(AtxAppointment) stored = NULL;
  g_autoptr(JsonParser) parser = NULL;
  AtxAppointmentEditor *editor = NULL;
  JsonObject *object;
  GtkWidget *save;

  g_assert_true (fixture_load_store (f, NULL, NULL));
  open_editor (f, NULL, NULL, &editor); /* starts at the next full hour */

  gtk_editable_set_text (atx_appointment_editor_get_title_editable (editor), "  Initial consultation ");
  gtk_editable_set_text (atx_appointment_editor_get_client_name_editable (editor), "Alex Doe");
  gtk_editable_set_text (atx_appointment_editor_get_client_email_editable (editor), "alex@example.com");
  gtk_calendar_select_day (atx_appointment_editor_get_calendar (editor), day);
  gtk_spin_button_set_value (atx_appointment_editor_get_hour_spin (editor), 15);
  gtk_spin_button_set_value (atx_appointment_editor_get_minute_spin (editor), 0);
  adw_combo_row_set_selected (atx_appointment_editor_get_status_row (editor),
                              ATX_APPOINTMENT_STATUS_NO_SHOW);
  set_notes (editor, "Prefers afternoons.\nSecond line.");
  g_assert_cmpstr (atx_appointment_editor_get_end_text (editor), ==, "Ends at 15:50");

  save = atx_appointment_editor_get_save_button (editor);
  g_assert_true (gtk_widget_get_sensitive (save));
  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (editor)) == save);
  g_assert_true (gtk_widget_has_css_class (save, "suggested-action"));
  gtk_widget_activate (save);

  wait_for_flag (&f->n_store_saved);
  g_assert_cmpuint (f->n_store_saved, >=, 1);
  g_assert_cmpuint (f->n_editor_saved, ==, 1);
  wait_for_finalize ((gpointer *) &editor);
  g_assert_null (editor);

  /* In the store */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 1);
  stored = g_list_model_get_item (G_LIST_MODEL (f->store), 0);
  g_assert_cmpstr (atx_appointment_get_id (stored), ==, atx_appointment_get_id (f->editor_saved));
  g_assert_cmpstr (atx_appointment_get_title (stored), ==, "Initial consultation");
  g_assert_cmpstr (atx_appointment_get_client_name (stored), ==, "Alex Doe");
  g_assert_cmpstr (atx_appointment_get_client_email (stored), ==, "alex@example.com");
  g_assert_true (g_date_time_equal (atx_appointment_get_start (stored), expected_start));
  g_assert_true (g_date_time_equal (atx_appointment_get_end (stored), expected_end));
  g_assert_cmpint (g_date_time_get_utc_offset (atx_appointment_get_start (stored)), ==,
                   g_date_time_get_utc_offset (expected_start));
  g_assert_cmpint (atx_appointment_get_status (stored), ==, ATX_APPOINTMENT_STATUS_NO_SHOW);
  g_assert_cmpstr (atx_appointment_get_notes (stored), ==, "Prefers afternoons.\nSecond line.");
  g_assert_false (atx_appointment_get_is_video_call (stored));

  /* On disk */
  object = read_single_appointment (f->path, &parser);
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, atx_appointment_get_id (stored));
  g_assert_cmpstr (json_object_get_string_member (object, "title"), ==, "Initial consultation");
  g_assert_cmpstr (json_object_get_string_member (object, "clientName"), ==, "Alex Doe");
  g_assert_cmpstr (json_object_get_string_member (object, "clientEmail"), ==, "alex@example.com");
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "no-show");
  g_assert_cmpstr (json_object_get_string_member (object, "notes"), ==, "Prefers afternoons.\nSecond line.");
  assert_member_time (object, "start", expected_start);
  assert_member_time (object, "end", expected_end);
  /* Local time keeps the local offset (TZ is Europe/Berlin: +01:00 in November). */
  g_assert_true (g_str_has_suffix (json_object_get_string_member (object, "start"), "+01:00"));
  g_assert_false (json_object_has_member (object, "videoCallRoomName"));
}

static void
test_edit_keeps_unknown_and_video_members (Fixture       *f,
                                           gconstpointer  data)
{
  g_autoptr(JsonParser) before_parser = NULL;
  g_autoptr(JsonParser) after_parser = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) expected_start = local_time (2026, 11, 24, 15, 0);
  g_autoptr(GDateTime) expected_end = local_time (2026, 11, 24, 15, 50);
  AtxAppointmentEditor *editor = NULL;
  AtxAppointment *original;
  JsonObject *before;
  JsonObject *after;

  g_assert_true (fixture_load_store (f, stored_json, &error));
  g_assert_no_error (error);
  before = read_single_appointment (f->path, &before_parser);
  original = atx_appointment_store_lookup (f->store, STORED_ID);
  g_assert_nonnull (original);

  open_editor (f, original, NULL, &editor);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (editor)), ==, "Edit Appointment");
  g_assert_cmpstr (gtk_editable_get_text (atx_appointment_editor_get_title_editable (editor)), ==, "Follow-up");
  g_assert_cmpstr (gtk_editable_get_text (atx_appointment_editor_get_client_email_editable (editor)), ==, "alex@example.com");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (atx_appointment_editor_get_hour_spin (editor)), ==, 15);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (atx_appointment_editor_get_duration_spin (editor)), ==, 50);
  g_assert_true (can_save (editor));

  gtk_editable_set_text (atx_appointment_editor_get_title_editable (editor), "Follow-up (moved)");
  /* The dialog edits a copy: nothing changes before Save. */
  g_assert_cmpstr (atx_appointment_get_title (original), ==, "Follow-up");

  gtk_widget_activate (atx_appointment_editor_get_save_button (editor));
  wait_for_flag (&f->n_store_saved);
  g_assert_cmpuint (f->n_editor_saved, ==, 1);
  wait_for_finalize ((gpointer *) &editor);
  g_assert_null (editor);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 1);
  g_assert_cmpstr (atx_appointment_get_title (atx_appointment_store_lookup (f->store, STORED_ID)),
                   ==, "Follow-up (moved)");

  after = read_single_appointment (f->path, &after_parser);
  g_assert_cmpstr (json_object_get_string_member (after, "id"), ==, STORED_ID);
  g_assert_cmpstr (json_object_get_string_member (after, "title"), ==, "Follow-up (moved)");
  assert_member_time (after, "start", expected_start);
  assert_member_time (after, "end", expected_end);

  /* Everything the form does not show travels through unchanged. */
  {
    const char *kept[] = { "practiceBilling", "isVideoCall", "videoCallType", "videoCallRoomName",
                           "videoCallUrl", "callLog", "clientName", "clientEmail", "notes",
                           "status", "createdAt" };

    for (guint i = 0; i < G_N_ELEMENTS (kept); i++)
      {
        g_test_message ("member %s", kept[i]);
        g_assert_true (json_object_has_member (after, kept[i]));
        g_assert_true (json_node_equal (json_object_get_member (before, kept[i]),
                                        json_object_get_member (after, kept[i])));
      }
  }
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (after, "callLog")), ==, 1);
}

/* Escape must stay bound to the action we activate below. */
static void
assert_escape_closes (AtxAppointmentEditor *editor)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (GTK_WIDGET (editor));
  gboolean found = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == GDK_KEY_Escape &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == 0)
            {
              g_assert_true (GTK_IS_NAMED_ACTION (action));
              g_assert_cmpstr (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)),
                               ==, "window.close");
              found = TRUE;
            }
        }
    }

  g_assert_true (found);
}

static void
test_escape_cancels (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  AtxAppointmentEditor *editor = NULL;
  AtxAppointment *original;
  GtkWidget *cancel;

  g_assert_true (fixture_load_store (f, stored_json, &error));
  g_assert_no_error (error);
  before = read_file (f->path);
  original = atx_appointment_store_lookup (f->store, STORED_ID);

  open_editor (f, original, NULL, &editor);
  gtk_editable_set_text (atx_appointment_editor_get_title_editable (editor), "Changed");
  gtk_spin_button_set_value (atx_appointment_editor_get_duration_spin (editor), 90);
  set_notes (editor, "Changed too");

  assert_escape_closes (editor);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (editor), "window.close", NULL));
  wait_for_finalize ((gpointer *) &editor);
  g_assert_null (editor);
  spin_main_loop (100);

  g_assert_cmpuint (f->n_editor_saved, ==, 0);
  g_assert_cmpuint (f->n_store_saved, ==, 0);
  g_assert_false (atx_appointment_store_has_unsaved_changes (f->store));
  original = atx_appointment_store_lookup (f->store, STORED_ID);
  g_assert_cmpstr (atx_appointment_get_title (original), ==, "Follow-up");
  g_assert_cmpstr (atx_appointment_get_notes (original), ==, "Bring the intake form.");
  after = read_file (f->path);
  g_assert_cmpstr (before, ==, after);

  /* Cancel does the same. */
  open_editor (f, original, NULL, &editor);
  gtk_editable_set_text (atx_appointment_editor_get_title_editable (editor), "Changed again");
  cancel = atx_appointment_editor_get_cancel_button (editor);
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (cancel)), ==, "window.close");
  gtk_widget_activate (cancel);
  wait_for_finalize ((gpointer *) &editor);
  g_assert_null (editor);
  spin_main_loop (100);

  g_assert_cmpuint (f->n_editor_saved, ==, 0);
  g_assert_cmpuint (f->n_store_saved, ==, 0);
  g_assert_cmpstr (atx_appointment_get_title (atx_appointment_store_lookup (f->store, STORED_ID)),
                   ==, "Follow-up");
  g_clear_pointer (&after, g_free);
  after = read_file (f->path);
  g_assert_cmpstr (before, ==, after);
}

static gboolean
store_warnings_not_fatal (const char     *log_domain,
                          GLogLevelFlags  log_level,
                          const char     *message,
                          gpointer        user_data)
{
  return !(g_strcmp0 (log_domain, "atx-store") == 0 && (log_level & G_LOG_LEVEL_WARNING));
}

static void
log_as_test_message (const char     *log_domain,
                     GLogLevelFlags  log_level,
                     const char     *message,
                     gpointer        user_data)
{
  g_test_message ("%s: %s", log_domain, message);
}

static void
test_read_only_store_shows_error (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *newer = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GDir) dir = NULL;
  AtxAppointmentEditor *editor = NULL;
  GtkLabel *label;
  g_autoptr(GError) dir_error = NULL;
  const char *name;
  guint n_files = 0;
  guint handler;

  /* A file written by a newer Ataraxia: the store opens it read-only. */
  {
    g_auto(GStrv) parts = g_strsplit (stored_json, "\"version\": 1,", 2);

    g_assert_cmpuint (g_strv_length (parts), ==, 2);
    newer = g_strjoinv ("\"version\": 99,", parts);
  }
  /* The store may log this as a warning: expected here, not fatal. */
  g_test_log_set_fatal_handler (store_warnings_not_fatal, NULL);
  handler = g_log_set_handler ("atx-store", G_LOG_LEVEL_WARNING | G_LOG_FLAG_FATAL,
                               log_as_test_message, NULL);
  g_assert_false (fixture_load_store (f, newer, &error));
  g_assert_error (error, ATX_STORE_ERROR, ATX_STORE_ERROR_NEWER_VERSION);
  g_assert_true (atx_appointment_store_is_read_only (f->store));

  open_editor (f, NULL, NULL, &editor);
  gtk_editable_set_text (atx_appointment_editor_get_title_editable (editor), "Will not be saved");
  set_notes (editor, "Typed by the user");
  g_assert_true (can_save (editor));
  g_assert_false (message_shown (editor, ATX_EDITOR_MESSAGE_SAVE));

  gtk_widget_activate (atx_appointment_editor_get_save_button (editor));
  spin_main_loop (300);

  /* Still open, with the reason, and the user's input intact. */
  g_assert_nonnull (editor);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (editor)));
  g_assert_true (message_shown (editor, ATX_EDITOR_MESSAGE_SAVE));
  label = atx_appointment_editor_get_message_label (editor, ATX_EDITOR_MESSAGE_SAVE);
  g_test_message ("shown: %s", gtk_label_get_text (label));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (label), "error"));
  g_assert_cmpstr (gtk_editable_get_text (atx_appointment_editor_get_title_editable (editor)),
                   ==, "Will not be saved");
  g_assert_cmpuint (f->n_editor_saved, ==, 0);
  g_assert_cmpuint (f->n_store_saved, ==, 0);

  /* Nothing written: the file as it was and nothing beside it. */
  after = read_file (f->path);
  g_assert_cmpstr (newer, ==, after);
  dir = g_dir_open (f->dir, 0, &dir_error);
  g_assert_no_error (dir_error);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_test_message ("file: %s", name);
      n_files++;
    }
  g_assert_cmpuint (n_files, ==, 1);

  close_editor (&editor);
  g_log_remove_handler ("atx-store", handler);
  g_test_log_set_fatal_handler (NULL, NULL);
}

/* ---- video call ---- */

/* stored_json with a cached token for the room. */
static char *
stored_json_with_jwt (void)
{
  g_auto(GStrv) parts = g_strsplit (stored_json, "\"callLog\": [", 2);

  g_assert_cmpuint (g_strv_length (parts), ==, 2);
  return g_strconcat (parts[0],
                      "\"videoCallJWT\": \"" STORED_JWT "\",\n"
                      "      \"videoCallJWTExpiresAt\": \"" STORED_JWT_EXPIRES_AT "\",\n"
                      "      \"callLog\": [",
                      parts[1], NULL);
}

static gboolean
widget_shown (gpointer widget)
{
  return gtk_widget_get_visible (GTK_WIDGET (widget));
}

/* Activates the "Video call" row as a user would (click or Enter on it):
 * the switch animates and changes its state at the end of the animation. */
static void
activate_video_row (AtxAppointmentEditor *editor)
{
  GtkSwitch *video_switch = atx_appointment_editor_get_video_switch (editor);
  gboolean before = gtk_switch_get_active (video_switch);
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_TIME_SPAN_SECOND;
  guint tick = g_timeout_add (20, wake_up, NULL);

  adw_action_row_activate (atx_appointment_editor_get_video_row (editor));
  while (gtk_switch_get_active (video_switch) == before && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (tick);
}

/* What a click on one of the call type buttons does. */
static void
click_call_type (AtxAppointmentEditor *editor,
                 AtxCallType           type)
{
  g_signal_emit_by_name (atx_appointment_editor_get_call_type_button (editor, type), "clicked");
}

static void
save_and_wait (Fixture               *f,
               AtxAppointmentEditor **editor)
{
  g_assert_true (can_save (*editor));
  gtk_widget_activate (atx_appointment_editor_get_save_button (*editor));
  wait_for_flag (&f->n_store_saved);
  g_assert_cmpuint (f->n_editor_saved, ==, 1);
  wait_for_finalize ((gpointer *) editor);
  g_assert_null (*editor);
  /* The file is written by then: the store emits ::saved after the rename. */
  g_assert_true (g_file_test (f->path, G_FILE_TEST_EXISTS));
}

/* Both call type buttons: an icon and a label in a linked box, a tooltip,
 * and only one of them active. */
static void
assert_call_type_buttons (AtxAppointmentEditor *editor,
                          AtxCallType           expected)
{
  GtkToggleButton *video = atx_appointment_editor_get_call_type_button (editor, ATX_CALL_TYPE_VIDEO);
  GtkToggleButton *audio = atx_appointment_editor_get_call_type_button (editor, ATX_CALL_TYPE_AUDIO);

  g_assert_true (gtk_widget_has_css_class (gtk_widget_get_parent (GTK_WIDGET (video)), "linked"));
  g_assert_true (gtk_widget_get_parent (GTK_WIDGET (video)) == gtk_widget_get_parent (GTK_WIDGET (audio)));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (video)), !=, NULL);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (audio)), !=, NULL);
  g_assert_cmpint (gtk_toggle_button_get_active (video), ==, expected == ATX_CALL_TYPE_VIDEO);
  g_assert_cmpint (gtk_toggle_button_get_active (audio), ==, expected == ATX_CALL_TYPE_AUDIO);
}

static void
test_video_switch_creates_room_and_url (Fixture       *f,
                                        gconstpointer  data)
{
  g_autoptr(GDateTime) start = local_time (2026, 11, 24, 15, 0);
  g_autoptr(AtxAppointment) stored = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *expected_url = NULL;
  g_autofree char *room_lower = NULL;
  AtxAppointmentEditor *editor = NULL;
  AdwActionRow *row;
  GtkSwitch *video_switch;
  JsonObject *object;
  const char *room;

  g_assert_true (fixture_load_store (f, NULL, NULL));
  fixture_make_settings (f, "meet.example.org");
  open_editor_with_settings (f, NULL, start, &editor);

  row = atx_appointment_editor_get_video_row (editor);
  video_switch = atx_appointment_editor_get_video_switch (editor);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Video call");
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==,
                   "Enable video or audio calling for this appointment");
  g_assert_true (adw_action_row_get_activatable_widget (row) == GTK_WIDGET (video_switch));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (video_switch)));
  g_assert_false (widget_shown (atx_appointment_editor_get_video_setup_button (editor)));

  /* Off for a new appointment: no call type, no note. */
  g_assert_false (gtk_switch_get_active (video_switch));
  g_assert_false (widget_shown (atx_appointment_editor_get_call_type_row (editor)));
  g_assert_false (widget_shown (atx_appointment_editor_get_video_note_label (editor)));

  gtk_editable_set_text (atx_appointment_editor_get_title_editable (editor), "Initial consultation");
  gtk_editable_set_text (atx_appointment_editor_get_client_name_editable (editor), "Alex Doe");

  activate_video_row (editor);
  g_assert_true (gtk_switch_get_active (video_switch));
  g_assert_true (widget_shown (atx_appointment_editor_get_call_type_row (editor)));
  assert_call_type_buttons (editor, ATX_CALL_TYPE_VIDEO);
  g_assert_true (widget_shown (atx_appointment_editor_get_video_note_label (editor)));
  g_assert_cmpstr (gtk_label_get_text (atx_appointment_editor_get_video_note_label (editor)), ==,
                   "A unique private link will be created for this appointment.");
  g_assert_false (widget_shown (gtk_widget_get_parent (GTK_WIDGET (atx_appointment_editor_get_video_url_label (editor)))));

  save_and_wait (f, &editor);

  /* In the store */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->store)), ==, 1);
  stored = g_list_model_get_item (G_LIST_MODEL (f->store), 0);
  g_assert_true (atx_appointment_get_is_video_call (stored));
  g_assert_cmpint (atx_appointment_get_video_call_type (stored), ==, ATX_CALL_TYPE_VIDEO);
  room = atx_appointment_get_video_call_room_name (stored);
  g_assert_nonnull (room);
  g_test_message ("room: %s", room);
  g_assert_true (g_regex_match_simple ("^ataraxia-[a-z2-7]{26,}$", room, 0, 0));
  /* No health data in the room name (nor the id). */
  room_lower = g_ascii_strdown (room, -1);
  {
    const char *forbidden[] = { "initial", "consultation", "alexdoe", "alex-doe",
                                atx_appointment_get_id (stored) };

    for (guint i = 0; i < G_N_ELEMENTS (forbidden); i++)
      g_assert_null (strstr (room_lower, forbidden[i]));
  }
  expected_url = g_strconcat ("https://meet.example.org/", room, NULL);
  g_assert_cmpstr (atx_appointment_get_video_call_url (stored), ==, expected_url);
  g_assert_null (atx_appointment_get_video_call_jwt (stored));

  /* On disk */
  object = read_single_appointment (f->path, &parser);
  g_assert_true (json_object_get_boolean_member (object, "isVideoCall"));
  g_assert_cmpstr (json_object_get_string_member (object, "videoCallType"), ==, "video");
  g_assert_cmpstr (json_object_get_string_member (object, "videoCallRoomName"), ==, room);
  g_assert_cmpstr (json_object_get_string_member (object, "videoCallUrl"), ==, expected_url);
  g_assert_false (json_object_has_member (object, "videoCallJWT"));
}

static void
test_audio_only_type (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(JsonParser) parser = NULL;
  AtxAppointmentEditor *editor = NULL;
  JsonObject *object;

  g_assert_true (fixture_load_store (f, NULL, NULL));
  fixture_make_settings (f, "meet.example.org");
  open_editor_with_settings (f, NULL, NULL, &editor);

  gtk_editable_set_text (atx_appointment_editor_get_title_editable (editor), "Phone session");
  gtk_switch_set_active (atx_appointment_editor_get_video_switch (editor), TRUE);
  click_call_type (editor, ATX_CALL_TYPE_AUDIO);
  assert_call_type_buttons (editor, ATX_CALL_TYPE_AUDIO);

  /* The active button of the group stays active when clicked again. */
  click_call_type (editor, ATX_CALL_TYPE_AUDIO);
  assert_call_type_buttons (editor, ATX_CALL_TYPE_AUDIO);

  save_and_wait (f, &editor);

  object = read_single_appointment (f->path, &parser);
  g_assert_true (json_object_get_boolean_member (object, "isVideoCall"));
  g_assert_cmpstr (json_object_get_string_member (object, "videoCallType"), ==, "audio");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (object, "videoCallRoomName"),
                                   "ataraxia-"));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (object, "videoCallUrl"),
                                   "https://meet.example.org/ataraxia-"));
}

static void
test_changing_type_keeps_room (Fixture       *f,
                               gconstpointer  data)
{
  g_autofree char *contents = stored_json_with_jwt ();
  g_autoptr(GDateTime) expected_expiry = g_date_time_new_from_iso8601 (STORED_JWT_EXPIRES_AT, NULL);
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  AtxAppointmentEditor *editor = NULL;
  AtxAppointment *stored;
  JsonObject *object;

  g_assert_true (fixture_load_store (f, contents, &error));
  g_assert_no_error (error);
  fixture_make_settings (f, "meet.example.org");
  open_editor_with_settings (f, atx_appointment_store_lookup (f->store, STORED_ID), NULL, &editor);

  /* Loaded from the appointment: on, video, with its link. */
  g_assert_true (gtk_switch_get_active (atx_appointment_editor_get_video_switch (editor)));
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (atx_appointment_editor_get_video_switch (editor))));
  assert_call_type_buttons (editor, ATX_CALL_TYPE_VIDEO);
  g_assert_false (widget_shown (atx_appointment_editor_get_video_note_label (editor)));
  g_assert_true (gtk_widget_is_visible (GTK_WIDGET (atx_appointment_editor_get_video_url_label (editor))));
  g_assert_true (gtk_label_get_selectable (atx_appointment_editor_get_video_url_label (editor)));
  g_assert_cmpstr (gtk_label_get_text (atx_appointment_editor_get_video_url_label (editor)), ==,
                   "https://meet.example.org/" STORED_ROOM);

  click_call_type (editor, ATX_CALL_TYPE_AUDIO);
  assert_call_type_buttons (editor, ATX_CALL_TYPE_AUDIO);
  save_and_wait (f, &editor);

  stored = atx_appointment_store_lookup (f->store, STORED_ID);
  g_assert_true (atx_appointment_get_is_video_call (stored));
  g_assert_cmpint (atx_appointment_get_video_call_type (stored), ==, ATX_CALL_TYPE_AUDIO);
  g_assert_cmpstr (atx_appointment_get_video_call_room_name (stored), ==, STORED_ROOM);
  g_assert_cmpstr (atx_appointment_get_video_call_url (stored), ==, "https://meet.example.org/" STORED_ROOM);
  g_assert_cmpstr (atx_appointment_get_video_call_jwt (stored), ==, STORED_JWT);
  g_assert_true (g_date_time_equal (atx_appointment_get_video_call_jwt_expires_at (stored), expected_expiry));

  object = read_single_appointment (f->path, &parser);
  g_assert_cmpstr (json_object_get_string_member (object, "videoCallType"), ==, "audio");
  g_assert_cmpstr (json_object_get_string_member (object, "videoCallRoomName"), ==, STORED_ROOM);
  g_assert_cmpstr (json_object_get_string_member (object, "videoCallJWT"), ==, STORED_JWT);
  assert_member_time (object, "videoCallJWTExpiresAt", expected_expiry);
}

/* The room stays, the URL follows the Jitsi server now configured. */
static void
test_existing_room_gets_url_of_current_domain (Fixture       *f,
                                               gconstpointer  data)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  AtxAppointmentEditor *editor = NULL;
  JsonObject *object;

  g_assert_true (fixture_load_store (f, stored_json, &error));
  g_assert_no_error (error);
  fixture_make_settings (f, "video.example.net:8443");
  open_editor_with_settings (f, atx_appointment_store_lookup (f->store, STORED_ID), NULL, &editor);

  /* The link shown is the one Save will store. */
  g_assert_cmpstr (gtk_label_get_text (atx_appointment_editor_get_video_url_label (editor)), ==,
                   "https://video.example.net:8443/" STORED_ROOM);
  save_and_wait (f, &editor);

  object = read_single_appointment (f->path, &parser);
  g_assert_cmpstr (json_object_get_string_member (object, "videoCallRoomName"), ==, STORED_ROOM);
  g_assert_cmpstr (json_object_get_string_member (object, "videoCallUrl"), ==,
                   "https://video.example.net:8443/" STORED_ROOM);
  g_assert_cmpstr (json_object_get_string_member (object, "videoCallType"), ==, "video");
}

static void
test_switch_off_clears_video_members (Fixture       *f,
                                      gconstpointer  data)
{
  g_autofree char *contents = stored_json_with_jwt ();
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;
  AtxAppointmentEditor *editor = NULL;
  AtxAppointment *stored;
  JsonObject *object;
  const char *video_members[] = { "videoCallType", "videoCallRoomName", "videoCallUrl",
                                  "videoCallJWT", "videoCallJWTExpiresAt" };

  g_assert_true (fixture_load_store (f, contents, &error));
  g_assert_no_error (error);
  fixture_make_settings (f, "meet.example.org");
  open_editor_with_settings (f, atx_appointment_store_lookup (f->store, STORED_ID), NULL, &editor);

  g_assert_true (gtk_switch_get_active (atx_appointment_editor_get_video_switch (editor)));
  activate_video_row (editor);
  g_assert_false (gtk_switch_get_active (atx_appointment_editor_get_video_switch (editor)));
  g_assert_false (widget_shown (atx_appointment_editor_get_call_type_row (editor)));
  g_assert_false (widget_shown (atx_appointment_editor_get_video_note_label (editor)));
  g_assert_false (gtk_widget_is_visible (GTK_WIDGET (atx_appointment_editor_get_video_url_label (editor))));
  save_and_wait (f, &editor);

  stored = atx_appointment_store_lookup (f->store, STORED_ID);
  g_assert_false (atx_appointment_get_is_video_call (stored));
  g_assert_null (atx_appointment_get_video_call_room_name (stored));
  g_assert_null (atx_appointment_get_video_call_url (stored));
  g_assert_null (atx_appointment_get_video_call_jwt (stored));

  /* Absent, not null or "" (DESIGN.md); isVideoCall itself says false. */
  object = read_single_appointment (f->path, &parser);
  g_assert_false (json_object_has_member (object, "isVideoCall") &&
                  json_object_get_boolean_member (object, "isVideoCall"));
  for (guint i = 0; i < G_N_ELEMENTS (video_members); i++)
    {
      g_test_message ("member %s", video_members[i]);
      g_assert_false (json_object_has_member (object, video_members[i]));
    }
  /* The rest is untouched. */
  g_assert_true (json_object_has_member (object, "practiceBilling"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "callLog")), ==, 1);
}

/* The "Set Up Video Calls" state: switch insensitive, the reason as
 * subtitle, the button to Preferences. */
static void
assert_offers_setup (AtxAppointmentEditor *editor,
                     const char           *reason)
{
  GtkWidget *setup = atx_appointment_editor_get_video_setup_button (editor);

  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (atx_appointment_editor_get_video_switch (editor))));
  g_assert_true (gtk_widget_get_visible (setup));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (setup)), ==, "app.preferences");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (setup)), ==, "_Set Up Video Calls");
  g_assert_cmpstr (adw_action_row_get_subtitle (atx_appointment_editor_get_video_row (editor)), ==, reason);
}

static void
test_not_configured_offers_setup (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(JsonParser) before_parser = NULL;
  g_autoptr(JsonParser) after_parser = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) reason = NULL;
  AtxAppointmentEditor *editor = NULL;
  GtkSwitch *video_switch;
  JsonObject *before;
  JsonObject *after;

  g_assert_true (fixture_load_store (f, stored_json, &error));
  g_assert_no_error (error);
  fixture_make_settings (f, "");
  g_assert_false (atx_settings_is_video_configured (f->settings, &reason));
  g_assert_nonnull (reason);

  /* A new appointment: off, and it cannot be turned on. */
  open_editor_with_settings (f, NULL, NULL, &editor);
  video_switch = atx_appointment_editor_get_video_switch (editor);
  assert_offers_setup (editor, reason->message);
  g_assert_false (gtk_switch_get_active (video_switch));
  adw_action_row_activate (atx_appointment_editor_get_video_row (editor));
  spin_main_loop (300);
  g_assert_false (gtk_switch_get_active (video_switch));
  g_assert_false (widget_shown (atx_appointment_editor_get_call_type_row (editor)));

  /* Configured while the dialog is open (through Preferences): usable. */
  atx_settings_set_jitsi_domain (f->settings, "meet.example.org");
  g_assert_true (gtk_widget_is_sensitive (GTK_WIDGET (video_switch)));
  g_assert_false (gtk_widget_get_visible (atx_appointment_editor_get_video_setup_button (editor)));
  g_assert_cmpstr (adw_action_row_get_subtitle (atx_appointment_editor_get_video_row (editor)), ==,
                   "Enable video or audio calling for this appointment");
  atx_settings_set_jitsi_domain (f->settings, "");
  assert_offers_setup (editor, reason->message);
  close_editor (&editor);

  /* An existing video appointment: shown as it is, and saved untouched. */
  before = read_single_appointment (f->path, &before_parser);
  open_editor_with_settings (f, atx_appointment_store_lookup (f->store, STORED_ID), NULL, &editor);
  video_switch = atx_appointment_editor_get_video_switch (editor);
  assert_offers_setup (editor, reason->message);
  g_assert_true (gtk_switch_get_active (video_switch));
  g_assert_true (widget_shown (atx_appointment_editor_get_call_type_row (editor)));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (atx_appointment_editor_get_call_type_button (editor, ATX_CALL_TYPE_AUDIO))));
  g_assert_cmpstr (gtk_label_get_text (atx_appointment_editor_get_video_url_label (editor)), ==,
                   "https://meet.example.org/" STORED_ROOM);
  gtk_editable_set_text (atx_appointment_editor_get_title_editable (editor), "Follow-up (renamed)");
  save_and_wait (f, &editor);

  after = read_single_appointment (f->path, &after_parser);
  g_assert_cmpstr (json_object_get_string_member (after, "title"), ==, "Follow-up (renamed)");
  {
    const char *kept[] = { "isVideoCall", "videoCallType", "videoCallRoomName", "videoCallUrl" };

    for (guint i = 0; i < G_N_ELEMENTS (kept); i++)
      {
        g_test_message ("member %s", kept[i]);
        g_assert_true (json_node_equal (json_object_get_member (before, kept[i]),
                                        json_object_get_member (after, kept[i])));
      }
  }
}

/* Without settings at all (atx_appointment_editor_new): the same offer. */
static void
test_no_settings_offers_setup (Fixture       *f,
                               gconstpointer  data)
{
  AtxAppointmentEditor *editor = NULL;
  GtkWidget *setup;

  g_assert_true (fixture_load_store (f, NULL, NULL));
  open_editor (f, NULL, NULL, &editor);
  setup = atx_appointment_editor_get_video_setup_button (editor);

  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (atx_appointment_editor_get_video_switch (editor))));
  g_assert_true (gtk_widget_get_visible (setup));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (setup)), ==, "app.preferences");
  g_assert_cmpstr (adw_action_row_get_subtitle (atx_appointment_editor_get_video_row (editor)), !=, "");

  gtk_editable_set_text (atx_appointment_editor_get_title_editable (editor), "No video");
  save_and_wait (f, &editor);
  g_assert_false (atx_appointment_get_is_video_call (f->editor_saved));
}

int
main (int argc, char *argv[])
{
  /* Fixed, with a UTC offset, so that "keeps the local offset" means something. */
  g_setenv ("TZ", "Europe/Berlin", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* The GResource sits in the static UI library, registered by a constructor;
   * nothing else here refers to it, so name it or the linker leaves it out. */
  g_assert_nonnull (atx_get_resource ());

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/editor/new-is-invalid-until-title", test_new_is_invalid_until_title);
  ADD ("/editor/invalid-email-blocks-save", test_invalid_email_blocks_save);
  ADD ("/editor/zero-duration-or-end-before-start-blocks-save", test_zero_duration_blocks_save);
  ADD ("/editor/save-adds-to-store-and-disk", test_save_adds_to_store_and_disk);
  ADD ("/editor/edit-keeps-unknown-and-video-members", test_edit_keeps_unknown_and_video_members);
  ADD ("/editor/escape-cancels", test_escape_cancels);
  ADD ("/editor/read-only-store-shows-error", test_read_only_store_shows_error);
  ADD ("/editor/video-switch-creates-room-and-url", test_video_switch_creates_room_and_url);
  ADD ("/editor/audio-only-type", test_audio_only_type);
  ADD ("/editor/changing-type-keeps-room", test_changing_type_keeps_room);
  ADD ("/editor/existing-room-gets-url-of-current-domain", test_existing_room_gets_url_of_current_domain);
  ADD ("/editor/switch-off-clears-video-members", test_switch_off_clears_video_members);
  ADD ("/editor/not-configured-offers-setup", test_not_configured_offers_setup);
  ADD ("/editor/no-settings-offers-setup", test_no_settings_offers_setup);

#undef ADD

  return g_test_run ();
}

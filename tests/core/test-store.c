/* test-store.c — AtxAppointmentStore: the file on disk.
 *
 * Every test works in its own temporary directory; the store file is
 * <tmp>/ataraxia/appointments.json, as under $XDG_DATA_HOME.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <utime.h>

#include <glib/gstdio.h>

#include "core/atx-appointment-store.h"

typedef struct {
  char *tmp;
  char *dir;
  char *path;
} Fixture;

/* ---------------------------------------------------------------- helpers */

static void
remove_recursively (const char *path)
{
  GDir *dir;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      g_unlink (path);
      return;
    }

  g_chmod (path, 0700);
  dir = g_dir_open (path, 0, NULL);
  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          remove_recursively (child);
        }
      g_dir_close (dir);
    }
  g_rmdir (path);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->tmp = g_dir_make_tmp ("atx-test-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->dir = g_build_filename (f->tmp, "ataraxia", NULL);
  f->path = g_build_filename (f->dir, "appointments.json", NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  remove_recursively (f->tmp);
  g_assert_false (g_file_test (f->tmp, G_FILE_TEST_EXISTS));
  g_free (f->tmp);
  g_free (f->dir);
  g_free (f->path);
}

static void
write_file (const char *path,
            const char *contents,
            gssize      length)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, length);
}

static JsonNode *
read_json (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static guint
count_dir_entries (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main context until *flag is set; fails after 10 s. */
static void
wait_for_flag (gboolean *flag)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (10, timeout_cb, &timed_out);

  while (!*flag && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("Timed out waiting for the store");
  g_source_remove (id);
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Waits for an async call that used store_result(); fails after 10 s. */
static void
wait_for_result (GAsyncResult **result)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add_seconds (10, timeout_cb, &timed_out);

  while (*result == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (timed_out)
    g_error ("Timed out waiting for the store");
  g_source_remove (id);
}

static AtxAppointment *
make_appointment (const char *title,
                  const char *start_iso,
                  int         minutes)
{
  AtxAppointment *appointment = atx_appointment_new ();
  g_autoptr(GDateTime) start = g_date_time_new_from_iso8601 (start_iso, NULL);
  g_autoptr(GDateTime) end = NULL;

  g_assert_nonnull (start);
  end = g_date_time_add_minutes (start, minutes);
  atx_appointment_set_title (appointment, title);
  atx_appointment_set_start (appointment, start);
  atx_appointment_set_end (appointment, end);
  return appointment;
}

static void
add_ok (AtxAppointmentStore *store,
        AtxAppointment      *appointment)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (atx_appointment_store_add (store, appointment, &error));
  g_assert_no_error (error);
}

static gboolean
flush_timed_out (gpointer user_data)
{
  g_error ("Timed out in atx_appointment_store_flush()");
  return G_SOURCE_REMOVE;
}

/* flush iterates the main context, so this watchdog bounds it. */
static gboolean
bounded_flush (AtxAppointmentStore  *store,
               GError              **error)
{
  guint watchdog = g_timeout_add_seconds (10, flush_timed_out, NULL);
  gboolean ok = atx_appointment_store_flush (store, error);

  g_source_remove (watchdog);
  return ok;
}

static void
flush_ok (AtxAppointmentStore *store)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bounded_flush (store, &error));
  g_assert_no_error (error);
  g_assert_false (atx_appointment_store_has_unsaved_changes (store));
}

static AtxAppointmentStore *
load_ok (const char *path)
{
  AtxAppointmentStore *store = atx_appointment_store_new (path);
  g_autoptr(GError) error = NULL;

  g_assert_true (atx_appointment_store_load (store, &error));
  g_assert_no_error (error);
  return store;
}

/* Pretty output as the store writes it, so byte comparisons are fair. */
static char *
to_store_text (JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  text = json_generator_to_data (generator, NULL);
  return g_strconcat (text, "\n", NULL);
}

static char *
normalise (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  return to_store_text (json_parser_get_root (parser));
}

#define ENTRY(id, title, start, end) \
  "{\"id\":\"" id "\",\"title\":\"" title "\",\"clientName\":\"Alex\",\"clientEmail\":\"a@example.com\"," \
  "\"start\":\"" start "\",\"end\":\"" end "\",\"status\":\"scheduled\",\"notes\":\"\",\"isVideoCall\":false," \
  "\"callLog\":[],\"createdAt\":\"2026-01-01T10:00:00.000Z\",\"updatedAt\":\"2026-01-01T10:00:00.000Z\"}"

#define VALID_FILE \
  "{\"version\":1,\"appointments\":[" \
  ENTRY ("a", "First", "2026-11-24T09:00:00+01:00", "2026-11-24T09:50:00+01:00") "," \
  ENTRY ("b", "Second", "2026-11-24T11:00:00+01:00", "2026-11-24T11:50:00+01:00") "]}"

/* ---------------------------------------------------------------- tests */

static void
test_missing_file_is_empty (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(AtxAppointmentStore) store = load_ok (f->path);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (store)) == ATX_TYPE_APPOINTMENT);
  g_assert_false (atx_appointment_store_is_read_only (store));
  g_assert_false (atx_appointment_store_has_unsaved_changes (store));
  g_assert_cmpstr (atx_appointment_store_get_path (store), ==, f->path);
  /* Loading alone writes nothing. */
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));

  g_assert_finalize_object (g_steal_pointer (&store));
}

static void
test_default_path (void)
{
  g_autoptr(AtxAppointmentStore) store = atx_appointment_store_new (NULL);
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "ataraxia",
                                                "appointments.json", NULL);

  g_assert_cmpstr (atx_appointment_store_get_path (store), ==, expected);
}

static void
test_round_trip_unknown_members (Fixture       *f,
                                 gconstpointer  data)
{
  const char *original =
    "{\"version\":1,\"meta\":{\"exportedBy\":\"web\",\"tags\":[1,2,3]},\"appointments\":["
    "{\"id\":\"a\",\"title\":\"First\",\"start\":\"2026-11-24T09:00:00.000Z\","
    "\"end\":\"2026-11-24T09:50:00Z\",\"status\":\"completed\",\"isVideoCall\":true,"
    "\"videoCallType\":\"video\",\"videoCallRoomName\":\"ataraxia-aaaa\","
    "\"videoCallUrl\":\"https://meet.example.org/ataraxia-aaaa\",\"videoCallJWT\":null,"
    "\"callLog\":[{\"startedAt\":\"2026-11-24T09:01:00Z\",\"endedAt\":\"2026-11-24T09:49:00Z\","
    "\"where\":\"browser\",\"endReason\":\"hangup\",\"error\":null,"
    "\"participants\":[{\"id\":\"p1\",\"displayName\":\"A\",\"joinedAt\":\"x\",\"extra\":true}],"
    "\"unknownInLog\":{\"deep\":[null,1.25]}}],"
    "\"colour\":\"#ff0000\",\"reminders\":[5,15]},"
    "{\"title\":\"Second\",\"id\":\"b\",\"start\":\"2026-11-24T10:00:00+01:00\","
    "\"end\":\"2026-11-24T11:00:00+01:00\",\"x-custom\":{}}"
    "],\"trailer\":\"kept\"}";
  g_autofree char *expected = normalise (original);
  g_autoptr(AtxAppointmentStore) store = NULL;
  g_autoptr(GBytes) saved = NULL;
  gboolean saved_flag = FALSE;

  write_file (f->path, original, -1);
  store = load_ok (f->path);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);
  g_assert_cmpuint (atx_appointment_store_get_invalid_entries (store)->len, ==, 0);

  g_signal_connect_swapped (store, "saved", G_CALLBACK (g_atomic_int_inc), &saved_flag);
  atx_appointment_store_save_async (store, NULL, NULL, NULL);
  wait_for_flag (&saved_flag);
  flush_ok (store);

  /* Unchanged data: the same document, byte for byte in the store's layout. */
  saved = read_bytes (f->path);
  g_assert_cmpstr (g_bytes_get_data (saved, NULL), ==, expected);

  /* And an edit changes only what was edited. */
  {
    AtxAppointment *stored = atx_appointment_store_lookup (store, "a");
    g_autoptr(AtxAppointment) copy = atx_appointment_copy (stored);
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) root = NULL;
    JsonObject *entry;

    atx_appointment_set_notes (copy, "edited");
    g_assert_true (atx_appointment_store_update (store, copy, &error));
    g_assert_no_error (error);
    flush_ok (store);

    root = read_json (f->path);
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_node_get_object (root), "meta"),
                                                    "exportedBy"), ==, "web");
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "trailer"), ==, "kept");
    entry = json_array_get_object_element (json_object_get_array_member (json_node_get_object (root), "appointments"), 0);
    g_assert_cmpstr (json_object_get_string_member (entry, "notes"), ==, "edited");
    g_assert_cmpstr (json_object_get_string_member (entry, "colour"), ==, "#ff0000");
    g_assert_cmpstr (json_object_get_string_member (entry, "start"), ==, "2026-11-24T09:00:00.000Z");
    g_assert_true (json_object_has_member (json_array_get_object_element (json_object_get_array_member (entry, "callLog"), 0),
                                           "unknownInLog"));
  }

  g_assert_finalize_object (g_steal_pointer (&store));
}

static void
test_missing_version_reads_as_1 (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(AtxAppointmentStore) store = NULL;
  g_autoptr(JsonNode) root = NULL;

  write_file (f->path,
              "{\"appointments\":[" ENTRY ("a", "Web app", "2026-11-24T09:00:00+01:00",
                                           "2026-11-24T09:50:00+01:00") "]}", -1);
  store = load_ok (f->path);
  g_assert_false (atx_appointment_store_is_read_only (store));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);

  atx_appointment_store_save_async (store, NULL, NULL, NULL);
  flush_ok (store);
  root = read_json (f->path);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "version"), ==, 1);
}

static void
test_atomic_save_and_bak (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(AtxAppointmentStore) store = NULL;
  g_autoptr(AtxAppointment) first = make_appointment ("One", "2026-11-24T09:00:00+01:00", 50);
  g_autoptr(AtxAppointment) second = make_appointment ("Two", "2026-11-25T09:00:00+01:00", 50);
  g_autofree char *bak = g_strconcat (f->path, ".bak", NULL);
  g_autoptr(GBytes) previous = NULL;
  g_autoptr(GBytes) current = NULL;
  g_autoptr(GBytes) bak_bytes = NULL;

  write_file (f->path, VALID_FILE, -1);
  previous = read_bytes (f->path);

  store = load_ok (f->path);
  add_ok (store, first);
  flush_ok (store);

  bak_bytes = read_bytes (bak);
  g_assert_true (g_bytes_equal (bak_bytes, previous));
  current = read_bytes (f->path);
  g_assert_false (g_bytes_equal (current, previous));
  g_clear_pointer (&bak_bytes, g_bytes_unref);

  /* The next save keeps the file the first save wrote. */
  add_ok (store, second);
  flush_ok (store);
  bak_bytes = read_bytes (bak);
  g_assert_true (g_bytes_equal (bak_bytes, current));

  /* No temporary file is left behind: the file and its .bak only. */
  g_assert_cmpuint (count_dir_entries (f->dir), ==, 2);

  {
    g_autoptr(AtxAppointmentStore) again = load_ok (f->path);

    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 4);
    g_assert_nonnull (atx_appointment_store_lookup (again, atx_appointment_get_id (second)));
  }

  g_assert_finalize_object (g_steal_pointer (&store));
}

static void
test_saved_signal_and_unsaved_flag (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(AtxAppointmentStore) store = load_ok (f->path);
  g_autoptr(AtxAppointment) appointment = make_appointment ("One", "2026-11-24T09:00:00+01:00", 50);
  gboolean saved = FALSE;
  guint unsaved_notifies = 0;

  g_signal_connect_swapped (store, "saved", G_CALLBACK (g_atomic_int_inc), &saved);
  g_signal_connect_swapped (store, "notify::has-unsaved-changes", G_CALLBACK (g_atomic_int_inc),
                            &unsaved_notifies);

  add_ok (store, appointment);
  g_assert_true (atx_appointment_store_has_unsaved_changes (store));
  g_assert_cmpuint (unsaved_notifies, ==, 1);

  /* The change is saved by itself. */
  wait_for_flag (&saved);
  g_assert_false (atx_appointment_store_has_unsaved_changes (store));
  g_assert_cmpuint (unsaved_notifies, ==, 2);
  g_assert_true (g_file_test (f->path, G_FILE_TEST_IS_REGULAR));
}

static void
test_save_async_callback (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(AtxAppointmentStore) store = load_ok (f->path);
  g_autoptr(AtxAppointment) appointment = make_appointment ("One", "2026-11-24T09:00:00+01:00", 50);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  add_ok (store, appointment);
  atx_appointment_store_save_async (store, NULL, store_result, &result);
  wait_for_result (&result);
  g_assert_true (atx_appointment_store_save_finish (store, result, &error));
  g_assert_no_error (error);
  g_assert_false (atx_appointment_store_has_unsaved_changes (store));
}

/* Garbage of every kind is moved aside with identical bytes. */
static void
check_corrupt (Fixture    *f,
               const char *contents,
               gsize       length)
{
  g_autoptr(AtxAppointmentStore) store = atx_appointment_store_new (f->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autofree char *aside = NULL;
  g_autoptr(GBytes) aside_bytes = NULL;
  g_autoptr(GBytes) expected = g_bytes_new_static (contents, length);
  const char *name;

  remove_recursively (f->dir);
  write_file (f->path, contents, length);

  g_assert_false (atx_appointment_store_load (store, &error));
  g_assert_error (error, ATX_STORE_ERROR, ATX_STORE_ERROR_CORRUPT);
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
  g_assert_false (atx_appointment_store_is_read_only (store));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);

  dir = g_dir_open (f->dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_assert_null (aside);
      g_assert_true (g_str_has_prefix (name, "appointments.json.corrupt-"));
      aside = g_build_filename (f->dir, name, NULL);
    }
  g_assert_nonnull (aside);
  /* The UI shows where the file went. */
  g_assert_nonnull (strstr (error->message, aside));

  /* appointments.json.corrupt-YYYYMMDDTHHMMSSZ */
  {
    g_autofree char *base = g_path_get_basename (aside);
    const char *stamp = base + strlen ("appointments.json.corrupt-");

    g_assert_cmpuint (strlen (stamp), ==, 16);
    g_assert_cmpint (stamp[8], ==, 'T');
    g_assert_cmpint (stamp[15], ==, 'Z');
  }

  aside_bytes = read_bytes (aside);
  g_assert_true (g_bytes_equal (aside_bytes, expected));

  /* The store is usable: a change writes a fresh file, aside is untouched. */
  {
    g_autoptr(AtxAppointment) appointment = make_appointment ("New", "2026-11-24T09:00:00+01:00", 50);
    g_autoptr(GBytes) after = NULL;
    g_autofree char *bak = g_strconcat (f->path, ".bak", NULL);

    add_ok (store, appointment);
    flush_ok (store);
    after = read_bytes (aside);
    g_assert_true (g_bytes_equal (after, expected));
    g_assert_false (g_file_test (bak, G_FILE_TEST_EXISTS));
  }
}

static void
test_corrupt_moved_aside (Fixture       *f,
                          gconstpointer  data)
{
  static const char garbage[] = "\x00\xff\xfe garbage \x80\x81 {{{ \n\x01";
  static const char truncated[] = "{\"version\":1,\"appointments\":[{\"id\":\"a\",\"title\":\"Fir";
  const char *wrong_shapes[] = {
    "[1,2,3]",
    "\"just a string\"",
    "42",
    "null",
    "{\"version\":1,\"appointments\":{\"a\":1}}",
    "{\"version\":1,\"appointments\":\"none\"}",
    "{\"version\":1}",
    "{\"version\":\"one\",\"appointments\":[]}",
    "{\"version\":0,\"appointments\":[]}",
    "",
    /* json-glib reads these into bytes that are not UTF-8. */
    "{\"version\":1,\"appointments\":[{\"id\":\"a\",\"title\":\"\\202\"}]}",
    "{\"version\":1,\"appointments\":[{\"id\":\"a\",\"title\":\"x\\ud800y\"}]}",
  };

  check_corrupt (f, garbage, sizeof garbage - 1);
  check_corrupt (f, truncated, strlen (truncated));
  for (guint i = 0; i < G_N_ELEMENTS (wrong_shapes); i++)
    check_corrupt (f, wrong_shapes[i], strlen (wrong_shapes[i]));
}

static void
test_corrupt_never_overwrites (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(AtxAppointmentStore) store = atx_appointment_store_new (f->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GPtrArray) placeholders = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *moved = NULL;

  write_file (f->path, "first corrupt", -1);

  /* Names taken for the next few seconds: the store must pick "-2". */
  for (int s = 0; s < 5; s++)
    {
      g_autoptr(GDateTime) t = g_date_time_add_seconds (now, s);
      g_autofree char *stamp = g_date_time_format (t, "%Y%m%dT%H%M%SZ");
      char *name = g_strdup_printf ("%s.corrupt-%s", f->path, stamp);

      write_file (name, "placeholder", -1);
      g_ptr_array_add (placeholders, name);
    }

  g_assert_false (atx_appointment_store_load (store, &error));
  g_assert_error (error, ATX_STORE_ERROR, ATX_STORE_ERROR_CORRUPT);

  for (guint i = 0; i < placeholders->len; i++)
    {
      g_autofree char *candidate = g_strconcat (placeholders->pdata[i], "-2", NULL);
      g_autoptr(GBytes) bytes = read_bytes (placeholders->pdata[i]);

      g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "placeholder", 11);
      if (g_file_test (candidate, G_FILE_TEST_EXISTS))
        moved = g_steal_pointer (&candidate);
    }
  g_assert_nonnull (moved);
  g_assert_nonnull (strstr (error->message, moved));
  {
    g_autoptr(GBytes) bytes = read_bytes (moved);

    g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "first corrupt", 13);
  }

  /* Another corrupt file in the same second gets -3 (or a later free name). */
  g_clear_error (&error);
  write_file (f->path, "second corrupt", -1);
  g_assert_false (atx_appointment_store_load (store, &error));
  g_assert_error (error, ATX_STORE_ERROR, ATX_STORE_ERROR_CORRUPT);
  {
    g_autoptr(GBytes) bytes = read_bytes (moved);

    g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), "first corrupt", 13);
  }
  g_assert_cmpuint (count_dir_entries (f->dir), ==, 5 + 2);
}

static void
test_newer_version_untouched (Fixture       *f,
                              gconstpointer  data)
{
  const char *newer =
    "{\"version\":2,\"appointments\":[" ENTRY ("a", "Future", "2026-11-24T09:00:00+01:00",
                                               "2026-11-24T09:50:00+01:00") "],"
    "\"newThing\":{\"x\":1}}";
  g_autoptr(AtxAppointmentStore) store = atx_appointment_store_new (f->path);
  g_autoptr(AtxAppointment) appointment = make_appointment ("New", "2026-11-24T09:00:00+01:00", 50);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  struct utimbuf times = { .actime = 1000000000, .modtime = 1000000000 };
  struct stat st;
  gboolean notified = FALSE;

  write_file (f->path, newer, -1);
  g_assert_cmpint (utime (f->path, &times), ==, 0);
  g_chmod (f->path, 0644);

  g_signal_connect_swapped (store, "notify::read-only", G_CALLBACK (g_atomic_int_inc), &notified);
  g_assert_false (atx_appointment_store_load (store, &error));
  g_assert_error (error, ATX_STORE_ERROR, ATX_STORE_ERROR_NEWER_VERSION);
  g_assert_nonnull (strstr (error->message, f->path));
  g_assert_true (atx_appointment_store_is_read_only (store));
  g_assert_true (notified);
  g_clear_error (&error);

  /* Shown, but every change is refused. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);

  g_assert_false (atx_appointment_store_add (store, appointment, &error));
  g_assert_error (error, ATX_STORE_ERROR, ATX_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);

  {
    g_autoptr(AtxAppointment) copy = atx_appointment_copy (atx_appointment_store_lookup (store, "a"));

    atx_appointment_set_title (copy, "Changed");
    g_assert_false (atx_appointment_store_update (store, copy, &error));
    g_assert_error (error, ATX_STORE_ERROR, ATX_STORE_ERROR_READ_ONLY);
    g_clear_error (&error);
  }

  g_assert_null (atx_appointment_store_remove (store, "a", &error));
  g_assert_error (error, ATX_STORE_ERROR, ATX_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1);

  atx_appointment_store_save_async (store, NULL, store_result, &result);
  wait_for_result (&result);
  g_assert_false (atx_appointment_store_save_finish (store, result, &error));
  g_assert_error (error, ATX_STORE_ERROR, ATX_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);

  g_assert_true (bounded_flush (store, &error));
  g_assert_no_error (error);

  /* Bytes, mtime and mode as they were; nothing else in the directory. */
  after = read_bytes (f->path);
  g_assert_cmpmem (g_bytes_get_data (after, NULL), g_bytes_get_size (after), newer, strlen (newer));
  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mtime, ==, 1000000000);
  g_assert_cmpint (st.st_mode & 0777, ==, 0644);
  g_assert_cmpuint (count_dir_entries (f->dir), ==, 1);

  g_clear_object (&result);
  g_assert_finalize_object (g_steal_pointer (&store));
}

static void
test_invalid_entries_kept (Fixture       *f,
                           gconstpointer  data)
{
  const char *file =
    "{\"version\":1,\"appointments\":["
    ENTRY ("a", "Good", "2026-11-24T09:00:00+01:00", "2026-11-24T09:50:00+01:00") ","
    "{\"title\":\"No id\",\"start\":\"2026-11-24T09:00:00+01:00\",\"end\":\"2026-11-24T10:00:00+01:00\",\"keep\":[1]},"
    ENTRY ("c", "Backwards", "2026-11-24T11:00:00+01:00", "2026-11-24T10:00:00+01:00") ","
    "42,"
    ENTRY ("a", "Duplicate", "2026-11-25T09:00:00+01:00", "2026-11-25T09:50:00+01:00") ","
    "{\"id\":\"e\",\"title\":\"Bad status\",\"start\":\"2026-11-24T09:00:00+01:00\","
    "\"end\":\"2026-11-24T10:00:00+01:00\",\"status\":\"maybe\"},"
    ENTRY ("f", "Also good", "2026-11-23T09:00:00+01:00", "2026-11-23T09:50:00+01:00")
    "]}";
  g_autoptr(AtxAppointmentStore) store = NULL;
  g_autoptr(AtxAppointment) appointment = make_appointment ("New", "2026-11-26T09:00:00+01:00", 50);
  g_autoptr(JsonNode) original = NULL;
  g_autoptr(JsonNode) saved = NULL;
  JsonArray *original_array;
  JsonArray *saved_array;
  GPtrArray *invalid;
  const guint expected_indexes[] = { 1, 2, 3, 4, 5 };

  write_file (f->path, file, -1);
  original = read_json (f->path);
  original_array = json_object_get_array_member (json_node_get_object (original), "appointments");

  store = load_ok (f->path);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 2);

  invalid = atx_appointment_store_get_invalid_entries (store);
  g_assert_cmpuint (invalid->len, ==, G_N_ELEMENTS (expected_indexes));
  for (guint i = 0; i < invalid->len; i++)
    {
      AtxInvalidEntry *entry = g_ptr_array_index (invalid, i);

      g_assert_cmpuint (entry->index, ==, expected_indexes[i]);
      g_assert_nonnull (entry->message);
      g_assert_cmpstr (entry->message, !=, "");
      g_assert_true (json_node_equal (entry->node, json_array_get_element (original_array, entry->index)));
    }

  add_ok (store, appointment);
  flush_ok (store);

  /* The valid ones, sorted, then the invalid ones verbatim at the end. */
  saved = read_json (f->path);
  saved_array = json_object_get_array_member (json_node_get_object (saved), "appointments");
  g_assert_cmpuint (json_array_get_length (saved_array), ==, 3 + G_N_ELEMENTS (expected_indexes));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (saved_array, 0), "id"), ==, "f");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (saved_array, 1), "id"), ==, "a");
  for (guint i = 0; i < G_N_ELEMENTS (expected_indexes); i++)
    g_assert_true (json_node_equal (json_array_get_element (saved_array, 3 + i),
                                    json_array_get_element (original_array, expected_indexes[i])));

  /* Still reported after a reload. */
  {
    g_autoptr(AtxAppointmentStore) again = load_ok (f->path);

    g_assert_cmpuint (atx_appointment_store_get_invalid_entries (again)->len, ==, G_N_ELEMENTS (expected_indexes));
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 3);
  }
}

static void
test_permissions (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(AtxAppointmentStore) store = load_ok (f->path);
  g_autoptr(AtxAppointment) appointment = make_appointment ("One", "2026-11-24T09:00:00+01:00", 50);
  struct stat st;

  /* Created: directory 0700, file 0600 (whatever the umask). */
  umask (022);
  add_ok (store, appointment);
  flush_ok (store);
  g_assert_cmpint (g_stat (f->dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static void
test_permissions_tightened (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(AtxAppointmentStore) store = NULL;
  g_autoptr(AtxAppointment) appointment = make_appointment ("One", "2026-11-24T09:00:00+01:00", 50);
  g_autofree char *bak = g_strconcat (f->path, ".bak", NULL);
  struct stat st;

  write_file (f->path, VALID_FILE, -1);
  g_assert_cmpint (g_chmod (f->dir, 0755), ==, 0);
  g_assert_cmpint (g_chmod (f->path, 0644), ==, 0);

  store = load_ok (f->path);
  add_ok (store, appointment);
  flush_ok (store);

  g_assert_cmpint (g_stat (f->dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  /* The previous file, now the .bak, holds the same health data. */
  g_assert_cmpint (g_stat (bak, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
}

static void
test_thousand_appointments (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(AtxAppointmentStore) store = load_ok (f->path);
  g_autoptr(AtxAppointmentStore) again = NULL;
  g_autoptr(GDateTime) base = g_date_time_new_from_iso8601 ("2026-01-01T08:00:00+01:00", NULL);
  GRand *rand = g_rand_new_with_seed (42);

  for (guint i = 0; i < 1000; i++)
    {
      g_autoptr(AtxAppointment) appointment = atx_appointment_new ();
      g_autoptr(GDateTime) start = g_date_time_add_minutes (base, g_rand_int_range (rand, 0, 365 * 24 * 4) * 15);
      g_autoptr(GDateTime) end = g_date_time_add_minutes (start, 50);
      g_autofree char *title = g_strdup_printf ("Session %u", i);

      atx_appointment_set_title (appointment, title);
      atx_appointment_set_start (appointment, start);
      atx_appointment_set_end (appointment, end);
      add_ok (store, appointment);
    }
  g_rand_free (rand);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 1000);
  flush_ok (store);

  again = load_ok (f->path);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 1000);
  for (guint i = 0; i < 1000; i++)
    {
      g_autoptr(AtxAppointment) a = g_list_model_get_item (G_LIST_MODEL (store), i);
      g_autoptr(AtxAppointment) b = g_list_model_get_item (G_LIST_MODEL (again), i);

      g_assert_cmpstr (atx_appointment_get_id (a), ==, atx_appointment_get_id (b));
      g_assert_cmpstr (atx_appointment_get_title (a), ==, atx_appointment_get_title (b));
      g_assert_true (g_date_time_equal (atx_appointment_get_start (a), atx_appointment_get_start (b)));
      if (i > 0)
        {
          g_autoptr(AtxAppointment) prev = g_list_model_get_item (G_LIST_MODEL (again), i - 1);

          g_assert_cmpint (atx_appointment_compare (prev, b), <, 0);
        }
    }
}

static void
test_edits_during_save (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(AtxAppointmentStore) store = load_ok (f->path);
  g_autoptr(AtxAppointmentStore) again = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  guint saved = 0;

  for (guint i = 0; i < 200; i++)
    {
      g_autoptr(AtxAppointment) appointment = make_appointment ("Before", "2026-11-24T09:00:00+01:00", 50);

      add_ok (store, appointment);
      g_ptr_array_add (ids, g_strdup (atx_appointment_get_id (appointment)));
    }

  g_signal_connect_swapped (store, "saved", G_CALLBACK (g_atomic_int_inc), &saved);

  /* A save starts; its completion cannot be seen until the loop runs. */
  atx_appointment_store_save_async (store, NULL, NULL, NULL);

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr(AtxAppointment) copy = atx_appointment_copy (atx_appointment_store_lookup (store, ids->pdata[i]));
      g_autoptr(GError) error = NULL;
      g_autofree char *title = g_strdup_printf ("Edited %u", i);

      atx_appointment_set_title (copy, title);
      g_assert_true (atx_appointment_store_update (store, copy, &error));
      g_assert_no_error (error);

      /* Let the worker and some completions run in between. */
      if (i % 50 == 0)
        g_main_context_iteration (NULL, FALSE);
    }
  for (guint i = 0; i < 50; i++)
    {
      g_autoptr(AtxAppointment) removed = atx_appointment_store_remove (store, ids->pdata[i], NULL);

      g_assert_nonnull (removed);
    }
  {
    g_autoptr(AtxAppointment) last = make_appointment ("Last", "2026-12-24T09:00:00+01:00", 50);

    add_ok (store, last);
    g_ptr_array_add (ids, g_strdup (atx_appointment_get_id (last)));
  }

  flush_ok (store);
  g_assert_cmpuint (saved, >=, 1);

  again = load_ok (f->path);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 151);
  for (guint i = 0; i < 50; i++)
    g_assert_null (atx_appointment_store_lookup (again, ids->pdata[i]));
  for (guint i = 50; i < 200; i++)
    {
      g_autofree char *title = g_strdup_printf ("Edited %u", i);

      g_assert_cmpstr (atx_appointment_get_title (atx_appointment_store_lookup (again, ids->pdata[i])), ==, title);
    }
  g_assert_cmpstr (atx_appointment_get_title (atx_appointment_store_lookup (again, ids->pdata[200])), ==, "Last");
}

typedef struct {
  guint count;
  GError *error;
} SaveFailure;

static void
on_save_failed (AtxAppointmentStore *store,
                const GError        *error,
                SaveFailure         *failure)
{
  failure->count++;
  g_clear_error (&failure->error);
  failure->error = g_error_copy (error);
}

static void
test_save_failure_keeps_edit (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(AtxAppointmentStore) store = NULL;
  g_autoptr(AtxAppointment) appointment = make_appointment ("Unsaved", "2026-11-24T09:00:00+01:00", 50);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) blocker_bytes = NULL;
  SaveFailure failure = { 0, NULL };
  gboolean saved = FALSE;

  write_file (f->path, VALID_FILE, -1);
  store = load_ok (f->path);

  /* A plain file where the directory should be: fails even for root. */
  remove_recursively (f->dir);
  write_file (f->dir, "blocker", -1);
  g_assert_true (g_file_test (f->dir, G_FILE_TEST_IS_REGULAR));

  g_signal_connect (store, "save-failed", G_CALLBACK (on_save_failed), &failure);
  g_signal_connect_swapped (store, "saved", G_CALLBACK (g_atomic_int_inc), &saved);

  add_ok (store, appointment);
  g_assert_false (bounded_flush (store, &error));
  g_assert_error (error, ATX_STORE_ERROR, ATX_STORE_ERROR_SAVE_FAILED);
  g_assert_nonnull (strstr (error->message, f->path));
  g_clear_error (&error);

  g_assert_cmpuint (failure.count, >=, 1);
  g_assert_error (failure.error, ATX_STORE_ERROR, ATX_STORE_ERROR_SAVE_FAILED);
  g_assert_nonnull (strstr (failure.error->message, f->path));
  g_assert_false (saved);

  /* Nothing lost: still in memory, still marked unsaved. */
  g_assert_true (atx_appointment_store_has_unsaved_changes (store));
  g_assert_true (atx_appointment_store_lookup (store, atx_appointment_get_id (appointment)) == appointment);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 3);
  blocker_bytes = read_bytes (f->dir);
  g_assert_cmpmem (g_bytes_get_data (blocker_bytes, NULL), g_bytes_get_size (blocker_bytes), "blocker", 7);

  /* Once the directory can be made again, the next save writes it. */
  g_unlink (f->dir);
  atx_appointment_store_save_async (store, NULL, NULL, NULL);
  wait_for_flag (&saved);
  flush_ok (store);
  {
    g_autoptr(AtxAppointmentStore) again = load_ok (f->path);

    g_assert_nonnull (atx_appointment_store_lookup (again, atx_appointment_get_id (appointment)));
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (again)), ==, 3);
  }

  g_clear_error (&failure.error);
  g_signal_handlers_disconnect_by_data (store, &failure);
  g_signal_handlers_disconnect_by_data (store, &saved);
}

static void
test_unloaded_store_never_replaces (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(AtxAppointmentStore) store = atx_appointment_store_new (f->path);
  g_autoptr(AtxAppointment) appointment = make_appointment ("One", "2026-11-24T09:00:00+01:00", 50);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) after = NULL;

  write_file (f->path, VALID_FILE, -1);

  /* Not loaded: a save must not replace the file it never read. */
  add_ok (store, appointment);
  g_assert_false (bounded_flush (store, &error));
  g_assert_error (error, ATX_STORE_ERROR, ATX_STORE_ERROR_SAVE_FAILED);
  after = read_bytes (f->path);
  g_assert_cmpmem (g_bytes_get_data (after, NULL), g_bytes_get_size (after), VALID_FILE, strlen (VALID_FILE));
}

static void
test_unreadable_file_is_read_only (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(AtxAppointmentStore) store = NULL;
  g_autoptr(GError) error = NULL;

  /* A directory where the file should be cannot be read, even by root. */
  g_assert_cmpint (g_mkdir_with_parents (f->path, 0700), ==, 0);
  store = atx_appointment_store_new (f->path);
  g_assert_false (atx_appointment_store_load (store, &error));
  g_assert_error (error, ATX_STORE_ERROR, ATX_STORE_ERROR_LOAD_FAILED);
  g_assert_nonnull (strstr (error->message, f->path));
  g_assert_true (atx_appointment_store_is_read_only (store));
  g_assert_true (g_file_test (f->path, G_FILE_TEST_IS_DIR));
}

typedef struct {
  gboolean done;
  gboolean ok;
  GError *error;
  guint changes;
  guint n_items_in_callback;
} LoadState;

static void
load_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  LoadState *state = user_data;

  state->ok = atx_appointment_store_load_finish (ATX_APPOINTMENT_STORE (source), result, &state->error);
  state->n_items_in_callback = g_list_model_get_n_items (G_LIST_MODEL (source));
  state->done = TRUE;
}

static void
count_items_changed (GListModel *model,
                     guint       position,
                     guint       removed,
                     guint       added,
                     LoadState  *state)
{
  state->changes++;
  g_assert_cmpuint (position, ==, 0);
  g_assert_cmpuint (added, ==, g_list_model_get_n_items (model));
}

static void
test_load_async (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(AtxAppointmentStore) store = atx_appointment_store_new (f->path);
  LoadState state = { 0 };

  write_file (f->path, VALID_FILE, -1);
  g_signal_connect (store, "items-changed", G_CALLBACK (count_items_changed), &state);
  atx_appointment_store_load_async (store, NULL, load_done, &state);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  wait_for_flag (&state.done);

  g_assert_no_error (state.error);
  g_assert_true (state.ok);
  g_assert_cmpuint (state.n_items_in_callback, ==, 2);
  g_assert_cmpuint (state.changes, ==, 1);
  g_signal_handlers_disconnect_by_data (store, &state);

  /* A corrupt file through the async path: moved aside, CORRUPT. */
  remove_recursively (f->dir);
  write_file (f->path, "{oops", -1);
  state = (LoadState) { 0 };
  atx_appointment_store_load_async (store, NULL, load_done, &state);
  wait_for_flag (&state.done);
  g_assert_false (state.ok);
  g_assert_error (state.error, ATX_STORE_ERROR, ATX_STORE_ERROR_CORRUPT);
  g_assert_false (g_file_test (f->path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 0);
  g_clear_error (&state.error);

  g_assert_finalize_object (g_steal_pointer (&store));
}

static void
test_add_update_remove_errors (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(AtxAppointmentStore) store = load_ok (f->path);
  g_autoptr(AtxAppointment) appointment = make_appointment ("One", "2026-11-24T09:00:00+01:00", 50);
  g_autoptr(AtxAppointment) invalid = make_appointment ("", "2026-11-24T09:00:00+01:00", 50);
  g_autoptr(AtxAppointment) stranger = make_appointment ("Who", "2026-11-24T09:00:00+01:00", 50);
  g_autoptr(AtxAppointment) removed = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (atx_appointment_store_add (store, invalid, &error));
  g_assert_error (error, ATX_STORE_ERROR, ATX_STORE_ERROR_INVALID);
  g_clear_error (&error);

  add_ok (store, appointment);
  g_assert_false (atx_appointment_store_add (store, appointment, &error));
  g_assert_error (error, ATX_STORE_ERROR, ATX_STORE_ERROR_DUPLICATE_ID);
  g_clear_error (&error);

  g_assert_false (atx_appointment_store_update (store, stranger, &error));
  g_assert_error (error, ATX_STORE_ERROR, ATX_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  {
    g_autoptr(AtxAppointment) copy = atx_appointment_copy (appointment);

    atx_appointment_set_title (copy, "");
    g_assert_false (atx_appointment_store_update (store, copy, &error));
    g_assert_error (error, ATX_STORE_ERROR, ATX_STORE_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_cmpstr (atx_appointment_get_title (atx_appointment_store_lookup (store, atx_appointment_get_id (appointment))),
                     ==, "One");
  }

  g_assert_null (atx_appointment_store_remove (store, "nope", &error));
  g_assert_error (error, ATX_STORE_ERROR, ATX_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Remove hands back the object for undo; adding it back restores it. */
  removed = atx_appointment_store_remove (store, atx_appointment_get_id (appointment), &error);
  g_assert_no_error (error);
  g_assert_true (removed == appointment);
  g_assert_null (atx_appointment_store_lookup (store, atx_appointment_get_id (appointment)));
  add_ok (store, removed);
  g_assert_true (atx_appointment_store_lookup (store, atx_appointment_get_id (appointment)) == appointment);
  flush_ok (store);
}

static void
test_update_touches_updated_at (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(AtxAppointmentStore) store = NULL;
  g_autoptr(AtxAppointment) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *entry;

  write_file (f->path, VALID_FILE, -1);
  store = load_ok (f->path);
  copy = atx_appointment_copy (atx_appointment_store_lookup (store, "a"));
  atx_appointment_set_status (copy, ATX_APPOINTMENT_STATUS_COMPLETED);
  g_assert_true (atx_appointment_store_update (store, copy, &error));
  g_assert_no_error (error);
  flush_ok (store);

  root = read_json (f->path);
  entry = json_array_get_object_element (json_object_get_array_member (json_node_get_object (root), "appointments"), 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "status"), ==, "completed");
  g_assert_cmpstr (json_object_get_string_member (entry, "createdAt"), ==, "2026-01-01T10:00:00.000Z");
  g_assert_cmpstr (json_object_get_string_member (entry, "updatedAt"), !=, "2026-01-01T10:00:00.000Z");
}

static void
test_never_writes_unreadable_file (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(AtxAppointmentStore) store = NULL;
  g_autoptr(AtxAppointment) appointment = make_appointment ("bad \xff\xfe bytes", "2026-11-24T09:00:00+01:00", 50);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) after = NULL;

  write_file (f->path, VALID_FILE, -1);
  store = load_ok (f->path);

  /* Text that is not UTF-8 would make a file no JSON reader accepts. */
  add_ok (store, appointment);
  g_assert_false (bounded_flush (store, &error));
  g_assert_error (error, ATX_STORE_ERROR, ATX_STORE_ERROR_SAVE_FAILED);
  g_assert_nonnull (strstr (error->message, f->path));
  g_assert_true (atx_appointment_store_has_unsaved_changes (store));

  after = read_bytes (f->path);
  g_assert_cmpmem (g_bytes_get_data (after, NULL), g_bytes_get_size (after), VALID_FILE, strlen (VALID_FILE));
  g_assert_cmpuint (count_dir_entries (f->dir), ==, 1);

  /* Fixing the text lets the next save through. */
  {
    g_autoptr(AtxAppointment) copy = atx_appointment_copy (appointment);
    g_autoptr(GError) update_error = NULL;

    atx_appointment_set_title (copy, "fixed");
    g_assert_true (atx_appointment_store_update (store, copy, &update_error));
    g_assert_no_error (update_error);
    flush_ok (store);
  }
}

/* Every prefix of a valid file: each loads or is moved aside, never crashes. */
static void
test_truncated_files_never_crash (Fixture       *f,
                                  gconstpointer  data)
{
  const char *file = VALID_FILE;
  gsize length = strlen (file);

  for (gsize cut = 0; cut <= length; cut += 7)
    {
      g_autoptr(AtxAppointmentStore) store = atx_appointment_store_new (f->path);
      g_autoptr(GError) error = NULL;
      gboolean ok;

      remove_recursively (f->dir);
      write_file (f->path, file, cut);
      ok = atx_appointment_store_load (store, &error);
      if (ok)
        g_assert_no_error (error);
      else
        g_assert_error (error, ATX_STORE_ERROR, ATX_STORE_ERROR_CORRUPT);
      g_assert_cmpuint (count_dir_entries (f->dir), ==, 1);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/store/missing-file-is-empty", test_missing_file_is_empty);
  g_test_add_func ("/store/default-path-under-xdg-data-home", test_default_path);
  ADD ("/store/round-trip-unknown-members", test_round_trip_unknown_members);
  ADD ("/store/missing-version-reads-as-1", test_missing_version_reads_as_1);
  ADD ("/store/atomic-save-keeps-bak", test_atomic_save_and_bak);
  ADD ("/store/changes-save-themselves", test_saved_signal_and_unsaved_flag);
  ADD ("/store/save-async-reports-result", test_save_async_callback);
  ADD ("/store/corrupt-file-moved-aside", test_corrupt_moved_aside);
  ADD ("/store/corrupt-file-never-overwrites", test_corrupt_never_overwrites);
  ADD ("/store/newer-version-untouched-and-read-only", test_newer_version_untouched);
  ADD ("/store/invalid-entries-kept-verbatim", test_invalid_entries_kept);
  ADD ("/store/permissions-0600-in-0700", test_permissions);
  ADD ("/store/permissions-tightened", test_permissions_tightened);
  ADD ("/store/thousand-appointments", test_thousand_appointments);
  ADD ("/store/edits-during-save-are-kept", test_edits_during_save);
  ADD ("/store/save-failure-keeps-edit", test_save_failure_keeps_edit);
  ADD ("/store/unloaded-store-never-replaces-file", test_unloaded_store_never_replaces);
  ADD ("/store/unreadable-file-is-read-only", test_unreadable_file_is_read_only);
  ADD ("/store/load-async", test_load_async);
  ADD ("/store/add-update-remove-errors", test_add_update_remove_errors);
  ADD ("/store/update-touches-updated-at", test_update_touches_updated_at);
  ADD ("/store/truncated-files-never-crash", test_truncated_files_never_crash);
  ADD ("/store/never-writes-unreadable-file", test_never_writes_unreadable_file);
#undef ADD

  return g_test_run ();
}

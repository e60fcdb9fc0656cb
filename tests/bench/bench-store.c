/* bench-store.c — load and save of a large store against bare json-glib.
 *
 * Generates N appointments (default 50,000) into a temporary store file,
 * then times, in the same run and on the same file, several repetitions of:
 *   - a bare JsonParser load (json_parser_load_from_file) and a store load
 *     (atx_appointment_store_load, which also validates, sorts and indexes);
 *   - a bare JsonGenerator write of that tree (json_generator_to_file, same
 *     layout) and a store save after one edit (save_async + flush:
 *     serialisation, temp file, fsync, .bak, rename, directory fsync).
 * Also printed: the first save of the freshly generated store, where every
 * entry is built from its fields (no entry is unchanged).
 * Prints the medians and the ratios against the targets (load <= 1.5x,
 * save <= 2x). A figure, not a test: the exit status is 0 unless something
 * fails outright.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "core/atx-appointment-store.h"

static int n_appointments = 50000;
static int repetitions = 7;
static gboolean keep_files;

static GOptionEntry entries[] = {
  { "count", 'n', 0, G_OPTION_ARG_INT, &n_appointments, "Appointments to generate (50000)", "N" },
  { "repetitions", 'r', 0, G_OPTION_ARG_INT, &repetitions, "Repetitions per measure (7)", "R" },
  { "keep", 'k', 0, G_OPTION_ARG_NONE, &keep_files, "Keep the temporary directory", NULL },
  { NULL }
};

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (GArray *samples)
{
  g_array_sort (samples, compare_doubles);
  return g_array_index (samples, double, samples->len / 2);
}

/* A realistic mix: a third are video calls with a token and a call log,
 * a few carry members from a newer web app. */
static double
generate (const char *path)
{
  g_autoptr(AtxAppointmentStore) store = atx_appointment_store_new (path);
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GError) error = NULL;
  GRand *rand = g_rand_new_with_seed (2026);

  if (!atx_appointment_store_load (store, &error))
    g_error ("%s", error->message);

  for (int i = 0; i < n_appointments; i++)
    {
      g_autoptr(AtxAppointment) appointment = atx_appointment_new ();
      g_autoptr(GDateTime) first = g_date_time_new (tz, 2024, 1, 1, 8, 0, 0);
      g_autoptr(GDateTime) day = g_date_time_add_days (first, g_rand_int_range (rand, 0, 1100));
      g_autoptr(GDateTime) start = g_date_time_add_minutes (day, g_rand_int_range (rand, 0, 40) * 15);
      g_autoptr(GDateTime) end = g_date_time_add_minutes (start, 50);
      g_autofree char *title = g_strdup_printf ("Session %d", i);
      g_autofree char *client = g_strdup_printf ("Client %d", g_rand_int_range (rand, 0, 2000));
      g_autofree char *email = g_strdup_printf ("client%d@example.org", g_rand_int_range (rand, 0, 2000));

      atx_appointment_set_title (appointment, title);
      atx_appointment_set_client_name (appointment, client);
      atx_appointment_set_client_email (appointment, email);
      atx_appointment_set_start (appointment, start);
      atx_appointment_set_end (appointment, end);
      atx_appointment_set_notes (appointment, i % 4 == 0 ? "Follow up on the homework from last week." : "");
      atx_appointment_set_status (appointment, g_rand_int_range (rand, 0, 4));

      if (i % 3 == 0)
        {
          g_autofree char *room = g_strdup_printf ("ataraxia-%08x%08x%08x%08x", g_rand_int (rand),
                                                   g_rand_int (rand), g_rand_int (rand), g_rand_int (rand));
          g_autofree char *url = g_strdup_printf ("https://meet.example.org/%s", room);
          g_autoptr(JsonArray) log = json_array_new ();
          g_autoptr(JsonObject) entry = json_object_new ();
          g_autoptr(GDateTime) expires = g_date_time_add_hours (end, 1);

          atx_appointment_set_is_video_call (appointment, TRUE);
          atx_appointment_set_video_call_type (appointment, i % 2 ? ATX_CALL_TYPE_AUDIO : ATX_CALL_TYPE_VIDEO);
          atx_appointment_set_video_call_room_name (appointment, room);
          atx_appointment_set_video_call_url (appointment, url);
          atx_appointment_set_video_call_jwt (appointment,
                                              "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJhdGFyYXhpYSIsInJvb20i"
                                              "OiJhdGFyYXhpYSJ9.c2lnbmF0dXJlc2lnbmF0dXJlc2lnbmF0dXJl");
          atx_appointment_set_video_call_jwt_expires_at (appointment, expires);

          json_object_set_string_member (entry, "startedAt", "2024-05-01T10:01:00+02:00");
          json_object_set_string_member (entry, "endedAt", "2024-05-01T10:49:00+02:00");
          json_object_set_string_member (entry, "roomName", room);
          json_object_set_string_member (entry, "callType", "video");
          json_object_set_boolean_member (entry, "adHoc", FALSE);
          json_object_set_string_member (entry, "where", "embedded");
          json_object_set_string_member (entry, "endReason", "hangup");
          json_object_set_array_member (entry, "participants", json_array_new ());
          json_object_set_null_member (entry, "error");
          json_array_add_object_element (log, g_steal_pointer (&entry));
          atx_appointment_set_call_log (appointment, log);
        }

      if (!atx_appointment_store_add (store, appointment, &error))
        g_error ("%s", error->message);
    }
  g_rand_free (rand);

  /* Every entry is new here, so each one is built from its fields. */
  {
    double t = g_get_monotonic_time ();

    atx_appointment_store_save_async (store, NULL, NULL, NULL);
    if (!atx_appointment_store_flush (store, &error))
      g_error ("%s", error->message);
    return (g_get_monotonic_time () - t) / 1e3;
  }
}

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— time the appointment store");
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *path = NULL;
  g_autofree char *bare_out = NULL;
  g_autoptr(GArray) bare_load = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) store_load = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) bare_save = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) store_save = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *original = NULL;
  gsize original_length = 0;
  double t, bl, sl, bs, ss, fresh_save;
  gboolean round_trip_identical;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (n_appointments < 1 || repetitions < 1)
    {
      g_printerr ("--count and --repetitions must be positive\n");
      return 2;
    }

  tmp = g_dir_make_tmp ("atx-bench-store-XXXXXX", &error);
  if (tmp == NULL)
    g_error ("%s", error->message);
  path = g_build_filename (tmp, "appointments.json", NULL);
  bare_out = g_build_filename (tmp, "bare.json", NULL);

  t = g_get_monotonic_time ();
  fresh_save = generate (path);
  g_file_get_contents (path, &original, &original_length, NULL);
  g_print ("bench-store: %d appointments, %.1f MiB, generated in %.2f s; %d repetitions, medians below\n",
           n_appointments, original_length / (1024.0 * 1024.0),
           (g_get_monotonic_time () - t) / 1e6, repetitions);

  /* The bare write replaces an existing file, like the store's save does
   * (g_file_set_contents only fsyncs a file that exists). */
  g_file_set_contents (bare_out, "{}", -1, NULL);

  for (int r = 0; r < repetitions; r++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(AtxAppointmentStore) store = atx_appointment_store_new (path);
      double elapsed;

      /* Interleaved so that both see the same cache and machine state. */
      t = g_get_monotonic_time ();
      if (!json_parser_load_from_file (parser, path, &error))
        g_error ("%s", error->message);
      elapsed = (g_get_monotonic_time () - t) / 1e3;
      g_array_append_val (bare_load, elapsed);

      t = g_get_monotonic_time ();
      if (!atx_appointment_store_load (store, &error))
        g_error ("%s", error->message);
      elapsed = (g_get_monotonic_time () - t) / 1e3;
      g_array_append_val (store_load, elapsed);
      if (g_list_model_get_n_items (G_LIST_MODEL (store)) != (guint) n_appointments)
        g_error ("Loaded %u appointments instead of %d", g_list_model_get_n_items (G_LIST_MODEL (store)),
                 n_appointments);

      json_generator_set_root (generator, json_parser_get_root (parser));
      json_generator_set_pretty (generator, TRUE);
      json_generator_set_indent (generator, 2);
      t = g_get_monotonic_time ();
      if (!json_generator_to_file (generator, bare_out, &error))
        g_error ("%s", error->message);
      elapsed = (g_get_monotonic_time () - t) / 1e3;
      g_array_append_val (bare_save, elapsed);

      /* What a save normally carries: one edited appointment. */
      {
        g_autoptr(AtxAppointment) item = g_list_model_get_item (G_LIST_MODEL (store), r);
        g_autoptr(AtxAppointment) copy = atx_appointment_copy (item);
        g_autofree char *notes = g_strdup_printf ("Edited in repetition %d", r);

        atx_appointment_set_notes (copy, notes);
        if (!atx_appointment_store_update (store, copy, &error))
          g_error ("%s", error->message);
      }

      t = g_get_monotonic_time ();
      atx_appointment_store_save_async (store, NULL, NULL, NULL);
      if (!atx_appointment_store_flush (store, &error))
        g_error ("%s", error->message);
      elapsed = (g_get_monotonic_time () - t) / 1e3;
      g_array_append_val (store_save, elapsed);
    }

  /* An unchanged store writes back exactly what it read. */
  {
    g_autoptr(AtxAppointmentStore) store = NULL;
    g_autofree char *saved = NULL;
    gsize saved_length = 0;

    g_file_set_contents (path, original, original_length, NULL);
    store = atx_appointment_store_new (path);
    if (!atx_appointment_store_load (store, &error))
      g_error ("%s", error->message);
    atx_appointment_store_save_async (store, NULL, NULL, NULL);
    if (!atx_appointment_store_flush (store, &error))
      g_error ("%s", error->message);
    g_file_get_contents (path, &saved, &saved_length, NULL);
    round_trip_identical = saved_length == original_length && memcmp (saved, original, saved_length) == 0;
  }

  bl = median (bare_load);
  sl = median (store_load);
  bs = median (bare_save);
  ss = median (store_save);

  g_print ("load: store %8.1f ms   bare JsonParser    %8.1f ms   ratio %.2f (target <= 1.50) %s\n",
           sl, bl, sl / bl, sl / bl <= 1.5 ? "ok" : "OVER");
  g_print ("save: store %8.1f ms   bare JsonGenerator %8.1f ms   ratio %.2f (target <= 2.00) %s\n",
           ss, bs, ss / bs, ss / bs <= 2.0 ? "ok" : "OVER");
  g_print ("      (first save of %d new appointments, every entry built from its fields: %.1f ms, %.2fx)\n",
           n_appointments, fresh_save, fresh_save / bs);
  g_print ("round trip of the unchanged file byte-identical: %s\n", round_trip_identical ? "yes" : "NO");

  if (keep_files)
    g_print ("files kept in %s\n", tmp);
  else
    remove_dir (tmp);

  return round_trip_identical ? 0 : 1;
}

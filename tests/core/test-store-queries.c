/* test-store-queries.c — AtxAppointmentStore as a model: order, change
 * signals, and day/range queries across DST changes and midnight. */
#include <string.h>

#include <glib/gstdio.h>

#include "core/atx-appointment-store.h"

typedef struct {
  char *tmp;
  char *path;
  AtxAppointmentStore *store;
  GArray *changes;   /* Change */
} Fixture;

typedef struct {
  guint position;
  guint removed;
  guint added;
} Change;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Fixture    *f)
{
  Change change = { position, removed, added };

  g_assert_cmpuint (position + added, <=, g_list_model_get_n_items (model));
  g_array_append_val (f->changes, change);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->tmp = g_dir_make_tmp ("atx-test-queries-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->tmp, "ataraxia", "appointments.json", NULL);
  f->store = atx_appointment_store_new (f->path);
  g_assert_true (atx_appointment_store_load (f->store, &error));
  g_assert_no_error (error);
  f->changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_signal_connect (f->store, "items-changed", G_CALLBACK (on_items_changed), f);
}

static gboolean
flush_timed_out (gpointer user_data)
{
  g_error ("Timed out in atx_appointment_store_flush()");
  return G_SOURCE_REMOVE;
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (f->path);
  g_autofree char *bak = g_strconcat (f->path, ".bak", NULL);
  guint watchdog = g_timeout_add_seconds (10, flush_timed_out, NULL);

  /* flush iterates the main context, so the watchdog bounds it. */
  g_assert_true (atx_appointment_store_flush (f->store, &error));
  g_assert_no_error (error);
  g_source_remove (watchdog);
  g_signal_handlers_disconnect_by_data (f->store, f);
  g_assert_finalize_object (f->store);

  g_unlink (f->path);
  g_unlink (bak);
  g_rmdir (dir);
  g_assert_cmpint (g_rmdir (f->tmp), ==, 0);

  g_array_unref (f->changes);
  g_free (f->path);
  g_free (f->tmp);
}

static AtxAppointment *
add (Fixture    *f,
     const char *id,
     const char *start,
     const char *end)
{
  g_autofree char *json = g_strdup_printf ("{\"id\":\"%s\",\"title\":\"%s\",\"start\":\"%s\",\"end\":\"%s\"}",
                                           id, id, start, end);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxAppointment) appointment = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  appointment = atx_appointment_new_from_json (json_node_get_object (json_parser_get_root (parser)), &error);
  g_assert_no_error (error);
  g_assert_true (atx_appointment_store_add (f->store, appointment, &error));
  g_assert_no_error (error);
  return appointment; /* borrowed: the store holds it */
}

static char *
ids_of (GPtrArray *appointments)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < appointments->len; i++)
    {
      if (i > 0)
        g_string_append_c (s, ' ');
      g_string_append (s, atx_appointment_get_id (g_ptr_array_index (appointments, i)));
    }
  return g_string_free (s, FALSE);
}

static char *
model_ids (GListModel *model)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_ptr_array_add (items, g_list_model_get_item (model, i));
  return ids_of (items);
}

static char *
day_ids (Fixture    *f,
         const char *zone,
         int         year,
         int         month,
         int         day)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier (zone);
  g_autoptr(GPtrArray) found = NULL;

  g_assert_nonnull (tz);
  found = atx_appointment_store_query_day (f->store, tz, year, month, day);
  g_assert_nonnull (found);
  return ids_of (found);
}

static char *
range_ids (Fixture    *f,
           const char *from,
           const char *to)
{
  g_autoptr(GDateTime) a = g_date_time_new_from_iso8601 (from, NULL);
  g_autoptr(GDateTime) b = g_date_time_new_from_iso8601 (to, NULL);
  g_autoptr(GPtrArray) found = atx_appointment_store_query_range (f->store, a, b);

  return ids_of (found);
}

static void
assert_change (Fixture *f,
               guint    index,
               guint    position,
               guint    removed,
               guint    added)
{
  Change *change;

  g_assert_cmpuint (index, <, f->changes->len);
  change = &g_array_index (f->changes, Change, index);
  g_assert_cmpuint (change->position, ==, position);
  g_assert_cmpuint (change->removed, ==, removed);
  g_assert_cmpuint (change->added, ==, added);
}

#define assert_ids(expr, expected) \
  G_STMT_START { g_autofree char *_ids = (expr); g_assert_cmpstr (_ids, ==, expected); } G_STMT_END

/* ---------------------------------------------------------------- tests */

static void
test_sorted_insertion_positions (Fixture       *f,
                                 gconstpointer  data)
{
  add (f, "c", "2026-11-24T12:00:00+01:00", "2026-11-24T13:00:00+01:00");
  add (f, "a", "2026-11-24T09:00:00+01:00", "2026-11-24T10:00:00+01:00");
  add (f, "d", "2026-11-25T09:00:00+01:00", "2026-11-25T10:00:00+01:00");
  add (f, "b", "2026-11-24T10:00:00+01:00", "2026-11-24T11:00:00+01:00");
  /* Same instant as b, written in another offset: after b by id. */
  add (f, "b2", "2026-11-24T09:00:00Z", "2026-11-24T09:30:00Z");

  assert_ids (model_ids (G_LIST_MODEL (f->store)), "a b b2 c d");
  g_assert_cmpuint (f->changes->len, ==, 5);
  assert_change (f, 0, 0, 0, 1);
  assert_change (f, 1, 0, 0, 1);
  assert_change (f, 2, 2, 0, 1);
  assert_change (f, 3, 1, 0, 1);
  assert_change (f, 4, 2, 0, 1);

  {
    guint n_items = 0;

    g_object_get (f->store, "n-items", &n_items, NULL);
    g_assert_cmpuint (n_items, ==, 5);
    g_assert_null (g_list_model_get_item (G_LIST_MODEL (f->store), 5));
  }
}

static void
test_update_moves_item (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(AtxAppointment) copy = NULL;
  g_autoptr(AtxAppointment) removed = NULL;
  g_autoptr(GDateTime) later = g_date_time_new_from_iso8601 ("2026-11-24T14:00:00+01:00", NULL);
  g_autoptr(GDateTime) later_end = g_date_time_new_from_iso8601 ("2026-11-24T15:00:00+01:00", NULL);
  g_autoptr(GError) error = NULL;

  add (f, "a", "2026-11-24T09:00:00+01:00", "2026-11-24T10:00:00+01:00");
  add (f, "b", "2026-11-24T10:00:00+01:00", "2026-11-24T11:00:00+01:00");
  add (f, "c", "2026-11-24T12:00:00+01:00", "2026-11-24T13:00:00+01:00");
  g_array_set_size (f->changes, 0);

  /* A change that keeps the place: one signal at that place. */
  copy = atx_appointment_copy (atx_appointment_store_lookup (f->store, "b"));
  atx_appointment_set_title (copy, "renamed");
  g_assert_true (atx_appointment_store_update (f->store, copy, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->changes->len, ==, 1);
  assert_change (f, 0, 1, 1, 0 + 1);
  g_assert_true (atx_appointment_store_lookup (f->store, "b") == copy);
  g_clear_object (&copy);
  g_array_set_size (f->changes, 0);

  /* Moved later: removed at 0, inserted at 2. */
  copy = atx_appointment_copy (atx_appointment_store_lookup (f->store, "a"));
  atx_appointment_set_end (copy, later_end);
  atx_appointment_set_start (copy, later);
  g_assert_true (atx_appointment_store_update (f->store, copy, &error));
  g_assert_no_error (error);
  assert_ids (model_ids (G_LIST_MODEL (f->store)), "b c a");
  g_assert_cmpuint (f->changes->len, ==, 2);
  assert_change (f, 0, 0, 1, 0);
  assert_change (f, 1, 2, 0, 1);
  g_clear_object (&copy);
  g_array_set_size (f->changes, 0);

  /* Changed in place and handed back: still found and moved. */
  {
    AtxAppointment *stored = atx_appointment_store_lookup (f->store, "c");
    g_autoptr(GDateTime) early = g_date_time_new_from_iso8601 ("2026-11-24T08:00:00+01:00", NULL);

    atx_appointment_set_start (stored, early);
    g_assert_true (atx_appointment_store_update (f->store, stored, &error));
    g_assert_no_error (error);
    assert_ids (model_ids (G_LIST_MODEL (f->store)), "c b a");
    assert_change (f, 0, 1, 1, 0);
    assert_change (f, 1, 0, 0, 1);
  }
  g_array_set_size (f->changes, 0);

  removed = atx_appointment_store_remove (f->store, "b", &error);
  g_assert_no_error (error);
  g_assert_nonnull (removed);
  assert_change (f, 0, 1, 1, 0);
  assert_ids (model_ids (G_LIST_MODEL (f->store)), "c a");
}

static void
test_range_overlap (Fixture       *f,
                    gconstpointer  data)
{
  add (f, "before", "2026-11-24T08:00:00+01:00", "2026-11-24T09:00:00+01:00");
  add (f, "inside", "2026-11-24T09:30:00+01:00", "2026-11-24T10:00:00+01:00");
  add (f, "straddle", "2026-11-24T08:30:00+01:00", "2026-11-24T09:30:00+01:00");
  add (f, "at-end", "2026-11-24T12:00:00+01:00", "2026-11-24T13:00:00+01:00");
  add (f, "long", "2026-11-20T00:00:00+01:00", "2026-11-30T00:00:00+01:00");
  add (f, "later", "2026-11-25T09:00:00+01:00", "2026-11-25T10:00:00+01:00");

  /* [09:00, 12:00): touching ends are outside; the 10-day one is inside. */
  assert_ids (range_ids (f, "2026-11-24T09:00:00+01:00", "2026-11-24T12:00:00+01:00"),
              "long straddle inside");
  /* Same range in UTC. */
  assert_ids (range_ids (f, "2026-11-24T08:00:00Z", "2026-11-24T11:00:00Z"),
              "long straddle inside");
  assert_ids (range_ids (f, "2026-12-01T00:00:00Z", "2026-12-02T00:00:00Z"), "");
  assert_ids (range_ids (f, "2026-11-24T12:59:59+01:00", "2026-11-24T13:00:00+01:00"), "long at-end");
}

static void
test_day_across_midnight (Fixture       *f,
                          gconstpointer  data)
{
  add (f, "late", "2026-11-24T23:30:00+01:00", "2026-11-25T00:30:00+01:00");
  add (f, "midnight", "2026-11-25T00:00:00+01:00", "2026-11-25T01:00:00+01:00");
  add (f, "ends-at-midnight", "2026-11-24T23:00:00+01:00", "2026-11-25T00:00:00+01:00");

  assert_ids (day_ids (f, "Europe/Berlin", 2026, 11, 24), "ends-at-midnight late");
  assert_ids (day_ids (f, "Europe/Berlin", 2026, 11, 25), "late midnight");
  /* The same appointments seen from New York (six hours behind). */
  assert_ids (day_ids (f, "America/New_York", 2026, 11, 24), "ends-at-midnight late midnight");
  assert_ids (day_ids (f, "America/New_York", 2026, 11, 25), "");
  /* Month and year ends. */
  add (f, "new-year", "2026-12-31T23:00:00+01:00", "2027-01-01T01:00:00+01:00");
  assert_ids (day_ids (f, "Europe/Berlin", 2026, 12, 31), "new-year");
  assert_ids (day_ids (f, "Europe/Berlin", 2027, 1, 1), "new-year");
}

/* 2026-03-29 in Berlin has 23 hours: 00:00+01:00 (= 03-28T23:00Z) to
 * 03-30T00:00+02:00 (= 03-29T22:00Z). A 24-hour day would wrongly include
 * what starts at 22:30Z. */
static void
test_day_spring_forward_berlin (Fixture       *f,
                                gconstpointer  data)
{
  add (f, "first", "2026-03-29T00:15:00+01:00", "2026-03-29T01:00:00+01:00");
  add (f, "across-change", "2026-03-29T01:30:00+01:00", "2026-03-29T03:30:00+02:00");
  add (f, "last", "2026-03-29T21:30:00Z", "2026-03-29T21:59:00Z");
  add (f, "next-day", "2026-03-29T22:30:00Z", "2026-03-29T23:00:00Z");
  add (f, "previous-day", "2026-03-28T22:00:00Z", "2026-03-28T22:59:00Z");

  assert_ids (day_ids (f, "Europe/Berlin", 2026, 3, 29), "first across-change last");
  assert_ids (day_ids (f, "Europe/Berlin", 2026, 3, 30), "next-day");
  assert_ids (day_ids (f, "Europe/Berlin", 2026, 3, 28), "previous-day");
}

/* 2026-10-25 in Berlin has 25 hours: 00:00+02:00 (= 10-24T22:00Z) to
 * 10-26T00:00+01:00 (= 10-25T23:00Z). */
static void
test_day_fall_back_berlin (Fixture       *f,
                           gconstpointer  data)
{
  add (f, "early", "2026-10-24T22:00:00Z", "2026-10-24T22:30:00Z");
  add (f, "first-2-30", "2026-10-25T02:30:00+02:00", "2026-10-25T02:45:00+02:00");
  add (f, "second-2-30", "2026-10-25T02:30:00+01:00", "2026-10-25T02:45:00+01:00");
  add (f, "last-hour", "2026-10-25T22:30:00Z", "2026-10-25T22:59:00Z");
  add (f, "next-day", "2026-10-25T23:00:00Z", "2026-10-25T23:30:00Z");

  assert_ids (day_ids (f, "Europe/Berlin", 2026, 10, 25), "early first-2-30 second-2-30 last-hour");
  assert_ids (day_ids (f, "Europe/Berlin", 2026, 10, 26), "next-day");
  assert_ids (day_ids (f, "Europe/Berlin", 2026, 10, 24), "");
}

/* New York: 2026-03-08 has 23 hours, 2026-11-01 has 25. */
static void
test_day_new_york (Fixture       *f,
                   gconstpointer  data)
{
  /* 03-08 00:00-05:00 = 05:00Z .. 03-09 00:00-04:00 = 04:00Z */
  add (f, "spring-start", "2026-03-08T05:00:00Z", "2026-03-08T05:30:00Z");
  add (f, "spring-last", "2026-03-09T03:30:00Z", "2026-03-09T03:59:00Z");
  add (f, "spring-next", "2026-03-09T04:00:00Z", "2026-03-09T04:30:00Z");
  /* 11-01 00:00-04:00 = 04:00Z .. 11-02 00:00-05:00 = 05:00Z */
  add (f, "fall-start", "2026-11-01T04:00:00Z", "2026-11-01T04:30:00Z");
  add (f, "fall-last", "2026-11-02T04:30:00Z", "2026-11-02T04:59:00Z");
  add (f, "fall-next", "2026-11-02T05:00:00Z", "2026-11-02T05:30:00Z");

  assert_ids (day_ids (f, "America/New_York", 2026, 3, 8), "spring-start spring-last");
  assert_ids (day_ids (f, "America/New_York", 2026, 3, 9), "spring-next");
  assert_ids (day_ids (f, "America/New_York", 2026, 11, 1), "fall-start fall-last");
  assert_ids (day_ids (f, "America/New_York", 2026, 11, 2), "fall-next");
}

static void
test_queries_after_changes (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(AtxAppointment) removed = NULL;

  add (f, "a", "2026-11-24T09:00:00+01:00", "2026-11-24T10:00:00+01:00");
  add (f, "b", "2026-11-24T11:00:00+01:00", "2026-11-24T12:00:00+01:00");
  assert_ids (day_ids (f, "Europe/Berlin", 2026, 11, 24), "a b");

  removed = atx_appointment_store_remove (f->store, "a", NULL);
  g_assert_nonnull (removed);
  assert_ids (day_ids (f, "Europe/Berlin", 2026, 11, 24), "b");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/store/model/sorted-insertion-positions", test_sorted_insertion_positions);
  ADD ("/store/model/update-moves-item", test_update_moves_item);
  ADD ("/store/query/range-overlap", test_range_overlap);
  ADD ("/store/query/day-across-midnight", test_day_across_midnight);
  ADD ("/store/query/day-dst-spring-forward-berlin", test_day_spring_forward_berlin);
  ADD ("/store/query/day-dst-fall-back-berlin", test_day_fall_back_berlin);
  ADD ("/store/query/day-dst-new-york", test_day_new_york);
  ADD ("/store/query/after-changes", test_queries_after_changes);
#undef ADD

  return g_test_run ();
}

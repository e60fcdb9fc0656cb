/* test-month-view.c — the month grid: date arithmetic, counts per local day
 * (across DST and midnight), and that counts follow store changes. */
#include "config.h"

#include <adwaita.h>

#include "atx-month-view.h"
#include "atx-test-utils.h"

static AtxAppointment *
make_appointment (const char *id, const char *start, const char *end)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *json = g_strdup_printf (
    "{\"id\": \"%s\", \"title\": \"T\", \"start\": \"%s\", \"end\": \"%s\", \"status\": \"scheduled\"}",
    id, start, end);
  g_autoptr(GError) error = NULL;
  AtxAppointment *appointment;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  appointment = atx_appointment_new_from_json (json_node_get_object (json_parser_get_root (parser)), &error);
  g_assert_no_error (error);
  return appointment;
}

static void
test_month_view_date_arithmetic (void)
{
  GtkWidget *view = g_object_ref_sink (atx_month_view_new ());
  g_autoptr(GDateTime) jan31 = g_date_time_new_local (2026, 1, 31, 15, 30, 0);
  GDateTime *date;

  atx_month_view_set_date (ATX_MONTH_VIEW (view), jan31);
  date = atx_month_view_get_date (ATX_MONTH_VIEW (view));
  /* Always local midnight of the chosen day. */
  g_assert_cmpint (g_date_time_get_hour (date), ==, 0);
  g_assert_cmpint (g_date_time_get_day_of_month (date), ==, 31);

  atx_month_view_move_months (ATX_MONTH_VIEW (view), 1);
  date = atx_month_view_get_date (ATX_MONTH_VIEW (view));
  g_assert_cmpint (g_date_time_get_month (date), ==, 2);
  g_assert_cmpint (g_date_time_get_day_of_month (date), ==, 28);

  atx_month_view_move_days (ATX_MONTH_VIEW (view), 1);
  date = atx_month_view_get_date (ATX_MONTH_VIEW (view));
  g_assert_cmpint (g_date_time_get_month (date), ==, 3);
  g_assert_cmpint (g_date_time_get_day_of_month (date), ==, 1);

  /* Across the spring DST change (Europe/Berlin, 29 March 2026): days stay
   * at midnight. */
  atx_month_view_move_days (ATX_MONTH_VIEW (view), 28);
  atx_month_view_move_days (ATX_MONTH_VIEW (view), 7);
  date = atx_month_view_get_date (ATX_MONTH_VIEW (view));
  g_assert_cmpint (g_date_time_get_month (date), ==, 4);
  g_assert_cmpint (g_date_time_get_day_of_month (date), ==, 5);
  g_assert_cmpint (g_date_time_get_hour (date), ==, 0);

  atx_month_view_move_days (ATX_MONTH_VIEW (view), -7);
  date = atx_month_view_get_date (ATX_MONTH_VIEW (view));
  g_assert_cmpint (g_date_time_get_day_of_month (date), ==, 29);
  g_assert_cmpint (g_date_time_get_hour (date), ==, 0);

  g_object_unref (view);
}

static void
test_month_view_counts_follow_store (void)
{
  g_autofree char *dir = atx_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (dir, "appointments.json", NULL);
  g_autoptr(AtxAppointmentStore) store = atx_appointment_store_new (path);
  GtkWidget *view = g_object_ref_sink (atx_month_view_new ());
  g_autoptr(GDateTime) march = g_date_time_new_local (2026, 3, 15, 12, 0, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxAppointment) dst = NULL;
  g_autoptr(AtxAppointment) overnight = NULL;
  g_autoptr(AtxAppointment) removed = NULL;

  g_assert_true (atx_appointment_store_load (store, &error));
  atx_month_view_set_date (ATX_MONTH_VIEW (view), march);
  atx_month_view_set_store (ATX_MONTH_VIEW (view), store);
  g_assert_cmpint (atx_month_view_get_count_for_day (ATX_MONTH_VIEW (view), 2026, 3, 29), ==, 0);

  /* 01:30 → 03:30 local on the day the clocks jump: one day. */
  dst = make_appointment ("dst", "2026-03-29T01:30:00+01:00", "2026-03-29T03:30:00+02:00");
  g_assert_true (atx_appointment_store_add (store, dst, &error));
  g_assert_cmpint (atx_month_view_get_count_for_day (ATX_MONTH_VIEW (view), 2026, 3, 29), ==, 1);
  g_assert_cmpint (atx_month_view_get_count_for_day (ATX_MONTH_VIEW (view), 2026, 3, 28), ==, 0);
  g_assert_cmpint (atx_month_view_get_count_for_day (ATX_MONTH_VIEW (view), 2026, 3, 30), ==, 0);

  /* 23:30 → 00:30 counts on both days; ending exactly at midnight would not. */
  overnight = make_appointment ("night", "2026-03-10T23:30:00+01:00", "2026-03-11T00:30:00+01:00");
  g_assert_true (atx_appointment_store_add (store, overnight, &error));
  g_assert_cmpint (atx_month_view_get_count_for_day (ATX_MONTH_VIEW (view), 2026, 3, 10), ==, 1);
  g_assert_cmpint (atx_month_view_get_count_for_day (ATX_MONTH_VIEW (view), 2026, 3, 11), ==, 1);

  removed = atx_appointment_store_remove (store, "dst", &error);
  g_assert_nonnull (removed);
  g_assert_cmpint (atx_month_view_get_count_for_day (ATX_MONTH_VIEW (view), 2026, 3, 29), ==, 0);

  /* Not visible in March's grid. */
  g_assert_cmpint (atx_month_view_get_count_for_day (ATX_MONTH_VIEW (view), 2026, 6, 1), ==, -1);

  g_assert_true (atx_appointment_store_flush (store, &error));
  g_object_unref (view);
  atx_test_rm_rf (dir);
}

int
main (int argc, char *argv[])
{
  /* The DST cases need a zone with DST; the grid works in local time. */
  g_setenv ("TZ", "Europe/Berlin", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/month-view/date-arithmetic-keeps-local-midnight", test_month_view_date_arithmetic);
  g_test_add_func ("/month-view/counts-follow-store-across-dst-and-midnight", test_month_view_counts_follow_store);

  return g_test_run ();
}

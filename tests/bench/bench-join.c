/* bench-join.c — time from the join action to the External API being
 * constructed in an embedded call window, and the memory the open window
 * adds. Run through tests/bench/bench-join (Xvfb, D-Bus, a private HOME).
 *
 * The join action as the app runs it with a warm token: the join token
 * (the stored one, still valid: no request), a call session, the call
 * window (the first one loads the WebKit module and starts WebKit's
 * processes), the bundled page, the fake Jitsi server's external_api.js,
 * and the stub's "constructed" record arriving at the fake server.
 *
 * Memory: the app process's RSS, and the PSS of the app plus every process
 * it started (WebKit's web and network processes), before the first window
 * and once it is open. Target: join ≤ 300 ms.
 */
#include "config.h"

#include <adwaita.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "atx-call-window.h"
#include "atx-fake-jitsi.h"
#include "call/atx-call-session.h"
#include "core/atx-appointment-store.h"
#include "core/atx-join-token.h"
#include "core/atx-jwt.h"
#include "core/atx-room-name.h"
#include "core/atx-settings.h"

#define WAIT_MS 30000
#define TARGET_MS 300.0
#define SECRET "bench-join-secret-0123456789abcdef0123456789abcdef"

static int runs = 10;

static GOptionEntry entries[] = {
  { "runs", 'n', 0, G_OPTION_ARG_INT, &runs, "Call windows to open (the first one is cold)", "N" },
  { NULL }
};

typedef struct {
  AtxFakeJitsi        *fake;
  AtxAppointmentStore *store;
  AtxSettings         *settings;
  AtxTokenClient      *client;
  char                *id;
  char                *room;
} Bench;

/* ---- memory ---- */

static gint64
status_kib (int         pid,
            const char *file,
            const char *key)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/%s", pid, file);
  g_autofree char *contents = NULL;
  const char *line;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return 0;
  line = strstr (contents, key);
  if (line == NULL)
    return 0;
  return g_ascii_strtoll (line + strlen (key), NULL, 10);
}

static int
parent_of (int pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *contents = NULL;
  const char *end;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return -1;
  /* "pid (comm) state ppid …": comm may hold spaces and parentheses. */
  end = strrchr (contents, ')');
  if (end == NULL)
    return -1;
  return (int) g_ascii_strtoll (end + 4, NULL, 10);
}

static gboolean
descends_from (int pid,
               int ancestor)
{
  for (int i = 0; i < 32 && pid > 1; i++)
    {
      pid = parent_of (pid);
      if (pid == ancestor)
        return TRUE;
    }
  return FALSE;
}

/* PSS of this process and all its descendants, in KiB; the number of
 * descendants in @out_children. */
static gint64
tree_pss_kib (guint *out_children)
{
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  int self = getpid ();
  gint64 total = status_kib (self, "smaps_rollup", "Pss:");
  const char *name;
  guint children = 0;

  while (proc != NULL && (name = g_dir_read_name (proc)) != NULL)
    {
      int pid = (int) g_ascii_strtoll (name, NULL, 10);

      if (pid <= 1 || pid == self || !descends_from (pid, self))
        continue;
      total += status_kib (pid, "smaps_rollup", "Pss:");
      children++;
    }
  if (out_children)
    *out_children = children;
  return total;
}

/* ---- the join ---- */

static gboolean
pointer_set (gpointer user_data)
{
  return *(gpointer *) user_data != NULL;
}

static gboolean
pointer_set_gint64 (gpointer user_data)
{
  return *(gint64 *) user_data != 0;
}

static gboolean
pointer_cleared (gpointer user_data)
{
  return *(gpointer *) user_data == NULL;
}

static gboolean
wait_until (gboolean (*condition) (gpointer), gpointer data, guint timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      if (!condition (data))
        g_usleep (200);
    }
  return TRUE;
}

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static void
got_token (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
on_first_message (GObject    *view,
                  GParamSpec *pspec,
                  gint64     *out_time)
{
  if (*out_time == 0)
    *out_time = g_get_monotonic_time ();
}

/* The join action: token, session, window. Returns the window once the
 * External API was constructed, and the time it took in @out_ms: until the
 * fake server sees the stub's "constructed" record, and until the API's
 * first event (browserSupport, sent right after construction) reaches the
 * app in @out_event_ms. */
static AtxCallWindow *
join (Bench   *bench,
      double  *out_ms,
      double  *out_event_ms)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(AtxTokenResult) token = NULL;
  g_autoptr(AtxCallSession) session = NULL;
  g_autoptr(JsonObject) options = NULL;
  g_autoptr(GError) error = NULL;
  AtxAppointment *appointment = atx_appointment_store_lookup (bench->store, bench->id);
  AtxCallPageConfig config = { NULL, };
  AtxCallWindow *window;
  gint64 first_event = 0;
  gint64 start = g_get_monotonic_time ();

  atx_join_token_get_async (bench->store, appointment, bench->settings, bench->client, NULL,
                            got_token, &result);
  if (!wait_until (pointer_set, &result, WAIT_MS))
    g_error ("no join token");
  token = atx_join_token_get_finish (result, &error);
  if (token == NULL)
    g_error ("no join token: %s", error->message);

  session = atx_call_session_new (bench->store, bench->id, atx_appointment_get_title (appointment),
                                  bench->room, ATX_CALL_TYPE_VIDEO, FALSE, ATX_CALL_WHERE_EMBEDDED, TRUE);
  config.domain = atx_fake_jitsi_get_domain (bench->fake);
  config.room_name = bench->room;
  config.jwt = token->token;
  config.display_name = "Dr Bench";
  config.email = "dr.bench@example.org";
  config.transport = "webkit";
  window = atx_call_window_new (NULL, session, &config, atx_fake_jitsi_get_domain (bench->fake));
  g_signal_connect (atx_call_window_get_view (window), "notify::n-messages-accepted",
                    G_CALLBACK (on_first_message), &first_event);
  gtk_window_present (GTK_WINDOW (window));

  options = atx_fake_jitsi_wait_constructed (bench->fake, WAIT_MS);
  if (options == NULL)
    g_error ("the External API was not constructed within %d ms (call state %d: %s)", WAIT_MS,
             atx_call_session_get_state (session),
             atx_call_session_get_failure_message (session) ? atx_call_session_get_failure_message (session) : "");
  *out_ms = (g_get_monotonic_time () - start) / 1000.0;
  if (!wait_until (pointer_set_gint64, &first_event, WAIT_MS))
    g_error ("no event from the External API");
  *out_event_ms = (first_event - start) / 1000.0;
  g_signal_handlers_disconnect_by_func (atx_call_window_get_view (window), on_first_message, &first_event);
  return window;
}

static void
close_window (AtxCallWindow *window)
{
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &window);
  gtk_window_destroy (GTK_WINDOW (window));
  if (!wait_until (pointer_cleared, &window, WAIT_MS))
    g_error ("the call window did not go away");
}

static void
set_up (Bench *bench)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxAppointment) appointment = atx_appointment_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) start = g_date_time_add_minutes (now, -5);
  g_autoptr(GDateTime) end = g_date_time_add_minutes (now, 45);
  g_autoptr(GDateTime) expires = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *jwt = NULL;
  gint64 t = g_get_real_time () / G_USEC_PER_SEC;
  AtxJwtSignParams params = { NULL, };

  bench->fake = atx_fake_jitsi_new (&error);
  g_assert_no_error (error);

  dir = g_dir_make_tmp ("atx-bench-join-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "appointments.json", NULL);
  bench->store = atx_appointment_store_new (path);
  g_assert_true (atx_appointment_store_load (bench->store, &error));

  bench->settings = atx_settings_new (NULL);
  atx_settings_set_jitsi_domain (bench->settings, atx_fake_jitsi_get_domain (bench->fake));
  atx_settings_set_use_jwt (bench->settings, TRUE);
  /* Never asked: the stored token is warm. */
  atx_settings_set_backend_url (bench->settings, "http://127.0.0.1:9/");
  atx_settings_set_user_name (bench->settings, "Dr Bench");
  bench->client = atx_token_client_new (NULL, NULL);

  bench->room = atx_room_name_generate ();
  params.issuer = "ataraxia";
  params.audience = "jitsi";
  params.subject = atx_fake_jitsi_get_domain (bench->fake);
  params.room = bench->room;
  params.user_id = "therapist-1";
  params.user_name = "Dr Bench";
  params.user_email = "dr.bench@example.org";
  params.moderator = TRUE;
  params.issued_at = t;
  params.not_before = t - 60;
  params.expires_at = t + 7200;
  jwt = atx_jwt_sign (&params, (const guint8 *) SECRET, strlen (SECRET));
  expires = g_date_time_new_from_unix_utc (params.expires_at);

  atx_appointment_set_title (appointment, "Bench session");
  atx_appointment_set_start (appointment, start);
  atx_appointment_set_end (appointment, end);
  atx_appointment_set_is_video_call (appointment, TRUE);
  atx_appointment_set_video_call_room_name (appointment, bench->room);
  atx_appointment_set_video_call_jwt (appointment, jwt);
  atx_appointment_set_video_call_jwt_expires_at (appointment, expires);
  bench->id = g_strdup (atx_appointment_get_id (appointment));
  g_assert_true (atx_appointment_store_add (bench->store, appointment, &error));
  g_assert_true (atx_appointment_store_flush (bench->store, &error));
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (GArray *values)
{
  guint n = values->len;

  g_array_sort (values, compare_doubles);
  return n % 2 ? g_array_index (values, double, n / 2)
               : (g_array_index (values, double, n / 2 - 1) + g_array_index (values, double, n / 2)) / 2;
}

static const char *
verdict (double ms)
{
  return ms <= TARGET_MS ? "ok" : "over target";
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— time the embedded call join");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) warm = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) warm_event = g_array_new (FALSE, FALSE, sizeof (double));
  Bench bench = { NULL, };
  AtxCallWindow *window;
  GtkWidget *main_window;
  gint64 rss_before, rss_after, pss_before, pss_after;
  guint children_before, children_after;
  double cold_ms, cold_event_ms;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (runs < 1)
    runs = 1;
  if (g_getenv ("ATARAXIA_CALL_SKIP_WEBRTC_CHECK") == NULL)
    g_setenv ("ATARAXIA_CALL_SKIP_WEBRTC_CHECK", "1", TRUE);

  gtk_init ();
  adw_init ();
  set_up (&bench);

  /* The app joins from its main window, which is already on screen (and
   * GTK's renderer up): stand in for it. */
  main_window = adw_window_new ();
  adw_window_set_content (ADW_WINDOW (main_window), adw_status_page_new ());
  gtk_window_present (GTK_WINDOW (main_window));
  spin (500);

  rss_before = status_kib (getpid (), "status", "VmRSS:");
  pss_before = tree_pss_kib (&children_before);

  window = join (&bench, &cold_ms, &cold_event_ms);
  /* Let the page settle before measuring. */
  spin (1000);
  rss_after = status_kib (getpid (), "status", "VmRSS:");
  pss_after = tree_pss_kib (&children_after);
  close_window (window);
  spin (300);

  for (int i = 1; i < runs; i++)
    {
      double ms, event_ms;

      window = join (&bench, &ms, &event_ms);
      g_array_append_val (warm, ms);
      g_array_append_val (warm_event, event_ms);
      close_window (window);
      spin (300);
    }

  g_print ("bench-join: join action (warm token) → External API constructed, loopback fake Jitsi\n");
  g_print ("                                       fake server sees it   first API event in the app\n");
  g_print ("  first call window (loads WebKit):    %8.1f ms %-12s %8.1f ms %s\n",
           cold_ms, verdict (cold_ms), cold_event_ms, verdict (cold_event_ms));
  if (warm->len > 0)
    {
      double m = median (warm);
      double e = median (warm_event);

      g_print ("  later call windows (median of %2u):  %8.1f ms %-12s %8.1f ms %s\n",
               warm->len, m, verdict (m), e, verdict (e));
      g_print ("    range: %.1f–%.1f ms / %.1f–%.1f ms\n",
               g_array_index (warm, double, 0), g_array_index (warm, double, warm->len - 1),
               g_array_index (warm_event, double, 0), g_array_index (warm_event, double, warm_event->len - 1));
    }
  g_print ("  target: ≤ %.0f ms\n", TARGET_MS);
  g_print ("bench-join: extra memory of the open call window (the first one)\n");
  g_print ("  app process RSS:                      %+8.1f MiB\n", (rss_after - rss_before) / 1024.0);
  g_print ("  app + WebKit processes PSS (%u → %u):  %+8.1f MiB\n",
           children_before, children_after, (pss_after - pss_before) / 1024.0);

  gtk_window_destroy (GTK_WINDOW (main_window));
  g_clear_object (&bench.client);
  g_clear_object (&bench.settings);
  g_clear_object (&bench.store);
  atx_fake_jitsi_free (bench.fake);
  return 0;
}

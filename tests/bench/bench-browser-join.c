/* bench-browser-join.c — the measuring half of tests/bench/bench-browser-join.
 *
 * Times the "Open in browser" action: from the start of the call host
 * (atx_call_host_new, which renders the page) and the browser's launch to
 * the External API constructed inside headless Chromium, with a warm token
 * (signed here in advance, as a cached token would be) and the loopback fake
 * Jitsi server. Each run uses a fresh Chromium profile, so this is the cold
 * browser start: a browser that is already running opens a tab faster.
 *
 * usage: bench-browser-join [--runs N] [--chromium PATH]
 */
#include "config.h"

#include <signal.h>
#include <string.h>

#include "call/atx-call-host.h"
#include "call/atx-call-session.h"
#include "core/atx-jwt.h"
#include "core/atx-room-name.h"
#include "atx-fake-jitsi.h"

#define TIMEOUT_MS 60000
#define SECRET "bench-secret-0123456789abcdef0123456789abcdef"

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static gboolean
quit_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

int
main (int   argc,
      char *argv[])
{
  int runs = 5;
  g_autofree char *chromium = g_strdup ("/usr/bin/chromium");
  GOptionEntry entries[] = {
    { "runs", 'n', 0, G_OPTION_ARG_INT, &runs, "Number of runs", "N" },
    { "chromium", 0, 0, G_OPTION_ARG_FILENAME, &chromium, "The browser", "PATH" },
    { NULL }
  };
  g_autoptr(GOptionContext) options = g_option_context_new ("— time the browser call join");
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxFakeJitsi) fake = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(AtxAppointmentStore) store = NULL;
  g_autoptr(AtxAppointment) appointment = atx_appointment_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) end = g_date_time_add_minutes (now, 50);
  g_autofree char *room = atx_room_name_generate ();
  g_autofree char *token = NULL;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  AtxJwtSignParams sign = { 0 };
  gint64 t = g_get_real_time () / G_USEC_PER_SEC;

  g_option_context_add_main_entries (options, entries, NULL);
  if (!g_option_context_parse (options, &argc, &argv, &error))
    g_error ("%s", error->message);
  if (!g_file_test (chromium, G_FILE_TEST_IS_EXECUTABLE))
    g_error ("no browser at %s", chromium);

  fake = atx_fake_jitsi_new (&error);
  g_assert_no_error (error);
  dir = g_dir_make_tmp ("atx-bench-browser-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "ataraxia", "appointments.json", NULL);
  store = atx_appointment_store_new (path);
  g_assert_true (atx_appointment_store_load (store, &error));
  atx_appointment_set_title (appointment, "Bench");
  atx_appointment_set_start (appointment, now);
  atx_appointment_set_end (appointment, end);
  atx_appointment_set_is_video_call (appointment, TRUE);
  atx_appointment_set_video_call_room_name (appointment, room);
  g_assert_true (atx_appointment_store_add (store, appointment, &error));

  /* The warm token: already in hand when the therapist clicks. */
  sign.issuer = "ataraxia";
  sign.audience = "jitsi";
  sign.subject = atx_fake_jitsi_get_domain (fake);
  sign.room = room;
  sign.user_id = "bench";
  sign.user_name = "Dr Bench";
  sign.user_email = "bench@example.org";
  sign.moderator = TRUE;
  sign.issued_at = t;
  sign.not_before = t - 60;
  sign.expires_at = t + 7200;
  token = atx_jwt_sign (&sign, (const guint8 *) SECRET, strlen (SECRET));
  g_assert_nonnull (token);

  for (int run = 0; run < runs; run++)
    {
      g_autoptr(AtxCallSession) session = NULL;
      g_autoptr(AtxCallHost) host = NULL;
      g_autoptr(GSubprocess) browser = NULL;
      g_autoptr(JsonObject) constructed = NULL;
      g_autofree char *profile = g_build_filename (dir, "profile-XXXXXX", NULL);
      g_autofree char *profile_arg = NULL;
      AtxCallPageConfig config = { 0 };
      gint64 start, start_real, stop;
      double ms;
      gboolean done = FALSE;

      g_assert_nonnull (g_mkdtemp (profile));
      profile_arg = g_strconcat ("--user-data-dir=", profile, NULL);
      atx_fake_jitsi_reset (fake);
      session = atx_call_session_new (store, atx_appointment_get_id (appointment), "Bench", room,
                                      ATX_CALL_TYPE_VIDEO, FALSE, ATX_CALL_WHERE_BROWSER, TRUE);
      config.domain = atx_fake_jitsi_get_domain (fake);
      config.room_name = room;
      config.jwt = token;
      config.display_name = "Dr Bench";
      config.email = "bench@example.org";

      /* The "Open in browser" action. */
      start = g_get_monotonic_time ();
      start_real = g_get_real_time ();
      host = atx_call_host_new (session, &config, atx_fake_jitsi_get_domain (fake), &error);
      g_assert_no_error (error);
      {
        g_autoptr(GSubprocessLauncher) launcher =
          g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);

        browser = g_subprocess_launcher_spawn (launcher, &error, chromium,
                                               "--headless", "--no-sandbox", "--disable-gpu",
                                               "--disable-background-networking", "--no-first-run",
                                               "--password-store=basic",
                                               "--use-fake-ui-for-media-stream",
                                               "--use-fake-device-for-media-stream",
                                               profile_arg, atx_call_host_get_url (host), NULL);
        g_assert_no_error (error);
      }
      constructed = atx_fake_jitsi_wait_constructed (fake, TIMEOUT_MS);
      stop = g_get_monotonic_time ();
      if (constructed == NULL)
        g_error ("run %d: the External API was not constructed within %d s", run + 1, TIMEOUT_MS / 1000);

      /* The stub's constructor by the page's clock, as bench-join times it
       * (the record itself reaches the server later); else its arrival. */
      if (atx_fake_jitsi_get_constructed_at (fake) != 0)
        ms = (atx_fake_jitsi_get_constructed_at (fake) - start_real) / 1000.0;
      else
        ms = (stop - start) / 1000.0;
      g_array_append_val (times, ms);
      g_print ("run %d: %.0f ms\n", run + 1, ms);

      /* Browser gone, host stopped, profile removed; let the stub's
       * streams wind down before the next run. */
      g_subprocess_send_signal (browser, SIGKILL);
      g_subprocess_wait (browser, NULL, NULL);
      atx_call_host_stop (host);
      g_timeout_add (300, quit_cb, &done);
      while (!done)
        g_main_context_iteration (NULL, TRUE);
      {
        g_autofree char *command = g_strdup_printf ("rm -rf '%s'", profile);
        g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
      }
    }

  g_array_sort (times, compare_doubles);
  g_print ("browser join (Open in browser -> External API constructed in headless Chromium, "
           "cold profile, warm token, loopback fake Jitsi): median %.0f ms (min %.0f, max %.0f, %d runs)\n",
           g_array_index (times, double, times->len / 2),
           g_array_index (times, double, 0),
           g_array_index (times, double, times->len - 1), runs);

  atx_appointment_store_flush (store, NULL);
  g_clear_object (&store);
  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", dir);
    g_spawn_command_line_sync (command, NULL, NULL, NULL, NULL);
  }
  return 0;
}

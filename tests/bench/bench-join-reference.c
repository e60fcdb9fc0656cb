/* bench-join-reference.c — the floor under bench-join's first call window:
 * a bare WebKitWebView (default web context and network session, nothing of
 * Ataraxia) that a process creates for the first time, loading a page which
 * loads the fake Jitsi server's external_api.js and constructs the API.
 * Prints the time from creating the view to the stub's constructor, by the
 * page's wall clock, as "reference-ms <n>". Run by tests/bench/bench-join
 * in its own process (so WebKit is cold, as for the app's first call). */
#include <adwaita.h>
#include <webkit/webkit.h>

#include "atx-fake-jitsi.h"

static gboolean
wait_constructed (AtxFakeJitsi *fake)
{
  g_autoptr(JsonObject) options = atx_fake_jitsi_wait_constructed (fake, 30000);

  return options != NULL;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  AtxFakeJitsi *fake;
  GtkWidget *window, *view;
  g_autofree char *html = NULL;
  g_autofree char *base = NULL;
  gint64 start;
  gint64 end;

  gtk_init ();
  adw_init ();
  fake = atx_fake_jitsi_new (&error);
  g_assert_no_error (error);

  /* Like bench-join: a window is already on screen (GTK's renderer up). */
  window = adw_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 700);
  gtk_window_present (GTK_WINDOW (window));
  end = g_get_monotonic_time () + 500 * 1000;
  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);

  html = g_strdup_printf ("<!DOCTYPE html><html><body><div id=\"m\"></div>"
                          "<script src=\"http://%s/external_api.js\"></script>"
                          "<script>new JitsiMeetExternalAPI('%s', {roomName: 'reference', "
                          "parentNode: document.getElementById('m')});</script></body></html>",
                          atx_fake_jitsi_get_domain (fake), atx_fake_jitsi_get_domain (fake));
  base = g_strdup_printf ("http://%s/", atx_fake_jitsi_get_domain (fake));

  start = g_get_real_time ();
  view = webkit_web_view_new ();
  adw_window_set_content (ADW_WINDOW (window), view);
  webkit_web_view_load_html (WEBKIT_WEB_VIEW (view), html, base);
  if (!wait_constructed (fake) || atx_fake_jitsi_get_constructed_at (fake) == 0)
    g_error ("the reference page did not construct the API within 30 s");
  g_print ("reference-ms %.1f\n", (atx_fake_jitsi_get_constructed_at (fake) - start) / 1000.0);

  gtk_window_destroy (GTK_WINDOW (window));
  atx_fake_jitsi_free (fake);
  return 0;
}

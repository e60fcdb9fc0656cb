/* The reference for bench-startup: the smallest libadwaita program with an
 * AdwApplicationWindow and a header bar, reporting its first frame the same
 * way Ataraxia does (ATARAXIA_REPORT_FIRST_FRAME). */
#include <adwaita.h>
#include <stdio.h>

static void
on_first_paint (GdkFrameClock *clock, gpointer user_data)
{
  g_print ("first-frame\n");
  fflush (stdout);
  g_signal_handlers_disconnect_by_func (clock, on_first_paint, user_data);
}

static void
on_realize (GtkWidget *window)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (on_first_paint), NULL);
}

static void
on_activate (GtkApplication *app)
{
  GtkWidget *window = adw_application_window_new (app);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  g_signal_connect (window, "realize", G_CALLBACK (on_realize), NULL);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  g_autoptr(AdwApplication) app = adw_application_new ("org.ataraxia.BenchMinimal",
                                                       G_APPLICATION_NON_UNIQUE);

  g_signal_connect (app, "activate", G_CALLBACK (on_activate), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}

/* atx-window.h — the main window: month grid, the selected day's agenda and
 * the details panel, with the store's problems shown in a strip on top. */
#pragma once

#include <adwaita.h>
#include "atx-application.h"

G_BEGIN_DECLS

#define ATX_TYPE_WINDOW (atx_window_get_type ())
G_DECLARE_FINAL_TYPE (AtxWindow, atx_window, ATX, WINDOW, AdwApplicationWindow)

AtxWindow *atx_window_new (AtxApplication *application);

/* Shows a message in the strip at the top of the window (store problems:
 * corrupt file, newer version, save failures). NULL hides it. */
void       atx_window_show_problem (AtxWindow *self, const char *message);

/* A short message at the bottom of the window. */
void       atx_window_show_toast (AtxWindow *self, const char *text);
/* Marks a join of that appointment as waiting on the network (its call
 * actions are insensitive meanwhile). */
void       atx_window_set_call_busy (AtxWindow *self, const char *appointment_id, gboolean busy);

/* For tests. */
GtkWidget      *atx_window_get_month_view (AtxWindow *self);
GtkListBox     *atx_window_get_agenda (AtxWindow *self);
GtkWidget      *atx_window_get_details_panel (AtxWindow *self);
const char     *atx_window_get_problem (AtxWindow *self);
AtxAppointment *atx_window_get_selected_appointment (AtxWindow *self);
void            atx_window_select_appointment (AtxWindow *self, AtxAppointment *appointment);
/* The editor opened last by win.new-appointment / win.edit-appointment. */
GtkWindow      *atx_window_get_editor (AtxWindow *self);

G_END_DECLS

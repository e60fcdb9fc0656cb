/* atx-agenda-row.h — one appointment in the day's agenda list. */
#pragma once

#include <gtk/gtk.h>
#include "core/atx-appointment.h"

G_BEGIN_DECLS

#define ATX_TYPE_AGENDA_ROW (atx_agenda_row_get_type ())
G_DECLARE_FINAL_TYPE (AtxAgendaRow, atx_agenda_row, ATX, AGENDA_ROW, GtkListBoxRow)

GtkWidget      *atx_agenda_row_new (AtxAppointment *appointment);
AtxAppointment *atx_agenda_row_get_appointment (AtxAgendaRow *self);

/* "15:00 – 15:50" in local time; shared with the details panel. */
char           *atx_format_time_range (GDateTime *start, GDateTime *end);

G_END_DECLS

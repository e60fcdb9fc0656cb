/* atx-details-panel.h — the selected appointment: title, client, time
 * range in local time, status and notes, with Edit and Delete. */
#pragma once

#include <adwaita.h>
#include "core/atx-appointment.h"

G_BEGIN_DECLS

#define ATX_TYPE_DETAILS_PANEL (atx_details_panel_get_type ())
G_DECLARE_FINAL_TYPE (AtxDetailsPanel, atx_details_panel, ATX, DETAILS_PANEL, AdwBin)

GtkWidget      *atx_details_panel_new (void);
/* NULL shows the empty state. */
void            atx_details_panel_set_appointment (AtxDetailsPanel *self, AtxAppointment *appointment);
AtxAppointment *atx_details_panel_get_appointment (AtxDetailsPanel *self);

G_END_DECLS

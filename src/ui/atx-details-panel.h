/* atx-details-panel.h — the selected appointment: title, client, time
 * range in local time, status and notes, with Edit and Delete. */
#pragma once

#include <adwaita.h>
#include "core/atx-appointment.h"
#include "core/atx-settings.h"

G_BEGIN_DECLS

#define ATX_TYPE_DETAILS_PANEL (atx_details_panel_get_type ())
G_DECLARE_FINAL_TYPE (AtxDetailsPanel, atx_details_panel, ATX, DETAILS_PANEL, AdwBin)

GtkWidget      *atx_details_panel_new (void);
/* NULL shows the empty state. */
void            atx_details_panel_set_appointment (AtxDetailsPanel *self, AtxAppointment *appointment);
AtxAppointment *atx_details_panel_get_appointment (AtxDetailsPanel *self);

/* Where video calls are configured (and whether development tokens are
 * used); NULL hides every call action behind "Set up video calls". */
void            atx_details_panel_set_settings (AtxDetailsPanel *self, AtxSettings *settings);
/* Why the last token fetch for the shown appointment failed, shown with
 * the pending state ("will be fetched when you join"); NULL clears it. */
void            atx_details_panel_set_token_problem (AtxDetailsPanel *self, const char *message);

/* "Valid until …", "Will be fetched when you join", … for tests. */
const char     *atx_details_panel_get_token_state (AtxDetailsPanel *self);
/* For tests: which call section is shown: "setup" (a video appointment
 * while calls are not set up), "scheduled", "ad-hoc", "none", or NULL (no
 * appointment). */
const char     *atx_details_panel_get_call_section (AtxDetailsPanel *self);
/* For tests: the join button's label ("_Join Audio Call" for audio-only
 * calls), NULL without a scheduled call. */
const char     *atx_details_panel_get_join_label (AtxDetailsPanel *self);
/* For tests: the call history rows (newest first). */
/* "loading" until the window has the store, then "empty" or "details". */
const char     *atx_details_panel_get_visible_page (AtxDetailsPanel *self);
guint           atx_details_panel_get_n_history_rows (AtxDetailsPanel *self);
const char     *atx_details_panel_get_history_subtitle (AtxDetailsPanel *self, guint index);

G_END_DECLS

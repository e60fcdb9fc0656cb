/* atx-call-manager.h — starts calls and keeps to one at a time.
 *
 * Joining an appointment: the join-token logic (reuse or fetch), then the
 * embedded call window when embed-calls is on, else the browser call host
 * with its native companion. A non-video appointment gets an ad-hoc call
 * (temporary room, fresh token, nothing stored but the call log). The
 * embedded window's "Open in Browser" and Retry come back here.
 */
#pragma once

#include <adwaita.h>
#include "core/atx-appointment-store.h"
#include "core/atx-settings.h"
#include "core/atx-token-client.h"

G_BEGIN_DECLS

#define ATX_TYPE_CALL_MANAGER (atx_call_manager_get_type ())
G_DECLARE_FINAL_TYPE (AtxCallManager, atx_call_manager, ATX, CALL_MANAGER, GObject)

AtxCallManager *atx_call_manager_new (GtkApplication      *app,
                                      AtxAppointmentStore *store,
                                      AtxSettings         *settings,
                                      AtxTokenClient      *client);

/* Starts the call of @appointment_id, or raises the window of the call that
 * is running. FALSE with an error when there is no such appointment or
 * video calls are not set up. Later failures (token, page) are shown in
 * the call window or as ::message. */
gboolean        atx_call_manager_join (AtxCallManager *self,
                                       const char     *appointment_id,
                                       GError        **error);

/* TRUE while a call window or companion is open. */
gboolean        atx_call_manager_has_call (AtxCallManager *self);
/* The open call window or companion, or NULL. */
GtkWindow      *atx_call_manager_get_call_window (AtxCallManager *self);

/* Signals:
 *   ::message (const char *text) — something the user must read (the main
 *     window shows it as a toast).
 *   ::busy-changed (const char *appointment_id, gboolean busy) — a join is
 *     waiting on the network. */

G_END_DECLS

/* atx-call-companion.h — the small native window beside a browser call.
 *
 * While the therapist's browser holds the media (DESIGN.md, "Browser
 * calls"), this window shows the call session: the appointment's title and
 * call type, the state (waiting for the browser, in call, ended, browser
 * closed, or what went wrong), the elapsed time, the participants, clients
 * knocking in the lobby with Admit / Deny, microphone and camera toggles
 * that mirror Jitsi's state, Leave, and "Reopen in Browser".
 */
#pragma once

#include <adwaita.h>

#include "call/atx-call-host.h"
#include "call/atx-call-session.h"

G_BEGIN_DECLS

#define ATX_TYPE_CALL_COMPANION (atx_call_companion_get_type ())
G_DECLARE_FINAL_TYPE (AtxCallCompanion, atx_call_companion, ATX, CALL_COMPANION, AdwWindow)

AtxCallCompanion *atx_call_companion_new (GtkApplication *app,
                                          AtxCallSession *session,
                                          AtxCallHost    *host);

/* The whole "open in browser" action: starts a call host for @session
 * (see atx_call_host_new() for @page_config and @jitsi_domain), opens its
 * URL in the default browser and presents the companion. NULL with an
 * ATX_CALL_HOST_ERROR when the host cannot start; a browser that cannot be
 * started is reported in the window (with "Reopen in Browser" to retry). */
AtxCallCompanion *atx_call_companion_start_browser_call (GtkApplication          *app,
                                                         AtxCallSession          *session,
                                                         const AtxCallPageConfig *page_config,
                                                         const char              *jitsi_domain,
                                                         GError                 **error);

AtxCallSession   *atx_call_companion_get_session (AtxCallCompanion *self);
AtxCallHost      *atx_call_companion_get_host    (AtxCallCompanion *self);

/* Opens (again) the host's URL in the default browser; a failure is shown
 * in the window. */
void              atx_call_companion_open_in_browser (AtxCallCompanion *self);

/* For tests: what the window shows, and its controls. */
const char       *atx_call_companion_get_state_text        (AtxCallCompanion *self);
const char       *atx_call_companion_get_elapsed_text      (AtxCallCompanion *self);
const char       *atx_call_companion_get_participants_text (AtxCallCompanion *self);
GtkWidget        *atx_call_companion_get_mute_button       (AtxCallCompanion *self);
GtkWidget        *atx_call_companion_get_camera_button     (AtxCallCompanion *self);
GtkWidget        *atx_call_companion_get_leave_button      (AtxCallCompanion *self);
GtkWidget        *atx_call_companion_get_reopen_button     (AtxCallCompanion *self);
/* The Admit (or Deny) button of the knocking client @participant_id, or
 * NULL when that client is not listed. */
GtkWidget        *atx_call_companion_get_knock_button      (AtxCallCompanion *self,
                                                            const char       *participant_id,
                                                            gboolean          admit);

G_END_DECLS

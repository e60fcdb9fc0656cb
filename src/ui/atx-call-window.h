/* atx-call-window.h — the window of an embedded call (DESIGN.md, "Call view").
 *
 * A thin view over an AtxCallSession: the header shows the appointment's
 * title, the call type, the elapsed time and how many people are in the
 * call, with microphone/camera toggles mirroring Jitsi's state, fullscreen
 * (F11) and Leave; clients waiting in the lobby appear under the header with
 * Admit / Deny. The content is the embedded WebKit view (its module is loaded
 * when the first call window is created) or a status page when this engine
 * cannot make calls or the call failed. Closing the window hangs up first.
 *
 * Signals (for the app's call manager):
 *   ::retry (gboolean refresh_token) — the user asked to try again; with
 *     refresh_token the token was rejected and a fresh one must be fetched.
 *     Restart with atx_call_window_restart() or open a new window.
 *   ::open-in-browser () — run this call in the default browser instead.
 */
#pragma once

#include <adwaita.h>

#include "call/atx-call-session.h"

G_BEGIN_DECLS

/* How long closing the window waits for the hang-up to finish. */
#define ATX_CALL_WINDOW_CLOSE_TIMEOUT_MS 5000

#define ATX_TYPE_CALL_WINDOW (atx_call_window_get_type ())
G_DECLARE_FINAL_TYPE (AtxCallWindow, atx_call_window, ATX, CALL_WINDOW, AdwWindow)

/* @config: the page to show (copied as needed; may be NULL when @session is
 * already FAILED, e.g. the backend was unreachable at join). @jitsi_domain:
 * the configured jitsi-domain. The embedded view is created at once unless
 * the session has already failed. */
AtxCallWindow  *atx_call_window_new (GtkApplication          *app,
                                     AtxCallSession          *session,
                                     const AtxCallPageConfig *config,
                                     const char              *jitsi_domain);

/* After ::retry: shows @session (a new one, or the same one after
 * atx_call_session_restart(), in state CONNECTING) and loads the page again
 * from @config (with a fresh token when the old one was refused). */
void            atx_call_window_restart (AtxCallWindow           *self,
                                         AtxCallSession          *session,
                                         const AtxCallPageConfig *config);

AtxCallSession *atx_call_window_get_session (AtxCallWindow *self);

/* For tests: the embedded view (NULL until created or when it could not be
 * loaded), the visible content page ("call", "unsupported", "failed",
 * "ended"), the failure page's texts, and the header's widgets. */
GtkWidget      *atx_call_window_get_view (AtxCallWindow *self);
const char     *atx_call_window_get_visible_page (AtxCallWindow *self);
const char     *atx_call_window_get_status_title (AtxCallWindow *self);
const char     *atx_call_window_get_status_description (AtxCallWindow *self);
const char     *atx_call_window_get_elapsed_text (AtxCallWindow *self);
const char     *atx_call_window_get_participants_text (AtxCallWindow *self);
GtkWidget      *atx_call_window_get_audio_button (AtxCallWindow *self);
GtkWidget      *atx_call_window_get_video_button (AtxCallWindow *self);
GtkWidget      *atx_call_window_get_fullscreen_button (AtxCallWindow *self);
GtkWidget      *atx_call_window_get_leave_button (AtxCallWindow *self);
GtkWidget      *atx_call_window_get_retry_button (AtxCallWindow *self);
/* The Open in Browser button of the visible status page (or NULL). */
GtkWidget      *atx_call_window_get_open_in_browser_button (AtxCallWindow *self);
/* Waiting clients shown under the header, in arrival order. */
guint           atx_call_window_get_n_knocking (AtxCallWindow *self);
const char     *atx_call_window_get_knocking_text (AtxCallWindow *self, guint index);
GtkWidget      *atx_call_window_get_knocking_button (AtxCallWindow *self, guint index, gboolean admit);

G_END_DECLS

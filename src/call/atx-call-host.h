/* atx-call-host.h — the loopback browser call host (DESIGN.md, "Browser calls").
 *
 * One per browser call: a SoupServer on 127.0.0.1, port 0, that serves the
 * bundled call page under a capability path /call/<secret>/ (192 bits from
 * getrandom(2)), takes the page's bridge messages on POST …/events and sends
 * the session's commands as Server-Sent Events on GET …/commands. The open
 * command stream is the liveness signal: when every stream has been gone
 * for the transport grace (30 s), the session ends as "browser-closed".
 *
 * Safety (each tested in tests/call/test-call-host.c): 127.0.0.1 only; a
 * wrong or missing secret → 404 (constant-time compare); Host must be
 * exactly 127.0.0.1:PORT → else 403; POST must carry Origin
 * http://127.0.0.1:PORT and a GET's Origin, when present, must match → else
 * 403; bodies over 64 KiB → 413; no CORS headers; every answer carries
 * Cache-Control: no-store, Referrer-Policy: no-referrer and a CSP limited to
 * the page itself and the Jitsi domain. The JWT is only ever inside the
 * page's body. Once the call ends every URL answers 404, and the port is
 * closed close-delay later.
 */
#pragma once

#include <gio/gio.h>

#include "atx-call-bridge.h"
#include "atx-call-session.h"

G_BEGIN_DECLS

#define ATX_CALL_HOST_ERROR (atx_call_host_error_quark ())

typedef enum {
  ATX_CALL_HOST_ERROR_DOMAIN,  /* the Jitsi domain is not usable */
  ATX_CALL_HOST_ERROR_PAGE,    /* the call page could not be rendered */
  ATX_CALL_HOST_ERROR_LISTEN,  /* no loopback port could be opened */
  ATX_CALL_HOST_ERROR_LAUNCH,  /* the browser could not be started */
} AtxCallHostError;

GQuark atx_call_host_error_quark (void);

/* Largest request body accepted (bytes). */
#define ATX_CALL_HOST_MAX_BODY ATX_BRIDGE_MAX_MESSAGE_SIZE

/* Defaults of the timing properties (milliseconds). */
#define ATX_CALL_HOST_DEFAULT_PING_INTERVAL   5000
#define ATX_CALL_HOST_DEFAULT_TRANSPORT_GRACE 30000
#define ATX_CALL_HOST_DEFAULT_CLOSE_DELAY     5000

#define ATX_TYPE_CALL_HOST (atx_call_host_get_type ())
G_DECLARE_FINAL_TYPE (AtxCallHost, atx_call_host, ATX, CALL_HOST, GObject)

/* Starts listening at once. @page_config gives the room, token, names and
 * call type; its transport, events_url and commands_url are filled in by
 * the host (whatever the caller put there is ignored). The page is rendered
 * here, once: the caller may free @page_config's strings afterwards.
 * @jitsi_domain (host[:port]) sets the CSP. The host stops by itself when
 * the session ends. */
AtxCallHost *atx_call_host_new  (AtxCallSession          *session,
                                 const AtxCallPageConfig *page_config,
                                 const char              *jitsi_domain,
                                 GError                 **error);

/* "http://127.0.0.1:PORT/call/<secret>/": the one URL to open. */
const char     *atx_call_host_get_url       (AtxCallHost *self);
guint           atx_call_host_get_port      (AtxCallHost *self);
AtxCallSession *atx_call_host_get_session   (AtxCallHost *self);
/* TRUE while at least one command stream (a browser tab) is open. */
gboolean        atx_call_host_get_connected (AtxCallHost *self);
/* TRUE once the host ended the session because the browser went away. */
gboolean        atx_call_host_get_browser_closed (AtxCallHost *self);
/* TRUE until stop: afterwards every URL answers 404. */
gboolean        atx_call_host_get_running   (AtxCallHost *self);

/* Every URL answers 404 from now on, open command streams are ended, and
 * the port is closed close-delay milliseconds later. Idempotent. */
void            atx_call_host_stop          (AtxCallHost *self);

/* Opens the host's URL in the default browser (the OpenURI portal inside
 * Flatpak: g_app_info_launch_default_for_uri_async goes there by itself).
 * @context may be NULL. */
void            atx_call_host_open_in_browser_async  (AtxCallHost         *self,
                                                      GAppLaunchContext   *context,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean        atx_call_host_open_in_browser_finish (AtxCallHost         *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

/* Properties: "session", "url", "port" (read-only); "connected",
 * "browser-closed", "running" (read-only, notify); "ping-interval",
 * "transport-grace", "close-delay" (milliseconds, read-write: tests
 * shorten them). */

G_END_DECLS

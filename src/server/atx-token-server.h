/* atx-token-server.h — the token backend's HTTP side (SoupServer).
 *
 * Routing, API-key authentication, rate limiting, body limits, CORS, the
 * JSON error shape and the access log; the API's meaning is AtxTokenService.
 */
#pragma once

#include <gio/gio.h>

#include "atx-server-config.h"

G_BEGIN_DECLS

/* Largest request body accepted (413 above). */
#define ATX_TOKEN_SERVER_MAX_BODY (16 * 1024)

#define ATX_TYPE_TOKEN_SERVER (atx_token_server_get_type ())
G_DECLARE_FINAL_TYPE (AtxTokenServer, atx_token_server, ATX, TOKEN_SERVER, GObject)

AtxTokenServer *atx_token_server_new        (AtxServerConfig  *config);

/* Starts listening on the configured address and @port (0 = any free port).
 * Returns the base URL, e.g. "http://127.0.0.1:3001". */
char           *atx_token_server_listen     (AtxTokenServer   *self,
                                             guint16           port,
                                             GError          **error);
void            atx_token_server_disconnect (AtxTokenServer   *self);

G_END_DECLS

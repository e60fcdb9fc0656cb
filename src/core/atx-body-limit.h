/* atx-body-limit.h — bounded request bodies for the SoupServers of the
 * project (the token server, the browser call host).
 *
 * libsoup accumulates a request body whatever its size. Watching a message
 * from the early handler refuses a declared Content-Length over the limit
 * at once, and counts a chunked body as it arrives, no longer accumulating
 * it past the limit, so memory stays bounded whatever a client sends.
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* From an early handler. FALSE when the declared Content-Length is already
 * over @max_bytes: answer 413 now. */
gboolean atx_body_limit_watch    (SoupServerMessage *msg,
                                  gsize              max_bytes);

/* From the normal handler: TRUE when the body is over the limit given to
 * atx_body_limit_watch() (declared, counted or accumulated). */
gboolean atx_body_limit_exceeded (SoupServerMessage *msg);

G_END_DECLS

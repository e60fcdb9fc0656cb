/* atx-connection-stream.h — a client connection as handed to SoupServer.
 *
 * Wraps a connection's GIOStream so that libsoup 3.2 frees it when the client
 * closes it while idle (see atx-connection-stream.c for why this is needed).
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define ATX_TYPE_CONNECTION_INPUT_STREAM (atx_connection_input_stream_get_type ())
G_DECLARE_FINAL_TYPE (AtxConnectionInputStream, atx_connection_input_stream,
                      ATX, CONNECTION_INPUT_STREAM, GInputStream)

/* Returns a GIOStream reading through an AtxConnectionInputStream and writing
 * to @base's output; closing it closes @base. */
GIOStream *atx_connection_stream_wrap (GIOStream *base);

G_END_DECLS

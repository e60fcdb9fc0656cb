/* atx-connection-stream.c — makes libsoup 3.2 free idle keep-alive connections.
 *
 * libsoup 3.2 (Debian 12) never frees a keep-alive connection that the client
 * closes while it waits for the next request: the end of the stream arrives
 * before any byte of a request, so no request "starts" and nothing
 * disconnects it; its socket and fd leak (fixed upstream in 3.3.0 by commit
 * d20c6601). A server with many clients runs out of descriptors.
 *
 * This input stream turns the first end-of-stream (or reset) into one 0x01
 * byte followed by the end: libsoup then sees a request that started and broke off, answers
 * it with an error to nobody and disconnects and frees the connection. 0x01
 * can never complete a valid request: it is not allowed in an HTTP header nor
 * anywhere in a JSON body.
 */
#define G_LOG_DOMAIN "atx-connection-stream"

#include "config.h"

#include "atx-connection-stream.h"

struct _AtxConnectionInputStream {
  GInputStream  parent_instance;

  GIOStream    *base;     /* the connection: closed with this stream */
  GInputStream *input;    /* its input stream, pollable */
  gboolean      injected; /* the 0x01 before the end has been read */
};

static void atx_connection_input_stream_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AtxConnectionInputStream, atx_connection_input_stream, G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      atx_connection_input_stream_pollable_init))

/* Replaces the first end-of-stream, or read error (a reset connection), by a
 * single 0x01 byte; the reads after it give the end or the error. */
static gssize
mark_end (AtxConnectionInputStream  *self,
          gssize                     n,
          void                      *buffer,
          gsize                      count,
          GError                   **error)
{
  gboolean ended = n == 0 ||
                   (n < 0 && !g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK) &&
                    !g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED));

  if (ended && count > 0 && !self->injected)
    {
      g_clear_error (error);
      self->injected = TRUE;
      ((guint8 *) buffer)[0] = 0x01;
      return 1;
    }
  return n;
}

static gssize
atx_connection_input_stream_read (GInputStream  *stream,
                                  void          *buffer,
                                  gsize          count,
                                  GCancellable  *cancellable,
                                  GError       **error)
{
  AtxConnectionInputStream *self = ATX_CONNECTION_INPUT_STREAM (stream);
  g_autoptr(GError) local_error = NULL;
  gssize n = g_input_stream_read (self->input, buffer, count, cancellable, &local_error);

  n = mark_end (self, n, buffer, count, &local_error);
  if (local_error)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return n;
}

static gboolean
atx_connection_input_stream_close (GInputStream  *stream,
                                   GCancellable  *cancellable,
                                   GError       **error)
{
  AtxConnectionInputStream *self = ATX_CONNECTION_INPUT_STREAM (stream);

  return g_io_stream_close (self->base, cancellable, error);
}

static gboolean
atx_connection_input_stream_is_readable (GPollableInputStream *stream)
{
  AtxConnectionInputStream *self = ATX_CONNECTION_INPUT_STREAM (stream);

  return g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (self->input));
}

static GSource *
atx_connection_input_stream_create_source (GPollableInputStream *stream,
                                           GCancellable         *cancellable)
{
  AtxConnectionInputStream *self = ATX_CONNECTION_INPUT_STREAM (stream);
  g_autoptr(GSource) base_source = NULL;

  base_source = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (self->input), NULL);
  return g_pollable_source_new_full (stream, base_source, cancellable);
}

static gssize
atx_connection_input_stream_read_nonblocking (GPollableInputStream  *stream,
                                              void                  *buffer,
                                              gsize                  count,
                                              GError               **error)
{
  AtxConnectionInputStream *self = ATX_CONNECTION_INPUT_STREAM (stream);
  g_autoptr(GError) local_error = NULL;
  gssize n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (self->input),
                                                       buffer, count, NULL, &local_error);

  n = mark_end (self, n, buffer, count, &local_error);
  if (local_error)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return n;
}

static void
atx_connection_input_stream_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->is_readable = atx_connection_input_stream_is_readable;
  iface->create_source = atx_connection_input_stream_create_source;
  iface->read_nonblocking = atx_connection_input_stream_read_nonblocking;
}

static void
atx_connection_input_stream_finalize (GObject *object)
{
  AtxConnectionInputStream *self = ATX_CONNECTION_INPUT_STREAM (object);

  g_clear_object (&self->input);
  g_clear_object (&self->base);

  G_OBJECT_CLASS (atx_connection_input_stream_parent_class)->finalize (object);
}

static void
atx_connection_input_stream_class_init (AtxConnectionInputStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = atx_connection_input_stream_finalize;
  stream_class->read_fn = atx_connection_input_stream_read;
  stream_class->close_fn = atx_connection_input_stream_close;
}

static void
atx_connection_input_stream_init (AtxConnectionInputStream *self)
{
}

GIOStream *
atx_connection_stream_wrap (GIOStream *base)
{
  g_autoptr(AtxConnectionInputStream) input = NULL;

  g_return_val_if_fail (G_IS_IO_STREAM (base), NULL);
  g_return_val_if_fail (G_IS_POLLABLE_INPUT_STREAM (g_io_stream_get_input_stream (base)), NULL);

  input = g_object_new (ATX_TYPE_CONNECTION_INPUT_STREAM, NULL);
  input->base = g_object_ref (base);
  input->input = g_object_ref (g_io_stream_get_input_stream (base));

  return g_simple_io_stream_new (G_INPUT_STREAM (input), g_io_stream_get_output_stream (base));
}

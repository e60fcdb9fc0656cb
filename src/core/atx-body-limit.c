/* atx-body-limit.c — see atx-body-limit.h. */
#define G_LOG_DOMAIN "atx-body-limit"

#include "atx-body-limit.h"
#include "atx-lazy-libsoup.h"

typedef struct {
  gsize    max_bytes;
  gsize    received;   /* chunked bodies: bytes seen so far */
  gboolean too_large;
} BodyLimit;

static GQuark
body_limit_quark (void)
{
  static GQuark quark;

  if (G_UNLIKELY (quark == 0))
    quark = g_quark_from_static_string ("atx-body-limit");
  return quark;
}

static void
on_got_chunk (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           user_data)
{
  BodyLimit *limit = g_object_get_qdata (G_OBJECT (msg), body_limit_quark ());

  if (limit == NULL || limit->too_large)
    return;

  limit->received += g_bytes_get_size (chunk);
  if (limit->received > limit->max_bytes)
    {
      /* Keep reading (and discarding) so the connection stays in sync, but
       * stop accumulating. */
      limit->too_large = TRUE;
      soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
    }
}

gboolean
atx_body_limit_watch (SoupServerMessage *msg,
                      gsize              max_bytes)
{
  SoupMessageHeaders *headers;
  BodyLimit *limit;

  g_return_val_if_fail (G_TYPE_CHECK_INSTANCE_TYPE (msg, SOUP_TYPE_SERVER_MESSAGE), FALSE);

  headers = soup_server_message_get_request_headers (msg);
  limit = g_new0 (BodyLimit, 1);
  limit->max_bytes = max_bytes;
  g_object_set_qdata_full (G_OBJECT (msg), body_limit_quark (), limit, g_free);

  switch (soup_message_headers_get_encoding (headers))
    {
    case SOUP_ENCODING_CONTENT_LENGTH:
      if (soup_message_headers_get_content_length (headers) > (goffset) max_bytes)
        limit->too_large = TRUE;
      break;
    case SOUP_ENCODING_CHUNKED:
      g_signal_connect (msg, "got-chunk", G_CALLBACK (on_got_chunk), NULL);
      break;
    default:
      break;
    }

  return !limit->too_large;
}

gboolean
atx_body_limit_exceeded (SoupServerMessage *msg)
{
  BodyLimit *limit;

  g_return_val_if_fail (G_TYPE_CHECK_INSTANCE_TYPE (msg, SOUP_TYPE_SERVER_MESSAGE), TRUE);

  limit = g_object_get_qdata (G_OBJECT (msg), body_limit_quark ());
  if (limit == NULL)
    return FALSE;
  return limit->too_large ||
         (gsize) soup_server_message_get_request_body (msg)->length > limit->max_bytes;
}

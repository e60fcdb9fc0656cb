/* atx-call-embed-context.c — the web context and network session shared by
 * every embedded call view, and the ataraxia-call:// scheme that serves the
 * bundled page.
 *
 * The page is served from a custom scheme rather than loaded as a string so
 * that its relative call.js / call.css resolve against a base URI we own,
 * and so that WebKit treats it as a secure context (it may then load and
 * frame a loopback http:// Jitsi server, which tests use). Nothing outside
 * the three known paths is answered.
 */
#define G_LOG_DOMAIN "atx-call-embed"

#include "config.h"

#include "atx-call-embed-context.h"

#include <errno.h>

#include <glib/gstdio.h>

#define CALL_RESOURCE_PATH "/org/ataraxia/Calendar/call/"

static AtxCallEmbedPageFunc page_func;

gboolean
atx_call_embed_is_page_uri (const char *uri)
{
  return g_strcmp0 (uri, ATX_CALL_EMBED_PAGE_URI) == 0;
}

static void
finish_not_found (WebKitURISchemeRequest *request)
{
  g_autoptr(GError) error = g_error_new (G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                                         "%s is not part of the call page",
                                         webkit_uri_scheme_request_get_uri (request));

  webkit_uri_scheme_request_finish_error (request, error);
}

static void
handle_call_scheme_request (WebKitURISchemeRequest *request,
                            gpointer                user_data)
{
  const char *path = webkit_uri_scheme_request_get_path (request);
  g_autoptr(GUri) uri = g_uri_parse (webkit_uri_scheme_request_get_uri (request), G_URI_FLAGS_NONE, NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(WebKitURISchemeResponse) response = NULL;
  g_autofree char *csp = NULL;
  SoupMessageHeaders *headers;
  const char *content_type;

  if (uri == NULL || g_strcmp0 (g_uri_get_host (uri), ATX_CALL_EMBED_HOST) != 0 ||
      g_uri_get_query (uri) != NULL)
    {
      finish_not_found (request);
      return;
    }

  if (g_strcmp0 (path, "/") == 0)
    {
      if (page_func != NULL)
        bytes = page_func (webkit_uri_scheme_request_get_web_view (request), &csp);
      content_type = "text/html; charset=utf-8";
    }
  else if (g_strcmp0 (path, "/call.js") == 0)
    {
      bytes = g_resources_lookup_data (CALL_RESOURCE_PATH "call.js", G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
      content_type = "text/javascript; charset=utf-8";
    }
  else if (g_strcmp0 (path, "/call.css") == 0)
    {
      bytes = g_resources_lookup_data (CALL_RESOURCE_PATH "call.css", G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
      content_type = "text/css; charset=utf-8";
    }
  else
    content_type = NULL;

  if (bytes == NULL)
    {
      g_debug ("Refusing %s", webkit_uri_scheme_request_get_uri (request));
      finish_not_found (request);
      return;
    }

  stream = g_memory_input_stream_new_from_bytes (bytes);
  response = webkit_uri_scheme_response_new (stream, (gint64) g_bytes_get_size (bytes));
  webkit_uri_scheme_response_set_content_type (response, content_type);
  headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  /* The headers replace the response's own: the type goes in them too. */
  soup_message_headers_replace (headers, "Content-Type", content_type);
  soup_message_headers_append (headers, "Cache-Control", "no-store");
  soup_message_headers_append (headers, "Referrer-Policy", "no-referrer");
  soup_message_headers_append (headers, "X-Content-Type-Options", "nosniff");
  if (csp != NULL)
    soup_message_headers_append (headers, "Content-Security-Policy", csp);
  webkit_uri_scheme_response_set_http_headers (response, headers);
  webkit_uri_scheme_request_finish_with_response (request, response);
}

WebKitWebContext *
atx_call_embed_get_web_context (AtxCallEmbedPageFunc func)
{
  static WebKitWebContext *context;

  if (context == NULL)
    {
      WebKitSecurityManager *security;

      page_func = func;
      context = webkit_web_context_new ();
      webkit_web_context_set_spell_checking_enabled (context, FALSE);
      webkit_web_context_register_uri_scheme (context, ATX_CALL_EMBED_SCHEME,
                                              handle_call_scheme_request, NULL, NULL);
      security = webkit_web_context_get_security_manager (context);
      webkit_security_manager_register_uri_scheme_as_secure (security, ATX_CALL_EMBED_SCHEME);
    }

  return context;
}

static char *
make_private_dir (const char *base)
{
  char *path = g_build_filename (base, "ataraxia", "webkit", NULL);

  if (g_mkdir_with_parents (path, 0700) != 0)
    g_warning ("Could not create %s: %s", path, g_strerror (errno));
  return path;
}

WebKitNetworkSession *
atx_call_embed_get_network_session (void)
{
  static WebKitNetworkSession *session;

  if (session == NULL)
    {
      g_autofree char *data_dir = make_private_dir (g_get_user_data_dir ());
      g_autofree char *cache_dir = make_private_dir (g_get_user_cache_dir ());

      session = webkit_network_session_new (data_dir, cache_dir);
      /* The default, said out loud: a certificate error ends the load and
       * is reported to the user (load-failed-with-tls-errors); never bypassed. */
      webkit_network_session_set_tls_errors_policy (session, WEBKIT_TLS_ERRORS_POLICY_FAIL);
    }

  return session;
}

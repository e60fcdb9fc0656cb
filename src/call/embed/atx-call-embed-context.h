/* atx-call-embed-context.h — what every embedded call view shares: one
 * WebKitWebContext with the bundled page's URI scheme, and one persistent
 * WebKitNetworkSession with the app's own data and cache directories. */
#pragma once

#include <webkit/webkit.h>

G_BEGIN_DECLS

/* The bundled call page: ataraxia-call://call/ (the document rendered for the
 * view that asks) and call.js / call.css beside it, from the GResource
 * /org/ataraxia/Calendar/call/. Registered as secure, so the page is a secure
 * context that may load a loopback http:// Jitsi server (tests). */
#define ATX_CALL_EMBED_SCHEME "ataraxia-call"
#define ATX_CALL_EMBED_HOST "call"
#define ATX_CALL_EMBED_PAGE_URI ATX_CALL_EMBED_SCHEME "://" ATX_CALL_EMBED_HOST "/"

/* Answers a request for the main document of @web_view: the rendered page
 * (a new reference) and the Content-Security-Policy to send with it, or NULL
 * when the view has none. */
typedef GBytes *(*AtxCallEmbedPageFunc) (WebKitWebView  *web_view,
                                         char          **out_csp);

/* Created on first use and kept for the life of the process (the module is
 * resident). */
WebKitWebContext     *atx_call_embed_get_web_context     (AtxCallEmbedPageFunc page_func);
WebKitNetworkSession *atx_call_embed_get_network_session (void);

/* TRUE when @uri is exactly the call page's URI. */
gboolean              atx_call_embed_is_page_uri         (const char *uri);

G_END_DECLS

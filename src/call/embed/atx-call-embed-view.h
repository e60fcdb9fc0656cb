/* atx-call-embed-view.h — the WebKitWebView that shows one embedded call.
 *
 * Module-internal (it includes WebKit). The app reaches it only through the
 * entry point of atx-call-embed.h and, in tests, through its GObject
 * properties and signals by name:
 *   properties (read-only, notify): "showing-call-page" (b),
 *     "n-permissions-granted", "n-permissions-denied",
 *     "n-navigations-blocked", "n-messages-accepted", "n-messages-rejected" (u)
 *   signals: ::permission-decided (const char *request_type_name, gboolean granted)
 *            ::navigation-blocked (const char *uri)
 *            ::link-opened (const char *uri) — handed to the default browser
 * plus WebKitWebView's own "uri" and "title".
 */
#pragma once

#include <webkit/webkit.h>

#include "atx-call-session.h"

G_BEGIN_DECLS

#define ATX_TYPE_CALL_EMBED_VIEW (atx_call_embed_view_get_type ())
G_DECLARE_FINAL_TYPE (AtxCallEmbedView, atx_call_embed_view, ATX, CALL_EMBED_VIEW, WebKitWebView)

G_END_DECLS

/* atx-call-embed.h — the contract between the app and the embedded call
 * view module (DESIGN.md, "Layers").
 *
 * Everything that includes WebKit lives in the module built from this
 * directory; the app loads it with GModule only when the first embedded call
 * window opens, so WebKit is never mapped at start-up. This header includes
 * no WebKit: it names the one entry point the loader looks up.
 *
 * The module does not link the core or call static libraries: it resolves
 * the call session and bridge functions from the executable, which is linked
 * with export_dynamic and link_whole of the call library.
 */
#pragma once

#include <gmodule.h>
#include <gtk/gtk.h>

#include "atx-call-session.h"

G_BEGIN_DECLS

/* The file name of the module, in ATARAXIA_MODULE_DIR or the install dir. */
#define ATX_CALL_EMBED_MODULE_NAME "ataraxia-call-embed.so"
/* The symbol g_module_symbol() looks up. */
#define ATX_CALL_EMBED_ENTRY_POINT "atx_call_embed_view_new"

/* Creates the view for @session and starts loading the bundled page
 * rendered from @config. @jitsi_domain is the configured jitsi-domain
 * (host[:port]): camera and microphone are granted only while the view shows
 * the call page for that domain, and only that domain may be framed. Returns
 * a floating GtkWidget, or NULL with an error when the page cannot be
 * rendered. */
typedef GtkWidget *(*AtxCallEmbedViewNewFunc) (AtxCallSession          *session,
                                               const AtxCallPageConfig *config,
                                               const char              *jitsi_domain,
                                               GError                 **error);

/* Looked up when asked: whether the next call's view is ready ahead (a web
 * process idling on about:blank, made when a call view went away). */
#define ATX_CALL_EMBED_SPARE_SYMBOL "atx_call_embed_view_has_spare"
typedef gboolean (*AtxCallEmbedHasSpareFunc) (void);

G_MODULE_EXPORT gboolean   atx_call_embed_view_has_spare (void);

G_MODULE_EXPORT GtkWidget *atx_call_embed_view_new (AtxCallSession          *session,
                                                    const AtxCallPageConfig *config,
                                                    const char              *jitsi_domain,
                                                    GError                 **error);

G_END_DECLS

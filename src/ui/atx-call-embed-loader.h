/* atx-call-embed-loader.h — loads the embedded call view module on demand.
 *
 * WebKit lives only in the module of src/call/embed (DESIGN.md, "Layers"):
 * the first embedded call opens it with GModule, so a process that never
 * shows a call never maps WebKit. The module is searched in
 * $ATARAXIA_MODULE_DIR (the build dir, for tests and development runs),
 * else in the install dir.
 */
#pragma once

#include <gtk/gtk.h>

#include "call/atx-call-session.h"

G_BEGIN_DECLS

#define ATX_CALL_EMBED_ERROR (atx_call_embed_error_quark ())

typedef enum {
  ATX_CALL_EMBED_ERROR_MODULE_MISSING,  /* the module file is not installed */
  ATX_CALL_EMBED_ERROR_MODULE_INVALID,  /* it cannot be loaded or lacks the entry point */
  ATX_CALL_EMBED_ERROR_INVALID_DOMAIN,  /* the Jitsi domain is not host[:port] */
} AtxCallEmbedError;

GQuark     atx_call_embed_error_quark (void);

/* Opens the module once (then keeps it) and creates the view for @session
 * showing the call page rendered from @config, for the configured Jitsi
 * server @jitsi_domain. NULL with an error (written for the user) when the
 * module is missing or broken or the page cannot be made. */
GtkWidget *atx_call_embed_load_view (AtxCallSession          *session,
                                     const AtxCallPageConfig *config,
                                     const char              *jitsi_domain,
                                     GError                 **error);

/* TRUE once the module has been opened in this process. */
gboolean   atx_call_embed_is_loaded (void);

/* TRUE while the next embedded call's view is ready ahead: made when a call
 * window closes, dropped on a low-memory warning (see the module). */
gboolean   atx_call_embed_has_spare_view (void);

G_END_DECLS

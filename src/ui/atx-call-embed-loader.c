/* atx-call-embed-loader.c — see atx-call-embed-loader.h. */
#define G_LOG_DOMAIN "atx-call-embed-loader"

#include "config.h"

#include "atx-call-embed-loader.h"

#include <gmodule.h>
#include <glib/gi18n.h>

#include "call/embed/atx-call-embed.h"
#include "core/atx-settings.h"

G_DEFINE_QUARK (atx-call-embed-error-quark, atx_call_embed_error)

static GModule *module;
static AtxCallEmbedViewNewFunc view_new;

gboolean
atx_call_embed_is_loaded (void)
{
  return module != NULL;
}

gboolean
atx_call_embed_has_spare_view (void)
{
  gpointer symbol = NULL;

  if (module == NULL || !g_module_symbol (module, ATX_CALL_EMBED_SPARE_SYMBOL, &symbol) || symbol == NULL)
    return FALSE;
  return ((AtxCallEmbedHasSpareFunc) symbol) ();
}

static gboolean
ensure_module (GError **error)
{
  const char *dir = g_getenv ("ATARAXIA_MODULE_DIR");
  g_autofree char *path = NULL;
  GModule *opened;
  gpointer symbol = NULL;

  if (module != NULL)
    return TRUE;

  if (dir == NULL || *dir == '\0')
    dir = ATX_MODULE_DIR;
  path = g_build_filename (dir, ATX_CALL_EMBED_MODULE_NAME, NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, ATX_CALL_EMBED_ERROR, ATX_CALL_EMBED_ERROR_MODULE_MISSING,
                   _("The call view is not installed (%s is missing). "
                     "Reinstall Ataraxia, or open the call in your web browser."),
                   path);
      return FALSE;
    }

  /* LOCAL: nothing of WebKit leaks into the global symbol namespace; the
   * module finds the app's symbols in the executable (export_dynamic). */
  opened = g_module_open (path, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  if (opened == NULL)
    {
      g_set_error (error, ATX_CALL_EMBED_ERROR, ATX_CALL_EMBED_ERROR_MODULE_INVALID,
                   _("The call view could not be loaded: %s"), g_module_error ());
      return FALSE;
    }
  if (!g_module_symbol (opened, ATX_CALL_EMBED_ENTRY_POINT, &symbol) || symbol == NULL)
    {
      g_set_error (error, ATX_CALL_EMBED_ERROR, ATX_CALL_EMBED_ERROR_MODULE_INVALID,
                   _("The call view could not be loaded: %s has no %s."),
                   path, ATX_CALL_EMBED_ENTRY_POINT);
      g_module_close (opened);
      return FALSE;
    }

  /* Its types are registered for good: it may never be unloaded. */
  g_module_make_resident (opened);
  module = opened;
  view_new = (AtxCallEmbedViewNewFunc) symbol;
  g_debug ("Loaded %s", path);
  return TRUE;
}

GtkWidget *
atx_call_embed_load_view (AtxCallSession          *session,
                          const AtxCallPageConfig *config,
                          const char              *jitsi_domain,
                          GError                 **error)
{
  g_return_val_if_fail (ATX_IS_CALL_SESSION (session), NULL);
  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Checked here rather than in the module, which also keeps the domain
   * rules of core/atx-settings.c linked into every executable that can load
   * the module (it resolves atx_jitsi_domain_get_scheme from the process). */
  if (jitsi_domain == NULL || !atx_jitsi_domain_parse (jitsi_domain, NULL, NULL, NULL))
    {
      g_set_error (error, ATX_CALL_EMBED_ERROR, ATX_CALL_EMBED_ERROR_INVALID_DOMAIN,
                   _("The Jitsi server “%s” is not valid. Check it in Preferences."),
                   jitsi_domain ? jitsi_domain : "");
      return NULL;
    }

  if (!ensure_module (error))
    return NULL;

  return view_new (session, config, jitsi_domain, error);
}

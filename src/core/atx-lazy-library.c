/* atx-lazy-library.c — see atx-lazy-library.h. */
#define G_LOG_DOMAIN "atx-lazy-library"

#include "config.h"

#include <dlfcn.h>
#include <glib/gi18n.h>

#define ATX_LAZY_LIBRARY_NO_REDIRECT
#include "atx-lazy-library.h"
#include "atx-lazy-libjwt.h"
#include "atx-lazy-libsecret.h"
#include "atx-lazy-libsoup.h"

G_DEFINE_QUARK (atx-lazy-library-error-quark, atx_lazy_library_error)

ATX_LAZY_LIBRARY_DEFINE (libjwt, LIBJWT_SONAME, ATX_LIBJWT_SYMBOLS)
ATX_LAZY_LIBRARY_DEFINE (libsecret, LIBSECRET_SONAME, ATX_LIBSECRET_SYMBOLS)
ATX_LAZY_LIBRARY_DEFINE (libsoup, LIBSOUP_SONAME, ATX_LIBSOUP_SYMBOLS)

static GError *
resolve (AtxLazyLibrary *library)
{
  void *handle;

  /* dlopen() itself rather than GModule: a bare soname is then only looked
   * for where the system keeps libraries, never in the working directory. */
  handle = dlopen (library->soname, RTLD_LAZY | RTLD_LOCAL);
  if (handle == NULL)
    return g_error_new (ATX_LAZY_LIBRARY_ERROR, ATX_LAZY_LIBRARY_ERROR_UNAVAILABLE,
                        /* Translators: %s is a library file (libsoup-3.0.so.0), then why. */
                        _("The system library %s could not be loaded: %s"),
                        library->soname, dlerror ());

  for (gsize i = 0; library->symbols[i] != NULL; i++)
    {
      void *address = dlsym (handle, library->symbols[i]);

      if (address == NULL)
        {
          for (gsize j = 0; j < i; j++)
            *library->addresses[j] = NULL;
          dlclose (handle);
          return g_error_new (ATX_LAZY_LIBRARY_ERROR, ATX_LAZY_LIBRARY_ERROR_UNAVAILABLE,
                              /* Translators: a function name, then a library file. */
                              _("The system library %2$s has no %1$s: it is not the version this app was built with."),
                              library->symbols[i], library->soname);
        }
      *library->addresses[i] = address;
    }

  /* Never unloaded: the pointers stay valid for the life of the process. */
  return NULL;
}

gboolean
atx_lazy_library_load (AtxLazyLibrary  *library,
                       GError         **error)
{
  g_return_val_if_fail (library != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_once_init_enter (&library->once))
    {
      library->error = resolve (library);
      if (library->error == NULL)
        g_debug ("Loaded %s on first use", library->soname);
      g_once_init_leave (&library->once, 1);
    }

  if (library->error != NULL)
    {
      g_propagate_error (error, g_error_copy (library->error));
      return FALSE;
    }
  return TRUE;
}

void
atx_lazy_library_require (AtxLazyLibrary *library)
{
  g_autoptr(GError) error = NULL;

  /* Entry points load the library first and report a failure; reaching
   * this without it is what the dynamic loader would do at start. */
  if (G_UNLIKELY (!atx_lazy_library_load (library, &error)))
    g_error ("%s", error->message);
}

gboolean
atx_lazy_library_is_mapped (const char *soname)
{
  void *handle;

  g_return_val_if_fail (soname != NULL, FALSE);

  handle = dlopen (soname, RTLD_LAZY | RTLD_NOLOAD);
  if (handle == NULL)
    return FALSE;
  dlclose (handle);
  return TRUE;
}

/* atx-lazy-library.h — system libraries mapped on first use, not at start.
 *
 * libsoup, libjwt and libsecret (with OpenSSL, libgcrypt, Kerberos, SQLite,
 * nghttp2 … behind them) are only needed for calls and the keyring, yet
 * mapping and relocating them costs every start, and memory for therapists
 * who never use video. The files that call them include the library's
 * atx-lazy-<lib>.h after its own header: each function used is then called
 * through a pointer resolved with dlopen() on first use, the executable does
 * not link the library (`--as-needed`), and a function that is called but
 * not listed fails the link instead of being loaded eagerly.
 *
 * Entry points call atx_lazy_<lib>_load() first, so that a missing library
 * is an error the user reads; a call without it loads the library there. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ATX_LAZY_LIBRARY_ERROR (atx_lazy_library_error_quark ())

typedef enum {
  ATX_LAZY_LIBRARY_ERROR_UNAVAILABLE,
} AtxLazyLibraryError;

GQuark atx_lazy_library_error_quark (void);

typedef struct {
  const char        *soname;
  const char *const *symbols;    /* NULL-terminated */
  gpointer *const   *addresses;  /* where each symbol's address goes */
  /*< private >*/
  gsize              once;
  GError            *error;
} AtxLazyLibrary;

gboolean atx_lazy_library_load    (AtxLazyLibrary  *library,
                                   GError         **error);
void     atx_lazy_library_require (AtxLazyLibrary  *library);
gboolean atx_lazy_library_is_mapped (const char    *soname);

/* In atx-lazy-<lib>.h: one pointer per function of @SYMBOLS (an X macro),
 * and atx_lazy_<lib>_load(). */
#define ATX_LAZY_LIBRARY_POINTER(symbol) extern __typeof__ (symbol) *atx_lazy_##symbol;
#define ATX_LAZY_LIBRARY_DECLARE(lib, SYMBOLS) \
  SYMBOLS (ATX_LAZY_LIBRARY_POINTER) \
  extern AtxLazyLibrary atx_lazy_##lib; \
  static inline gboolean atx_lazy_##lib##_load (GError **error) \
  { return atx_lazy_library_load (&atx_lazy_##lib, error); }

/* What a redirected name expands to: load if needed, then the pointer. */
#define ATX_LAZY_CALL(lib, symbol) (atx_lazy_library_require (&atx_lazy_##lib), *atx_lazy_##symbol)

/* In atx-lazy-library.c, once per library. */
#define ATX_LAZY_LIBRARY_DEFINE_POINTER(symbol) __typeof__ (symbol) *atx_lazy_##symbol;
#define ATX_LAZY_LIBRARY_NAME(symbol) #symbol,
#define ATX_LAZY_LIBRARY_ADDRESS(symbol) (gpointer *) &atx_lazy_##symbol,
#define ATX_LAZY_LIBRARY_DEFINE(lib, soname, SYMBOLS) \
  SYMBOLS (ATX_LAZY_LIBRARY_DEFINE_POINTER) \
  static const char *const lib##_symbols[] = { SYMBOLS (ATX_LAZY_LIBRARY_NAME) NULL }; \
  static gpointer *const lib##_addresses[] = { SYMBOLS (ATX_LAZY_LIBRARY_ADDRESS) NULL }; \
  AtxLazyLibrary atx_lazy_##lib = { soname, lib##_symbols, lib##_addresses, 0, NULL };

G_END_DECLS

/* test-lazy-library.c — libsoup, libjwt and libsecret are mapped on first
 * use, not by linking core: this program links only core, as the app does.
 * The checks that they are absent run first, in one test, before anything
 * in this process could have loaded them. */
#define G_LOG_DOMAIN "test-lazy-library"

#include "config.h"

#include <string.h>

#include "core/atx-jwt.h"
#define ATX_LAZY_LIBRARY_NO_REDIRECT
#include "core/atx-lazy-library.h"
#include "core/atx-lazy-libsecret.h"
#include "core/atx-lazy-libsoup.h"

#define SECRET "0123456789abcdef0123456789abcdef-test-secret"
#define ROOM "ataraxia-abcdefghijklmnopqrstuvwxyz234567"
#define NOW ((gint64) 1800000000)

static void
test_loaded_on_first_use (void)
{
  const AtxJwtSignParams params = {
    .issuer = "ataraxia", .audience = "jitsi", .subject = "meet.example.org",
    .room = ROOM, .user_id = "u1", .user_name = "Therapist", .user_email = "t@example.org",
    .moderator = TRUE, .issued_at = NOW, .not_before = NOW - 60, .expires_at = NOW + 3600,
  };
  const AtxJwtExpectations expect = {
    .issuer = "ataraxia", .audience = "jitsi", .subject = "meet.example.org", .room = ROOM,
  };
  g_autofree char *token = NULL;
  g_autoptr(AtxJwtClaims) claims = NULL;
  g_autoptr(GError) error = NULL;

  /* Linking core does not map them. */
  g_assert_false (atx_lazy_library_is_mapped (LIBSOUP_SONAME));
  g_assert_false (atx_lazy_library_is_mapped (LIBJWT_SONAME));
  g_assert_false (atx_lazy_library_is_mapped (LIBSECRET_SONAME));
  /* The check itself can see a mapped library. */
  g_assert_true (atx_lazy_library_is_mapped ("libglib-2.0.so.0"));

  /* The first signature maps libjwt, and the token is right: verified by
   * atx_jwt_verify, which does not use libjwt. */
  token = atx_jwt_sign (&params, (const guint8 *) SECRET, strlen (SECRET));
  g_assert_nonnull (token);
  g_assert_true (atx_lazy_library_is_mapped (LIBJWT_SONAME));
  claims = atx_jwt_verify (token, (const guint8 *) SECRET, strlen (SECRET), &expect, NOW, &error);
  g_assert_no_error (error);
  g_assert_nonnull (claims);
  g_assert_true (claims->moderator);

  /* Signing did not bring the others with it. */
  g_assert_false (atx_lazy_library_is_mapped (LIBSOUP_SONAME));
  g_assert_false (atx_lazy_library_is_mapped (LIBSECRET_SONAME));

  g_assert_true (atx_lazy_libsoup_load (&error));
  g_assert_no_error (error);
  g_assert_true (atx_lazy_library_is_mapped (LIBSOUP_SONAME));
  g_assert_true (atx_lazy_libsecret_load (&error));
  g_assert_no_error (error);
  g_assert_true (atx_lazy_library_is_mapped (LIBSECRET_SONAME));
}

/* Declared here as the headers do it, for two made-up libraries. */
static void (*atx_lazy_first) (void);
static void (*atx_lazy_second) (void);
static const char *const two_symbols[] = { "g_free", "atx_no_such_function", NULL };
static gpointer *const two_addresses[] = { (gpointer *) &atx_lazy_first, (gpointer *) &atx_lazy_second, NULL };

/* @library cannot be loaded, says why naming @named, says it again on the
 * next attempt, and leaves no address behind (not even g_free's, found
 * before the missing one). */
static void
assert_unavailable (AtxLazyLibrary *library,
                    const char     *named)
{
  for (int attempt = 0; attempt < 2; attempt++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (atx_lazy_library_load (library, &error));
      g_assert_error (error, ATX_LAZY_LIBRARY_ERROR, ATX_LAZY_LIBRARY_ERROR_UNAVAILABLE);
      g_assert_nonnull (strstr (error->message, named));
    }
  g_assert_null (atx_lazy_first);
  g_assert_null (atx_lazy_second);
  g_clear_error (&library->error);
}

static void
test_missing_library (void)
{
  AtxLazyLibrary library = { "libatx-no-such-library.so.0", two_symbols, two_addresses, 0, NULL };

  assert_unavailable (&library, "libatx-no-such-library.so.0");
}

static void
test_missing_symbol (void)
{
  AtxLazyLibrary library = { "libglib-2.0.so.0", two_symbols, two_addresses, 0, NULL };

  assert_unavailable (&library, "atx_no_such_function");
}

static void
test_all_symbols (void)
{
  static const char *const one_symbol[] = { "g_free", NULL };
  static gpointer *const one_address[] = { (gpointer *) &atx_lazy_first, NULL };
  AtxLazyLibrary library = { "libglib-2.0.so.0", one_symbol, one_address, 0, NULL };
  g_autoptr(GError) error = NULL;

  g_assert_true (atx_lazy_library_load (&library, &error));
  g_assert_no_error (error);
  g_assert_true (atx_lazy_first == (void (*) (void)) g_free);
  atx_lazy_first = NULL;
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  /* First: nothing else in this process has run yet. */
  g_test_add_func ("/lazy-library/loaded-on-first-use", test_loaded_on_first_use);
  g_test_add_func ("/lazy-library/missing-library-is-an-error", test_missing_library);
  g_test_add_func ("/lazy-library/missing-symbol-is-an-error", test_missing_symbol);
  g_test_add_func ("/lazy-library/resolves-every-symbol", test_all_symbols);

  return g_test_run ();
}

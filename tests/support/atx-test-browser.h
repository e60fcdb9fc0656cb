/* atx-test-browser.h — headless Chromium as the default web browser of a
 * GUI test (tests/support/gui-test-env makes the private XDG dirs).
 *
 * atx_test_browser_install() writes a .desktop handler for http(s) and a
 * mimeapps.list into the private $XDG_DATA_HOME / $XDG_CONFIG_HOME, so the
 * app's own g_app_info_launch_default_for_uri() starts the launcher script.
 * atx_test_browser_prepare() (once per test) points the launcher at a fresh
 * Chromium profile dir: each launch records its arguments (the URL opened)
 * in PROFILE.args, logs to PROFILE.log, and runs Chromium with the flags of
 * shared/PLATFORM-FACTS.md. A watchdog in the launcher kills Chromium when
 * the test process dies; atx_test_browser_kill() does it at teardown.
 * Chromium's processes are found by the --user-data-dir on their command
 * lines (it rewrites its environment).
 */
#pragma once

#include <gio/gio.h>
#include <sys/types.h>

G_BEGIN_DECLS

#define ATX_TEST_CHROMIUM "/usr/bin/chromium"

/* Call from main() before GTK starts. FALSE (nothing written) when
 * Chromium is missing or the XDG dirs are not private temp dirs: skip. */
gboolean  atx_test_browser_install (void);
/* TRUE after a successful atx_test_browser_install(). */
gboolean  atx_test_browser_is_installed (void);

/* Creates @profile (a fresh dir) and makes the launcher use it, with a
 * watchdog on the calling process. */
void      atx_test_browser_prepare (const char *profile);

/* Every argument the launcher received for @profile, one per line, in
 * order (empty string when it never ran). */
char     *atx_test_browser_get_launch_args (const char *profile);
/* The launcher's and Chromium's output for @profile (or NULL). */
char     *atx_test_browser_get_log (const char *profile);

/* PIDs of Chromium's processes for @profile; only the main browser process
 * (no --type=) with @main_only. */
GArray   *atx_test_browser_find_processes (const char *profile,
                                           gboolean    main_only);
/* TRUE when no process of @profile runs. */
gboolean  atx_test_browser_gone (gpointer profile);
/* SIGKILLs every process of @profile and waits (bounded) until they are gone. */
void      atx_test_browser_kill (const char *profile);

G_END_DECLS

/* atx-test-browser.c — see atx-test-browser.h. */
#include "atx-test-browser.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "atx-test-utils.h"

static gboolean installed;

static char *
launcher_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "atx-test-browser", NULL);
}

static void
write_launcher (const char *profile)
{
  g_autofree char *script = launcher_path ();
  g_autofree char *quoted = g_shell_quote (profile != NULL ? profile : "/nonexistent");
  g_autofree char *text = NULL;

  text = g_strdup_printf (
    "#!/bin/sh\n"
    "# Headless Chromium as the test's default browser; killed if the test dies.\n"
    "profile=%s\n"
    "printf '%%s\\n' \"$@\" >>\"$profile.args\"\n"
    ATX_TEST_CHROMIUM " --headless --no-sandbox --disable-gpu --disable-background-networking \\\n"
    "  --no-first-run --password-store=basic --use-fake-ui-for-media-stream \\\n"
    "  --use-fake-device-for-media-stream --user-data-dir=\"$profile\" \\\n"
    "  \"$@\" >>\"$profile.log\" 2>&1 &\n"
    "browser=$!\n"
    "while kill -0 %d 2>/dev/null && kill -0 \"$browser\" 2>/dev/null; do sleep 0.5; done\n"
    "kill -9 \"$browser\" 2>/dev/null\n"
    "exit 0\n", quoted, (int) getpid ());
  atx_test_write_file (script, text);
  g_assert_cmpint (g_chmod (script, 0700), ==, 0);
}

gboolean
atx_test_browser_install (void)
{
  const char *data_dir = g_get_user_data_dir ();
  const char *config_dir = g_get_user_config_dir ();
  g_autofree char *script = launcher_path ();
  g_autofree char *desktop = g_build_filename (data_dir, "applications", "atx-test-browser.desktop", NULL);
  g_autofree char *mimeapps = g_build_filename (config_dir, "mimeapps.list", NULL);
  g_autofree char *desktop_text = NULL;

  /* Never touch a real user's browser settings. */
  if (!g_str_has_prefix (data_dir, g_get_tmp_dir ()) || !g_str_has_prefix (config_dir, g_get_tmp_dir ()) ||
      !g_file_test (ATX_TEST_CHROMIUM, G_FILE_TEST_IS_EXECUTABLE))
    return FALSE;

  write_launcher (NULL);
  desktop_text = g_strdup_printf ("[Desktop Entry]\nType=Application\nName=Test Browser\n"
                                  "Exec=%s %%u\nNoDisplay=true\n"
                                  "MimeType=x-scheme-handler/http;x-scheme-handler/https;text/html;\n",
                                  script);
  atx_test_write_file (desktop, desktop_text);
  atx_test_write_file (mimeapps, "[Default Applications]\n"
                                 "x-scheme-handler/http=atx-test-browser.desktop\n"
                                 "x-scheme-handler/https=atx-test-browser.desktop\n"
                                 "text/html=atx-test-browser.desktop\n");
  installed = TRUE;
  return TRUE;
}

gboolean
atx_test_browser_is_installed (void)
{
  return installed;
}

void
atx_test_browser_prepare (const char *profile)
{
  g_assert_true (installed);
  g_assert_cmpint (g_mkdir_with_parents (profile, 0700), ==, 0);
  write_launcher (profile);
}

char *
atx_test_browser_get_launch_args (const char *profile)
{
  g_autofree char *path = g_strconcat (profile, ".args", NULL);
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return g_strdup ("");
  return contents;
}

char *
atx_test_browser_get_log (const char *profile)
{
  g_autofree char *path = g_strconcat (profile, ".log", NULL);
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, NULL);
  return contents;
}

GArray *
atx_test_browser_find_processes (const char *profile,
                                 gboolean    main_only)
{
  g_autofree char *needle = g_strconcat ("--user-data-dir=", profile, NULL);
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (pid_t));
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;

  while (proc != NULL && (name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *cmdline = NULL;
      gsize len;
      gboolean ours = FALSE, child = FALSE;
      pid_t pid;

      if (!g_ascii_isdigit (name[0]))
        continue;
      pid = (pid_t) g_ascii_strtoll (name, NULL, 10);
      path = g_strdup_printf ("/proc/%s/cmdline", name);
      if (!g_file_get_contents (path, &cmdline, &len, NULL) || len == 0)
        continue;
      /* Child processes rewrite their command line into one string. */
      for (gsize i = 0; i < len; i += strlen (cmdline + i) + 1)
        {
          if (strstr (cmdline + i, needle) != NULL)
            ours = TRUE;
          if (strstr (cmdline + i, "--type=") != NULL)
            child = TRUE;
        }
      /* The launcher script carries no --user-data-dir of its own. */
      if (ours && !(main_only && child))
        g_array_append_val (pids, pid);
    }
  return pids;
}

gboolean
atx_test_browser_gone (gpointer profile)
{
  g_autoptr(GArray) pids = atx_test_browser_find_processes (profile, FALSE);

  return pids->len == 0;
}

void
atx_test_browser_kill (const char *profile)
{
  g_autoptr(GArray) pids = atx_test_browser_find_processes (profile, FALSE);

  for (guint i = 0; i < pids->len; i++)
    kill (g_array_index (pids, pid_t, i), SIGKILL);
  if (!atx_test_wait_until (atx_test_browser_gone, (gpointer) profile, 10000))
    g_warning ("Chromium processes of %s still running", profile);
}

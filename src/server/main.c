/* main.c — ataraxia-token-server: mints the practice's Jitsi call tokens.
 *
 *   ataraxia-token-server --config FILE [--port N]
 *
 * Prints "listening on <url>" as its first stdout line once it accepts
 * connections; SIGTERM and SIGINT stop it cleanly (exit status 0).
 */
#define G_LOG_DOMAIN "ataraxia-token-server"

#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include <glib-unix.h>

#include "atx-server-config.h"
#include "atx-token-server.h"

static gboolean
quit_on_signal (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxServerConfig) config = NULL;
  g_autoptr(AtxTokenServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *url = NULL;
  gboolean version = FALSE;
  gint port = -1;
  guint sigterm_id, sigint_id;
  const GOptionEntry entries[] = {
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config_path,
      "Configuration file (GKeyFile, see the README)", "FILE" },
    { "port", 'p', 0, G_OPTION_ARG_INT, &port,
      "Port to listen on, overriding the configuration (0 = any free port)", "N" },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version,
      "Print the version and exit", NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  /* A peer closing its socket must never kill the server. */
  signal (SIGPIPE, SIG_IGN);

  context = g_option_context_new ("- mint Jitsi call tokens for Ataraxia");
  g_option_context_set_summary (context,
                                "The practice's token backend: answers POST /api/jitsi/generate-token,\n"
                                "/api/jitsi/create-room and /api/jitsi/validate-token, and GET /healthz.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("ataraxia-token-server: %s\nTry --help.\n", error->message);
      return 2;
    }
  if (version)
    {
      g_print ("ataraxia-token-server %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (argc > 1)
    {
      g_printerr ("ataraxia-token-server: unexpected argument “%s”\nTry --help.\n", argv[1]);
      return 2;
    }
  if (config_path == NULL)
    {
      g_printerr ("ataraxia-token-server: --config FILE is required\nTry --help.\n");
      return 2;
    }
  if (port < -1 || port > 65535)
    {
      g_printerr ("ataraxia-token-server: --port must be between 0 and 65535\n");
      return 2;
    }

  config = atx_server_config_load (config_path, &error);
  if (config == NULL)
    {
      g_printerr ("ataraxia-token-server: %s\n", error->message);
      return 1;
    }

  server = atx_token_server_new (config);
  url = atx_token_server_listen (server,
                                 port >= 0 ? (guint16) port : atx_server_config_get_port (config),
                                 &error);
  if (url == NULL)
    {
      g_printerr ("ataraxia-token-server: %s\n", error->message);
      return 1;
    }

  loop = g_main_loop_new (NULL, FALSE);
  sigterm_id = g_unix_signal_add (SIGTERM, quit_on_signal, loop);
  sigint_id = g_unix_signal_add (SIGINT, quit_on_signal, loop);

  printf ("listening on %s\n", url);
  fflush (stdout);

  g_main_loop_run (loop);

  g_source_remove (sigterm_id);
  g_source_remove (sigint_id);
  atx_token_server_disconnect (server);
  g_clear_object (&server);
  /* Let the connections closed above finish (TLS closes asynchronously). */
  for (int i = 0; i < 100 && g_main_context_iteration (NULL, FALSE); i++)
    ;
  g_printerr ("ataraxia-token-server: stopped\n");
  return 0;
}

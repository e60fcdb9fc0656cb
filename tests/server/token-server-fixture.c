/* token-server-fixture.c — see token-server-fixture.h. */
#define G_LOG_DOMAIN "token-server-fixture"

#include "config.h"

#include "token-server-fixture.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

const char *
fixture_server_binary (void)
{
  const char *path = g_getenv ("ATX_TOKEN_SERVER");

  g_assert_nonnull (path);
  return path;
}

char *
fixture_sha256_hex (const char *text)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

static void
write_file (const char *path,
            const char *contents,
            guint       mode)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_chmod (path, (int) mode), ==, 0);
}

static gboolean
make_certificate (Server *server)
{
  g_autofree char *cert = g_build_filename (server->dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (server->dir, "key.pem", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *err_out = NULL;
  int status = 0;
  const char *argv[] = {
    "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
    "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1",
    "-addext", "subjectAltName=IP:127.0.0.1", NULL,
  };

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, &err_out, &status, &error) ||
      !g_spawn_check_wait_status (status, NULL))
    return FALSE;
  g_chmod (key, 0600);
  server->certificate = g_tls_certificate_new_from_files (cert, key, &error);
  g_assert_no_error (error);
  return TRUE;
}

Server *
server_prepare (const ServerOptions *options)
{
  static const ServerOptions defaults = { NULL, };
  Server *server = g_new0 (Server, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *secret_path = NULL;
  g_autofree char *therapist = fixture_sha256_hex (FIXTURE_THERAPIST_KEY);
  g_autofree char *participant = fixture_sha256_hex (FIXTURE_PARTICIPANT_KEY);
  g_autofree char *config = NULL;
  g_autofree char *secret = NULL;

  if (options == NULL)
    options = &defaults;

  server->dir = g_dir_make_tmp ("atx-token-server-XXXXXX", &error);
  g_assert_no_error (error);
  server->config_path = g_build_filename (server->dir, "server.ini", NULL);
  server->stderr_path = g_build_filename (server->dir, "stderr.log", NULL);

  secret_path = g_build_filename (server->dir, "jwt-secret", NULL);
  secret = g_strdup (options->secret ? options->secret : FIXTURE_SECRET "\n");
  write_file (secret_path, secret, options->secret_mode ? options->secret_mode : 0600);

  if (options->tls && !make_certificate (server))
    {
      server_free (server);
      return NULL;
    }

  /* port=1 on purpose: the tests pass --port 0, which must win. The secret
   * path is relative: it must resolve against the config's directory. */
  config = g_strdup_printf ("# written by token-server-fixture\n"
                            "[server]\n"
                            "address=127.0.0.1\n"
                            "port=%s\n"
                            "tls-certificate=%s\n"
                            "tls-key=%s\n"
                            "rate-limit=%s\n"
                            "cors-origins=%s\n"
                            "\n"
                            "[jitsi]\n"
                            "domain=%s\n"
                            "app-id=ataraxia\n"
                            "audience=jitsi\n"
                            "secret-file=jwt-secret\n"
                            "lifetime=7200\n"
                            "max-lifetime=86400\n"
                            "\n"
                            "[api-keys]\n"
                            "%s=therapist\n"
                            "%s=participant\n"
                            "%s",
                            options->omit_port_arg ? "0" : "1",
                            options->tls ? "cert.pem" : "",
                            options->tls ? "key.pem" : "",
                            options->rate_limit ? options->rate_limit : "0",
                            options->cors_origins ? options->cors_origins : "",
                            options->domain ? options->domain : "meet.example.org",
                            therapist, participant,
                            options->extra ? options->extra : "");
  write_file (server->config_path, config, 0644);

  server->session = soup_session_new_with_options ("timeout", FIXTURE_TIMEOUT_SECONDS,
                                                   "idle-timeout", FIXTURE_TIMEOUT_SECONDS,
                                                   NULL);
  return server;
}

typedef struct {
  gboolean  done;
  gboolean  timed_out;
  char     *line;
} LineWait;

static void
line_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  LineWait *wait = user_data;

  wait->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, NULL);
  wait->done = TRUE;
}

static gboolean
timeout_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* A test that fails aborts without cleaning up: the server must not outlive it. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

char *
server_spawn (Server             *server,
              const char * const *extra_args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  LineWait wait = { FALSE, FALSE, NULL };
  guint timeout_id;

  g_ptr_array_add (argv, (gpointer) fixture_server_binary ());
  for (guint i = 0; extra_args && extra_args[i]; i++)
    g_ptr_array_add (argv, (gpointer) extra_args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_stderr_file_path (launcher, server->stderr_path);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  server->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  g_data_input_stream_read_line_async (in, G_PRIORITY_DEFAULT, cancellable, line_read_cb, &wait);
  timeout_id = g_timeout_add_seconds (FIXTURE_TIMEOUT_SECONDS, timeout_cb, &wait.timed_out);
  while (!wait.done)
    {
      if (wait.timed_out)
        g_cancellable_cancel (cancellable);
      g_main_context_iteration (NULL, TRUE);
    }
  if (!wait.timed_out)
    g_source_remove (timeout_id);

  return wait.line;
}

Server *
server_start (const ServerOptions *options)
{
  g_autoptr(Server) server = server_prepare (options);
  g_autofree char *line = NULL;
  const char *args[] = { "--config", NULL, "--port", "0", NULL };

  if (server == NULL)
    return NULL;
  args[1] = server->config_path;
  if (options && options->omit_port_arg)
    args[2] = NULL;

  line = server_spawn (server, args);
  if (line == NULL)
    {
      g_autofree char *err = server_read_stderr (server);
      g_error ("the token server did not start: %s", err);
    }
  g_assert_true (g_str_has_prefix (line, "listening on "));
  server->url = g_strdup (line + strlen ("listening on "));
  g_assert_true (g_str_has_prefix (server->url, (options && options->tls) ? "https://127.0.0.1:" : "http://127.0.0.1:"));
  g_assert_false (g_str_has_suffix (server->url, ":1"));
  return g_steal_pointer (&server);
}

typedef struct {
  gboolean done;
  gboolean timed_out;
} ExitWait;

static void
exit_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  ExitWait *wait = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  wait->done = TRUE;
}

int
server_wait_exit (Server *server)
{
  ExitWait wait = { FALSE, FALSE };
  guint timeout_id;

  g_subprocess_wait_async (server->process, NULL, exit_cb, &wait);
  timeout_id = g_timeout_add_seconds (FIXTURE_TIMEOUT_SECONDS, timeout_cb, &wait.timed_out);
  while (!wait.done && !wait.timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!wait.timed_out)
    g_source_remove (timeout_id);

  if (!wait.done)
    {
      g_subprocess_force_exit (server->process);
      return -1;
    }
  if (!g_subprocess_get_if_exited (server->process))
    return -1;
  return g_subprocess_get_exit_status (server->process);
}

int
server_stop (Server *server,
             int     signum)
{
  g_subprocess_send_signal (server->process, signum ? signum : SIGTERM);
  return server_wait_exit (server);
}

char *
server_read_stderr (Server *server)
{
  char *contents = NULL;

  if (!g_file_get_contents (server->stderr_path, &contents, NULL, NULL))
    return g_strdup ("");
  return contents;
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  if (handle == NULL)
    return;
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

void
server_free (Server *server)
{
  if (server == NULL)
    return;
  /* The identifier is NULL once the process has been reaped. */
  if (server->process && g_subprocess_get_identifier (server->process) != NULL)
    {
      g_subprocess_force_exit (server->process);
      server_wait_exit (server);
    }
  g_clear_object (&server->process);
  g_clear_object (&server->session);
  g_clear_object (&server->certificate);
  if (server->dir)
    remove_tree (server->dir);
  g_free (server->dir);
  g_free (server->config_path);
  g_free (server->stderr_path);
  g_free (server->url);
  g_free (server);
}

static gboolean
accept_certificate_cb (SoupMessage          *msg,
                       GTlsCertificate      *peer,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  Server *server = user_data;

  /* Self-signed: accepted only if it is exactly the one we generated. */
  return server->certificate != NULL && g_tls_certificate_is_same (peer, server->certificate);
}

SoupMessage *
server_request (Server      *server,
                const char  *method,
                const char  *path,
                const char  *key,
                const char  *body,
                GBytes     **out_body)
{
  g_autofree char *uri = g_strconcat (server->url, path, NULL);
  g_autoptr(GError) error = NULL;
  SoupMessage *msg = soup_message_new (method, uri);
  GBytes *answer;

  g_assert_nonnull (msg);
  if (key)
    {
      g_autofree char *value = g_strconcat ("Bearer ", key, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", value);
    }
  if (body)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), server);

  answer = soup_session_send_and_read (server->session, msg, NULL, &error);
  g_assert_no_error (error);
  if (out_body)
    *out_body = answer;
  else
    g_bytes_unref (answer);
  return msg;
}

JsonObject *
parse_object (GBytes      *body,
              JsonParser **out_parser)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data = g_bytes_get_data (body, &len);
  JsonNode *root;

  json_parser_load_from_data (parser, data, (gssize) len, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  *out_parser = g_steal_pointer (&parser);
  return json_node_get_object (root);
}

void
assert_error_answer (Server     *server,
                     const char *method,
                     const char *path,
                     const char *key,
                     const char *body,
                     guint       status,
                     const char *code)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *obj;

  msg = server_request (server, method, path, key, body, &answer);
  if (soup_message_get_status (msg) != status)
    g_test_message ("%s %s %s → %u %.*s", method, path, body ? body : "", soup_message_get_status (msg),
                    (int) g_bytes_get_size (answer), (const char *) g_bytes_get_data (answer, NULL));
  g_assert_cmpuint (soup_message_get_status (msg), ==, status);
  g_assert_cmpstr (soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL),
                   ==, "application/json");
  obj = parse_object (answer, &parser);
  g_assert_cmpstr (json_object_get_string_member (obj, "error"), ==, code);
  g_assert_true (json_object_has_member (obj, "message"));
  g_assert_cmpuint (strlen (json_object_get_string_member (obj, "message")), >, 0);
}

/* token-server-fixture.h — runs the real ataraxia-token-server for a test.
 *
 * Each server gets its own temp dir with a config, a secret file and two API
 * keys (one per role), listens on port 0 and is found through its
 * "listening on" line. Every wait is bounded.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define FIXTURE_THERAPIST_KEY "therapist-key-7f3a9c1e5b2d4068"
#define FIXTURE_PARTICIPANT_KEY "participant-key-2b8e6d4f0a1c3957"
#define FIXTURE_SECRET "9c1e5b2d40687f3a2b8e6d4f0a1c39577f3a9c1e5b2d4068aa55aa55aa55aa55"
#define FIXTURE_TIMEOUT_SECONDS 15

typedef struct {
  const char *domain;        /* default meet.example.org */
  const char *rate_limit;    /* default "0" (off) */
  const char *cors_origins;  /* default "" */
  gboolean    tls;           /* make a self-signed certificate with openssl */
  const char *secret;        /* file content; default FIXTURE_SECRET "\n" */
  guint       secret_mode;   /* default 0600 */
  const char *extra;         /* appended to the config as is */
  gboolean    omit_port_arg; /* do not pass --port 0 */
} ServerOptions;

typedef struct {
  char            *dir;
  char            *config_path;
  char            *stderr_path;
  GSubprocess     *process;
  char            *url;
  SoupSession     *session;
  GTlsCertificate *certificate; /* what the client must see, with tls */
} Server;

const char *fixture_server_binary (void);
char       *fixture_sha256_hex    (const char *text);

/* Writes the config only (for start-up failure tests). */
Server     *server_prepare        (const ServerOptions *options);
/* Spawns @server's binary with @argv extra arguments and waits (bounded) for
 * the first stdout line; NULL line on exit or timeout. */
char       *server_spawn          (Server             *server,
                                   const char * const *extra_args);
Server     *server_start          (const ServerOptions *options);
/* SIGTERM (or @signum), bounded wait; returns the exit status (-1 on
 * timeout or death by signal). */
int         server_stop           (Server             *server,
                                   int                 signum);
int         server_wait_exit      (Server             *server);
char       *server_read_stderr    (Server             *server);
void        server_free           (Server             *server);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Server, server_free)

/* One request; @key NULL sends no Authorization. Returns the message (status,
 * headers) and fills @out_body with the answer's bytes. */
SoupMessage *server_request       (Server             *server,
                                   const char         *method,
                                   const char         *path,
                                   const char         *key,
                                   const char         *body,
                                   GBytes            **out_body);
/* Parses @body as a JSON object (asserting it is one). */
JsonObject  *parse_object         (GBytes             *body,
                                   JsonParser        **out_parser);
/* Asserts an error answer: status and `error` code, plus a message. */
void         assert_error_answer  (Server             *server,
                                   const char         *method,
                                   const char         *path,
                                   const char         *key,
                                   const char         *body,
                                   guint               status,
                                   const char         *code);

G_END_DECLS

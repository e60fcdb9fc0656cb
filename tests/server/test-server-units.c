/* test-server-units.c — the token server's pieces without HTTP: the API key
 * table, the token bucket, the loopback rule and configuration defaults.
 */
#define G_LOG_DOMAIN "test-server-units"

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "atx-api-keys.h"
#include "atx-server-config.h"

static char *
sha256_hex (const char *text)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1);
}

static void
test_keys_authenticate (void)
{
  g_autoptr(AtxApiKeys) keys = atx_api_keys_new (0);
  g_autofree char *a = sha256_hex ("key-a");
  g_autofree char *b = sha256_hex ("key-b");
  g_autofree char *upper = g_ascii_strup (a, -1);
  g_autofree char *huge = g_strnfill (ATX_API_KEY_MAX_LENGTH + 1, 'k');
  g_autoptr(GError) error = NULL;
  AtxApiKey *key;

  g_assert_true (atx_api_keys_add (keys, a, "therapist", &error));
  g_assert_true (atx_api_keys_add (keys, b, "participant", &error));
  g_assert_cmpuint (atx_api_keys_get_n_keys (keys), ==, 2);

  key = atx_api_keys_authenticate (keys, "key-a");
  g_assert_nonnull (key);
  g_assert_cmpint (atx_api_key_get_role (key), ==, ATX_API_ROLE_THERAPIST);
  g_assert_cmpuint (strlen (atx_api_key_get_name (key)), ==, 8);
  g_assert_true (strncmp (atx_api_key_get_name (key), a, 8) == 0);

  key = atx_api_keys_authenticate (keys, "key-b");
  g_assert_nonnull (key);
  g_assert_cmpint (atx_api_key_get_role (key), ==, ATX_API_ROLE_PARTICIPANT);

  g_assert_null (atx_api_keys_authenticate (keys, "key-c"));
  g_assert_null (atx_api_keys_authenticate (keys, "key-a "));
  g_assert_null (atx_api_keys_authenticate (keys, ""));
  g_assert_null (atx_api_keys_authenticate (keys, NULL));
  g_assert_null (atx_api_keys_authenticate (keys, a));
  g_assert_null (atx_api_keys_authenticate (keys, huge));

  /* Only lowercase hex sha256 and the two roles. */
  g_assert_false (atx_api_keys_add (keys, upper, "therapist", &error));
  g_assert_error (error, ATX_API_KEYS_ERROR, ATX_API_KEYS_ERROR_INVALID_HASH);
  g_clear_error (&error);
  g_assert_false (atx_api_keys_add (keys, "abc", "therapist", &error));
  g_assert_error (error, ATX_API_KEYS_ERROR, ATX_API_KEYS_ERROR_INVALID_HASH);
  g_clear_error (&error);
  g_assert_false (atx_api_keys_add (keys, a, "admin", &error));
  g_assert_error (error, ATX_API_KEYS_ERROR, ATX_API_KEYS_ERROR_INVALID_ROLE);

  g_assert_finalize_object (g_steal_pointer (&keys));
}

static void
test_token_bucket (void)
{
  g_autoptr(AtxApiKeys) keys = atx_api_keys_new (5);
  g_autoptr(AtxApiKeys) unlimited = atx_api_keys_new (0);
  g_autofree char *a = sha256_hex ("key-a");
  AtxApiKey *key;
  gint64 t;
  guint retry = 0;

  g_assert_true (atx_api_keys_add (keys, a, "therapist", NULL));
  g_assert_true (atx_api_keys_add (unlimited, a, "therapist", NULL));
  key = atx_api_keys_authenticate (keys, "key-a");
  /* After the key's bucket was filled: time only moves forward from here. */
  t = g_get_monotonic_time ();

  /* A burst of one second's worth... */
  for (int i = 0; i < 5; i++)
    g_assert_true (atx_api_keys_consume (keys, key, t, &retry));
  /* ...then refused, with a Retry-After of at least a second. */
  g_assert_false (atx_api_keys_consume (keys, key, t, &retry));
  g_assert_cmpuint (retry, >=, 1);
  /* 5/s refills one token in 200 ms. */
  g_assert_false (atx_api_keys_consume (keys, key, t + 100000, &retry));
  g_assert_true (atx_api_keys_consume (keys, key, t + 200000, &retry));
  g_assert_false (atx_api_keys_consume (keys, key, t + 200000, &retry));
  /* Never more than the burst, however long it waited. */
  for (int i = 0; i < 5; i++)
    g_assert_true (atx_api_keys_consume (keys, key, t + 60 * G_USEC_PER_SEC, &retry));
  g_assert_false (atx_api_keys_consume (keys, key, t + 60 * G_USEC_PER_SEC, &retry));
  /* A clock that goes backwards gives nothing. */
  g_assert_false (atx_api_keys_consume (keys, key, t, &retry));

  key = atx_api_keys_authenticate (unlimited, "key-a");
  for (int i = 0; i < 10000; i++)
    g_assert_true (atx_api_keys_consume (unlimited, key, t, &retry));
}

static void
test_loopback_rule (void)
{
  g_assert_true (atx_jitsi_domain_is_loopback ("localhost"));
  g_assert_true (atx_jitsi_domain_is_loopback ("LOCALHOST:8000"));
  g_assert_true (atx_jitsi_domain_is_loopback ("127.0.0.1"));
  g_assert_true (atx_jitsi_domain_is_loopback ("127.0.0.1:8443"));
  g_assert_true (atx_jitsi_domain_is_loopback ("127.255.1.2:1"));
  g_assert_true (atx_jitsi_domain_is_loopback ("[::1]"));
  g_assert_true (atx_jitsi_domain_is_loopback ("[::1]:8000"));

  g_assert_false (atx_jitsi_domain_is_loopback ("meet.example.org"));
  g_assert_false (atx_jitsi_domain_is_loopback ("localhost.example.org"));
  g_assert_false (atx_jitsi_domain_is_loopback ("127.0.0.1.nip.io"));
  g_assert_false (atx_jitsi_domain_is_loopback ("128.0.0.1"));
  g_assert_false (atx_jitsi_domain_is_loopback ("10.0.0.1:8443"));
  g_assert_false (atx_jitsi_domain_is_loopback ("[::2]:8000"));
  g_assert_false (atx_jitsi_domain_is_loopback ("[::1"));
  g_assert_false (atx_jitsi_domain_is_loopback (""));
}

static char *
write_config (const char *dir,
              const char *text)
{
  char *path = g_build_filename (dir, "server.ini", NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static void
test_config_defaults (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("atx-config-XXXXXX", &error);
  g_autofree char *secret = g_build_filename (dir, "jwt-secret", NULL);
  g_autofree char *hash = sha256_hex ("k");
  g_autofree char *text = g_strdup_printf ("[jitsi]\ndomain=meet.example.org\napp-id=ataraxia\n"
                                           "secret-file=jwt-secret\n[api-keys]\n%s=therapist\n", hash);
  g_autofree char *path = write_config (dir, text);
  g_autoptr(AtxServerConfig) config = NULL;
  GBytes *key;

  g_assert_true (g_file_set_contents (secret, "  0123456789abcdef0123456789abcdef \r\n\t \n", -1, NULL));
  g_chmod (secret, 0600);

  config = atx_server_config_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (atx_server_config_get_address (config), ==, "127.0.0.1");
  g_assert_cmpuint (atx_server_config_get_port (config), ==, 3001);
  g_assert_cmpuint (atx_server_config_get_rate_limit (config), ==, 100);
  g_assert_null (atx_server_config_get_cors_origins (config)[0]);
  g_assert_null (atx_server_config_get_tls_certificate (config));
  g_assert_cmpstr (atx_server_config_get_audience (config), ==, "jitsi");
  g_assert_cmpint (atx_server_config_get_lifetime (config), ==, 7200);
  g_assert_cmpint (atx_server_config_get_max_lifetime (config), ==, 86400);
  /* Only trailing whitespace goes: leading spaces are part of the secret. */
  key = atx_server_config_get_secret (config);
  g_assert_cmpuint (g_bytes_get_size (key), ==, 34);
  g_assert_cmpmem (g_bytes_get_data (key, NULL), 34, "  0123456789abcdef0123456789abcdef", 34);

  g_assert_finalize_object (g_steal_pointer (&config));
  g_unlink (secret);
  g_unlink (path);
  g_rmdir (dir);
}

static void
test_config_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("atx-config-XXXXXX", &error);
  g_autofree char *secret = g_build_filename (dir, "jwt-secret", NULL);
  g_autofree char *hash = sha256_hex ("k");
  struct {
    const char *text;
    int         code;
  } cases[] = {
    { "[jitsi]\napp-id=a\nsecret-file=jwt-secret\n", ATX_SERVER_CONFIG_ERROR_INVALID },
    { "[jitsi]\ndomain=https://meet.example.org\napp-id=a\nsecret-file=jwt-secret\n", ATX_SERVER_CONFIG_ERROR_INVALID },
    { "[jitsi]\ndomain=meet.example.org/x\napp-id=a\nsecret-file=jwt-secret\n", ATX_SERVER_CONFIG_ERROR_INVALID },
    { "[jitsi]\ndomain=meet.example.org\nsecret-file=jwt-secret\n", ATX_SERVER_CONFIG_ERROR_INVALID },
    { "[jitsi]\ndomain=meet.example.org\napp-id=a\n", ATX_SERVER_CONFIG_ERROR_INVALID },
    { "[jitsi]\ndomain=meet.example.org\napp-id=a\nsecret-file=missing\n", ATX_SERVER_CONFIG_ERROR_READ },
    { "[jitsi]\ndomain=meet.example.org\napp-id=a\nsecret-file=jwt-secret\nlifetime=90000\n", ATX_SERVER_CONFIG_ERROR_INVALID },
    { "[server]\naddress=example.org\n", ATX_SERVER_CONFIG_ERROR_INVALID },
    { "[server]\nport=65536\n", ATX_SERVER_CONFIG_ERROR_INVALID },
    { "[server]\nport=-1\n", ATX_SERVER_CONFIG_ERROR_INVALID },
    { "[server]\nrate-limit=-5\n", ATX_SERVER_CONFIG_ERROR_INVALID },
    { "[server]\ntls-certificate=cert.pem\n", ATX_SERVER_CONFIG_ERROR_TLS },
    { "[server]\ntls-certificate=cert.pem\ntls-key=key.pem\n", ATX_SERVER_CONFIG_ERROR_TLS },
    { "[server]\ncors-origins=https://a.example.org/\n", ATX_SERVER_CONFIG_ERROR_INVALID },
    { "[server]\ncors-origins=*\n", ATX_SERVER_CONFIG_ERROR_INVALID },
    { "not a key file", ATX_SERVER_CONFIG_ERROR_READ },
  };

  g_assert_true (g_file_set_contents (secret, "0123456789abcdef0123456789abcdef\n", -1, NULL));
  g_chmod (secret, 0600);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = NULL;
      g_autofree char *path = NULL;
      g_autoptr(AtxServerConfig) config = NULL;

      /* Server-group cases get a valid [jitsi] group appended. */
      if (g_str_has_prefix (cases[i].text, "[server]"))
        text = g_strdup_printf ("%s[jitsi]\ndomain=meet.example.org\napp-id=a\nsecret-file=jwt-secret\n"
                                "[api-keys]\n%s=therapist\n", cases[i].text, hash);
      else if (g_str_has_prefix (cases[i].text, "[jitsi]"))
        text = g_strdup_printf ("%s[api-keys]\n%s=therapist\n", cases[i].text, hash);
      else
        text = g_strdup (cases[i].text);
      path = write_config (dir, text);
      g_test_message ("case %u: %s", i, cases[i].text);
      config = atx_server_config_load (path, &error);
      g_assert_null (config);
      g_assert_error (error, ATX_SERVER_CONFIG_ERROR, cases[i].code);
      g_test_message ("→ %s", error->message);
      g_clear_error (&error);
      g_unlink (path);
    }

  /* No API key at all: refused too. */
  {
    g_autofree char *path = write_config (dir, "[jitsi]\ndomain=meet.example.org\napp-id=a\nsecret-file=jwt-secret\n");
    g_autoptr(AtxServerConfig) config = atx_server_config_load (path, &error);

    g_assert_null (config);
    g_assert_error (error, ATX_SERVER_CONFIG_ERROR, ATX_SERVER_CONFIG_ERROR_INVALID);
    g_unlink (path);
  }

  g_unlink (secret);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/api-keys/authenticate-by-hash-only", test_keys_authenticate);
  g_test_add_func ("/server/api-keys/token-bucket-burst-refill-retry", test_token_bucket);
  g_test_add_func ("/server/join-url/loopback-rule", test_loopback_rule);
  g_test_add_func ("/server/config/defaults-and-secret-trimming", test_config_defaults);
  g_test_add_func ("/server/config/errors-are-refused", test_config_errors);

  return g_test_run ();
}

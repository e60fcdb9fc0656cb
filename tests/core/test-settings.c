/* test-settings.c — the settings wrapper: properties that mirror GSettings,
 * the one http/https rule for the Jitsi domain, backend URL validation,
 * "configured" rules, the API key (environment override, and a clear error
 * when no keyring exists) and development-mode secrets.
 *
 * Keyring tests run in subprocesses on a private D-Bus (GTestDBus) that
 * offers no Secret Service, so they never touch a real keyring; every
 * libsecret call is bounded by a cancellable on a timer.
 */
#define G_LOG_DOMAIN "test-settings"

#include "config.h"

#include <string.h>

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <libsecret/secret.h>

#include "core/atx-room-name.h"
#include "core/atx-settings.h"

#define ROOM "ataraxia-abcdefghijklmnopqrstuvwxyz234567"
#define GOOD_SECRET "0123456789abcdef0123456789abcdef-dev"
#define KEYRING_TIMEOUT_MS 20000

static GSettings *
memory_settings (void)
{
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  return g_settings_new_with_backend (ATX_SETTINGS_SCHEMA_ID, backend);
}

static AtxSettings *
new_settings (void)
{
  g_autoptr(GSettings) gsettings = memory_settings ();
  return atx_settings_new (gsettings);
}

/* ---- properties ---- */

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_properties_mirror_gsettings (void)
{
  g_autoptr(GSettings) gsettings = memory_settings ();
  AtxSettings *settings = atx_settings_new (gsettings);
  g_autofree char *domain = NULL;
  g_autofree char *from_gsettings = NULL;
  g_autofree char *property = NULL;
  guint domain_notifies = 0, jwt_notifies = 0;
  gboolean embed;

  g_signal_connect (settings, "notify::jitsi-domain", G_CALLBACK (count_notify), &domain_notifies);
  g_signal_connect (settings, "notify::use-jwt", G_CALLBACK (count_notify), &jwt_notifies);

  /* Defaults of the schema. */
  domain = atx_settings_dup_jitsi_domain (settings);
  g_assert_cmpstr (domain, ==, "");
  g_assert_true (atx_settings_get_use_jwt (settings));
  g_assert_true (atx_settings_get_embed_calls (settings));
  g_assert_true (atx_settings_get_lobby_for_clients (settings));

  /* A change made by someone else through GSettings is seen and notified. */
  g_settings_set_string (gsettings, "jitsi-domain", "meet.example.org");
  g_assert_cmpuint (domain_notifies, ==, 1);
  g_object_get (settings, "jitsi-domain", &property, NULL);
  g_assert_cmpstr (property, ==, "meet.example.org");

  /* Writing the same value again is not a change. */
  g_settings_set_string (gsettings, "jitsi-domain", "meet.example.org");
  atx_settings_set_jitsi_domain (settings, "meet.example.org");
  g_assert_cmpuint (domain_notifies, ==, 1);

  /* Setters write GSettings, the only source of truth. */
  atx_settings_set_use_jwt (settings, FALSE);
  g_assert_false (g_settings_get_boolean (gsettings, "use-jwt"));
  g_assert_cmpuint (jwt_notifies, ==, 1);
  g_object_set (settings, "backend-url", "https://tokens.example.org", "embed-calls", FALSE, NULL);
  from_gsettings = g_settings_get_string (gsettings, "backend-url");
  g_assert_cmpstr (from_gsettings, ==, "https://tokens.example.org");
  g_object_get (settings, "embed-calls", &embed, NULL);
  g_assert_false (embed);

  atx_settings_set_user_name (settings, "Dr. Ada");
  atx_settings_set_user_email (settings, "ada@example.org");
  atx_settings_set_user_id (settings, "ada");
  atx_settings_set_lobby_for_clients (settings, FALSE);
  g_clear_pointer (&from_gsettings, g_free);
  from_gsettings = g_settings_get_string (gsettings, "user-email");
  g_assert_cmpstr (from_gsettings, ==, "ada@example.org");
  g_assert_false (g_settings_get_boolean (gsettings, "lobby-for-clients"));
  g_assert_true (atx_settings_get_gsettings (settings) == gsettings);

  g_assert_finalize_object (settings);
}

/* ---- the Jitsi domain ---- */

static void
test_jitsi_scheme_rule (void)
{
  const struct { const char *domain; const char *base_url; } cases[] = {
    { "127.0.0.1", "http://127.0.0.1" },
    { "127.1.2.3:8443", "http://127.1.2.3:8443" },
    { "localhost", "http://localhost" },
    { "LocalHost:8000", "http://LocalHost:8000" },
    { "[::1]", "http://[::1]" },
    { "[::1]:8443", "http://[::1]:8443" },
    { "meet.example.org", "https://meet.example.org" },
    { "meet.example.org:8443", "https://meet.example.org:8443" },
    { "127.0.0.1.evil.com", "https://127.0.0.1.evil.com" },
    { "localhost.evil.com", "https://localhost.evil.com" },
    { "128.0.0.1", "https://128.0.0.1" },
    { "10.0.0.1:443", "https://10.0.0.1:443" },
    { "[::2]:8443", "https://[::2]:8443" },
    { "[::ffff:127.0.0.1]", "https://[::ffff:127.0.0.1]" },
  };
  AtxSettings *settings = new_settings ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *base = NULL;
      g_autofree char *join = NULL;
      g_autofree char *expected_join = g_strconcat (cases[i].base_url, "/", ROOM, NULL);

      g_test_message ("domain %s", cases[i].domain);
      atx_settings_set_jitsi_domain (settings, cases[i].domain);
      base = atx_settings_get_jitsi_base_url (settings);
      g_assert_cmpstr (base, ==, cases[i].base_url);
      join = atx_settings_build_join_url (settings, ROOM);
      g_assert_cmpstr (join, ==, expected_join);
      g_assert_cmpstr (atx_jitsi_domain_get_scheme (cases[i].domain), ==,
                       g_str_has_prefix (cases[i].base_url, "https:") ? "https" : "http");
    }

  g_assert_finalize_object (settings);
}

static void
test_jitsi_domain_invalid (void)
{
  const char *invalid[] = {
    "", "https://meet.example.org", "meet.example.org/room", "meet example.org",
    "meet.example.org:", "meet.example.org:0", "meet.example.org:99999",
    "user@meet.example.org", "[::1", "::1", "meet.example.org?x", "meet.example.org#x",
    "meet.example.org:08443", "exa%6dple.org", "\xff\xfe", "meet.example.org\n",
  };
  AtxSettings *settings = new_settings ();

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *base = NULL;
      g_autofree char *join = NULL;

      g_test_message ("domain %s", invalid[i]);
      g_assert_false (atx_jitsi_domain_parse (invalid[i], NULL, NULL, &error));
      g_assert_error (error, ATX_SETTINGS_ERROR, ATX_SETTINGS_ERROR_INVALID_DOMAIN);
      /* Never downgraded by accident. */
      g_assert_cmpstr (atx_jitsi_domain_get_scheme (invalid[i]), ==, "https");

      /* GSettings strings are UTF-8: the setter refuses anything else. */
      if (!g_utf8_validate (invalid[i], -1, NULL))
        continue;
      atx_settings_set_jitsi_domain (settings, invalid[i]);
      base = atx_settings_get_jitsi_base_url (settings);
      g_assert_null (base);
      join = atx_settings_build_join_url (settings, ROOM);
      g_assert_null (join);
    }
  g_assert_false (atx_jitsi_domain_parse (NULL, NULL, NULL, NULL));

  g_assert_finalize_object (settings);
}

static void
test_jitsi_domain_parts (void)
{
  g_autofree char *host = NULL;
  int port = 0;

  g_assert_true (atx_jitsi_domain_parse ("[::1]:8443", &host, &port, NULL));
  g_assert_cmpstr (host, ==, "::1");
  g_assert_cmpint (port, ==, 8443);
  g_clear_pointer (&host, g_free);
  g_assert_true (atx_jitsi_domain_parse ("meet.example.org", &host, &port, NULL));
  g_assert_cmpstr (host, ==, "meet.example.org");
  g_assert_cmpint (port, ==, -1);

  g_assert_true (atx_host_is_loopback ("127.255.255.254"));
  g_assert_true (atx_host_is_loopback ("[::1]"));
  g_assert_true (atx_host_is_loopback ("::1"));
  g_assert_false (atx_host_is_loopback ("127.0.0.1:80"));
  g_assert_false (atx_host_is_loopback (""));
  g_assert_false (atx_host_is_loopback (NULL));
  g_assert_false (atx_host_is_loopback ("0.0.0.0"));
}

static void
test_join_url_needs_valid_room (void)
{
  AtxSettings *settings = new_settings ();
  g_autofree char *bad_room = NULL;
  g_autofree char *no_domain = NULL;

  no_domain = atx_settings_build_join_url (settings, ROOM);
  g_assert_null (no_domain);

  atx_settings_set_jitsi_domain (settings, "meet.example.org");
  bad_room = atx_settings_build_join_url (settings, "../admin?x=1");
  g_assert_null (bad_room);
  g_assert_null (atx_settings_build_join_url (settings, NULL));

  g_assert_finalize_object (settings);
}

/* ---- the backend URL ---- */

static void
test_backend_url_validation (void)
{
  const struct { const char *url; int code; } cases[] = {
    { "https://tokens.example.org", -1 },
    { "https://tokens.example.org/", -1 },
    { "https://tokens.example.org:8443/base/", -1 },
    { "HTTPS://Tokens.Example.org", -1 },
    { "http://127.0.0.1:3001", -1 },
    { "http://127.5.6.7", -1 },
    { "http://localhost:3001/", -1 },
    { "http://[::1]:3001", -1 },
    { "http://tokens.example.org", ATX_SETTINGS_ERROR_INSECURE_URL },
    { "http://127.0.0.1.evil.com", ATX_SETTINGS_ERROR_INSECURE_URL },
    { "http://192.168.0.2:3001", ATX_SETTINGS_ERROR_INSECURE_URL },
    { "http://[::2]", ATX_SETTINGS_ERROR_INSECURE_URL },
    { "", ATX_SETTINGS_ERROR_INVALID_URL },
    { "tokens.example.org", ATX_SETTINGS_ERROR_INVALID_URL },
    { "ftp://tokens.example.org", ATX_SETTINGS_ERROR_INVALID_URL },
    { "https://", ATX_SETTINGS_ERROR_INVALID_URL },
    { "https://:443", ATX_SETTINGS_ERROR_INVALID_URL },
    { "https://tokens.example.org:0", ATX_SETTINGS_ERROR_INVALID_URL },
    { "https://user:pw@tokens.example.org", ATX_SETTINGS_ERROR_INVALID_URL },
    { "https://tokens.example.org/?a=b", ATX_SETTINGS_ERROR_INVALID_URL },
    { "https://tokens.example.org/#x", ATX_SETTINGS_ERROR_INVALID_URL },
    { "https://tokens example.org", ATX_SETTINGS_ERROR_INVALID_URL },
    { " https://tokens.example.org", ATX_SETTINGS_ERROR_INVALID_URL },
    { "javascript:alert(1)", ATX_SETTINGS_ERROR_INVALID_URL },
    { "file:///etc/passwd", ATX_SETTINGS_ERROR_INVALID_URL },
    { "\xff\xfe", ATX_SETTINGS_ERROR_INVALID_URL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean ok;

      g_test_message ("url %s", cases[i].url);
      ok = atx_backend_url_validate (cases[i].url, &error);
      if (cases[i].code < 0)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
        }
      else
        {
          g_assert_false (ok);
          g_assert_error (error, ATX_SETTINGS_ERROR, cases[i].code);
          g_assert_cmpuint (strlen (error->message), >, 20);
        }
    }
  g_assert_false (atx_backend_url_validate (NULL, NULL));
}

static void
test_insecure_url_message_explains (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (atx_backend_url_validate ("http://tokens.example.org", &error));
  g_assert_nonnull (strstr (error->message, "https://"));
  g_assert_nonnull (strstr (error->message, "this computer"));
}

/* ---- configured? ---- */

static void
test_is_video_configured (void)
{
  AtxSettings *settings = new_settings ();
  g_autoptr(GError) error = NULL;

  g_unsetenv (ATX_ENV_DEV_MOCK_TOKENS);

  g_assert_false (atx_settings_is_video_configured (settings, &error));
  g_assert_error (error, ATX_SETTINGS_ERROR, ATX_SETTINGS_ERROR_INVALID_DOMAIN);
  g_clear_error (&error);

  atx_settings_set_jitsi_domain (settings, "meet.example.org");
  g_assert_false (atx_settings_is_video_configured (settings, &error));
  g_assert_error (error, ATX_SETTINGS_ERROR, ATX_SETTINGS_ERROR_INVALID_URL);
  g_clear_error (&error);

  atx_settings_set_backend_url (settings, "http://tokens.example.org");
  g_assert_false (atx_settings_is_video_configured (settings, &error));
  g_assert_error (error, ATX_SETTINGS_ERROR, ATX_SETTINGS_ERROR_INSECURE_URL);
  g_clear_error (&error);

  atx_settings_set_backend_url (settings, "https://tokens.example.org");
  g_assert_true (atx_settings_is_video_configured (settings, &error));
  g_assert_no_error (error);

  /* Without tokens no backend is needed. */
  atx_settings_set_backend_url (settings, "");
  atx_settings_set_use_jwt (settings, FALSE);
  g_assert_true (atx_settings_is_video_configured (settings, NULL));

  /* Development mode signs locally: no backend needed either. */
  atx_settings_set_use_jwt (settings, TRUE);
  g_assert_false (atx_settings_is_video_configured (settings, NULL));
  g_setenv (ATX_ENV_DEV_MOCK_TOKENS, "1", TRUE);
  g_assert_true (atx_settings_is_video_configured (settings, NULL));
  g_unsetenv (ATX_ENV_DEV_MOCK_TOKENS);

  atx_settings_set_jitsi_domain (settings, "https://meet.example.org/");
  g_assert_false (atx_settings_is_video_configured (settings, NULL));

  g_assert_finalize_object (settings);
}

/* ---- development mode ---- */

static void
test_dev_mock_secret_rules (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  const char *off_values[] = { "0", "true", "yes", "", "11" };

  g_unsetenv (ATX_ENV_DEV_MOCK_TOKENS);
  g_setenv (ATX_ENV_DEV_JWT_SECRET, GOOD_SECRET, TRUE);
  g_assert_false (atx_settings_is_dev_mode ());
  g_assert_null (atx_settings_get_dev_mock_secret (&error));
  g_assert_no_error (error);

  /* Only exactly "1" switches it on. */
  for (guint i = 0; i < G_N_ELEMENTS (off_values); i++)
    {
      g_setenv (ATX_ENV_DEV_MOCK_TOKENS, off_values[i], TRUE);
      g_assert_false (atx_settings_is_dev_mode ());
      g_assert_null (atx_settings_get_dev_mock_secret (&error));
      g_assert_no_error (error);
    }

  g_setenv (ATX_ENV_DEV_MOCK_TOKENS, "1", TRUE);
  g_assert_true (atx_settings_is_dev_mode ());
  secret = atx_settings_get_dev_mock_secret (&error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, GOOD_SECRET);

  g_unsetenv (ATX_ENV_DEV_JWT_SECRET);
  g_assert_null (atx_settings_get_dev_mock_secret (&error));
  g_assert_error (error, ATX_SETTINGS_ERROR, ATX_SETTINGS_ERROR_DEV_SECRET);
  g_assert_nonnull (strstr (error->message, ATX_ENV_DEV_JWT_SECRET));
  g_clear_error (&error);

  g_setenv (ATX_ENV_DEV_JWT_SECRET, "0123456789abcdef0123456789abcde", TRUE); /* 31 bytes */
  g_assert_null (atx_settings_get_dev_mock_secret (&error));
  g_assert_error (error, ATX_SETTINGS_ERROR, ATX_SETTINGS_ERROR_DEV_SECRET);
  g_assert_nonnull (strstr (error->message, "32"));
  g_clear_error (&error);

  g_setenv (ATX_ENV_DEV_JWT_SECRET, "0123456789abcdef0123456789abcdef", TRUE); /* 32 bytes */
  g_clear_pointer (&secret, g_free);
  secret = atx_settings_get_dev_mock_secret (&error);
  g_assert_no_error (error);
  g_assert_nonnull (secret);

  g_unsetenv (ATX_ENV_DEV_MOCK_TOKENS);
  g_unsetenv (ATX_ENV_DEV_JWT_SECRET);
}

/* ---- the API key ---- */

static gboolean
on_deadline (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Runs the main loop until *result is set. The cancellable fires after
 * KEYRING_TIMEOUT_MS so that a hanging keyring call ends as CANCELLED. */
static void
wait_bounded (GAsyncResult **result,
              GCancellable  *cancellable)
{
  guint id = g_timeout_add (KEYRING_TIMEOUT_MS, on_deadline, cancellable);

  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  if (!g_cancellable_is_cancelled (cancellable))
    g_source_remove (id);
}

static char *
get_api_key (AtxSettings  *settings,
             GError      **error)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;

  atx_settings_get_api_key_async (settings, cancellable, store_result, &result);
  wait_bounded (&result, cancellable);
  return atx_settings_get_api_key_finish (settings, result, error);
}

static void
test_api_key_env_override (void)
{
  AtxSettings *settings = new_settings ();
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  /* No bus at all: the override must not need one. */
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/atx-test-bus", TRUE);
  g_setenv (ATX_ENV_BACKEND_API_KEY, "env-key-123", TRUE);
  g_assert_true (atx_settings_api_key_is_overridden ());

  key = get_api_key (settings, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, "env-key-123");

  g_unsetenv (ATX_ENV_BACKEND_API_KEY);
  g_assert_false (atx_settings_api_key_is_overridden ());
  g_setenv (ATX_ENV_BACKEND_API_KEY, "", TRUE);
  g_assert_false (atx_settings_api_key_is_overridden ());
  g_unsetenv (ATX_ENV_BACKEND_API_KEY);

  g_assert_finalize_object (settings);
}

static void
assert_no_secret_service (AtxSettings *settings)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) set_result = NULL;
  g_autoptr(GAsyncResult) clear_result = NULL;

  g_unsetenv (ATX_ENV_BACKEND_API_KEY);
  atx_settings_set_backend_url (settings, "https://tokens.example.org");

  key = get_api_key (settings, &error);
  g_assert_null (key);
  g_assert_error (error, ATX_SETTINGS_ERROR, ATX_SETTINGS_ERROR_NO_SECRET_SERVICE);
  /* The message says what to do instead. */
  g_assert_nonnull (strstr (error->message, ATX_ENV_BACKEND_API_KEY));
  g_clear_error (&error);

  atx_settings_set_api_key_async (settings, "secret-key", cancellable, store_result, &set_result);
  wait_bounded (&set_result, cancellable);
  g_assert_false (atx_settings_set_api_key_finish (settings, set_result, &error));
  g_assert_error (error, ATX_SETTINGS_ERROR, ATX_SETTINGS_ERROR_NO_SECRET_SERVICE);
  g_clear_error (&error);

  atx_settings_clear_api_key_async (settings, cancellable, store_result, &clear_result);
  wait_bounded (&clear_result, cancellable);
  g_assert_false (atx_settings_clear_api_key_finish (settings, clear_result, &error));
  g_assert_error (error, ATX_SETTINGS_ERROR, ATX_SETTINGS_ERROR_NO_SECRET_SERVICE);
  g_clear_error (&error);

  /* …and the override still works. */
  g_setenv (ATX_ENV_BACKEND_API_KEY, "env-key", TRUE);
  key = get_api_key (settings, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (key, ==, "env-key");
  g_unsetenv (ATX_ENV_BACKEND_API_KEY);
}

static void
test_no_secret_service_on_private_bus (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GTestDBus) bus = g_test_dbus_new (G_TEST_DBUS_NONE);
      AtxSettings *settings = new_settings ();

      /* A private session bus with no service files: nothing provides
       * org.freedesktop.secrets. */
      g_test_dbus_up (bus);
      assert_no_secret_service (settings);
      g_assert_finalize_object (settings);
      /* libsecret keeps the bus connection; let go of it so that the
       * private bus can shut down without waiting. */
      secret_service_disconnect ();
      g_test_dbus_down (bus);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

static void
test_no_secret_service_without_bus (void)
{
  if (g_test_subprocess ())
    {
      AtxSettings *settings = new_settings ();

      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/atx-test-bus", TRUE);
      assert_no_secret_service (settings);
      g_assert_finalize_object (settings);
      return;
    }

  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/settings/properties-mirror-gsettings-and-notify-on-real-change",
                   test_properties_mirror_gsettings);
  g_test_add_func ("/settings/jitsi-domain/http-only-for-loopback-hosts", test_jitsi_scheme_rule);
  g_test_add_func ("/settings/jitsi-domain/invalid-values-give-no-url", test_jitsi_domain_invalid);
  g_test_add_func ("/settings/jitsi-domain/host-and-port", test_jitsi_domain_parts);
  g_test_add_func ("/settings/jitsi-domain/join-url-needs-a-valid-room", test_join_url_needs_valid_room);
  g_test_add_func ("/settings/backend-url/validation-table", test_backend_url_validation);
  g_test_add_func ("/settings/backend-url/insecure-message-explains", test_insecure_url_message_explains);
  g_test_add_func ("/settings/video-configured", test_is_video_configured);
  g_test_add_func ("/settings/dev-mode/mock-secret-rules", test_dev_mock_secret_rules);
  g_test_add_func ("/settings/api-key/no-secret-service-on-a-private-bus",
                   test_no_secret_service_on_private_bus);
  g_test_add_func ("/settings/api-key/no-secret-service-without-a-bus",
                   test_no_secret_service_without_bus);
  /* Last: it points DBUS_SESSION_BUS_ADDRESS at nothing. */
  g_test_add_func ("/settings/api-key/environment-overrides-without-any-bus",
                   test_api_key_env_override);

  return g_test_run ();
}

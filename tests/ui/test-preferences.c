/* test-preferences.c — the Preferences window against GSettings on a memory
 * backend and an in-process token server on 127.0.0.1.
 *
 * Fields are filled through the widgets a user would touch; GSettings must
 * only ever hold valid values. "Test connection" runs against a SoupServer
 * that mints real tokens with the JWT core, or misbehaves on purpose. The
 * private D-Bus session of gui-test-env has no Secret Service, which is what
 * the keyring cases rely on.
 */
#define G_LOG_DOMAIN "test-preferences"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include <adwaita.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "atx-preferences-window.h"
#include "atx-resources.h"
#include "atx-test-utils.h"
#include "core/atx-jwt.h"

#define WAIT_MS 10000
#define TEST_API_KEY "test-therapist-key"
#define TEST_SECRET "0123456789abcdef0123456789abcdef-test-secret"

typedef enum {
  SERVER_OK,
  SERVER_UNAUTHORIZED,   /* every /api/ request: 401 */
  SERVER_OTHER_ROOM,     /* a valid token, but for another room */
  SERVER_HANG,           /* /healthz never answers */
} ServerMode;

typedef struct {
  GSettings            *gsettings;
  AtxSettings          *settings;
  AtxTokenClient       *client;
  SoupServer           *server;
  char                 *server_url;
  ServerMode            mode;
  guint                 n_health;
  guint                 n_tokens;
  char                 *last_room;       /* roomName of the last generate-token */
  gboolean              last_moderator;
  GPtrArray            *paused;          /* SoupServerMessage, for SERVER_HANG */
  AtxPreferencesWindow *window;
} Fixture;

/* ---- the token server ---- */

static void
reply_json (SoupServerMessage *msg,
            guint              status,
            const char        *json)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                    json, strlen (json));
}

static void
handle_generate_token (Fixture           *f,
                       SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Authorization");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GDateTime) expires = NULL;
  g_autofree char *token = NULL;
  g_autofree char *join_url = NULL;
  g_autofree char *expires_text = NULL;
  g_autofree char *answer = NULL;
  JsonObject *request;
  const char *room;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  AtxJwtSignParams params = { 0 };

  f->n_tokens++;

  if (f->mode == SERVER_UNAUTHORIZED || g_strcmp0 (auth, "Bearer " TEST_API_KEY) != 0)
    {
      reply_json (msg, 401, "{\"error\": \"unauthorized\", \"message\": \"Unknown API key.\"}");
      return;
    }

  bytes = soup_message_body_flatten (body);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                             g_bytes_get_size (bytes), NULL));
  request = json_node_get_object (json_parser_get_root (parser));
  room = json_object_get_string_member (request, "roomName");
  g_free (f->last_room);
  f->last_room = g_strdup (room);
  f->last_moderator = json_object_get_boolean_member (request, "isModerator");

  params.issuer = "ataraxia";
  params.audience = "jitsi";
  params.subject = "meet.example.org";
  params.room = f->mode == SERVER_OTHER_ROOM ? "ataraxia-someotherroom" : room;
  params.user_id = json_object_get_string_member (request, "userId");
  params.user_name = json_object_get_string_member (request, "userName");
  params.user_email = json_object_get_string_member (request, "userEmail");
  params.moderator = f->last_moderator;
  params.issued_at = now;
  params.not_before = now - 10;
  params.expires_at = now + 7200;
  token = atx_jwt_sign (&params, (const guint8 *) TEST_SECRET, strlen (TEST_SECRET));
  g_assert_nonnull (token);

  join_url = g_strdup_printf ("https://meet.example.org/%s", room);
  expires = g_date_time_new_from_unix_utc (params.expires_at);
  expires_text = g_date_time_format (expires, "%Y-%m-%dT%H:%M:%SZ");
  answer = g_strdup_printf ("{\"token\": \"%s\", \"roomName\": \"%s\", \"joinUrl\": \"%s\", "
                            "\"expiresAt\": \"%s\"}", token, room, join_url, expires_text);
  reply_json (msg, 200, answer);
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  Fixture *f = user_data;

  if (g_str_equal (path, "/healthz"))
    {
      f->n_health++;
      if (f->mode == SERVER_HANG)
        {
          soup_server_message_pause (msg);
          g_ptr_array_add (f->paused, g_object_ref (msg));
          return;
        }
      reply_json (msg, 200, "{\"status\": \"ok\"}");
      return;
    }
  if (g_str_equal (path, "/api/jitsi/generate-token") &&
      g_str_equal (soup_server_message_get_method (msg), "POST"))
    {
      handle_generate_token (f, msg);
      return;
    }
  reply_json (msg, 404, "{\"error\": \"not-found\", \"message\": \"No such endpoint.\"}");
}

/* ---- fixture ---- */

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_unsetenv ("ATARAXIA_BACKEND_API_KEY");
  g_unsetenv ("ATARAXIA_DEV_MOCK_TOKENS");

  f->gsettings = g_settings_new_with_backend ("org.ataraxia.Calendar", backend);
  f->settings = atx_settings_new (f->gsettings);
  f->client = atx_token_client_new (NULL, NULL);
  atx_token_client_set_timeout (f->client, 5);
  f->paused = g_ptr_array_new_with_free_func (g_object_unref);

  f->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (f->server, NULL, server_cb, f, NULL);
  soup_server_listen_local (f->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (f->server);
  g_assert_nonnull (uris);
  f->server_url = g_uri_to_string_partial (uris->data, G_URI_HIDE_PASSWORD);
  /* "http://127.0.0.1:PORT/" → without the trailing slash */
  if (g_str_has_suffix (f->server_url, "/"))
    f->server_url[strlen (f->server_url) - 1] = '\0';
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

static gboolean
is_null (gpointer user_data)
{
  return *(gpointer *) user_data == NULL;
}

static gboolean
only_ref (gpointer object)
{
  return G_OBJECT (object)->ref_count == 1;
}

static void
destroy_window (Fixture *f)
{
  if (f->window == NULL)
    return;

  g_object_add_weak_pointer (G_OBJECT (f->window), (gpointer *) &f->window);
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_assert_true (atx_test_wait_until (is_null, &f->window, WAIT_MS));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  destroy_window (f);
  for (guint i = 0; i < f->paused->len; i++)
    soup_server_message_unpause (g_ptr_array_index (f->paused, i));
  g_clear_pointer (&f->paused, g_ptr_array_unref);
  soup_server_disconnect (f->server);
  g_clear_object (&f->server);
  g_clear_pointer (&f->server_url, g_free);
  g_clear_pointer (&f->last_room, g_free);
  /* A cancelled keyring or network request lets go of its source object
   * only when it completes. */
  g_assert_true (atx_test_wait_until (only_ref, f->client, WAIT_MS));
  g_assert_true (atx_test_wait_until (only_ref, f->settings, WAIT_MS));
  g_assert_finalize_object (f->client);
  g_assert_finalize_object (f->settings);
  g_assert_finalize_object (f->gsettings);
  g_unsetenv ("ATARAXIA_BACKEND_API_KEY");
  g_unsetenv ("ATARAXIA_DEV_MOCK_TOKENS");
}

static void
open_window (Fixture *f)
{
  f->window = atx_preferences_window_new (NULL, f->settings, f->client);
  gtk_window_present (GTK_WINDOW (f->window));
}

/* Replaces the text as a paste would, then lets the window's idle write
 * happen. */
static void
type_into (AdwEntryRow *row,
           const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

static char *
get_setting (Fixture    *f,
             const char *key)
{
  return g_settings_get_string (f->gsettings, key);
}

static void
assert_error_shown (AdwEntryRow *row,
                    GtkLabel    *label)
{
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (label)));
  g_assert_cmpstr (gtk_label_get_text (label), !=, "");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (row), "error"));
}

static void
assert_no_error_shown (AdwEntryRow *row,
                       GtkLabel    *label)
{
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (label)));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (row), "error"));
}

/* ---- Video calls ---- */

static void
test_jitsi_domain_validated (Fixture       *f,
                             gconstpointer  data)
{
  AdwEntryRow *row;
  GtkLabel *label;
  g_autofree char *value = NULL;

  open_window (f);
  row = atx_preferences_window_get_jitsi_domain_row (f->window);
  label = atx_preferences_window_get_jitsi_domain_error_label (f->window);
  assert_no_error_shown (row, label);

  type_into (row, "meet example org");
  assert_error_shown (row, label);
  value = get_setting (f, "jitsi-domain");
  g_assert_cmpstr (value, ==, "");
  g_clear_pointer (&value, g_free);

  type_into (row, "https://meet.example.org/room");
  assert_error_shown (row, label);
  value = get_setting (f, "jitsi-domain");
  g_assert_cmpstr (value, ==, "");
  g_clear_pointer (&value, g_free);

  type_into (row, "meet.example.org");
  assert_no_error_shown (row, label);
  value = get_setting (f, "jitsi-domain");
  g_assert_cmpstr (value, ==, "meet.example.org");
  g_clear_pointer (&value, g_free);

  /* Invalid again: the last valid value stays. */
  type_into (row, "meet.example.org:99999");
  assert_error_shown (row, label);
  value = get_setting (f, "jitsi-domain");
  g_assert_cmpstr (value, ==, "meet.example.org");
  g_clear_pointer (&value, g_free);

  type_into (row, "localhost:8443");
  assert_no_error_shown (row, label);
  value = get_setting (f, "jitsi-domain");
  g_assert_cmpstr (value, ==, "localhost:8443");
}

static void
test_closing_right_after_typing_keeps_value (Fixture       *f,
                                             gconstpointer  data)
{
  g_autofree char *value = NULL;

  open_window (f);
  /* No main loop iteration: the idle write has not happened yet. */
  gtk_editable_set_text (GTK_EDITABLE (atx_preferences_window_get_jitsi_domain_row (f->window)),
                         "meet.example.org");
  destroy_window (f);
  value = get_setting (f, "jitsi-domain");
  g_assert_cmpstr (value, ==, "meet.example.org");
}

static void
test_setting_changed_elsewhere_shows (Fixture       *f,
                                      gconstpointer  data)
{
  g_settings_set_string (f->gsettings, "jitsi-domain", "meet.example.org");
  g_settings_set_string (f->gsettings, "backend-url", "https://tokens.example.org");
  g_settings_set_string (f->gsettings, "user-name", "Dr. Sam Rivera");
  open_window (f);

  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (atx_preferences_window_get_jitsi_domain_row (f->window))),
                   ==, "meet.example.org");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (atx_preferences_window_get_backend_url_row (f->window))),
                   ==, "https://tokens.example.org");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (atx_preferences_window_get_user_name_row (f->window))),
                   ==, "Dr. Sam Rivera");

  g_settings_set_string (f->gsettings, "jitsi-domain", "video.example.net");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (atx_preferences_window_get_jitsi_domain_row (f->window))),
                   ==, "video.example.net");
}

static void
test_switches_bound (Fixture       *f,
                     gconstpointer  data)
{
  GtkSwitch *embed, *lobby, *use_jwt;

  open_window (f);
  embed = atx_preferences_window_get_embed_calls_switch (f->window);
  lobby = atx_preferences_window_get_lobby_switch (f->window);
  use_jwt = atx_preferences_window_get_use_jwt_switch (f->window);
  g_assert_true (gtk_switch_get_active (embed));
  g_assert_true (gtk_switch_get_active (lobby));
  g_assert_true (gtk_switch_get_active (use_jwt));

  gtk_switch_set_active (embed, FALSE);
  g_assert_false (g_settings_get_boolean (f->gsettings, "embed-calls"));
  gtk_switch_set_active (lobby, FALSE);
  g_assert_false (g_settings_get_boolean (f->gsettings, "lobby-for-clients"));

  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (atx_preferences_window_get_backend_url_row (f->window))));
  gtk_switch_set_active (use_jwt, FALSE);
  g_assert_false (g_settings_get_boolean (f->gsettings, "use-jwt"));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (atx_preferences_window_get_backend_url_row (f->window))));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (atx_preferences_window_get_api_key_row (f->window))));
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (atx_preferences_window_get_test_row (f->window))));

  g_settings_set_boolean (f->gsettings, "use-jwt", TRUE);
  g_assert_true (gtk_switch_get_active (use_jwt));
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (atx_preferences_window_get_backend_url_row (f->window))));

  /* Every switch has a name for screen readers. */
  g_assert_true (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (embed)) == GTK_ACCESSIBLE_ROLE_SWITCH);
}

/* ---- Token server ---- */

static void
test_backend_url_validated (Fixture       *f,
                            gconstpointer  data)
{
  AdwEntryRow *row;
  GtkLabel *label;
  GtkWidget *button;
  g_autofree char *value = NULL;

  open_window (f);
  row = atx_preferences_window_get_backend_url_row (f->window);
  label = atx_preferences_window_get_backend_url_error_label (f->window);
  button = GTK_WIDGET (atx_preferences_window_get_test_button (f->window));

  /* Empty: nothing to test, and the row says why. */
  g_assert_false (gtk_widget_get_sensitive (button));
  g_assert_cmpstr (adw_action_row_get_subtitle (atx_preferences_window_get_test_row (f->window)), !=, "");

  type_into (row, "http://tokens.example.org");
  assert_error_shown (row, label);
  g_assert_true (strstr (gtk_label_get_text (label), "https://") != NULL);
  value = get_setting (f, "backend-url");
  g_assert_cmpstr (value, ==, "");
  g_clear_pointer (&value, g_free);
  g_assert_false (gtk_widget_get_sensitive (button));

  type_into (row, "not a url");
  assert_error_shown (row, label);
  value = get_setting (f, "backend-url");
  g_assert_cmpstr (value, ==, "");
  g_clear_pointer (&value, g_free);

  type_into (row, "https://tokens.example.org");
  assert_no_error_shown (row, label);
  value = get_setting (f, "backend-url");
  g_assert_cmpstr (value, ==, "https://tokens.example.org");
  g_clear_pointer (&value, g_free);
  g_assert_true (gtk_widget_get_sensitive (button));

  type_into (row, "http://127.0.0.1:3001");
  assert_no_error_shown (row, label);
  value = get_setting (f, "backend-url");
  g_assert_cmpstr (value, ==, "http://127.0.0.1:3001");
  g_clear_pointer (&value, g_free);

  type_into (row, "http://192.168.1.10:3001");
  assert_error_shown (row, label);
  value = get_setting (f, "backend-url");
  g_assert_cmpstr (value, ==, "http://127.0.0.1:3001");
  g_assert_false (gtk_widget_get_sensitive (button));
}

static void
test_email_validated (Fixture       *f,
                      gconstpointer  data)
{
  AdwEntryRow *row;
  GtkLabel *label;
  g_autofree char *value = NULL;

  open_window (f);
  row = atx_preferences_window_get_user_email_row (f->window);
  label = atx_preferences_window_get_user_email_error_label (f->window);

  type_into (row, "sam.rivera@");
  assert_error_shown (row, label);
  value = get_setting (f, "user-email");
  g_assert_cmpstr (value, ==, "");
  g_clear_pointer (&value, g_free);

  type_into (row, "sam.rivera@example.org");
  assert_no_error_shown (row, label);
  value = get_setting (f, "user-email");
  g_assert_cmpstr (value, ==, "sam.rivera@example.org");
  g_clear_pointer (&value, g_free);

  type_into (atx_preferences_window_get_user_name_row (f->window), "Sam Rivera");
  value = get_setting (f, "user-name");
  g_assert_cmpstr (value, ==, "Sam Rivera");
  g_clear_pointer (&value, g_free);

  type_into (atx_preferences_window_get_user_id_row (f->window), "therapist-7");
  value = get_setting (f, "user-id");
  g_assert_cmpstr (value, ==, "therapist-7");
}

/* ---- Test connection ---- */

static gboolean
test_not_running (gpointer user_data)
{
  Fixture *f = user_data;
  AtxConnectionTestState state = atx_preferences_window_get_test_state (f->window);

  return state == ATX_CONNECTION_TEST_SUCCEEDED || state == ATX_CONNECTION_TEST_FAILED;
}

/* Sets the backend to our server (with @api_key in the environment, or none)
 * and runs the test to its end. */
static void
run_connection_test (Fixture    *f,
                     const char *api_key)
{
  GtkWidget *button;

  if (api_key != NULL)
    g_setenv ("ATARAXIA_BACKEND_API_KEY", api_key, TRUE);
  g_settings_set_string (f->gsettings, "user-name", "Sam Rivera");
  g_settings_set_string (f->gsettings, "user-email", "sam@example.org");
  g_settings_set_string (f->gsettings, "user-id", "therapist-7");
  open_window (f);
  type_into (atx_preferences_window_get_backend_url_row (f->window), f->server_url);

  button = GTK_WIDGET (atx_preferences_window_get_test_button (f->window));
  g_assert_true (gtk_widget_get_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  g_assert_cmpint (atx_preferences_window_get_test_state (f->window), ==, ATX_CONNECTION_TEST_RUNNING);
  g_assert_false (gtk_widget_get_sensitive (button));

  g_assert_true (atx_test_wait_until (test_not_running, f, WAIT_MS));
  g_assert_true (gtk_widget_get_sensitive (button));
}

static void
assert_failed_with (Fixture    *f,
                    int         code,
                    const char *words)
{
  const GError *error = atx_preferences_window_get_test_error (f->window);
  const char *subtitle = adw_action_row_get_subtitle (atx_preferences_window_get_test_row (f->window));

  g_assert_cmpint (atx_preferences_window_get_test_state (f->window), ==, ATX_CONNECTION_TEST_FAILED);
  g_assert_error ((GError *) error, ATX_TOKEN_ERROR, code);
  /* The exact reason reaches the therapist. */
  g_assert_cmpstr (subtitle, ==, error->message);
  if (strstr (subtitle, words) == NULL)
    g_error ("“%s” does not say “%s”", subtitle, words);
}

static void
test_connection_succeeds (Fixture       *f,
                          gconstpointer  data)
{
  const char *subtitle;

  run_connection_test (f, TEST_API_KEY);

  g_assert_cmpint (atx_preferences_window_get_test_state (f->window), ==, ATX_CONNECTION_TEST_SUCCEEDED);
  g_assert_null (atx_preferences_window_get_test_error (f->window));
  subtitle = adw_action_row_get_subtitle (atx_preferences_window_get_test_row (f->window));
  g_assert_cmpstr (subtitle, ==, "Connected: the token server issued a valid token.");

  g_assert_cmpuint (f->n_health, ==, 1);
  g_assert_cmpuint (f->n_tokens, ==, 1);
  g_assert_true (g_str_has_prefix (f->last_room, "ataraxia-"));
  g_assert_true (f->last_moderator);

  /* The app's client now talks to this server with this key. */
  g_assert_cmpstr (atx_token_client_get_base_url (f->client), ==, f->server_url);
}

static void
test_connection_unauthorized (Fixture       *f,
                              gconstpointer  data)
{
  f->mode = SERVER_UNAUTHORIZED;
  run_connection_test (f, "a-key-the-server-does-not-know");
  assert_failed_with (f, ATX_TOKEN_ERROR_UNAUTHORIZED, "API key was refused");
}

static void
test_connection_other_room (Fixture       *f,
                            gconstpointer  data)
{
  f->mode = SERVER_OTHER_ROOM;
  run_connection_test (f, TEST_API_KEY);
  assert_failed_with (f, ATX_TOKEN_ERROR_BAD_RESPONSE, "another room");
}

static void
test_connection_refused (Fixture       *f,
                         gconstpointer  data)
{
  /* Nothing listens there any more. */
  soup_server_disconnect (f->server);
  run_connection_test (f, TEST_API_KEY);
  assert_failed_with (f, ATX_TOKEN_ERROR_NETWORK, "could not be reached");
  g_assert_cmpuint (f->n_health, ==, 0);
}

static void
test_connection_without_key (Fixture       *f,
                             gconstpointer  data)
{
  /* No environment key and no keyring: the server answers, but no token can
   * be asked for; the row says why instead of sending an empty key. */
  run_connection_test (f, NULL);
  g_assert_cmpint (atx_preferences_window_get_test_state (f->window), ==, ATX_CONNECTION_TEST_FAILED);
  g_assert_cmpuint (f->n_health, ==, 1);
  g_assert_cmpuint (f->n_tokens, ==, 0);
  g_assert_true (strstr (adw_action_row_get_subtitle (atx_preferences_window_get_test_row (f->window)),
                         "API key") != NULL);
}

static gboolean
health_requested (gpointer user_data)
{
  Fixture *f = user_data;
  return f->n_health > 0;
}

static void
test_closing_cancels_test (Fixture       *f,
                           gconstpointer  data)
{
  GtkWidget *button;

  f->mode = SERVER_HANG;
  g_setenv ("ATARAXIA_BACKEND_API_KEY", TEST_API_KEY, TRUE);
  open_window (f);
  type_into (atx_preferences_window_get_backend_url_row (f->window), f->server_url);
  button = GTK_WIDGET (atx_preferences_window_get_test_button (f->window));
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (atx_test_wait_until (health_requested, f, WAIT_MS));
  g_assert_cmpint (atx_preferences_window_get_test_state (f->window), ==, ATX_CONNECTION_TEST_RUNNING);

  /* Closing frees the window at once and cancels the request: it ends well
   * before the client's own 5 s timeout would end it. */
  destroy_window (f);
  g_assert_true (atx_test_wait_until (only_ref, f->client, 2000));
  g_assert_cmpuint (f->n_tokens, ==, 0);
}

/* ---- API key ---- */

static void
test_api_key_overridden (Fixture       *f,
                         gconstpointer  data)
{
  AdwEntryRow *row;
  GtkLabel *label;

  g_setenv ("ATARAXIA_BACKEND_API_KEY", "from-the-environment", TRUE);
  g_settings_set_string (f->gsettings, "backend-url", "https://tokens.example.org");
  open_window (f);

  row = atx_preferences_window_get_api_key_row (f->window);
  label = atx_preferences_window_get_api_key_status_label (f->window);
  g_assert_cmpint (atx_preferences_window_get_api_key_state (f->window), ==, ATX_API_KEY_STATE_OVERRIDDEN);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (row)));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (label)));
  g_assert_true (strstr (gtk_label_get_text (label), "ATARAXIA_BACKEND_API_KEY") != NULL);
  g_assert_true (strstr (gtk_label_get_text (label), "overrides") != NULL);
  /* The key itself is never shown. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "");

  /* Turning tokens off and on again keeps it insensitive. */
  g_settings_set_boolean (f->gsettings, "use-jwt", FALSE);
  g_settings_set_boolean (f->gsettings, "use-jwt", TRUE);
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (row)));
}

static gboolean
key_state_settled (gpointer user_data)
{
  Fixture *f = user_data;
  AtxApiKeyState state = atx_preferences_window_get_api_key_state (f->window);

  return state != ATX_API_KEY_STATE_UNKNOWN && state != ATX_API_KEY_STATE_SAVING;
}

static void
test_api_key_without_secret_service (Fixture       *f,
                                     gconstpointer  data)
{
  AdwEntryRow *row;
  GtkLabel *label;

  g_settings_set_string (f->gsettings, "backend-url", "https://tokens.example.org");
  open_window (f);
  row = atx_preferences_window_get_api_key_row (f->window);
  label = atx_preferences_window_get_api_key_status_label (f->window);

  /* Looking up the stored key already finds no keyring. */
  g_assert_true (atx_test_wait_until (key_state_settled, f, WAIT_MS));
  g_assert_cmpint (atx_preferences_window_get_api_key_state (f->window), ==,
                   ATX_API_KEY_STATE_NO_SECRET_SERVICE);

  /* Storing one explains why it cannot be kept, and nothing crashes. */
  type_into (row, "a-new-key");
  g_signal_emit_by_name (row, "apply");
  g_assert_true (atx_test_wait_until (key_state_settled, f, WAIT_MS));
  g_assert_cmpint (atx_preferences_window_get_api_key_state (f->window), ==,
                   ATX_API_KEY_STATE_NO_SECRET_SERVICE);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (label)));
  g_assert_cmpstr (gtk_label_get_text (label), ==,
                   "No keyring is available on this computer, so the key cannot be stored. "
                   "Set ATARAXIA_BACKEND_API_KEY instead.");
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (row)));
}

/* ---- development mode ---- */

static void
test_dev_mode_notice (Fixture       *f,
                      gconstpointer  data)
{
  open_window (f);
  g_assert_false (gtk_widget_get_visible (atx_preferences_window_get_dev_mode_notice (f->window)));
  destroy_window (f);

  g_setenv ("ATARAXIA_DEV_MOCK_TOKENS", "1", TRUE);
  open_window (f);
  g_assert_true (gtk_widget_get_visible (atx_preferences_window_get_dev_mode_notice (f->window)));
}

int
main (int argc, char *argv[])
{
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  /* The GResource sits in the static UI library: name it or the linker
   * leaves it out. */
  g_assert_nonnull (atx_get_resource ());

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/preferences/jitsi-domain/only-valid-values-are-saved", test_jitsi_domain_validated);
  ADD ("/preferences/jitsi-domain/closing-right-after-typing-keeps-it", test_closing_right_after_typing_keeps_value);
  ADD ("/preferences/fields-follow-settings-changed-elsewhere", test_setting_changed_elsewhere_shows);
  ADD ("/preferences/switches-are-bound-and-use-jwt-disables-backend", test_switches_bound);
  ADD ("/preferences/backend-url/http-only-for-loopback", test_backend_url_validated);
  ADD ("/preferences/you/email-checked-name-and-id-saved", test_email_validated);
  ADD ("/preferences/test-connection/success", test_connection_succeeds);
  ADD ("/preferences/test-connection/401-key-refused", test_connection_unauthorized);
  ADD ("/preferences/test-connection/token-for-another-room", test_connection_other_room);
  ADD ("/preferences/test-connection/connection-refused", test_connection_refused);
  ADD ("/preferences/test-connection/no-api-key", test_connection_without_key);
  ADD ("/preferences/test-connection/closing-cancels", test_closing_cancels_test);
  ADD ("/preferences/api-key/environment-overrides", test_api_key_overridden);
  ADD ("/preferences/api-key/no-secret-service-explained", test_api_key_without_secret_service);
  ADD ("/preferences/development-mode-notice", test_dev_mode_notice);

#undef ADD

  return g_test_run ();
}

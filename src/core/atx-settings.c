/* atx-settings.c — see atx-settings.h.
 *
 * Each property reads its key from GSettings at every call; a snapshot of the
 * last seen values only serves to notify when a key really changed (GSettings
 * emits ::changed on every write, even of the same value).
 */
#define G_LOG_DOMAIN "atx-settings"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "atx-lazy-libsecret.h"

#include "atx-room-name.h"
#include "atx-settings.h"

#define MAX_URL_LENGTH 2048
#define MAX_DOMAIN_LENGTH 255

struct _AtxSettings
{
  GObject parent_instance;

  GSettings *settings;
  GVariant *seen[9];   /* last value of each key, by property id */
  gulong changed_id;
};

G_DEFINE_FINAL_TYPE (AtxSettings, atx_settings, G_TYPE_OBJECT)

G_DEFINE_QUARK (atx-settings-error-quark, atx_settings_error)

enum {
  PROP_0,
  PROP_JITSI_DOMAIN,
  PROP_USE_JWT,
  PROP_BACKEND_URL,
  PROP_USER_NAME,
  PROP_USER_EMAIL,
  PROP_USER_ID,
  PROP_EMBED_CALLS,
  PROP_LOBBY_FOR_CLIENTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The GSettings key behind each property: the same name. */
static const char *const keys[N_PROPS] = {
  [PROP_JITSI_DOMAIN] = "jitsi-domain",
  [PROP_USE_JWT] = "use-jwt",
  [PROP_BACKEND_URL] = "backend-url",
  [PROP_USER_NAME] = "user-name",
  [PROP_USER_EMAIL] = "user-email",
  [PROP_USER_ID] = "user-id",
  [PROP_EMBED_CALLS] = "embed-calls",
  [PROP_LOBBY_FOR_CLIENTS] = "lobby-for-clients",
};

G_STATIC_ASSERT (G_N_ELEMENTS (((AtxSettings *) NULL)->seen) >= N_PROPS);

/* ---- rules without a settings object ---- */

gboolean
atx_host_is_loopback (const char *host)
{
  g_autofree char *bare = NULL;
  g_autoptr(GInetAddress) address = NULL;
  gsize len;

  if (host == NULL || *host == '\0')
    return FALSE;

  len = strlen (host);
  if (host[0] == '[' && len > 2 && host[len - 1] == ']')
    bare = g_strndup (host + 1, len - 2);
  else
    bare = g_strdup (host);

  if (g_ascii_strcasecmp (bare, "localhost") == 0)
    return TRUE;

  /* Only a literal address counts: "127.0.0.1.evil.com" is a DNS name. */
  address = g_inet_address_new_from_string (bare);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static gboolean
host_is_acceptable (const char *host)
{
  g_autofree char *ascii = NULL;

  if (host == NULL || *host == '\0')
    return FALSE;
  if (g_hostname_is_ip_address (host))
    return TRUE;

  ascii = g_hostname_to_ascii (host);
  if (ascii == NULL || *ascii == '\0' || strlen (ascii) > MAX_DOMAIN_LENGTH)
    return FALSE;
  for (const char *p = ascii; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && *p != '_')
      return FALSE;
  return TRUE;
}

gboolean
atx_jitsi_domain_parse (const char  *domain,
                        char       **out_host,
                        int         *out_port,
                        GError     **error)
{
  g_autofree char *as_url = NULL;
  g_autofree char *rebuilt = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *host;
  int port;

  if (domain == NULL || *domain == '\0')
    {
      g_set_error_literal (error, ATX_SETTINGS_ERROR, ATX_SETTINGS_ERROR_INVALID_DOMAIN,
                           _("No Jitsi server is set. Enter it in Preferences."));
      return FALSE;
    }

  if (strlen (domain) > MAX_DOMAIN_LENGTH + 8 || !g_utf8_validate (domain, -1, NULL) ||
      strpbrk (domain, "/?#@%\\ \t\r\n") != NULL)
    goto invalid;

  as_url = g_strconcat ("http://", domain, "/", NULL);
  uri = g_uri_parse (as_url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    goto invalid;

  host = g_uri_get_host (uri);
  port = g_uri_get_port (uri);
  if (!host_is_acceptable (host) || port == 0)
    goto invalid;

  /* Accept exactly host[:port]: no empty port, no leading zeros, no other
   * spelling that the parser would quietly normalise. */
  if (strchr (host, ':') != NULL)
    rebuilt = port > 0 ? g_strdup_printf ("[%s]:%d", host, port) : g_strdup_printf ("[%s]", host);
  else
    rebuilt = port > 0 ? g_strdup_printf ("%s:%d", host, port) : g_strdup (host);
  if (g_ascii_strcasecmp (rebuilt, domain) != 0)
    goto invalid;

  if (out_host != NULL)
    *out_host = g_strdup (host);
  if (out_port != NULL)
    *out_port = port;
  return TRUE;

invalid:
  g_set_error_literal (error, ATX_SETTINGS_ERROR, ATX_SETTINGS_ERROR_INVALID_DOMAIN,
                       _("The Jitsi server must be a host name with an optional port, "
                         "e.g. meet.example.org or meet.example.org:8443, "
                         "without https:// or a path."));
  return FALSE;
}

const char *
atx_jitsi_domain_get_scheme (const char *domain)
{
  g_autofree char *host = NULL;

  if (atx_jitsi_domain_parse (domain, &host, NULL, NULL) && atx_host_is_loopback (host))
    return "http";
  return "https";
}

gboolean
atx_backend_url_validate (const char  *url,
                          GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  if (url == NULL || *url == '\0')
    {
      g_set_error_literal (error, ATX_SETTINGS_ERROR, ATX_SETTINGS_ERROR_INVALID_URL,
                           _("No token server address is set. Enter it in Preferences."));
      return FALSE;
    }

  if (strlen (url) <= MAX_URL_LENGTH && g_utf8_validate (url, -1, NULL) &&
      strpbrk (url, " \t\r\n") == NULL)
    uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  host = uri != NULL ? g_uri_get_host (uri) : NULL;

  if (uri == NULL || scheme == NULL ||
      (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0) ||
      host == NULL || *host == '\0' || g_uri_get_port (uri) == 0)
    {
      g_set_error_literal (error, ATX_SETTINGS_ERROR, ATX_SETTINGS_ERROR_INVALID_URL,
                           _("The token server address is not a web address. "
                             "Enter it like https://tokens.example.org."));
      return FALSE;
    }

  if (g_uri_get_userinfo (uri) != NULL || g_uri_get_query (uri) != NULL ||
      g_uri_get_fragment (uri) != NULL)
    {
      g_set_error_literal (error, ATX_SETTINGS_ERROR, ATX_SETTINGS_ERROR_INVALID_URL,
                           _("The token server address must not contain a user name, "
                             "a password, “?” or “#”. Enter it like https://tokens.example.org."));
      return FALSE;
    }

  if (g_ascii_strcasecmp (scheme, "http") == 0 && !atx_host_is_loopback (host))
    {
      g_set_error_literal (error, ATX_SETTINGS_ERROR, ATX_SETTINGS_ERROR_INSECURE_URL,
                           _("The token server address must start with https:// so that "
                             "the API key and call tokens are encrypted. Plain http:// is "
                             "only allowed for a server on this computer (localhost)."));
      return FALSE;
    }

  return TRUE;
}

/* ---- development mode ---- */

gboolean
atx_settings_is_dev_mode (void)
{
  return g_strcmp0 (g_getenv (ATX_ENV_DEV_MOCK_TOKENS), "1") == 0;
}

char *
atx_settings_get_dev_mock_secret (GError **error)
{
  const char *secret;

  if (!atx_settings_is_dev_mode ())
    return NULL;

  secret = g_getenv (ATX_ENV_DEV_JWT_SECRET);
  if (secret == NULL || *secret == '\0')
    {
      g_set_error (error, ATX_SETTINGS_ERROR, ATX_SETTINGS_ERROR_DEV_SECRET,
                   _("Development tokens are switched on (%s=1) but %s is not set. "
                     "Set it to the Jitsi server’s app secret (at least %d characters)."),
                   ATX_ENV_DEV_MOCK_TOKENS, ATX_ENV_DEV_JWT_SECRET,
                   ATX_DEV_JWT_SECRET_MIN_LENGTH);
      return NULL;
    }
  if (strlen (secret) < ATX_DEV_JWT_SECRET_MIN_LENGTH)
    {
      g_set_error (error, ATX_SETTINGS_ERROR, ATX_SETTINGS_ERROR_DEV_SECRET,
                   _("%s is too short for development tokens: it must be at least %d "
                     "characters long."),
                   ATX_ENV_DEV_JWT_SECRET, ATX_DEV_JWT_SECRET_MIN_LENGTH);
      return NULL;
    }
  return g_strdup (secret);
}

/* ---- the object ---- */

static void
on_settings_changed (GSettings   *settings,
                     const char  *key,
                     AtxSettings *self)
{
  for (guint prop = PROP_0 + 1; prop < N_PROPS; prop++)
    {
      g_autoptr(GVariant) value = NULL;

      if (key != NULL && g_strcmp0 (key, keys[prop]) != 0)
        continue;

      value = g_settings_get_value (self->settings, keys[prop]);
      if (self->seen[prop] != NULL && g_variant_equal (self->seen[prop], value))
        continue;

      g_clear_pointer (&self->seen[prop], g_variant_unref);
      self->seen[prop] = g_steal_pointer (&value);
      g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
    }
}

static void
atx_settings_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  AtxSettings *self = ATX_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_JITSI_DOMAIN:
    case PROP_BACKEND_URL:
    case PROP_USER_NAME:
    case PROP_USER_EMAIL:
    case PROP_USER_ID:
      g_value_take_string (value, g_settings_get_string (self->settings, keys[prop_id]));
      break;
    case PROP_USE_JWT:
    case PROP_EMBED_CALLS:
    case PROP_LOBBY_FOR_CLIENTS:
      g_value_set_boolean (value, g_settings_get_boolean (self->settings, keys[prop_id]));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atx_settings_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  AtxSettings *self = ATX_SETTINGS (object);

  switch (prop_id)
    {
    case PROP_JITSI_DOMAIN:
    case PROP_BACKEND_URL:
    case PROP_USER_NAME:
    case PROP_USER_EMAIL:
    case PROP_USER_ID:
      {
        const char *str = g_value_get_string (value);
        g_settings_set_string (self->settings, keys[prop_id], str != NULL ? str : "");
      }
      break;
    case PROP_USE_JWT:
    case PROP_EMBED_CALLS:
    case PROP_LOBBY_FOR_CLIENTS:
      g_settings_set_boolean (self->settings, keys[prop_id], g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atx_settings_dispose (GObject *object)
{
  AtxSettings *self = ATX_SETTINGS (object);

  g_clear_signal_handler (&self->changed_id, self->settings);
  g_clear_object (&self->settings);
  for (guint i = 0; i < G_N_ELEMENTS (self->seen); i++)
    g_clear_pointer (&self->seen[i], g_variant_unref);

  G_OBJECT_CLASS (atx_settings_parent_class)->dispose (object);
}

static void
atx_settings_class_init (AtxSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = atx_settings_get_property;
  object_class->set_property = atx_settings_set_property;
  object_class->dispose = atx_settings_dispose;

  properties[PROP_JITSI_DOMAIN] =
    g_param_spec_string ("jitsi-domain", NULL, NULL, "", flags);
  properties[PROP_USE_JWT] =
    g_param_spec_boolean ("use-jwt", NULL, NULL, TRUE, flags);
  properties[PROP_BACKEND_URL] =
    g_param_spec_string ("backend-url", NULL, NULL, "", flags);
  properties[PROP_USER_NAME] =
    g_param_spec_string ("user-name", NULL, NULL, "", flags);
  properties[PROP_USER_EMAIL] =
    g_param_spec_string ("user-email", NULL, NULL, "", flags);
  properties[PROP_USER_ID] =
    g_param_spec_string ("user-id", NULL, NULL, "", flags);
  properties[PROP_EMBED_CALLS] =
    g_param_spec_boolean ("embed-calls", NULL, NULL, TRUE, flags);
  properties[PROP_LOBBY_FOR_CLIENTS] =
    g_param_spec_boolean ("lobby-for-clients", NULL, NULL, TRUE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
atx_settings_init (AtxSettings *self)
{
}

AtxSettings *
atx_settings_new (GSettings *settings)
{
  AtxSettings *self;

  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (ATX_TYPE_SETTINGS, NULL);
  self->settings = settings != NULL ? g_object_ref (settings)
                                    : g_settings_new (ATX_SETTINGS_SCHEMA_ID);

  for (guint prop = PROP_0 + 1; prop < N_PROPS; prop++)
    self->seen[prop] = g_settings_get_value (self->settings, keys[prop]);
  self->changed_id = g_signal_connect (self->settings, "changed",
                                       G_CALLBACK (on_settings_changed), self);
  return self;
}

GSettings *
atx_settings_get_gsettings (AtxSettings *self)
{
  g_return_val_if_fail (ATX_IS_SETTINGS (self), NULL);
  return self->settings;
}

static char *
dup_string (AtxSettings *self,
            guint        prop)
{
  g_return_val_if_fail (ATX_IS_SETTINGS (self), g_strdup (""));
  return g_settings_get_string (self->settings, keys[prop]);
}

static void
set_string (AtxSettings *self,
            guint        prop,
            const char  *value)
{
  g_return_if_fail (ATX_IS_SETTINGS (self));
  g_return_if_fail (value == NULL || g_utf8_validate (value, -1, NULL));
  g_settings_set_string (self->settings, keys[prop], value != NULL ? value : "");
}

static gboolean
get_boolean (AtxSettings *self,
             guint        prop)
{
  g_return_val_if_fail (ATX_IS_SETTINGS (self), FALSE);
  return g_settings_get_boolean (self->settings, keys[prop]);
}

static void
set_boolean (AtxSettings *self,
             guint        prop,
             gboolean     value)
{
  g_return_if_fail (ATX_IS_SETTINGS (self));
  g_settings_set_boolean (self->settings, keys[prop], !!value);
}

char *atx_settings_dup_jitsi_domain (AtxSettings *self) { return dup_string (self, PROP_JITSI_DOMAIN); }
void atx_settings_set_jitsi_domain (AtxSettings *self, const char *v) { set_string (self, PROP_JITSI_DOMAIN, v); }
gboolean atx_settings_get_use_jwt (AtxSettings *self) { return get_boolean (self, PROP_USE_JWT); }
void atx_settings_set_use_jwt (AtxSettings *self, gboolean v) { set_boolean (self, PROP_USE_JWT, v); }
char *atx_settings_dup_backend_url (AtxSettings *self) { return dup_string (self, PROP_BACKEND_URL); }
void atx_settings_set_backend_url (AtxSettings *self, const char *v) { set_string (self, PROP_BACKEND_URL, v); }
char *atx_settings_dup_user_name (AtxSettings *self) { return dup_string (self, PROP_USER_NAME); }
void atx_settings_set_user_name (AtxSettings *self, const char *v) { set_string (self, PROP_USER_NAME, v); }
char *atx_settings_dup_user_email (AtxSettings *self) { return dup_string (self, PROP_USER_EMAIL); }
void atx_settings_set_user_email (AtxSettings *self, const char *v) { set_string (self, PROP_USER_EMAIL, v); }
char *atx_settings_dup_user_id (AtxSettings *self) { return dup_string (self, PROP_USER_ID); }
void atx_settings_set_user_id (AtxSettings *self, const char *v) { set_string (self, PROP_USER_ID, v); }
gboolean atx_settings_get_embed_calls (AtxSettings *self) { return get_boolean (self, PROP_EMBED_CALLS); }
void atx_settings_set_embed_calls (AtxSettings *self, gboolean v) { set_boolean (self, PROP_EMBED_CALLS, v); }
gboolean atx_settings_get_lobby_for_clients (AtxSettings *self) { return get_boolean (self, PROP_LOBBY_FOR_CLIENTS); }
void atx_settings_set_lobby_for_clients (AtxSettings *self, gboolean v) { set_boolean (self, PROP_LOBBY_FOR_CLIENTS, v); }

char *
atx_settings_get_jitsi_base_url (AtxSettings *self)
{
  g_autofree char *domain = NULL;
  g_autofree char *host = NULL;

  g_return_val_if_fail (ATX_IS_SETTINGS (self), NULL);

  domain = atx_settings_dup_jitsi_domain (self);
  if (!atx_jitsi_domain_parse (domain, &host, NULL, NULL))
    return NULL;
  return g_strdup_printf ("%s://%s", atx_host_is_loopback (host) ? "http" : "https", domain);
}

char *
atx_settings_build_join_url (AtxSettings *self,
                             const char  *room)
{
  g_autofree char *base = NULL;

  g_return_val_if_fail (ATX_IS_SETTINGS (self), NULL);

  if (!atx_room_name_is_valid (room))
    return NULL;
  base = atx_settings_get_jitsi_base_url (self);
  if (base == NULL)
    return NULL;
  return g_strconcat (base, "/", room, NULL);
}

gboolean
atx_settings_is_video_configured (AtxSettings  *self,
                                  GError      **error)
{
  g_autofree char *domain = NULL;
  g_autofree char *backend_url = NULL;

  g_return_val_if_fail (ATX_IS_SETTINGS (self), FALSE);

  domain = atx_settings_dup_jitsi_domain (self);
  if (!atx_jitsi_domain_parse (domain, NULL, NULL, error))
    return FALSE;

  if (!atx_settings_get_use_jwt (self) || atx_settings_is_dev_mode ())
    return TRUE;

  backend_url = atx_settings_dup_backend_url (self);
  return atx_backend_url_validate (backend_url, error);
}

/* ---- the API key ---- */

static const SecretSchema *
api_key_schema (void)
{
  static const SecretSchema schema = {
    "org.ataraxia.Calendar.ApiKey", SECRET_SCHEMA_NONE,
    {
      { "backend-url", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };
  return &schema;
}

gboolean
atx_settings_api_key_is_overridden (void)
{
  const char *key = g_getenv (ATX_ENV_BACKEND_API_KEY);
  return key != NULL && *key != '\0';
}

/* The keyring attribute: the backend URL without a trailing slash, so that
 * "https://x/" and "https://x" share a key. */
static char *
api_key_attribute (AtxSettings *self)
{
  g_autofree char *url = atx_settings_dup_backend_url (self);
  char *stripped = g_strstrip (g_steal_pointer (&url));
  gsize len = strlen (stripped);

  while (len > 0 && stripped[len - 1] == '/')
    stripped[--len] = '\0';
  return stripped;
}

/* @failed_format: a full sentence with one %s for the keyring's reason. */
static GError *
keyring_error (GError     *error,
               const char *failed_format)
{
  gboolean unreachable;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return g_error_copy (error);

  g_debug ("Keyring error: %s", error->message);

  unreachable = error->domain == G_IO_ERROR || error->domain == G_SPAWN_ERROR ||
                g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
                g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER) ||
                g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NO_SERVER) ||
                g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_DISCONNECTED) ||
                g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NO_REPLY) ||
                g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_TIMEOUT) ||
                g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_TIMED_OUT) ||
                g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SPAWN_EXEC_FAILED) ||
                g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SPAWN_FAILED) ||
                g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SPAWN_CHILD_EXITED) ||
                g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SPAWN_SERVICE_NOT_FOUND);

  if (unreachable)
    return g_error_new (ATX_SETTINGS_ERROR, ATX_SETTINGS_ERROR_NO_SECRET_SERVICE,
                        _("No keyring is available to keep the API key safe. Start a keyring "
                          "(such as GNOME Keyring) and try again, or set the environment "
                          "variable %s."),
                        ATX_ENV_BACKEND_API_KEY);

  {
    g_autoptr(GError) copy = g_error_copy (error);

    if (g_dbus_error_is_remote_error (copy))
      g_dbus_error_strip_remote_error (copy);
    return g_error_new (ATX_SETTINGS_ERROR, ATX_SETTINGS_ERROR_SECRET_FAILED,
                        failed_format, copy->message);
  }
}

/* libsecret is loaded the first time the key is read or written. */
static gboolean
keyring_available (GTask      *task,
                   const char *failed_format)
{
  g_autoptr(GError) error = NULL;

  if (atx_lazy_libsecret_load (&error))
    return TRUE;
  g_task_return_error (task, keyring_error (error, failed_format));
  return FALSE;
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *password;

  password = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, keyring_error (error, _("The keyring could not read the API key: %s")));
      return;
    }
  if (password == NULL || *password == '\0')
    {
      g_clear_pointer (&password, secret_password_free);
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  g_task_return_pointer (task, g_strdup (password), g_free);
  secret_password_free (password);
}

void
atx_settings_get_api_key_async (AtxSettings         *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *attribute = NULL;

  g_return_if_fail (ATX_IS_SETTINGS (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, atx_settings_get_api_key_async);

  if (atx_settings_api_key_is_overridden ())
    {
      g_task_return_pointer (task, g_strdup (g_getenv (ATX_ENV_BACKEND_API_KEY)), g_free);
      return;
    }

  if (!keyring_available (task, _("The keyring could not read the API key: %s")))
    return;
  attribute = api_key_attribute (self);
  secret_password_lookup (api_key_schema (), cancellable, lookup_cb, g_steal_pointer (&task),
                          "backend-url", attribute,
                          NULL);
}

char *
atx_settings_get_api_key_finish (AtxSettings   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (ATX_IS_SETTINGS (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == atx_settings_get_api_key_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      if (error == NULL)
        g_task_return_new_error (task, ATX_SETTINGS_ERROR, ATX_SETTINGS_ERROR_SECRET_FAILED,
                                 _("The keyring did not save the API key."));
      else
        g_task_return_error (task, keyring_error (error, _("The keyring could not save the API key: %s")));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
clear_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  /* FALSE without an error only means that nothing was stored. */
  secret_password_clear_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, keyring_error (error, _("The keyring could not remove the API key: %s")));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
atx_settings_set_api_key_async (AtxSettings         *self,
                                const char          *api_key,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *attribute = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (ATX_IS_SETTINGS (self));
  g_return_if_fail (api_key != NULL && *api_key != '\0');
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, atx_settings_set_api_key_async);

  if (!keyring_available (task, _("The keyring could not save the API key: %s")))
    return;
  attribute = api_key_attribute (self);
  label = g_strdup_printf (_("Ataraxia token server API key (%s)"),
                           *attribute != '\0' ? attribute : _("no server set"));
  secret_password_store (api_key_schema (), SECRET_COLLECTION_DEFAULT, label, api_key,
                         cancellable, store_cb, g_steal_pointer (&task),
                         "backend-url", attribute,
                         NULL);
}

gboolean
atx_settings_set_api_key_finish (AtxSettings   *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (ATX_IS_SETTINGS (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == atx_settings_set_api_key_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
atx_settings_clear_api_key_async (AtxSettings         *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *attribute = NULL;

  g_return_if_fail (ATX_IS_SETTINGS (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, atx_settings_clear_api_key_async);

  if (!keyring_available (task, _("The keyring could not remove the API key: %s")))
    return;
  attribute = api_key_attribute (self);
  secret_password_clear (api_key_schema (), cancellable, clear_cb, g_steal_pointer (&task),
                         "backend-url", attribute,
                         NULL);
}

gboolean
atx_settings_clear_api_key_finish (AtxSettings   *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (ATX_IS_SETTINGS (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == atx_settings_clear_api_key_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

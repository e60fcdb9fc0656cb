/* atx-server-config.c — loading and validating the token server's GKeyFile. */
#define G_LOG_DOMAIN "atx-server-config"

#include "config.h"

#include "atx-server-config.h"
#include "core/atx-settings.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

G_DEFINE_QUARK (atx-server-config-error-quark, atx_server_config_error)

/* A secret is a short text; anything this big is a wrong path. */
#define SECRET_MAX_FILE_SIZE (64 * 1024)

struct _AtxServerConfig {
  GObject          parent_instance;

  char            *address;
  guint16          port;
  GTlsCertificate *tls_certificate;
  guint            rate_limit;
  GStrv            cors_origins;

  char            *domain;
  char            *app_id;
  char            *audience;
  GBytes          *secret;
  gint64           lifetime;
  gint64           max_lifetime;

  AtxApiKeys      *api_keys;
};

G_DEFINE_FINAL_TYPE (AtxServerConfig, atx_server_config, G_TYPE_OBJECT)

static void
atx_server_config_finalize (GObject *object)
{
  AtxServerConfig *self = ATX_SERVER_CONFIG (object);

  g_clear_pointer (&self->address, g_free);
  g_clear_object (&self->tls_certificate);
  g_clear_pointer (&self->cors_origins, g_strfreev);
  g_clear_pointer (&self->domain, g_free);
  g_clear_pointer (&self->app_id, g_free);
  g_clear_pointer (&self->audience, g_free);
  g_clear_pointer (&self->secret, g_bytes_unref);
  g_clear_object (&self->api_keys);

  G_OBJECT_CLASS (atx_server_config_parent_class)->finalize (object);
}

static void
atx_server_config_class_init (AtxServerConfigClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = atx_server_config_finalize;
}

static void
atx_server_config_init (AtxServerConfig *self)
{
}

/* ---- value readers: a missing or empty key gives the default ---- */

static char *
get_string (GKeyFile   *keyfile,
            const char *group,
            const char *key,
            const char *default_value)
{
  g_autofree char *value = g_key_file_get_string (keyfile, group, key, NULL);

  if (value == NULL)
    return g_strdup (default_value);
  g_strstrip (value);
  if (*value == '\0')
    return g_strdup (default_value);
  return g_steal_pointer (&value);
}

static gboolean
get_integer (GKeyFile    *keyfile,
             const char  *group,
             const char  *key,
             gint64       default_value,
             gint64       min,
             gint64       max,
             gint64      *out,
             GError     **error)
{
  g_autofree char *value = get_string (keyfile, group, key, NULL);
  g_autoptr(GError) local_error = NULL;
  gint64 n;

  if (value == NULL)
    {
      *out = default_value;
      return TRUE;
    }
  if (!g_ascii_string_to_signed (value, 10, min, max, &n, &local_error))
    {
      g_set_error (error, ATX_SERVER_CONFIG_ERROR, ATX_SERVER_CONFIG_ERROR_INVALID,
                   "[%s] %s=%s: %s", group, key, value, local_error->message);
      return FALSE;
    }
  *out = n;
  return TRUE;
}

static char *
resolve_path (const char *config_dir,
              const char *path)
{
  if (g_path_is_absolute (path))
    return g_strdup (path);
  return g_build_filename (config_dir, path, NULL);
}

static gboolean
is_valid_domain (const char *domain)
{
  for (const char *p = domain; *p; p++)
    {
      if (g_ascii_isspace (*p) || strchr ("/?#@\\", *p) != NULL || (guchar) *p < 0x20)
        return FALSE;
    }
  return *domain != '\0';
}

/* The one http/https rule of DESIGN.md, shared with the app. */
gboolean
atx_jitsi_domain_is_loopback (const char *domain)
{
  g_return_val_if_fail (domain != NULL, FALSE);

  return g_strcmp0 (atx_jitsi_domain_get_scheme (domain), "http") == 0;
}

static gboolean
is_valid_origin (const char *origin)
{
  const char *host;

  if (g_str_has_prefix (origin, "https://"))
    host = origin + strlen ("https://");
  else if (g_str_has_prefix (origin, "http://"))
    host = origin + strlen ("http://");
  else
    return FALSE;
  return is_valid_domain (host);
}

static GBytes *
read_secret (const char  *path,
             GError     **error)
{
  g_autofree char *data = NULL;
  struct stat st;
  gsize len = 0;
  int fd;

  fd = open (path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, ATX_SERVER_CONFIG_ERROR, ATX_SERVER_CONFIG_ERROR_READ,
                   "Cannot open the secret file %s: %s", path, g_strerror (saved_errno));
      return NULL;
    }
  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, ATX_SERVER_CONFIG_ERROR, ATX_SERVER_CONFIG_ERROR_READ,
                   "The secret file %s is not a regular file", path);
      return NULL;
    }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    {
      close (fd);
      g_set_error (error, ATX_SERVER_CONFIG_ERROR, ATX_SERVER_CONFIG_ERROR_SECRET_MODE,
                   "The secret file %s may be accessed by group or others (mode %04o): "
                   "refusing to use it; run “chmod 600 %s”",
                   path, (guint) (st.st_mode & 07777), path);
      return NULL;
    }
  if (st.st_size > SECRET_MAX_FILE_SIZE)
    {
      close (fd);
      g_set_error (error, ATX_SERVER_CONFIG_ERROR, ATX_SERVER_CONFIG_ERROR_READ,
                   "The secret file %s is larger than %d bytes: is it the right file?",
                   path, SECRET_MAX_FILE_SIZE);
      return NULL;
    }

  data = g_malloc (SECRET_MAX_FILE_SIZE + 1);
  for (;;)
    {
      ssize_t n = read (fd, data + len, SECRET_MAX_FILE_SIZE + 1 - len);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;
          close (fd);
          g_set_error (error, ATX_SERVER_CONFIG_ERROR, ATX_SERVER_CONFIG_ERROR_READ,
                       "Cannot read the secret file %s: %s", path, g_strerror (saved_errno));
          return NULL;
        }
      if (n == 0 || len + (gsize) n > SECRET_MAX_FILE_SIZE)
        {
          len += (gsize) n;
          break;
        }
      len += (gsize) n;
    }
  close (fd);
  if (len > SECRET_MAX_FILE_SIZE)
    {
      g_set_error (error, ATX_SERVER_CONFIG_ERROR, ATX_SERVER_CONFIG_ERROR_READ,
                   "The secret file %s is larger than %d bytes: is it the right file?",
                   path, SECRET_MAX_FILE_SIZE);
      return NULL;
    }

  /* The HMAC key is the file with its trailing whitespace (the newline
   * `openssl rand -hex 32 > file` leaves) removed: prosody's app_secret. */
  while (len > 0 && g_ascii_isspace (data[len - 1]))
    len--;
  if (memchr (data, '\0', len) != NULL)
    {
      g_set_error (error, ATX_SERVER_CONFIG_ERROR, ATX_SERVER_CONFIG_ERROR_INVALID,
                   "The secret file %s contains a NUL byte: prosody's app_secret is a text; "
                   "generate one with “openssl rand -hex 32”", path);
      return NULL;
    }
  if (len < ATX_SERVER_SECRET_MIN_LENGTH)
    {
      g_set_error (error, ATX_SERVER_CONFIG_ERROR, ATX_SERVER_CONFIG_ERROR_SECRET_TOO_SHORT,
                   "The secret in %s is %" G_GSIZE_FORMAT " bytes long: at least %d are needed; "
                   "generate one with “openssl rand -hex 32”",
                   path, len, ATX_SERVER_SECRET_MIN_LENGTH);
      return NULL;
    }

  return g_bytes_new_take (g_realloc (g_steal_pointer (&data), len), len);
}

static void
warn_unknown_keys (GKeyFile *keyfile)
{
  static const char * const known[] = {
    "server/address", "server/port", "server/tls-certificate", "server/tls-key",
    "server/rate-limit", "server/cors-origins",
    "jitsi/domain", "jitsi/app-id", "jitsi/audience", "jitsi/secret-file",
    "jitsi/lifetime", "jitsi/max-lifetime",
  };
  g_auto(GStrv) groups = g_key_file_get_groups (keyfile, NULL);

  for (guint i = 0; groups[i]; i++)
    {
      g_auto(GStrv) keys = NULL;

      if (g_str_equal (groups[i], "api-keys"))
        continue;
      if (!g_str_equal (groups[i], "server") && !g_str_equal (groups[i], "jitsi"))
        {
          g_printerr ("ataraxia-token-server: warning: ignoring unknown group [%s]\n", groups[i]);
          continue;
        }
      keys = g_key_file_get_keys (keyfile, groups[i], NULL, NULL);
      for (guint j = 0; keys && keys[j]; j++)
        {
          g_autofree char *full = g_strconcat (groups[i], "/", keys[j], NULL);

          if (!g_strv_contains (known, full))
            g_printerr ("ataraxia-token-server: warning: ignoring unknown key %s in [%s]\n",
                        keys[j], groups[i]);
        }
    }
}

static gboolean
load_server_group (AtxServerConfig  *self,
                   GKeyFile         *keyfile,
                   const char       *config_dir,
                   GError          **error)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *cert_path = NULL;
  g_autofree char *key_path = NULL;
  g_autofree char *origins = NULL;
  g_autoptr(GPtrArray) origin_list = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 n;

  self->address = get_string (keyfile, "server", "address", "127.0.0.1");
  address = g_inet_address_new_from_string (self->address);
  if (address == NULL)
    {
      g_set_error (error, ATX_SERVER_CONFIG_ERROR, ATX_SERVER_CONFIG_ERROR_INVALID,
                   "[server] address=%s is not an IPv4 or IPv6 address", self->address);
      return FALSE;
    }

  if (!get_integer (keyfile, "server", "port", 3001, 0, 65535, &n, error))
    return FALSE;
  self->port = (guint16) n;

  if (!get_integer (keyfile, "server", "rate-limit", 100, 0, G_MAXINT32, &n, error))
    return FALSE;
  self->rate_limit = (guint) n;

  cert_path = get_string (keyfile, "server", "tls-certificate", NULL);
  key_path = get_string (keyfile, "server", "tls-key", NULL);
  if ((cert_path == NULL) != (key_path == NULL))
    {
      g_set_error_literal (error, ATX_SERVER_CONFIG_ERROR, ATX_SERVER_CONFIG_ERROR_TLS,
                           "[server] tls-certificate and tls-key go together: set both or neither");
      return FALSE;
    }
  if (cert_path != NULL)
    {
      g_autofree char *cert_file = resolve_path (config_dir, cert_path);
      g_autofree char *key_file = resolve_path (config_dir, key_path);

      self->tls_certificate = g_tls_certificate_new_from_files (cert_file, key_file, &local_error);
      if (self->tls_certificate == NULL)
        {
          g_set_error (error, ATX_SERVER_CONFIG_ERROR, ATX_SERVER_CONFIG_ERROR_TLS,
                       "Cannot load the TLS certificate %s with key %s: %s",
                       cert_file, key_file, local_error->message);
          return FALSE;
        }
    }

  origins = get_string (keyfile, "server", "cors-origins", "");
  origin_list = g_ptr_array_new_with_free_func (g_free);
  if (*origins != '\0')
    {
      g_auto(GStrv) parts = g_strsplit (origins, ";", -1);

      for (guint i = 0; parts[i]; i++)
        {
          char *origin = g_strstrip (parts[i]);

          if (*origin == '\0')
            continue;
          if (!is_valid_origin (origin))
            {
              g_set_error (error, ATX_SERVER_CONFIG_ERROR, ATX_SERVER_CONFIG_ERROR_INVALID,
                           "[server] cors-origins: “%s” is not an origin like "
                           "https://calendar.example.org (scheme, host, optional port, no path)",
                           origin);
              return FALSE;
            }
          g_ptr_array_add (origin_list, g_strdup (origin));
        }
    }
  g_ptr_array_add (origin_list, NULL);
  self->cors_origins = (GStrv) g_ptr_array_free (g_steal_pointer (&origin_list), FALSE);

  return TRUE;
}

static gboolean
load_jitsi_group (AtxServerConfig  *self,
                  GKeyFile         *keyfile,
                  const char       *config_dir,
                  GError          **error)
{
  g_autofree char *secret_file = NULL;
  g_autofree char *secret_path = NULL;

  self->domain = get_string (keyfile, "jitsi", "domain", NULL);
  if (self->domain == NULL || !is_valid_domain (self->domain) || strstr (self->domain, "://"))
    {
      g_set_error_literal (error, ATX_SERVER_CONFIG_ERROR, ATX_SERVER_CONFIG_ERROR_INVALID,
                           "[jitsi] domain must be the Jitsi server's host[:port], "
                           "e.g. meet.example.org (no scheme, no path)");
      return FALSE;
    }
  self->app_id = get_string (keyfile, "jitsi", "app-id", NULL);
  if (self->app_id == NULL)
    {
      g_set_error_literal (error, ATX_SERVER_CONFIG_ERROR, ATX_SERVER_CONFIG_ERROR_INVALID,
                           "[jitsi] app-id is required: prosody's app_id");
      return FALSE;
    }
  self->audience = get_string (keyfile, "jitsi", "audience", "jitsi");

  if (!get_integer (keyfile, "jitsi", "lifetime", 7200, 60, G_MAXINT32, &self->lifetime, error) ||
      !get_integer (keyfile, "jitsi", "max-lifetime", 86400, 60, G_MAXINT32, &self->max_lifetime, error))
    return FALSE;
  if (self->lifetime > self->max_lifetime)
    {
      g_set_error (error, ATX_SERVER_CONFIG_ERROR, ATX_SERVER_CONFIG_ERROR_INVALID,
                   "[jitsi] lifetime=%" G_GINT64_FORMAT " is longer than max-lifetime=%" G_GINT64_FORMAT,
                   self->lifetime, self->max_lifetime);
      return FALSE;
    }

  secret_file = get_string (keyfile, "jitsi", "secret-file", NULL);
  if (secret_file == NULL)
    {
      g_set_error_literal (error, ATX_SERVER_CONFIG_ERROR, ATX_SERVER_CONFIG_ERROR_INVALID,
                           "[jitsi] secret-file is required (create it with "
                           "“openssl rand -hex 32 > jwt-secret && chmod 600 jwt-secret”)");
      return FALSE;
    }
  secret_path = resolve_path (config_dir, secret_file);
  self->secret = read_secret (secret_path, error);
  return self->secret != NULL;
}

static gboolean
load_api_keys (AtxServerConfig  *self,
               GKeyFile         *keyfile,
               GError          **error)
{
  g_auto(GStrv) hashes = g_key_file_get_keys (keyfile, "api-keys", NULL, NULL);

  self->api_keys = atx_api_keys_new (self->rate_limit);
  for (guint i = 0; hashes && hashes[i]; i++)
    {
      g_autofree char *role = get_string (keyfile, "api-keys", hashes[i], "");

      if (!atx_api_keys_add (self->api_keys, hashes[i], role, error))
        {
          g_prefix_error (error, "[api-keys]: ");
          return FALSE;
        }
    }
  if (atx_api_keys_get_n_keys (self->api_keys) == 0)
    {
      g_set_error_literal (error, ATX_SERVER_CONFIG_ERROR, ATX_SERVER_CONFIG_ERROR_INVALID,
                           "[api-keys] is empty: add “<sha256 of a key>=therapist” "
                           "(see the README for how to make a key)");
      return FALSE;
    }
  return TRUE;
}

AtxServerConfig *
atx_server_config_load (const char  *path,
                        GError     **error)
{
  g_autoptr(AtxServerConfig) self = NULL;
  g_autoptr(GKeyFile) keyfile = g_key_file_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *absolute = NULL;
  g_autofree char *config_dir = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_key_file_load_from_file (keyfile, path, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, ATX_SERVER_CONFIG_ERROR, ATX_SERVER_CONFIG_ERROR_READ,
                   "Cannot read the configuration %s: %s", path, local_error->message);
      return NULL;
    }

  absolute = g_canonicalize_filename (path, NULL);
  config_dir = g_path_get_dirname (absolute);

  self = g_object_new (ATX_TYPE_SERVER_CONFIG, NULL);
  warn_unknown_keys (keyfile);
  if (!load_server_group (self, keyfile, config_dir, error) ||
      !load_jitsi_group (self, keyfile, config_dir, error) ||
      !load_api_keys (self, keyfile, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
atx_server_config_get_address (AtxServerConfig *self)
{
  g_return_val_if_fail (ATX_IS_SERVER_CONFIG (self), NULL);
  return self->address;
}

guint16
atx_server_config_get_port (AtxServerConfig *self)
{
  g_return_val_if_fail (ATX_IS_SERVER_CONFIG (self), 0);
  return self->port;
}

GTlsCertificate *
atx_server_config_get_tls_certificate (AtxServerConfig *self)
{
  g_return_val_if_fail (ATX_IS_SERVER_CONFIG (self), NULL);
  return self->tls_certificate;
}

guint
atx_server_config_get_rate_limit (AtxServerConfig *self)
{
  g_return_val_if_fail (ATX_IS_SERVER_CONFIG (self), 0);
  return self->rate_limit;
}

const char * const *
atx_server_config_get_cors_origins (AtxServerConfig *self)
{
  g_return_val_if_fail (ATX_IS_SERVER_CONFIG (self), NULL);
  return (const char * const *) self->cors_origins;
}

const char *
atx_server_config_get_domain (AtxServerConfig *self)
{
  g_return_val_if_fail (ATX_IS_SERVER_CONFIG (self), NULL);
  return self->domain;
}

const char *
atx_server_config_get_app_id (AtxServerConfig *self)
{
  g_return_val_if_fail (ATX_IS_SERVER_CONFIG (self), NULL);
  return self->app_id;
}

const char *
atx_server_config_get_audience (AtxServerConfig *self)
{
  g_return_val_if_fail (ATX_IS_SERVER_CONFIG (self), NULL);
  return self->audience;
}

GBytes *
atx_server_config_get_secret (AtxServerConfig *self)
{
  g_return_val_if_fail (ATX_IS_SERVER_CONFIG (self), NULL);
  return self->secret;
}

gint64
atx_server_config_get_lifetime (AtxServerConfig *self)
{
  g_return_val_if_fail (ATX_IS_SERVER_CONFIG (self), 0);
  return self->lifetime;
}

gint64
atx_server_config_get_max_lifetime (AtxServerConfig *self)
{
  g_return_val_if_fail (ATX_IS_SERVER_CONFIG (self), 0);
  return self->max_lifetime;
}

AtxApiKeys *
atx_server_config_get_api_keys (AtxServerConfig *self)
{
  g_return_val_if_fail (ATX_IS_SERVER_CONFIG (self), NULL);
  return self->api_keys;
}

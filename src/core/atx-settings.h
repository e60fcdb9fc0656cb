/* atx-settings.h — the app's settings: GSettings `org.ataraxia.Calendar`.
 *
 * GSettings is the only source of truth; AtxSettings mirrors each key as a
 * property (notified when the key really changes) and adds the rules built on
 * top of them (DESIGN.md, "Settings" and "Video calls"): the one http/https
 * rule for URLs built from the Jitsi domain, backend URL validation, whether
 * video calls are configured, the backend API key kept with libsecret, and
 * the explicit development mode with locally signed mock tokens.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define ATX_SETTINGS_SCHEMA_ID "org.ataraxia.Calendar"

/* Environment variables of DESIGN.md. */
#define ATX_ENV_BACKEND_API_KEY "ATARAXIA_BACKEND_API_KEY"
#define ATX_ENV_DEV_MOCK_TOKENS "ATARAXIA_DEV_MOCK_TOKENS"
#define ATX_ENV_DEV_JWT_SECRET  "ATARAXIA_DEV_JWT_SECRET"

/* Shortest development secret accepted (same rule as the token server). */
#define ATX_DEV_JWT_SECRET_MIN_LENGTH 32

#define ATX_SETTINGS_ERROR (atx_settings_error_quark ())

typedef enum {
  ATX_SETTINGS_ERROR_INVALID_URL,        /* not an http(s) URL of a server */
  ATX_SETTINGS_ERROR_INSECURE_URL,       /* http to a host that is not this computer */
  ATX_SETTINGS_ERROR_INVALID_DOMAIN,     /* jitsi-domain is not host[:port] */
  ATX_SETTINGS_ERROR_NO_SECRET_SERVICE,  /* no keyring (Secret Service / portal) reachable */
  ATX_SETTINGS_ERROR_SECRET_FAILED,      /* the keyring answered with an error */
  ATX_SETTINGS_ERROR_DEV_SECRET,         /* development mode without a usable secret */
} AtxSettingsError;

GQuark atx_settings_error_quark (void);

/* ---- rules that need no settings object ---- */

/* TRUE for 127.0.0.0/8, ::1 (with or without brackets) and "localhost"
 * (any case). A host only: no port. */
gboolean  atx_host_is_loopback (const char *host);

/* Checks that @domain is host[:port] (a DNS name, an IPv4 address or a
 * bracketed IPv6 address) and returns the host part (brackets removed) and
 * the port (-1 when none). Both out arguments may be NULL. */
gboolean  atx_jitsi_domain_parse (const char  *domain,
                                  char       **out_host,
                                  int         *out_port,
                                  GError     **error);

/* "http" when @domain's host is loopback, "https" otherwise (also for an
 * invalid domain: never downgrade by accident). */
const char *atx_jitsi_domain_get_scheme (const char *domain);

/* A parseable http(s) URL of a server, no user name/password, query or
 * fragment; https unless the host is loopback. */
gboolean  atx_backend_url_validate (const char  *url,
                                    GError     **error);

/* ---- development mode ---- */

/* TRUE when ATARAXIA_DEV_MOCK_TOKENS=1 (the window shows a banner). */
gboolean  atx_settings_is_dev_mode (void);

/* The mock token secret: NULL without error outside development mode; in
 * development mode the value of ATARAXIA_DEV_JWT_SECRET, or NULL with
 * ATX_SETTINGS_ERROR_DEV_SECRET when it is missing or shorter than
 * ATX_DEV_JWT_SECRET_MIN_LENGTH bytes. */
char     *atx_settings_get_dev_mock_secret (GError **error);

/* ---- the settings object ---- */

#define ATX_TYPE_SETTINGS (atx_settings_get_type ())
G_DECLARE_FINAL_TYPE (AtxSettings, atx_settings, ATX, SETTINGS, GObject)

/* @settings: a GSettings of schema org.ataraxia.Calendar (tests pass one on a
 * memory backend), or NULL for g_settings_new (ATX_SETTINGS_SCHEMA_ID). */
AtxSettings *atx_settings_new (GSettings *settings);

/* The wrapped GSettings, e.g. for g_settings_bind () in Preferences. */
GSettings   *atx_settings_get_gsettings (AtxSettings *self);

/* Properties "jitsi-domain", "use-jwt", "backend-url", "user-name",
 * "user-email", "user-id", "embed-calls", "lobby-for-clients": read/write,
 * backed by the key of the same name. Strings are returned newly allocated
 * (never NULL) because another process may change the key at any time. */
char     *atx_settings_dup_jitsi_domain      (AtxSettings *self);
void      atx_settings_set_jitsi_domain      (AtxSettings *self, const char *domain);
gboolean  atx_settings_get_use_jwt           (AtxSettings *self);
void      atx_settings_set_use_jwt           (AtxSettings *self, gboolean use_jwt);
char     *atx_settings_dup_backend_url       (AtxSettings *self);
void      atx_settings_set_backend_url       (AtxSettings *self, const char *url);
char     *atx_settings_dup_user_name         (AtxSettings *self);
void      atx_settings_set_user_name         (AtxSettings *self, const char *name);
char     *atx_settings_dup_user_email        (AtxSettings *self);
void      atx_settings_set_user_email        (AtxSettings *self, const char *email);
char     *atx_settings_dup_user_id           (AtxSettings *self);
void      atx_settings_set_user_id           (AtxSettings *self, const char *id);
gboolean  atx_settings_get_embed_calls       (AtxSettings *self);
void      atx_settings_set_embed_calls       (AtxSettings *self, gboolean embed_calls);
gboolean  atx_settings_get_lobby_for_clients (AtxSettings *self);
void      atx_settings_set_lobby_for_clients (AtxSettings *self, gboolean lobby);

/* "<scheme>://<jitsi-domain>" (no trailing slash), or NULL when the domain is
 * empty or invalid. */
char     *atx_settings_get_jitsi_base_url (AtxSettings *self);

/* "<scheme>://<jitsi-domain>/<room>", or NULL when the domain is not usable
 * or @room is not a valid room name. */
char     *atx_settings_build_join_url (AtxSettings *self,
                                       const char  *room);

/* A valid jitsi-domain and, when use-jwt is on (outside development mode,
 * where tokens are signed locally), a valid backend-url. On FALSE, @error
 * (optional) says what is missing, for the "Set up video calls" prompt. */
gboolean  atx_settings_is_video_configured (AtxSettings  *self,
                                            GError      **error);

/* ---- the backend API key (libsecret) ---- */

/* TRUE when ATARAXIA_BACKEND_API_KEY is set (non-empty): it overrides the
 * stored key, and Preferences should say so. */
gboolean  atx_settings_api_key_is_overridden (void);

/* The key for the current backend-url: the environment override if set,
 * otherwise the one stored in the keyring. finish returns NULL without an
 * error when none is stored; ATX_SETTINGS_ERROR_NO_SECRET_SERVICE when no
 * keyring is reachable (the message mentions the environment variable). */
void      atx_settings_get_api_key_async  (AtxSettings          *self,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
char     *atx_settings_get_api_key_finish (AtxSettings          *self,
                                           GAsyncResult         *result,
                                           GError              **error);

/* Stores @api_key (non-empty) in the keyring for the current backend-url. */
void      atx_settings_set_api_key_async  (AtxSettings          *self,
                                           const char           *api_key,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean  atx_settings_set_api_key_finish (AtxSettings          *self,
                                           GAsyncResult         *result,
                                           GError              **error);

/* Removes the stored key for the current backend-url (TRUE also when there
 * was none). */
void      atx_settings_clear_api_key_async  (AtxSettings          *self,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean  atx_settings_clear_api_key_finish (AtxSettings          *self,
                                             GAsyncResult         *result,
                                             GError              **error);

G_END_DECLS

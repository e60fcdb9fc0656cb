/* atx-server-config.h — ataraxia-token-server's configuration file (DESIGN.md).
 *
 * Loaded once at start: the GKeyFile is validated, the HMAC secret read from
 * its file (refused when group/other may access it or it is too short), the
 * TLS certificate loaded and the API key table built, so that no request ever
 * touches the file system.
 */
#pragma once

#include <gio/gio.h>

#include "atx-api-keys.h"

G_BEGIN_DECLS

#define ATX_SERVER_CONFIG_ERROR (atx_server_config_error_quark ())

typedef enum {
  ATX_SERVER_CONFIG_ERROR_READ,            /* the file cannot be read or parsed */
  ATX_SERVER_CONFIG_ERROR_INVALID,         /* a value is missing or wrong */
  ATX_SERVER_CONFIG_ERROR_SECRET_MODE,     /* secret file accessible by group/others */
  ATX_SERVER_CONFIG_ERROR_SECRET_TOO_SHORT,
  ATX_SERVER_CONFIG_ERROR_TLS,
} AtxServerConfigError;

GQuark atx_server_config_error_quark (void);

/* The secret must have at least this many bytes after trimming. */
#define ATX_SERVER_SECRET_MIN_LENGTH 32

#define ATX_TYPE_SERVER_CONFIG (atx_server_config_get_type ())
G_DECLARE_FINAL_TYPE (AtxServerConfig, atx_server_config, ATX, SERVER_CONFIG, GObject)

AtxServerConfig    *atx_server_config_load               (const char      *path,
                                                          GError         **error);

const char         *atx_server_config_get_address        (AtxServerConfig *self);
guint16             atx_server_config_get_port           (AtxServerConfig *self);
GTlsCertificate    *atx_server_config_get_tls_certificate (AtxServerConfig *self);
guint               atx_server_config_get_rate_limit     (AtxServerConfig *self);
const char * const *atx_server_config_get_cors_origins   (AtxServerConfig *self);
const char         *atx_server_config_get_domain         (AtxServerConfig *self);
const char         *atx_server_config_get_app_id         (AtxServerConfig *self);
const char         *atx_server_config_get_audience       (AtxServerConfig *self);
GBytes             *atx_server_config_get_secret         (AtxServerConfig *self);
gint64              atx_server_config_get_lifetime       (AtxServerConfig *self);
gint64              atx_server_config_get_max_lifetime   (AtxServerConfig *self);
AtxApiKeys         *atx_server_config_get_api_keys       (AtxServerConfig *self);

/* TRUE when the host part of a Jitsi "host[:port]" is a loopback address
 * (127.0.0.0/8, localhost, [::1]): such a domain is reached over http. */
gboolean            atx_jitsi_domain_is_loopback         (const char      *domain);

G_END_DECLS

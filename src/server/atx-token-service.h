/* atx-token-service.h — what the token backend's API does, without HTTP.
 *
 * Each call takes the parsed JSON request, the caller's role and the current
 * time, and returns the JSON answer of DESIGN.md or an error whose code is the
 * contract's `error` string. AtxTokenServer maps these to HTTP.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "atx-api-keys.h"
#include "atx-server-config.h"

G_BEGIN_DECLS

#define ATX_TOKEN_SERVICE_ERROR (atx_token_service_error_quark ())

typedef enum {
  ATX_TOKEN_SERVICE_ERROR_INVALID_JSON,   /* 400 invalid-json */
  ATX_TOKEN_SERVICE_ERROR_MISSING_FIELD,  /* 400 missing-field */
  ATX_TOKEN_SERVICE_ERROR_INVALID_FIELD,  /* 400 invalid-field */
  ATX_TOKEN_SERVICE_ERROR_FIELD_TOO_LONG, /* 400 field-too-long */
  ATX_TOKEN_SERVICE_ERROR_INVALID_ROOM,   /* 400 invalid-room */
  ATX_TOKEN_SERVICE_ERROR_FORBIDDEN,      /* 403 forbidden */
  ATX_TOKEN_SERVICE_ERROR_INTERNAL,       /* 500 internal */
} AtxTokenServiceError;

GQuark      atx_token_service_error_quark      (void);
const char *atx_token_service_error_to_code    (AtxTokenServiceError code);
guint       atx_token_service_error_to_status  (AtxTokenServiceError code);

/* Longest userName, userEmail and userId accepted, in bytes. */
#define ATX_TOKEN_SERVICE_MAX_FIELD_LENGTH 256
/* Most participants one create-room request may ask tokens for. */
#define ATX_TOKEN_SERVICE_MAX_PARTICIPANTS 100

#define ATX_TYPE_TOKEN_SERVICE (atx_token_service_get_type ())
G_DECLARE_FINAL_TYPE (AtxTokenService, atx_token_service, ATX, TOKEN_SERVICE, GObject)

AtxTokenService *atx_token_service_new            (AtxServerConfig  *config);

JsonNode        *atx_token_service_generate_token (AtxTokenService  *self,
                                                   JsonNode         *request,
                                                   AtxApiRole        role,
                                                   gint64            now,
                                                   GError          **error);
JsonNode        *atx_token_service_create_room    (AtxTokenService  *self,
                                                   JsonNode         *request,
                                                   AtxApiRole        role,
                                                   gint64            now,
                                                   GError          **error);
JsonNode        *atx_token_service_validate_token (AtxTokenService  *self,
                                                   JsonNode         *request,
                                                   gint64            now,
                                                   GError          **error);

G_END_DECLS

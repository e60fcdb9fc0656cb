/* atx-token-client.h — the client of the practice's token backend.
 *
 * Speaks the "Token backend HTTP contract" of DESIGN.md over one SoupSession
 * (the app makes one client). Every answer is checked field by field before
 * anything of it is used: a token must be a JWT for the requested room that
 * has not expired, the room and join URL must be the ones asked for. Errors
 * are ATX_TOKEN_ERROR with messages written for the therapist.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define ATX_TOKEN_ERROR (atx_token_error_quark ())

typedef enum {
  ATX_TOKEN_ERROR_NETWORK,        /* could not connect (refused, DNS, unreachable, dropped) */
  ATX_TOKEN_ERROR_TIMEOUT,        /* no complete answer within the timeout */
  ATX_TOKEN_ERROR_TLS,            /* certificate or TLS handshake problem */
  ATX_TOKEN_ERROR_UNAUTHORIZED,   /* 401: API key missing or unknown */
  ATX_TOKEN_ERROR_FORBIDDEN,      /* 403: key may not request this */
  ATX_TOKEN_ERROR_RATE_LIMITED,   /* 429 */
  ATX_TOKEN_ERROR_SERVER_ERROR,   /* 5xx */
  ATX_TOKEN_ERROR_BAD_RESPONSE,   /* any answer that is not what the contract says */
  ATX_TOKEN_ERROR_NOT_CONFIGURED, /* no/invalid backend URL or Jitsi server, no API key */
  ATX_TOKEN_ERROR_INSECURE_URL,   /* http:// to a host that is not loopback */
  ATX_TOKEN_ERROR_INVALID_REQUEST,/* nothing sent: invalid room name or user details,
                                   * an invite for an appointment long over */
} AtxTokenError;

GQuark atx_token_error_quark (void);

/* Default for the "timeout" property, in seconds. */
#define ATX_TOKEN_CLIENT_DEFAULT_TIMEOUT 10
/* Largest answer body read; anything bigger is ATX_TOKEN_ERROR_BAD_RESPONSE. */
#define ATX_TOKEN_CLIENT_MAX_BODY (64 * 1024)

/* One token of an answer. join_url is the bare "<scheme>://<domain>/<room>". */
typedef struct {
  char      *token;
  char      *room_name;
  char      *join_url;
  GDateTime *expires_at;
} AtxTokenResult;

AtxTokenResult *atx_token_result_copy (const AtxTokenResult *result);
void            atx_token_result_free (AtxTokenResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtxTokenResult, atx_token_result_free)

/* What generate-token asks for. not_before/expires_at are optional (NULL). */
typedef struct {
  const char *room_name;
  const char *user_name;
  const char *user_email;
  const char *user_id;
  gboolean    is_moderator;
  GDateTime  *not_before;
  GDateTime  *expires_at;
} AtxTokenRequest;

/* One person of a create-room request. */
typedef struct {
  const char *user_name;
  const char *user_email;
  const char *user_id;
  gboolean    is_moderator;
} AtxTokenParticipant;

/* The create-room answer; tokens (AtxTokenResult*) in the order of the
 * participants asked for. */
typedef struct {
  char      *room_name;
  char      *join_url;
  GPtrArray *tokens;
} AtxRoomResult;

void atx_room_result_free (AtxRoomResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtxRoomResult, atx_room_result_free)

/* The validate-token answer. reason is set only when !valid; room_name,
 * is_moderator and expires_at only when valid. */
typedef struct {
  gboolean   valid;
  char      *reason;
  char      *room_name;
  gboolean   is_moderator;
  GDateTime *expires_at;
} AtxTokenValidation;

void atx_token_validation_free (AtxTokenValidation *validation);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtxTokenValidation, atx_token_validation_free)

#define ATX_TYPE_TOKEN_CLIENT (atx_token_client_get_type ())
G_DECLARE_FINAL_TYPE (AtxTokenClient, atx_token_client, ATX, TOKEN_CLIENT, GObject)

/* Properties: "base-url" (the backend-url setting), "api-key" (sent as
 * `Authorization: Bearer`, never logged), "timeout" (seconds for a whole
 * request, default 10). Requests read them when they start. */
AtxTokenClient *atx_token_client_new (const char *base_url,
                                      const char *api_key);

const char *atx_token_client_get_base_url (AtxTokenClient *self);
void        atx_token_client_set_base_url (AtxTokenClient *self,
                                           const char     *base_url);
void        atx_token_client_set_api_key  (AtxTokenClient *self,
                                           const char     *api_key);
guint       atx_token_client_get_timeout  (AtxTokenClient *self);
void        atx_token_client_set_timeout  (AtxTokenClient *self,
                                           guint           seconds);

/* POST /api/jitsi/generate-token. */
void            atx_token_client_generate_token_async  (AtxTokenClient        *self,
                                                        const AtxTokenRequest *request,
                                                        GCancellable          *cancellable,
                                                        GAsyncReadyCallback    callback,
                                                        gpointer               user_data);
AtxTokenResult *atx_token_client_generate_token_finish (AtxTokenClient        *self,
                                                        GAsyncResult          *result,
                                                        GError               **error);

/* POST /api/jitsi/create-room. @room_name NULL lets the server pick one. */
void            atx_token_client_create_room_async  (AtxTokenClient            *self,
                                                     const char                *room_name,
                                                     const AtxTokenParticipant *participants,
                                                     guint                      n_participants,
                                                     GDateTime                 *not_before,
                                                     GDateTime                 *expires_at,
                                                     GCancellable              *cancellable,
                                                     GAsyncReadyCallback        callback,
                                                     gpointer                   user_data);
AtxRoomResult  *atx_token_client_create_room_finish (AtxTokenClient            *self,
                                                     GAsyncResult              *result,
                                                     GError                   **error);

/* POST /api/jitsi/validate-token. An invalid token is a successful answer
 * with valid FALSE and a reason, not an error. */
void                atx_token_client_validate_token_async  (AtxTokenClient      *self,
                                                            const char          *token,
                                                            GCancellable        *cancellable,
                                                            GAsyncReadyCallback  callback,
                                                            gpointer             user_data);
AtxTokenValidation *atx_token_client_validate_token_finish (AtxTokenClient      *self,
                                                            GAsyncResult        *result,
                                                            GError             **error);

/* GET /healthz (no API key needed): TRUE when it answers {"status": "ok"}. */
void     atx_token_client_check_health_async  (AtxTokenClient      *self,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
gboolean atx_token_client_check_health_finish (AtxTokenClient      *self,
                                               GAsyncResult        *result,
                                               GError             **error);

G_END_DECLS

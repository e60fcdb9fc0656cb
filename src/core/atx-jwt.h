/* atx-jwt.h — the Jitsi call tokens (JWT, HS256) of DESIGN.md.
 *
 * Signing goes through libjwt; verification is done here, in full, because
 * libjwt 1.10's jwt_decode() checks no claim and skips the signature when it
 * is given no key. Shared by the token server and the app (development mock
 * tokens, and deciding whether a cached token must be refreshed).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ATX_JWT_ERROR (atx_jwt_error_quark ())

/* One code per `reason` of the validate-token answer (DESIGN.md), in the order
 * the checks run. atx_jwt_error_to_reason() gives the contract's string. */
typedef enum {
  ATX_JWT_ERROR_MALFORMED,       /* "malformed": not three base64url JSON parts, bad claim types */
  ATX_JWT_ERROR_BAD_ALGORITHM,   /* "bad-algorithm": header alg is not exactly HS256 */
  ATX_JWT_ERROR_BAD_SIGNATURE,   /* "bad-signature": missing or wrong HMAC */
  ATX_JWT_ERROR_MISSING_EXP,     /* "missing-exp" */
  ATX_JWT_ERROR_EXPIRED,         /* "expired": exp <= now */
  ATX_JWT_ERROR_NOT_YET_VALID,   /* "not-yet-valid": nbf > now */
  ATX_JWT_ERROR_WRONG_AUDIENCE,  /* "wrong-audience" */
  ATX_JWT_ERROR_WRONG_ISSUER,    /* "wrong-issuer" */
  ATX_JWT_ERROR_WRONG_SUBJECT,   /* "wrong-subject" */
  ATX_JWT_ERROR_BAD_ROOM,        /* "bad-room": missing, invalid or another room */
  ATX_JWT_ERROR_BAD_MODERATOR,   /* "bad-moderator": missing, not a bool, or inconsistent */
} AtxJwtError;

GQuark      atx_jwt_error_quark     (void);
const char *atx_jwt_error_to_reason (AtxJwtError code);

/* Longest token any function here accepts; longer is ATX_JWT_ERROR_MALFORMED. */
#define ATX_JWT_MAX_TOKEN_LENGTH 8192

typedef struct {
  const char *issuer;     /* iss: the Jitsi app_id */
  const char *audience;   /* aud */
  const char *subject;    /* sub: the Jitsi domain */
  const char *room;       /* room: a valid room name */
  const char *user_id;    /* context.user.id */
  const char *user_name;  /* context.user.name */
  const char *user_email; /* context.user.email */
  gboolean    moderator;  /* moderator and context.user.moderator */
  gint64      issued_at;  /* iat, seconds since the epoch */
  gint64      not_before; /* nbf */
  gint64      expires_at; /* exp */
} AtxJwtSignParams;

char *atx_jwt_sign (const AtxJwtSignParams *params,
                    const guint8           *key,
                    gsize                   key_len);

/* What a verified token must say. NULL members are not checked, except that a
 * NULL @room still requires a valid room name. */
typedef struct {
  const char *issuer;
  const char *audience;
  const char *subject;
  const char *room;
} AtxJwtExpectations;

typedef struct {
  char     *issuer;
  char     *audience;
  char     *subject;
  char     *room;
  char     *user_id;    /* NULL when the token has none */
  char     *user_name;
  char     *user_email;
  gboolean  moderator;
  gint64    issued_at;  /* 0 when absent */
  gint64    not_before; /* 0 when absent */
  gint64    expires_at;
} AtxJwtClaims;

void atx_jwt_claims_free (AtxJwtClaims *claims);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtxJwtClaims, atx_jwt_claims_free)

/* Verifies @token completely against @key at time @now (seconds since the
 * epoch). Returns the claims, or NULL with an ATX_JWT_ERROR. */
AtxJwtClaims *atx_jwt_verify (const char               *token,
                              const guint8             *key,
                              gsize                     key_len,
                              const AtxJwtExpectations *expect,
                              gint64                    now,
                              GError                  **error);

/* Reads exp, room and moderator WITHOUT checking the signature or any claim:
 * only for deciding whether a cached token is worth keeping. Never use the
 * result to grant anything. Missing room gives NULL, missing moderator FALSE;
 * a missing exp is ATX_JWT_ERROR_MISSING_EXP, anything unreadable
 * ATX_JWT_ERROR_MALFORMED (or BAD_ROOM / BAD_MODERATOR for those of the wrong
 * type). */
gboolean atx_jwt_peek_unverified (const char *token,
                                  gint64     *out_expires_at,
                                  char      **out_room,
                                  gboolean   *out_moderator,
                                  GError    **error);

G_END_DECLS

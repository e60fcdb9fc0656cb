/* atx-join-token.h — which call token to use when joining, and invite links.
 *
 * A token stored in an appointment is only a cache (DESIGN.md, "Video
 * calls"): it is reused only when it is a moderator token for the
 * appointment's room that stays valid for at least five more minutes;
 * otherwise a fresh one is fetched from the backend (or, in explicit
 * development mode, signed locally) and stored. Nothing here ever falls back
 * to mock tokens when the backend fails.
 */
#pragma once

#include "atx-appointment-store.h"
#include "atx-settings.h"
#include "atx-token-client.h"

G_BEGIN_DECLS

/* A cached token is reused only if it stays valid this long. */
#define ATX_JOIN_TOKEN_MIN_REMAINING (5 * G_TIME_SPAN_MINUTE)
/* Lifetime of development tokens (the backend's default). */
#define ATX_JOIN_TOKEN_DEV_LIFETIME (2 * G_TIME_SPAN_HOUR)
/* The client invite window: from 15 minutes before start to 1 hour after end. */
#define ATX_INVITE_LEAD_TIME (15 * G_TIME_SPAN_MINUTE)
#define ATX_INVITE_GRACE_TIME (1 * G_TIME_SPAN_HOUR)

/* Claims of development tokens (what the token server signs by default). */
#define ATX_DEV_TOKEN_ISSUER "ataraxia"
#define ATX_DEV_TOKEN_AUDIENCE "jitsi"

/* TRUE when @token (unverified: this only decides about a cache) is a
 * moderator token for @room_name whose exp is at least
 * ATX_JOIN_TOKEN_MIN_REMAINING after @now (NULL: the current time). NULL or
 * unreadable tokens are simply not reusable. */
gboolean atx_join_token_is_reusable (const char *token,
                                     const char *room_name,
                                     GDateTime  *now);

/* The same for the token stored in @appointment and its room. */
gboolean atx_join_token_appointment_is_reusable (AtxAppointment *appointment,
                                                 GDateTime      *now);

/* The therapist's token for joining @appointment's call: the stored one if
 * reusable, otherwise a fresh moderator token (backend, or local signing in
 * development mode) which is stored in the appointment through
 * atx_appointment_store_update () on a copy. On failure nothing is written.
 *
 * finish gives the token, the room, the bare join URL built from the
 * settings, and the expiry. When use-jwt is off no token is needed: token
 * and expires_at are NULL.
 *
 * The backend URL and the API key (atx_settings_get_api_key_async) are
 * read from @settings and set on @client before the request. @client may
 * be NULL when no request is possible (use-jwt off or development mode). */
void            atx_join_token_get_async  (AtxAppointmentStore *store,
                                           AtxAppointment      *appointment,
                                           AtxSettings         *settings,
                                           AtxTokenClient      *client,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
AtxTokenResult *atx_join_token_get_finish (GAsyncResult        *result,
                                           GError             **error);

/* A fresh moderator token for @room (an ad-hoc call's temporary room):
 * the same rules as atx_join_token_get_async () without a cache and without
 * storing anything. */
void            atx_join_token_get_for_room_async  (AtxSettings         *settings,
                                                    AtxTokenClient      *client,
                                                    const char          *room,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
AtxTokenResult *atx_join_token_get_for_room_finish (GAsyncResult        *result,
                                                    GError             **error);

/* "<scheme>://<domain>/<room>?jwt=<token>", or NULL when the domain is not
 * usable or @room / @token is not valid. */
char           *atx_join_token_build_invite_link (AtxSettings *settings,
                                                  const char  *room,
                                                  const char  *token);

/* The client's invite: a participant (non-moderator) token valid from 15
 * minutes before the appointment's start until 1 hour after its end, from
 * the backend (or signed locally in development mode). Nothing is stored.
 * finish gives the token with join_url set to the invite link (with
 * ?jwt=). The token carries no client name or e-mail (a link is not a
 * place for health data). */
void            atx_join_token_get_invite_async  (AtxAppointment      *appointment,
                                                  AtxSettings         *settings,
                                                  AtxTokenClient      *client,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
AtxTokenResult *atx_join_token_get_invite_finish (GAsyncResult        *result,
                                                  GError             **error);

G_END_DECLS

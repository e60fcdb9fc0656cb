/* atx-join-token.c — see atx-join-token.h.
 *
 * Both operations share one pipeline: check that the Jitsi server is set,
 * then (unless use-jwt is off) either sign locally in development mode or
 * read the API key, point the client at the backend and ask it. The join
 * operation first looks at the cached token and afterwards stores the new
 * one; the invite operation stores nothing.
 */
#define G_LOG_DOMAIN "atx-join-token"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "atx-jwt.h"
#include "atx-join-token.h"
#include "atx-room-name.h"

/* A token for a client carries no client name or e-mail. */
#define INVITE_USER_ID "client"

typedef struct {
  AtxAppointmentStore *store;          /* NULL: do not store (invites) */
  char                *appointment_id;
  AtxSettings         *settings;
  AtxTokenClient      *client;
  char                *room;
  char                *domain;
  char                *join_url;       /* bare, from the settings */
  gboolean             is_moderator;
  gboolean             invite;
  GDateTime           *not_before;     /* NULL: now */
  GDateTime           *expires_at;     /* NULL: the server's default lifetime */
} JoinData;

static void
join_data_free (JoinData *data)
{
  g_clear_object (&data->store);
  g_free (data->appointment_id);
  g_clear_object (&data->settings);
  g_clear_object (&data->client);
  g_free (data->room);
  g_free (data->domain);
  g_free (data->join_url);
  g_clear_pointer (&data->not_before, g_date_time_unref);
  g_clear_pointer (&data->expires_at, g_date_time_unref);
  g_free (data);
}

static gint64
unix_now (GDateTime *now)
{
  return now != NULL ? g_date_time_to_unix (now) : g_get_real_time () / G_USEC_PER_SEC;
}

gboolean
atx_join_token_is_reusable (const char *token,
                            const char *room_name,
                            GDateTime  *now)
{
  g_autofree char *token_room = NULL;
  gint64 exp = 0;
  gboolean moderator = FALSE;

  if (token == NULL || *token == '\0' || !atx_room_name_is_valid (room_name) ||
      strlen (token) > ATX_JWT_MAX_TOKEN_LENGTH)
    return FALSE;
  if (!atx_jwt_peek_unverified (token, &exp, &token_room, &moderator, NULL))
    return FALSE;

  return moderator && g_strcmp0 (token_room, room_name) == 0 &&
         exp - unix_now (now) >= ATX_JOIN_TOKEN_MIN_REMAINING / G_TIME_SPAN_SECOND;
}

gboolean
atx_join_token_appointment_is_reusable (AtxAppointment *appointment,
                                        GDateTime      *now)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT (appointment), FALSE);

  return atx_appointment_get_is_video_call (appointment) &&
         atx_join_token_is_reusable (atx_appointment_get_video_call_jwt (appointment),
                                     atx_appointment_get_video_call_room_name (appointment),
                                     now);
}

char *
atx_join_token_build_invite_link (AtxSettings *settings,
                                  const char  *room,
                                  const char  *token)
{
  g_autofree char *join_url = NULL;

  g_return_val_if_fail (ATX_IS_SETTINGS (settings), NULL);

  /* A JWT is base64url and dots: nothing to escape in a query value. */
  if (token == NULL || *token == '\0' || strlen (token) > ATX_JWT_MAX_TOKEN_LENGTH ||
      strspn (token, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") != strlen (token))
    return NULL;
  join_url = atx_settings_build_join_url (settings, room);
  if (join_url == NULL)
    return NULL;
  return g_strconcat (join_url, "?jwt=", token, NULL);
}

/* ---- the shared pipeline ---- */

static AtxTokenResult *
make_result (JoinData   *data,
             const char *token,
             GDateTime  *expires_at)
{
  AtxTokenResult *result = g_new0 (AtxTokenResult, 1);

  result->token = g_strdup (token);
  result->room_name = g_strdup (data->room);
  result->join_url = data->invite && token != NULL
                     ? atx_join_token_build_invite_link (data->settings, data->room, token)
                     : g_strdup (data->join_url);
  result->expires_at = expires_at != NULL ? g_date_time_ref (expires_at) : NULL;
  return result;
}

/* Stores a fresh join token in the appointment, through a copy of the
 * stored one. Only a cache: a failure is logged, not reported. */
static void
store_token (JoinData       *data,
             AtxTokenResult *result)
{
  g_autoptr(AtxAppointment) copy = NULL;
  g_autoptr(GError) error = NULL;
  AtxAppointment *stored;

  if (data->store == NULL || result->token == NULL)
    return;

  stored = atx_appointment_store_lookup (data->store, data->appointment_id);
  /* The appointment may have been deleted, or its room changed, meanwhile. */
  if (stored == NULL || !atx_appointment_get_is_video_call (stored) ||
      g_strcmp0 (atx_appointment_get_video_call_room_name (stored), data->room) != 0)
    {
      g_debug ("Appointment changed while fetching its token; not storing the token");
      return;
    }

  copy = atx_appointment_copy (stored);
  atx_appointment_set_video_call_jwt (copy, result->token);
  atx_appointment_set_video_call_jwt_expires_at (copy, result->expires_at);
  if (!atx_appointment_store_update (data->store, copy, &error))
    g_debug ("Could not store the fresh call token: %s", error->message);
}

static void
return_result (GTask          *task,
               AtxTokenResult *result)
{
  JoinData *data = g_task_get_task_data (task);

  if (!data->invite)
    store_token (data, result);
  g_task_return_pointer (task, result, (GDestroyNotify) atx_token_result_free);
}

static void
sign_locally (GTask      *task,
              const char *secret)
{
  JoinData *data = g_task_get_task_data (task);
  g_autofree char *user_name = NULL;
  g_autofree char *user_email = NULL;
  g_autofree char *user_id = NULL;
  g_autofree char *token = NULL;
  g_autoptr(GDateTime) expires_at = NULL;
  gint64 now = unix_now (NULL);
  AtxJwtSignParams params = {
    .issuer = ATX_DEV_TOKEN_ISSUER,
    .audience = ATX_DEV_TOKEN_AUDIENCE,
    .subject = data->domain,
    .room = data->room,
    .moderator = data->is_moderator,
    .issued_at = now,
  };

  if (data->invite)
    {
      user_name = g_strdup ("");
      user_email = g_strdup ("");
      user_id = g_strdup (INVITE_USER_ID);
    }
  else
    {
      user_name = atx_settings_dup_user_name (data->settings);
      user_email = atx_settings_dup_user_email (data->settings);
      user_id = atx_settings_dup_user_id (data->settings);
    }
  params.user_name = user_name;
  params.user_email = user_email;
  params.user_id = user_id;
  params.not_before = data->not_before != NULL ? g_date_time_to_unix (data->not_before) : now;
  params.expires_at = data->expires_at != NULL
                      ? g_date_time_to_unix (data->expires_at)
                      : params.not_before + ATX_JOIN_TOKEN_DEV_LIFETIME / G_TIME_SPAN_SECOND;

  if (!g_utf8_validate (user_name, -1, NULL) || !g_utf8_validate (user_email, -1, NULL) ||
      !g_utf8_validate (user_id, -1, NULL) || params.expires_at <= params.not_before ||
      (token = atx_jwt_sign (&params, (const guint8 *) secret, strlen (secret))) == NULL)
    {
      g_task_return_new_error (task, ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_INVALID_REQUEST,
                               _("The development token could not be signed."));
      return;
    }

  expires_at = g_date_time_new_from_unix_utc (params.expires_at);
  return_result (task, make_result (data, token, expires_at));
}

static void
on_token_generated (GObject      *source,
                    GAsyncResult *res,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  JoinData *data = g_task_get_task_data (task);
  g_autoptr(AtxTokenResult) answer = NULL;
  g_autoptr(GError) error = NULL;

  answer = atx_token_client_generate_token_finish (ATX_TOKEN_CLIENT (source), res, &error);
  if (answer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* A token signed for another Jitsi server than ours would only fail later,
   * inside the call, with a vaguer message. */
  if (g_ascii_strcasecmp (answer->join_url, data->join_url) != 0)
    {
      g_task_return_new_error (task, ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_BAD_RESPONSE,
                               _("The token server issues tokens for another Jitsi server "
                                 "(%s) than the one set in Preferences (%s)."),
                               answer->join_url, data->join_url);
      return;
    }

  return_result (task, make_result (data, answer->token, answer->expires_at));
}

static void
on_api_key (GObject      *source,
            GAsyncResult *res,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  JoinData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *api_key = NULL;
  g_autofree char *backend_url = NULL;
  g_autofree char *user_name = NULL;
  g_autofree char *user_email = NULL;
  g_autofree char *user_id = NULL;
  AtxTokenRequest request = { 0 };
  GCancellable *cancellable;

  api_key = atx_settings_get_api_key_finish (ATX_SETTINGS (source), res, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  backend_url = atx_settings_dup_backend_url (data->settings);
  atx_token_client_set_base_url (data->client, backend_url);
  atx_token_client_set_api_key (data->client, api_key);

  if (data->invite)
    {
      user_name = g_strdup ("");
      user_email = g_strdup ("");
      user_id = g_strdup (INVITE_USER_ID);
    }
  else
    {
      user_name = atx_settings_dup_user_name (data->settings);
      user_email = atx_settings_dup_user_email (data->settings);
      user_id = atx_settings_dup_user_id (data->settings);
    }

  request.room_name = data->room;
  request.user_name = user_name;
  request.user_email = user_email;
  request.user_id = user_id;
  request.is_moderator = data->is_moderator;
  request.not_before = data->not_before;
  request.expires_at = data->expires_at;

  cancellable = g_task_get_cancellable (task);
  atx_token_client_generate_token_async (data->client, &request, cancellable,
                                         on_token_generated, g_steal_pointer (&task));
}

/* Everything after the cache check. */
static void
fetch_token (GTask *task_in)
{
  g_autoptr(GTask) task = task_in;
  JoinData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  GCancellable *cancellable;

  if (!atx_settings_get_use_jwt (data->settings))
    {
      /* Tokens are off: the call is joined with the bare URL. An invite is
       * then that same URL. */
      AtxTokenResult *result = make_result (data, NULL, NULL);
      g_task_return_pointer (task, result, (GDestroyNotify) atx_token_result_free);
      return;
    }

  if (atx_settings_is_dev_mode ())
    {
      secret = atx_settings_get_dev_mock_secret (&error);
      if (secret == NULL)
        {
          g_task_return_new_error (task, ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_NOT_CONFIGURED,
                                   "%s", error->message);
          return;
        }
      sign_locally (task, secret);
      memset (secret, 0, strlen (secret));
      return;
    }

  if (data->client == NULL)
    {
      g_task_return_new_error (task, ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_NOT_CONFIGURED,
                               _("No token server is set. Enter its address in Preferences."));
      return;
    }

  /* The cancellable is read before the task is handed over: argument
   * evaluation order is unspecified. */
  cancellable = g_task_get_cancellable (task);
  atx_settings_get_api_key_async (data->settings, cancellable,
                                  on_api_key, g_steal_pointer (&task));
}

/* Fills the parts of @data that every operation needs; FALSE (with the
 * task returned) when there can be no call in @room. */
static gboolean
prepare (GTask          *task,
         const char     *room,
         AtxSettings    *settings,
         AtxTokenClient *client)
{
  JoinData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  data->settings = g_object_ref (settings);
  data->client = client != NULL ? g_object_ref (client) : NULL;

  if (!atx_room_name_is_valid (room))
    {
      g_task_return_new_error (task, ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_INVALID_REQUEST,
                               _("This appointment has no valid video call room."));
      return FALSE;
    }
  data->room = g_strdup (room);

  data->domain = atx_settings_dup_jitsi_domain (settings);
  if (!atx_jitsi_domain_parse (data->domain, NULL, NULL, &error))
    {
      g_task_return_new_error (task, ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_NOT_CONFIGURED,
                               "%s", error->message);
      return FALSE;
    }
  data->join_url = atx_settings_build_join_url (settings, room);
  g_assert (data->join_url != NULL);
  return TRUE;
}

/* The room of a video appointment, NULL for others. */
static const char *
room_of (AtxAppointment *appointment)
{
  if (!atx_appointment_get_is_video_call (appointment))
    return NULL;
  return atx_appointment_get_video_call_room_name (appointment);
}

/* In development mode a cached token must also carry our signature, so that
 * a backend token is not reused against a local Jitsi (or the reverse). */
static gboolean
cached_token_matches_mode (JoinData   *data,
                           const char *token)
{
  g_autofree char *secret = NULL;
  g_autoptr(AtxJwtClaims) claims = NULL;
  AtxJwtExpectations expect = {
    .issuer = ATX_DEV_TOKEN_ISSUER,
    .audience = ATX_DEV_TOKEN_AUDIENCE,
    .subject = data->domain,
    .room = data->room,
  };

  if (!atx_settings_is_dev_mode ())
    return TRUE;
  secret = atx_settings_get_dev_mock_secret (NULL);
  if (secret == NULL)
    return FALSE;
  claims = atx_jwt_verify (token, (const guint8 *) secret, strlen (secret), &expect,
                           unix_now (NULL), NULL);
  memset (secret, 0, strlen (secret));
  return claims != NULL;
}

void
atx_join_token_get_async (AtxAppointmentStore *store,
                          AtxAppointment      *appointment,
                          AtxSettings         *settings,
                          AtxTokenClient      *client,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  JoinData *data;
  const char *cached;

  g_return_if_fail (ATX_IS_APPOINTMENT_STORE (store));
  g_return_if_fail (ATX_IS_APPOINTMENT (appointment));
  g_return_if_fail (ATX_IS_SETTINGS (settings));
  g_return_if_fail (client == NULL || ATX_IS_TOKEN_CLIENT (client));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, atx_join_token_get_async);
  data = g_new0 (JoinData, 1);
  data->store = g_object_ref (store);
  data->is_moderator = TRUE;
  g_task_set_task_data (task, data, (GDestroyNotify) join_data_free);

  data->appointment_id = g_strdup (atx_appointment_get_id (appointment));
  if (!prepare (task, room_of (appointment), settings, client))
    return;

  cached = atx_appointment_get_video_call_jwt (appointment);
  if (atx_settings_get_use_jwt (settings) &&
      atx_join_token_appointment_is_reusable (appointment, NULL) &&
      cached_token_matches_mode (data, cached))
    {
      g_autoptr(GDateTime) expires_at = NULL;
      gint64 exp = 0;

      atx_jwt_peek_unverified (cached, &exp, NULL, NULL, NULL);
      expires_at = g_date_time_new_from_unix_utc (exp);
      g_task_return_pointer (task, make_result (data, cached, expires_at),
                             (GDestroyNotify) atx_token_result_free);
      return;
    }

  fetch_token (g_steal_pointer (&task));
}

AtxTokenResult *
atx_join_token_get_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == atx_join_token_get_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
atx_join_token_get_invite_async (AtxAppointment      *appointment,
                                 AtxSettings         *settings,
                                 AtxTokenClient      *client,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  JoinData *data;
  GDateTime *start, *end;

  g_return_if_fail (ATX_IS_APPOINTMENT (appointment));
  g_return_if_fail (ATX_IS_SETTINGS (settings));
  g_return_if_fail (client == NULL || ATX_IS_TOKEN_CLIENT (client));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, atx_join_token_get_invite_async);
  data = g_new0 (JoinData, 1);
  data->invite = TRUE;
  data->is_moderator = FALSE;
  g_task_set_task_data (task, data, (GDestroyNotify) join_data_free);

  if (!prepare (task, room_of (appointment), settings, client))
    return;

  start = atx_appointment_get_start (appointment);
  end = atx_appointment_get_end (appointment);
  if (start == NULL || end == NULL || g_date_time_compare (end, start) <= 0)
    {
      g_task_return_new_error (task, ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_INVALID_REQUEST,
                               _("This appointment has no valid start and end time."));
      return;
    }
  data->not_before = g_date_time_add (start, -ATX_INVITE_LEAD_TIME);
  data->expires_at = g_date_time_add (end, ATX_INVITE_GRACE_TIME);
  if (data->not_before == NULL || data->expires_at == NULL ||
      g_date_time_to_unix (data->expires_at) <= unix_now (NULL))
    {
      g_task_return_new_error (task, ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_INVALID_REQUEST,
                               _("This appointment ended more than an hour ago: an invite "
                                 "link would no longer work."));
      return;
    }

  fetch_token (g_steal_pointer (&task));
}

AtxTokenResult *
atx_join_token_get_invite_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        atx_join_token_get_invite_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
atx_join_token_get_for_room_async (AtxSettings         *settings,
                                   AtxTokenClient      *client,
                                   const char          *room,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  JoinData *data;

  g_return_if_fail (ATX_IS_SETTINGS (settings));
  g_return_if_fail (client == NULL || ATX_IS_TOKEN_CLIENT (client));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, atx_join_token_get_for_room_async);
  data = g_new0 (JoinData, 1);
  data->is_moderator = TRUE;
  g_task_set_task_data (task, data, (GDestroyNotify) join_data_free);

  if (!prepare (task, room, settings, client))
    return;

  fetch_token (g_steal_pointer (&task));
}

AtxTokenResult *
atx_join_token_get_for_room_finish (GAsyncResult  *result,
                                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        atx_join_token_get_for_room_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

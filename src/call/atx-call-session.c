/* atx-call-session.c — one call, whatever shows it (see the header for the
 * rules). Views connect to ::command and deliver the JSON to the page; they
 * feed every validated message back through handle_message().
 */
#define G_LOG_DOMAIN "atx-call-session"

#include "config.h"

#include "atx-call-session.h"

#include <glib/gi18n.h>

/* How long leave() waits for readyToClose / videoConferenceLeft. */
#define LEAVE_TIMEOUT_MS 5000

#define ERROR_MEMBERS_ONLY "conference.connectionError.membersOnly"
#define ERROR_PASSWORD_REQUIRED "connection.passwordRequired"
#define ERROR_NOT_ALLOWED "conference.connectionError.notAllowed"

struct _AtxCallSession
{
  GObject              parent_instance;

  AtxAppointmentStore *store;
  char                *appointment_id;
  char                *title;
  char                *room_name;
  AtxCallType          call_type;
  gboolean             ad_hoc;
  AtxCallWhere         where;
  gboolean             lobby_for_clients;

  AtxCallState         state;
  AtxCallFailure       failure;
  char                *failure_message;
  gboolean             audio_muted;
  gboolean             video_muted;

  char                *own_id;
  GHashTable          *roles;         /* id → role, as announced */
  gboolean             lobby_enabled; /* toggleLobby(true) was sent */

  GPtrArray           *participants;  /* AtxCallParticipant* */
  GPtrArray           *knocking;      /* AtxCallParticipant* */
  AtxCallLog          *log;

  gint64               joined_time;   /* monotonic µs, 0 before joining */
  gint64               ended_time;
  guint                leave_timeout_id;
  guint                tick_id;
};

G_DEFINE_FINAL_TYPE (AtxCallSession, atx_call_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_FAILURE,
  PROP_AUDIO_MUTED,
  PROP_VIDEO_MUTED,
  PROP_PARTICIPANT_COUNT,
  PROP_KNOCKING_COUNT,
  PROP_ELAPSED_SECONDS,
  PROP_IS_MODERATOR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_COMMAND,
  SIGNAL_PARTICIPANTS_CHANGED,
  SIGNAL_KNOCKING_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_BOXED_TYPE (AtxCallParticipant, atx_call_participant,
                     atx_call_participant_copy, atx_call_participant_free)

AtxCallParticipant *
atx_call_participant_new (const char *id,
                          const char *display_name)
{
  AtxCallParticipant *p = g_new0 (AtxCallParticipant, 1);

  p->id = g_strdup (id);
  p->display_name = g_strdup (display_name);
  return p;
}

AtxCallParticipant *
atx_call_participant_copy (const AtxCallParticipant *participant)
{
  return atx_call_participant_new (participant->id, participant->display_name);
}

void
atx_call_participant_free (AtxCallParticipant *participant)
{
  if (participant == NULL)
    return;
  g_free (participant->id);
  g_free (participant->display_name);
  g_free (participant);
}

static const char *
default_failure_message (AtxCallFailure failure)
{
  switch (failure)
    {
    case ATX_CALL_FAILURE_LOAD:
      return _("The video call server could not be reached.");
    case ATX_CALL_FAILURE_TOKEN:
      return _("The video call server did not accept the access token.");
    case ATX_CALL_FAILURE_NOT_ALLOWED:
      return _("The video call server did not let you into this room.");
    case ATX_CALL_FAILURE_CONNECTION:
      return _("The connection to the call was lost.");
    case ATX_CALL_FAILURE_BACKEND:
      return _("The token service could not be reached, so the call cannot start.");
    case ATX_CALL_FAILURE_TLS:
      return _("The video call server’s security certificate is not valid.");
    case ATX_CALL_FAILURE_NONE:
    default:
      return NULL;
    }
}

/* ---- small helpers ---- */

static void
emit_command (AtxCallSession   *self,
              AtxBridgeCommand  command,
              const char       *participant_id,
              gboolean          flag)
{
  g_autofree char *json = atx_bridge_command_to_json (command, participant_id, flag);

  g_debug ("command %s", json);
  g_signal_emit (self, signals[SIGNAL_COMMAND], 0, json);
}

static void
set_state (AtxCallSession *self,
           AtxCallState    state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static gboolean
is_terminal (AtxCallSession *self)
{
  return self->state == ATX_CALL_STATE_ENDED ||
         self->state == ATX_CALL_STATE_FAILED ||
         self->state == ATX_CALL_STATE_UNSUPPORTED;
}

static gboolean
in_call (AtxCallSession *self)
{
  return self->state == ATX_CALL_STATE_JOINED || self->state == ATX_CALL_STATE_LEAVING;
}

static void
log_warning (const char *what,
             GError     *error)
{
  g_warning ("Could not write the call log (%s): %s", what, error->message);
}

static gint
find_participant (GPtrArray  *list,
                  const char *id)
{
  for (guint i = 0; i < list->len; i++)
    {
      AtxCallParticipant *p = g_ptr_array_index (list, i);

      if (g_strcmp0 (p->id, id) == 0)
        return i;
    }
  return -1;
}

static void
remove_knocking (AtxCallSession *self,
                 const char     *id)
{
  gint index = find_participant (self->knocking, id);

  if (index < 0)
    return;

  g_ptr_array_remove_index (self->knocking, index);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KNOCKING_COUNT]);
  g_signal_emit (self, signals[SIGNAL_KNOCKING_CHANGED], 0);
}

static void
clear_lists (AtxCallSession *self)
{
  if (self->participants->len > 0)
    {
      g_ptr_array_set_size (self->participants, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PARTICIPANT_COUNT]);
      g_signal_emit (self, signals[SIGNAL_PARTICIPANTS_CHANGED], 0);
    }
  if (self->knocking->len > 0)
    {
      g_ptr_array_set_size (self->knocking, 0);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KNOCKING_COUNT]);
      g_signal_emit (self, signals[SIGNAL_KNOCKING_CHANGED], 0);
    }
}

static void
stop_timers (AtxCallSession *self)
{
  g_clear_handle_id (&self->leave_timeout_id, g_source_remove);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->joined_time != 0 && self->ended_time == 0)
    self->ended_time = g_get_monotonic_time ();
}

static void
end_log (AtxCallSession   *self,
         AtxCallEndReason  reason)
{
  g_autoptr(GError) error = NULL;

  if (self->log != NULL && !atx_call_log_is_ended (self->log) &&
      !atx_call_log_end (self->log, reason, &error))
    log_warning ("end", error);
}

/* The call is over: log closed, lists emptied, state ENDED. */
static void
finish (AtxCallSession   *self,
        AtxCallEndReason  reason)
{
  stop_timers (self);
  end_log (self, reason);
  clear_lists (self);
  set_state (self, ATX_CALL_STATE_ENDED);
}

static void
fail (AtxCallSession *self,
      AtxCallFailure  failure,
      const char     *message,
      const char     *log_text)
{
  g_autoptr(GError) error = NULL;

  if (is_terminal (self))
    return;

  if (self->log != NULL && !atx_call_log_is_ended (self->log))
    {
      if (!atx_call_log_set_error (self->log, log_text != NULL ? log_text : message, &error))
        log_warning ("error", error);
      end_log (self, ATX_CALL_END_ERROR);
    }

  stop_timers (self);
  clear_lists (self);

  g_free (self->failure_message);
  self->failure_message = g_strdup (message != NULL ? message : default_failure_message (failure));
  if (self->failure != failure)
    {
      self->failure = failure;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILURE]);
    }
  set_state (self, ATX_CALL_STATE_FAILED);
}

static gboolean
on_tick (gpointer user_data)
{
  AtxCallSession *self = user_data;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ELAPSED_SECONDS]);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_leave_timeout (gpointer user_data)
{
  AtxCallSession *self = user_data;

  self->leave_timeout_id = 0;
  g_debug ("no readyToClose after hangup; ending anyway");
  finish (self, ATX_CALL_END_HANGUP);
  return G_SOURCE_REMOVE;
}

/* Lobby: once, when this user is known to be moderator in the conference. */
static void
maybe_enable_lobby (AtxCallSession *self)
{
  if (!self->lobby_for_clients || self->lobby_enabled ||
      self->state != ATX_CALL_STATE_JOINED || self->own_id == NULL)
    return;
  if (g_strcmp0 (g_hash_table_lookup (self->roles, self->own_id), "moderator") != 0)
    return;

  self->lobby_enabled = TRUE;
  emit_command (self, ATX_BRIDGE_COMMAND_TOGGLE_LOBBY, NULL, TRUE);
}

/* ---- messages ---- */

static void
on_conference_joined (AtxCallSession         *self,
                      const AtxBridgeMessage *message)
{
  g_autoptr(GError) error = NULL;
  gboolean was_moderator;

  if (is_terminal (self) || self->state == ATX_CALL_STATE_LEAVING)
    return;

  was_moderator = atx_call_session_get_is_moderator (self);
  g_free (self->own_id);
  self->own_id = g_strdup (message->id);

  if (self->log == NULL)
    {
      self->log = atx_call_log_start (self->store, self->appointment_id, self->room_name,
                                      self->call_type, self->ad_hoc, self->where, &error);
      if (self->log == NULL)
        log_warning ("start", error);
    }

  if (self->joined_time == 0)
    {
      self->joined_time = g_get_monotonic_time ();
      self->tick_id = g_timeout_add_seconds (1, on_tick, self);
    }

  set_state (self, ATX_CALL_STATE_JOINED);
  if (was_moderator != atx_call_session_get_is_moderator (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_MODERATOR]);
  maybe_enable_lobby (self);
}

static void
on_role_changed (AtxCallSession         *self,
                 const AtxBridgeMessage *message)
{
  gboolean was_moderator = atx_call_session_get_is_moderator (self);

  /* Kept even before joining: the local role may be announced before
   * videoConferenceJoined tells us our own id. */
  g_hash_table_insert (self->roles, g_strdup (message->id), g_strdup (message->role));

  if (was_moderator != atx_call_session_get_is_moderator (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IS_MODERATOR]);
  maybe_enable_lobby (self);
}

static void
on_participant_joined (AtxCallSession         *self,
                       const AtxBridgeMessage *message)
{
  g_autoptr(GError) error = NULL;
  gint index;

  if (!in_call (self))
    return;

  index = find_participant (self->participants, message->id);
  if (index >= 0)
    {
      AtxCallParticipant *p = g_ptr_array_index (self->participants, index);

      if (message->display_name == NULL || g_strcmp0 (p->display_name, message->display_name) == 0)
        return;
      g_free (p->display_name);
      p->display_name = g_strdup (message->display_name);
    }
  else
    {
      g_ptr_array_add (self->participants, atx_call_participant_new (message->id, message->display_name));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PARTICIPANT_COUNT]);
    }

  if (self->log != NULL &&
      !atx_call_log_participant_joined (self->log, message->id, message->display_name, &error))
    log_warning ("participant joined", error);

  remove_knocking (self, message->id);
  g_signal_emit (self, signals[SIGNAL_PARTICIPANTS_CHANGED], 0);
}

static void
on_participant_left (AtxCallSession         *self,
                     const AtxBridgeMessage *message)
{
  g_autoptr(GError) error = NULL;
  gint index;

  if (!in_call (self))
    return;

  g_hash_table_remove (self->roles, message->id);
  index = find_participant (self->participants, message->id);
  if (index < 0)
    return;

  g_ptr_array_remove_index (self->participants, index);
  if (self->log != NULL && !atx_call_log_participant_left (self->log, message->id, &error))
    log_warning ("participant left", error);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PARTICIPANT_COUNT]);
  g_signal_emit (self, signals[SIGNAL_PARTICIPANTS_CHANGED], 0);
}

static void
on_knocking (AtxCallSession         *self,
             const AtxBridgeMessage *message)
{
  gint index;

  if (self->state != ATX_CALL_STATE_JOINED)
    return;

  index = find_participant (self->knocking, message->id);
  if (index >= 0)
    {
      AtxCallParticipant *p = g_ptr_array_index (self->knocking, index);

      if (g_strcmp0 (p->display_name, message->display_name) == 0)
        return;
      g_free (p->display_name);
      p->display_name = g_strdup (message->display_name);
    }
  else
    {
      g_ptr_array_add (self->knocking, atx_call_participant_new (message->id, message->display_name));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KNOCKING_COUNT]);
    }

  g_signal_emit (self, signals[SIGNAL_KNOCKING_CHANGED], 0);
}

static void
set_muted (AtxCallSession *self,
           gboolean       *field,
           gboolean        muted,
           GParamSpec     *pspec)
{
  if (*field == !!muted)
    return;
  *field = !!muted;
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

static void
on_error (AtxCallSession         *self,
          const AtxBridgeMessage *message)
{
  g_autofree char *log_text = NULL;

  if (message->error_name != NULL && message->error_message != NULL)
    log_text = g_strdup_printf ("%s: %s", message->error_name, message->error_message);
  else if (message->error_name != NULL)
    log_text = g_strdup (message->error_name);
  else
    log_text = g_strdup_printf ("%s error", message->error_type != NULL ? message->error_type : "unknown");

  /* A guest waiting in the lobby is a normal flow. */
  if (g_strcmp0 (message->error_name, ERROR_MEMBERS_ONLY) == 0)
    return;

  if (g_strcmp0 (message->error_name, ERROR_PASSWORD_REQUIRED) == 0)
    fail (self, ATX_CALL_FAILURE_TOKEN, NULL, log_text);
  else if (g_strcmp0 (message->error_name, ERROR_NOT_ALLOWED) == 0)
    fail (self, ATX_CALL_FAILURE_NOT_ALLOWED, NULL, log_text);
  else if (message->is_fatal)
    fail (self, ATX_CALL_FAILURE_CONNECTION, NULL, log_text);
  else
    g_debug ("non-fatal Jitsi error: %s", log_text);
}

void
atx_call_session_handle_message (AtxCallSession         *self,
                                 const AtxBridgeMessage *message)
{
  g_return_if_fail (ATX_IS_CALL_SESSION (self));
  g_return_if_fail (message != NULL);

  g_debug ("message %s in state %d", atx_bridge_message_type_to_string (message->type), self->state);

  /* Once over, the page has nothing more to tell. */
  if (is_terminal (self))
    return;

  switch (message->type)
    {
    case ATX_BRIDGE_VIDEO_CONFERENCE_JOINED:
      on_conference_joined (self, message);
      break;

    case ATX_BRIDGE_VIDEO_CONFERENCE_LEFT:
      if (self->state == ATX_CALL_STATE_LEAVING)
        finish (self, ATX_CALL_END_HANGUP);
      else if (self->state == ATX_CALL_STATE_JOINED)
        finish (self, ATX_CALL_END_LEFT);
      break;

    case ATX_BRIDGE_READY_TO_CLOSE:
      if (self->state == ATX_CALL_STATE_LEAVING)
        finish (self, ATX_CALL_END_HANGUP);
      else
        finish (self, ATX_CALL_END_LEFT);
      break;

    case ATX_BRIDGE_PARTICIPANT_JOINED:
      on_participant_joined (self, message);
      break;

    case ATX_BRIDGE_PARTICIPANT_LEFT:
      on_participant_left (self, message);
      break;

    case ATX_BRIDGE_PARTICIPANT_ROLE_CHANGED:
      on_role_changed (self, message);
      break;

    case ATX_BRIDGE_KNOCKING_PARTICIPANT:
      on_knocking (self, message);
      break;

    case ATX_BRIDGE_AUDIO_MUTE_STATUS_CHANGED:
      set_muted (self, &self->audio_muted, message->muted, properties[PROP_AUDIO_MUTED]);
      break;

    case ATX_BRIDGE_VIDEO_MUTE_STATUS_CHANGED:
      set_muted (self, &self->video_muted, message->muted, properties[PROP_VIDEO_MUTED]);
      break;

    case ATX_BRIDGE_ERROR_OCCURRED:
      on_error (self, message);
      break;

    case ATX_BRIDGE_BROWSER_SUPPORT:
      if (!message->supported && !in_call (self))
        {
          stop_timers (self);
          set_state (self, ATX_CALL_STATE_UNSUPPORTED);
        }
      break;

    case ATX_BRIDGE_EXTERNAL_API_LOAD_FAILED:
      {
        g_autofree char *log_text = g_strdup_printf ("external_api.js %s (%s)", message->reason, message->url);
        fail (self, ATX_CALL_FAILURE_LOAD, NULL, log_text);
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

void
atx_call_session_fail (AtxCallSession *self,
                       AtxCallFailure  failure,
                       const char     *message)
{
  g_return_if_fail (ATX_IS_CALL_SESSION (self));
  g_return_if_fail (failure != ATX_CALL_FAILURE_NONE);

  fail (self, failure, message, NULL);
}

void
atx_call_session_transport_lost (AtxCallSession *self)
{
  g_return_if_fail (ATX_IS_CALL_SESSION (self));

  if (is_terminal (self))
    return;
  finish (self, ATX_CALL_END_BROWSER_CLOSED);
}

void
atx_call_session_restart (AtxCallSession *self)
{
  g_return_if_fail (ATX_IS_CALL_SESSION (self));

  if (self->state != ATX_CALL_STATE_FAILED && self->state != ATX_CALL_STATE_UNSUPPORTED)
    return;

  /* A new attempt gets a new log entry when it joins. */
  g_clear_object (&self->log);
  g_clear_pointer (&self->own_id, g_free);
  g_hash_table_remove_all (self->roles);
  self->lobby_enabled = FALSE;
  self->joined_time = 0;
  self->ended_time = 0;
  g_clear_pointer (&self->failure_message, g_free);
  if (self->failure != ATX_CALL_FAILURE_NONE)
    {
      self->failure = ATX_CALL_FAILURE_NONE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILURE]);
    }
  set_state (self, ATX_CALL_STATE_CONNECTING);
}

/* ---- user actions ---- */

void
atx_call_session_leave (AtxCallSession *self)
{
  g_return_if_fail (ATX_IS_CALL_SESSION (self));

  if (self->state != ATX_CALL_STATE_CONNECTING && self->state != ATX_CALL_STATE_JOINED)
    return;

  set_state (self, ATX_CALL_STATE_LEAVING);
  self->leave_timeout_id = g_timeout_add (LEAVE_TIMEOUT_MS, on_leave_timeout, self);
  emit_command (self, ATX_BRIDGE_COMMAND_HANGUP, NULL, FALSE);
}

void
atx_call_session_toggle_audio (AtxCallSession *self)
{
  g_return_if_fail (ATX_IS_CALL_SESSION (self));

  if (self->state == ATX_CALL_STATE_JOINED)
    emit_command (self, ATX_BRIDGE_COMMAND_TOGGLE_AUDIO, NULL, FALSE);
}

void
atx_call_session_toggle_video (AtxCallSession *self)
{
  g_return_if_fail (ATX_IS_CALL_SESSION (self));

  if (self->state == ATX_CALL_STATE_JOINED)
    emit_command (self, ATX_BRIDGE_COMMAND_TOGGLE_VIDEO, NULL, FALSE);
}

void
atx_call_session_answer_knocking (AtxCallSession *self,
                                  const char     *id,
                                  gboolean        admit)
{
  g_return_if_fail (ATX_IS_CALL_SESSION (self));
  g_return_if_fail (id != NULL);

  if (self->state != ATX_CALL_STATE_JOINED || find_participant (self->knocking, id) < 0)
    return;

  emit_command (self, ATX_BRIDGE_COMMAND_ANSWER_KNOCKING, id, admit);
  remove_knocking (self, id);
}

/* ---- getters ---- */

AtxCallState
atx_call_session_get_state (AtxCallSession *self)
{
  g_return_val_if_fail (ATX_IS_CALL_SESSION (self), ATX_CALL_STATE_ENDED);
  return self->state;
}

AtxCallFailure
atx_call_session_get_failure (AtxCallSession *self)
{
  g_return_val_if_fail (ATX_IS_CALL_SESSION (self), ATX_CALL_FAILURE_NONE);
  return self->failure;
}

const char *
atx_call_session_get_failure_message (AtxCallSession *self)
{
  g_return_val_if_fail (ATX_IS_CALL_SESSION (self), NULL);
  return self->failure_message;
}

const char *
atx_call_session_get_appointment_id (AtxCallSession *self)
{
  g_return_val_if_fail (ATX_IS_CALL_SESSION (self), NULL);
  return self->appointment_id;
}

const char *
atx_call_session_get_title (AtxCallSession *self)
{
  g_return_val_if_fail (ATX_IS_CALL_SESSION (self), NULL);
  return self->title;
}

const char *
atx_call_session_get_room_name (AtxCallSession *self)
{
  g_return_val_if_fail (ATX_IS_CALL_SESSION (self), NULL);
  return self->room_name;
}

AtxCallType
atx_call_session_get_call_type (AtxCallSession *self)
{
  g_return_val_if_fail (ATX_IS_CALL_SESSION (self), ATX_CALL_TYPE_VIDEO);
  return self->call_type;
}

AtxCallWhere
atx_call_session_get_where (AtxCallSession *self)
{
  g_return_val_if_fail (ATX_IS_CALL_SESSION (self), ATX_CALL_WHERE_EMBEDDED);
  return self->where;
}

gboolean
atx_call_session_get_ad_hoc (AtxCallSession *self)
{
  g_return_val_if_fail (ATX_IS_CALL_SESSION (self), FALSE);
  return self->ad_hoc;
}

gboolean
atx_call_session_get_audio_muted (AtxCallSession *self)
{
  g_return_val_if_fail (ATX_IS_CALL_SESSION (self), FALSE);
  return self->audio_muted;
}

gboolean
atx_call_session_get_video_muted (AtxCallSession *self)
{
  g_return_val_if_fail (ATX_IS_CALL_SESSION (self), FALSE);
  return self->video_muted;
}

gboolean
atx_call_session_get_is_moderator (AtxCallSession *self)
{
  g_return_val_if_fail (ATX_IS_CALL_SESSION (self), FALSE);
  return self->own_id != NULL &&
         g_strcmp0 (g_hash_table_lookup (self->roles, self->own_id), "moderator") == 0;
}

gint64
atx_call_session_get_elapsed_seconds (AtxCallSession *self)
{
  g_return_val_if_fail (ATX_IS_CALL_SESSION (self), 0);

  if (self->joined_time == 0)
    return 0;
  return ((self->ended_time != 0 ? self->ended_time : g_get_monotonic_time ()) - self->joined_time)
         / G_USEC_PER_SEC;
}

GPtrArray *
atx_call_session_get_participants (AtxCallSession *self)
{
  g_return_val_if_fail (ATX_IS_CALL_SESSION (self), NULL);
  return self->participants;
}

GPtrArray *
atx_call_session_get_knocking (AtxCallSession *self)
{
  g_return_val_if_fail (ATX_IS_CALL_SESSION (self), NULL);
  return self->knocking;
}

AtxCallLog *
atx_call_session_get_log (AtxCallSession *self)
{
  g_return_val_if_fail (ATX_IS_CALL_SESSION (self), NULL);
  return self->log;
}

/* ---- GObject ---- */

static void
atx_call_session_dispose (GObject *object)
{
  AtxCallSession *self = ATX_CALL_SESSION (object);

  /* A view that goes away without leave() still closes what it opened:
   * better "hangup" now than "ended-unexpectedly" at the next start. */
  stop_timers (self);
  end_log (self, ATX_CALL_END_HANGUP);
  g_clear_object (&self->log);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (atx_call_session_parent_class)->dispose (object);
}

static void
atx_call_session_finalize (GObject *object)
{
  AtxCallSession *self = ATX_CALL_SESSION (object);

  g_free (self->appointment_id);
  g_free (self->title);
  g_free (self->room_name);
  g_free (self->failure_message);
  g_free (self->own_id);
  g_clear_pointer (&self->roles, g_hash_table_unref);
  g_clear_pointer (&self->participants, g_ptr_array_unref);
  g_clear_pointer (&self->knocking, g_ptr_array_unref);

  G_OBJECT_CLASS (atx_call_session_parent_class)->finalize (object);
}

static void
atx_call_session_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  AtxCallSession *self = ATX_CALL_SESSION (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_FAILURE:
      g_value_set_int (value, self->failure);
      break;
    case PROP_AUDIO_MUTED:
      g_value_set_boolean (value, self->audio_muted);
      break;
    case PROP_VIDEO_MUTED:
      g_value_set_boolean (value, self->video_muted);
      break;
    case PROP_PARTICIPANT_COUNT:
      g_value_set_uint (value, self->participants->len);
      break;
    case PROP_KNOCKING_COUNT:
      g_value_set_uint (value, self->knocking->len);
      break;
    case PROP_ELAPSED_SECONDS:
      g_value_set_int64 (value, atx_call_session_get_elapsed_seconds (self));
      break;
    case PROP_IS_MODERATOR:
      g_value_set_boolean (value, atx_call_session_get_is_moderator (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atx_call_session_class_init (AtxCallSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = atx_call_session_dispose;
  object_class->finalize = atx_call_session_finalize;
  object_class->get_property = atx_call_session_get_property;

  /* Plain ints: the enums are not registered types. */
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL,
                      ATX_CALL_STATE_CONNECTING, ATX_CALL_STATE_UNSUPPORTED,
                      ATX_CALL_STATE_CONNECTING, flags);
  properties[PROP_FAILURE] =
    g_param_spec_int ("failure", NULL, NULL,
                      ATX_CALL_FAILURE_NONE, ATX_CALL_FAILURE_TLS,
                      ATX_CALL_FAILURE_NONE, flags);
  properties[PROP_AUDIO_MUTED] =
    g_param_spec_boolean ("audio-muted", NULL, NULL, FALSE, flags);
  properties[PROP_VIDEO_MUTED] =
    g_param_spec_boolean ("video-muted", NULL, NULL, FALSE, flags);
  properties[PROP_PARTICIPANT_COUNT] =
    g_param_spec_uint ("participant-count", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_KNOCKING_COUNT] =
    g_param_spec_uint ("knocking-count", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_ELAPSED_SECONDS] =
    g_param_spec_int64 ("elapsed-seconds", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_IS_MODERATOR] =
    g_param_spec_boolean ("is-moderator", NULL, NULL, FALSE, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_COMMAND] =
    g_signal_new ("command", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_PARTICIPANTS_CHANGED] =
    g_signal_new ("participants-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_KNOCKING_CHANGED] =
    g_signal_new ("knocking-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
atx_call_session_init (AtxCallSession *self)
{
  self->roles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->participants = g_ptr_array_new_with_free_func ((GDestroyNotify) atx_call_participant_free);
  self->knocking = g_ptr_array_new_with_free_func ((GDestroyNotify) atx_call_participant_free);
}

AtxCallSession *
atx_call_session_new (AtxAppointmentStore *store,
                      const char          *appointment_id,
                      const char          *title,
                      const char          *room_name,
                      AtxCallType          call_type,
                      gboolean             ad_hoc,
                      AtxCallWhere         where,
                      gboolean             lobby_for_clients)
{
  AtxCallSession *self;

  g_return_val_if_fail (ATX_IS_APPOINTMENT_STORE (store), NULL);
  g_return_val_if_fail (appointment_id != NULL, NULL);
  g_return_val_if_fail (room_name != NULL, NULL);

  self = g_object_new (ATX_TYPE_CALL_SESSION, NULL);
  self->store = g_object_ref (store);
  self->appointment_id = g_strdup (appointment_id);
  self->title = g_strdup (title != NULL ? title : "");
  self->room_name = g_strdup (room_name);
  self->call_type = call_type;
  self->ad_hoc = !!ad_hoc;
  self->where = where;
  self->lobby_for_clients = !!lobby_for_clients;
  /* Audio-only calls start with the camera off (startWithVideoMuted). */
  self->video_muted = call_type == ATX_CALL_TYPE_AUDIO;

  return self;
}

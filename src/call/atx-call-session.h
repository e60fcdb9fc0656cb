/* atx-call-session.h — one call, whatever shows it.
 *
 * The state of a running call, fed by validated bridge messages from either
 * transport (the embedded WebKit view or the browser call host) and turned
 * into: the call log (AtxCallLog, written as events arrive), properties the
 * call windows show (state, participants, mute states, knocking clients,
 * elapsed time), and commands for the page (::command). The embedded view and
 * the browser companion are thin views over this object.
 *
 * Rules (DESIGN.md, "Call view", shared/JITSI-EXTERNAL-API.md):
 * - videoConferenceJoined: state JOINED, the call log starts (if not yet).
 * - participantRoleChanged with the own id and role "moderator", after
 *   joined, with lobby-for-clients: one toggleLobby(true) command.
 * - knockingParticipant: added to the knocking list (by id) until admitted,
 *   denied, or the participant joins.
 * - participantJoined / participantLeft: tracked and logged.
 * - errorOccurred: conference.connectionError.membersOnly and other
 *   isFatal:false errors are not failures, except connection.passwordRequired
 *   (a rejected JWT) and conference.connectionError.notAllowed (room refused),
 *   which set FAILED with a specific message; isFatal:true → FAILED.
 * - browserSupport {supported:false} → state UNSUPPORTED.
 * - externalApiLoadFailed → FAILED ("the Jitsi server could not be reached").
 * - leave(): command hangup, then waits for readyToClose (or
 *   videoConferenceLeft, or a timeout) before the state is ENDED.
 * - videoConferenceLeft without leave() → ENDED, reason "left".
 * - transport_lost() (browser closed) → ENDED, reason "browser-closed".
 */
#pragma once

#include "atx-call-bridge.h"
#include "atx-call-log.h"

G_BEGIN_DECLS

typedef enum {
  ATX_CALL_STATE_CONNECTING,   /* page loading / waiting for the browser */
  ATX_CALL_STATE_JOINED,       /* in the call */
  ATX_CALL_STATE_LEAVING,      /* hangup sent, waiting for readyToClose */
  ATX_CALL_STATE_ENDED,
  ATX_CALL_STATE_FAILED,       /* see failure / failure-message */
  ATX_CALL_STATE_UNSUPPORTED,  /* this engine cannot make calls (no WebRTC) */
} AtxCallState;

typedef enum {
  ATX_CALL_FAILURE_NONE,
  ATX_CALL_FAILURE_LOAD,         /* external_api.js missing / not loading in time */
  ATX_CALL_FAILURE_TOKEN,        /* connection.passwordRequired: refresh the token on Retry */
  ATX_CALL_FAILURE_NOT_ALLOWED,  /* conference.connectionError.notAllowed */
  ATX_CALL_FAILURE_CONNECTION,   /* a fatal Jitsi error */
  ATX_CALL_FAILURE_BACKEND,      /* no token: the backend was unreachable at join */
  ATX_CALL_FAILURE_TLS,          /* TLS error loading the Jitsi server (never bypassed) */
} AtxCallFailure;

#define ATX_TYPE_CALL_SESSION (atx_call_session_get_type ())
G_DECLARE_FINAL_TYPE (AtxCallSession, atx_call_session, ATX, CALL_SESSION, GObject)

typedef struct {
  char *id;
  char *display_name;  /* may be NULL */
} AtxCallParticipant;

#define ATX_TYPE_CALL_PARTICIPANT (atx_call_participant_get_type ())
GType               atx_call_participant_get_type (void);
AtxCallParticipant *atx_call_participant_new  (const char *id, const char *display_name);
AtxCallParticipant *atx_call_participant_copy (const AtxCallParticipant *participant);
void                atx_call_participant_free (AtxCallParticipant *participant);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtxCallParticipant, atx_call_participant_free)

/* @appointment_id: the appointment whose callLog records the call.
 * @lobby_for_clients: enable the lobby once moderator. */
AtxCallSession *atx_call_session_new (AtxAppointmentStore *store,
                                      const char          *appointment_id,
                                      const char          *title,
                                      const char          *room_name,
                                      AtxCallType          call_type,
                                      gboolean             ad_hoc,
                                      AtxCallWhere         where,
                                      gboolean             lobby_for_clients);

/* Feeds one validated message. */
void          atx_call_session_handle_message (AtxCallSession *self, const AtxBridgeMessage *message);
/* The transport failed before/while the call runs (load error, TLS error,
 * backend unreachable at join). */
void          atx_call_session_fail (AtxCallSession *self, AtxCallFailure failure, const char *message);
/* The browser's command stream is gone for good: ends as browser-closed. */
void          atx_call_session_transport_lost (AtxCallSession *self);
/* Retry after FAILED or UNSUPPORTED (the view reloads the page): back to
 * CONNECTING, failure NONE; the next videoConferenceJoined starts a new
 * call log entry. Does nothing in other states. */
void          atx_call_session_restart (AtxCallSession *self);

/* User actions: each emits ::command for the transport. */
void          atx_call_session_leave (AtxCallSession *self);
void          atx_call_session_toggle_audio (AtxCallSession *self);
void          atx_call_session_toggle_video (AtxCallSession *self);
void          atx_call_session_answer_knocking (AtxCallSession *self, const char *id, gboolean admit);

AtxCallState  atx_call_session_get_state (AtxCallSession *self);
AtxCallFailure atx_call_session_get_failure (AtxCallSession *self);
const char   *atx_call_session_get_failure_message (AtxCallSession *self);
const char   *atx_call_session_get_appointment_id (AtxCallSession *self);
const char   *atx_call_session_get_title (AtxCallSession *self);
const char   *atx_call_session_get_room_name (AtxCallSession *self);
AtxCallType   atx_call_session_get_call_type (AtxCallSession *self);
AtxCallWhere  atx_call_session_get_where (AtxCallSession *self);
gboolean      atx_call_session_get_ad_hoc (AtxCallSession *self);
/* TRUE once participantRoleChanged said "moderator" for our own id. */
gboolean      atx_call_session_get_is_moderator (AtxCallSession *self);
gboolean      atx_call_session_get_audio_muted (AtxCallSession *self);
gboolean      atx_call_session_get_video_muted (AtxCallSession *self);
/* Seconds since videoConferenceJoined (0 before). */
gint64        atx_call_session_get_elapsed_seconds (AtxCallSession *self);
/* Remote participants now in the call (element type AtxCallParticipant*). */
GPtrArray    *atx_call_session_get_participants (AtxCallSession *self);
/* Clients waiting in the lobby (element type AtxCallParticipant*). */
GPtrArray    *atx_call_session_get_knocking (AtxCallSession *self);
AtxCallLog   *atx_call_session_get_log (AtxCallSession *self);

/* Properties (notify, read-only): "state" and "failure" (int: the enum
 * values), "audio-muted", "video-muted", "participant-count",
 * "knocking-count" (uint), "elapsed-seconds" (int64, notified every second
 * while in the call), "is-moderator".
 * leave() waits at most 5 s for readyToClose/videoConferenceLeft, then ends
 * with reason hangup. A session disposed with its log still open ends it
 * as hangup.
 * Signals:
 *   ::command (const char *json) — deliver this to the page
 *     (atx_bridge_command_to_json output)
 *   ::participants-changed ()
 *   ::knocking-changed ()            */

G_END_DECLS

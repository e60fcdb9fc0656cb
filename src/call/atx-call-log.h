/* atx-call-log.h — writes one call's entry into its appointment's callLog.
 *
 * DESIGN.md, "Appointment store": callLog[] entries {startedAt, endedAt,
 * roomName, callType, adHoc, where, endReason, participants[{id,
 * displayName, joinedAt, leftAt}], error}. Every event is written through
 * the store as it arrives (copy, change, atx_appointment_store_update), so
 * a crash loses nothing; a running call has no endedAt. Only the call log
 * of the appointment changes — never its video members, even for ad-hoc
 * calls.
 */
#pragma once

#include "core/atx-appointment-store.h"

G_BEGIN_DECLS

typedef enum {
  ATX_CALL_WHERE_EMBEDDED,
  ATX_CALL_WHERE_BROWSER,
} AtxCallWhere;

typedef enum {
  ATX_CALL_END_HANGUP,              /* "hangup": the therapist left with Leave/close */
  ATX_CALL_END_LEFT,                /* "left": videoConferenceLeft from Jitsi */
  ATX_CALL_END_UNEXPECTEDLY,        /* "ended-unexpectedly": found open at next start */
  ATX_CALL_END_BROWSER_CLOSED,      /* "browser-closed": the browser's stream died */
  ATX_CALL_END_ERROR,               /* "error" */
} AtxCallEndReason;

const char *atx_call_end_reason_to_string (AtxCallEndReason reason);
const char *atx_call_where_to_string (AtxCallWhere where);

#define ATX_TYPE_CALL_LOG (atx_call_log_get_type ())
G_DECLARE_FINAL_TYPE (AtxCallLog, atx_call_log, ATX, CALL_LOG, GObject)

/* Appends a new entry (startedAt = now, no endedAt) to the appointment
 * @appointment_id and writes it. NULL with an ATX_STORE_ERROR when the
 * appointment is gone or the store is read-only. */
AtxCallLog *atx_call_log_start (AtxAppointmentStore *store,
                                const char          *appointment_id,
                                const char          *room_name,
                                AtxCallType          call_type,
                                gboolean             ad_hoc,
                                AtxCallWhere         where,
                                GError             **error);

/* Each writes at once. A participant who joins again after leaving gets a
 * new participants[] item. Ids and names are stored as received (already
 * validated by the bridge). Calls after atx_call_log_end() are ignored. */
gboolean atx_call_log_participant_joined (AtxCallLog *self, const char *id,
                                          const char *display_name, GError **error);
gboolean atx_call_log_participant_left   (AtxCallLog *self, const char *id, GError **error);
/* Sets the entry's error (a short text: the Jitsi error name and message)
 * without ending it. */
gboolean atx_call_log_set_error          (AtxCallLog *self, const char *error_text, GError **error);
/* Sets endedAt, endReason and the leftAt of everyone still in the call. */
gboolean atx_call_log_end                (AtxCallLog *self, AtxCallEndReason reason, GError **error);

gboolean atx_call_log_is_ended (AtxCallLog *self);

const char *atx_call_log_get_appointment_id (AtxCallLog *self);
/* The entry's startedAt as written (with its roomName, it identifies the entry). */
const char *atx_call_log_get_started_at (AtxCallLog *self);

/* At start-up: every entry without endedAt (a crash, a killed app) gets
 * endedAt = the last time seen in it (its latest joinedAt/leftAt, else
 * startedAt), endReason "ended-unexpectedly". Returns how many were closed. */
guint    atx_call_log_close_dangling (AtxAppointmentStore *store, GError **error);

G_END_DECLS

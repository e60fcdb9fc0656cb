/* atx-appointment.h — one appointment of the practice's calendar.
 *
 * Holds every member of the store format of DESIGN.md as a property and keeps
 * the members it does not know so that a load/save round trip never drops data.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  ATX_APPOINTMENT_STATUS_SCHEDULED,
  ATX_APPOINTMENT_STATUS_COMPLETED,
  ATX_APPOINTMENT_STATUS_CANCELLED,
  ATX_APPOINTMENT_STATUS_NO_SHOW,
} AtxAppointmentStatus;

typedef enum {
  ATX_CALL_TYPE_VIDEO,
  ATX_CALL_TYPE_AUDIO,
} AtxCallType;

#define ATX_APPOINTMENT_ERROR (atx_appointment_error_quark ())

typedef enum {
  ATX_APPOINTMENT_ERROR_MISSING_ID,
  ATX_APPOINTMENT_ERROR_TITLE_REQUIRED,
  ATX_APPOINTMENT_ERROR_INVALID_TIME,     /* missing or unparsable start/end */
  ATX_APPOINTMENT_ERROR_END_BEFORE_START, /* end <= start */
  ATX_APPOINTMENT_ERROR_INVALID_STATUS,
  ATX_APPOINTMENT_ERROR_INVALID_CALL_TYPE,
  ATX_APPOINTMENT_ERROR_INVALID_FIELD,    /* a known member of the wrong JSON type */
} AtxAppointmentError;

GQuark atx_appointment_error_quark (void);

const char *atx_appointment_status_to_string (AtxAppointmentStatus status);
gboolean    atx_appointment_status_from_string (const char *str, AtxAppointmentStatus *out_status);
/* Translated, for display ("Scheduled", "No-show", …) */
const char *atx_appointment_status_to_label (AtxAppointmentStatus status);
const char *atx_call_type_to_string (AtxCallType type);
gboolean    atx_call_type_from_string (const char *str, AtxCallType *out_type);

#define ATX_TYPE_APPOINTMENT_STATUS (atx_appointment_status_get_type ())
GType atx_appointment_status_get_type (void);
#define ATX_TYPE_CALL_TYPE (atx_call_type_get_type ())
GType atx_call_type_get_type (void);

#define ATX_TYPE_APPOINTMENT (atx_appointment_get_type ())
G_DECLARE_FINAL_TYPE (AtxAppointment, atx_appointment, ATX, APPOINTMENT, GObject)

/* A new appointment with a fresh random UUID id, status "scheduled" and
 * createdAt/updatedAt set to now. */
AtxAppointment *atx_appointment_new (void);

/* Parses one entry of the store's "appointments" array. Returns NULL and sets
 * an ATX_APPOINTMENT_ERROR when the entry is invalid (the store keeps such
 * entries verbatim). Unknown members are kept. Times must carry an offset
 * (or "Z"); fractional seconds are accepted. A missing status is
 * "scheduled", a missing videoCallType "video".
 * The object is kept (referenced, never modified) so that members which
 * are not changed later are written back exactly as they were read, times
 * included: do not modify it afterwards. A mutable callLog array is shared
 * with it (see atx_appointment_get_call_log). */
AtxAppointment *atx_appointment_new_from_json (JsonObject *object, GError **error);

/* Serialises every known member plus the unknown ones that were loaded, in
 * the order they were read (new members after them). Video members are
 * absent when is-video-call is FALSE (an entry read with isVideoCall false
 * and stray video members keeps them as read until the switch is used).
 * Times are written as ISO 8601 with the offset, e.g.
 * 2026-11-24T15:00:00+01:00; an unchanged time keeps its original text. */
JsonObject     *atx_appointment_to_json (AtxAppointment *self);

/* The entry as the store writes it: the same content as
 * atx_appointment_to_json(), but an appointment unchanged since it was read
 * shares the object it was read from instead of building a new one (saving
 * 50,000 entries is then little more than the JSON writing itself). The
 * returned node must not be modified. */
JsonNode       *atx_appointment_serialize (AtxAppointment *self);

/* Deep copy (same id, unknown members and call log included): the editor
 * edits a copy and the store replaces the stored one on save. */
AtxAppointment *atx_appointment_copy (AtxAppointment *self);

/* Title required, start and end set, end after start, known status/call type. */
gboolean        atx_appointment_validate (AtxAppointment *self, GError **error);

/* TRUE when [start, end) overlaps [from, to). */
gboolean        atx_appointment_overlaps (AtxAppointment *self, GDateTime *from, GDateTime *to);

const char     *atx_appointment_get_id (AtxAppointment *self);
const char     *atx_appointment_get_title (AtxAppointment *self);
void            atx_appointment_set_title (AtxAppointment *self, const char *title);
const char     *atx_appointment_get_client_name (AtxAppointment *self);
void            atx_appointment_set_client_name (AtxAppointment *self, const char *client_name);
const char     *atx_appointment_get_client_email (AtxAppointment *self);
void            atx_appointment_set_client_email (AtxAppointment *self, const char *client_email);
GDateTime      *atx_appointment_get_start (AtxAppointment *self);
void            atx_appointment_set_start (AtxAppointment *self, GDateTime *start);
GDateTime      *atx_appointment_get_end (AtxAppointment *self);
void            atx_appointment_set_end (AtxAppointment *self, GDateTime *end);
AtxAppointmentStatus atx_appointment_get_status (AtxAppointment *self);
void            atx_appointment_set_status (AtxAppointment *self, AtxAppointmentStatus status);
const char     *atx_appointment_get_notes (AtxAppointment *self);
void            atx_appointment_set_notes (AtxAppointment *self, const char *notes);

gboolean        atx_appointment_get_is_video_call (AtxAppointment *self);
/* Turning it off clears every video member (they become absent in JSON).
 * The video setters below work whatever its value, but to_json() writes the
 * video members only while it is TRUE. NULL or "" makes a member absent. */
void            atx_appointment_set_is_video_call (AtxAppointment *self, gboolean is_video_call);
AtxCallType     atx_appointment_get_video_call_type (AtxAppointment *self);
void            atx_appointment_set_video_call_type (AtxAppointment *self, AtxCallType type);
const char     *atx_appointment_get_video_call_room_name (AtxAppointment *self);
void            atx_appointment_set_video_call_room_name (AtxAppointment *self, const char *room_name);
const char     *atx_appointment_get_video_call_url (AtxAppointment *self);
void            atx_appointment_set_video_call_url (AtxAppointment *self, const char *url);
const char     *atx_appointment_get_video_call_jwt (AtxAppointment *self);
void            atx_appointment_set_video_call_jwt (AtxAppointment *self, const char *jwt);
GDateTime      *atx_appointment_get_video_call_jwt_expires_at (AtxAppointment *self);
void            atx_appointment_set_video_call_jwt_expires_at (AtxAppointment *self, GDateTime *expires_at);

/* The callLog array as stored (never NULL; owned by the appointment). It may
 * be edited in place (entries keep their unknown members); call
 * atx_appointment_set_call_log() with the same array afterwards to notify
 * "call-log", then atx_appointment_store_update() to save. */
JsonArray      *atx_appointment_get_call_log (AtxAppointment *self);
void            atx_appointment_set_call_log (AtxAppointment *self, JsonArray *call_log);

GDateTime      *atx_appointment_get_created_at (AtxAppointment *self);
GDateTime      *atx_appointment_get_updated_at (AtxAppointment *self);
/* Sets updatedAt to now; the store calls it on update. */
void            atx_appointment_touch (AtxAppointment *self);

/* Text getters (title, client name/email, notes) never return NULL. The
 * setters notify only when the value really changes (for times: another
 * instant or another UTC offset). */

/* Sort order of the store: by start, then by id. */
int             atx_appointment_compare (AtxAppointment *a, AtxAppointment *b);

G_END_DECLS

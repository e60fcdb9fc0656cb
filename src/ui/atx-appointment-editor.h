/* atx-appointment-editor.h — the dialog that creates or edits one appointment.
 *
 * Edits a copy; on Save it validates and hands the result to the store
 * (atx_appointment_store_add/update). Cancel or Escape closes it without any
 * change. If the store refuses (read-only, invalid), the dialog stays open and
 * shows the reason.
 *
 * With usable settings (atx_settings_is_video_configured) its "Video call"
 * switch makes the appointment a video or audio call: Save keeps the stored
 * room name or creates an opaque one (atx_room_name_generate), and stores
 * the join URL built from the current Jitsi domain; the switch off removes
 * every video member. Without settings, or while they are not usable, the
 * switch is insensitive, the row says what is missing and offers "Set Up
 * Video Calls" (action app.preferences, installed by the application), and
 * Save leaves the video members exactly as they were. The group follows
 * changes of the settings while the dialog is open.
 */
#pragma once

#include <adwaita.h>
#include "core/atx-appointment-store.h"
#include "core/atx-settings.h"

G_BEGIN_DECLS

#define ATX_TYPE_APPOINTMENT_EDITOR (atx_appointment_editor_get_type ())
G_DECLARE_FINAL_TYPE (AtxAppointmentEditor, atx_appointment_editor, ATX, APPOINTMENT_EDITOR, AdwWindow)

/* appointment: NULL to create a new one starting at default_start (local
 * time; NULL = next full hour today). The dialog is modal for parent. */
AtxAppointmentEditor *atx_appointment_editor_new (GtkWindow           *parent,
                                                  AtxAppointmentStore *store,
                                                  AtxAppointment      *appointment,
                                                  GDateTime           *default_start);

/* The same with the app's settings for the video call group (property
 * "settings", construct-only; NULL is what atx_appointment_editor_new does). */
AtxAppointmentEditor *atx_appointment_editor_new_with_settings (GtkWindow           *parent,
                                                                AtxAppointmentStore *store,
                                                                AtxSettings         *settings,
                                                                AtxAppointment      *appointment,
                                                                GDateTime           *default_start);

/* Signals:
 *   ::saved (AtxAppointment *appointment) — after the store accepted it;
 *     the dialog closes itself right after.  */

/* for tests: the form's controls, so that tests can fill it as a user would */
typedef enum {
  ATX_EDITOR_MESSAGE_TITLE, /* "A title is required." under the title */
  ATX_EDITOR_MESSAGE_EMAIL, /* under the client e-mail */
  ATX_EDITOR_MESSAGE_TIME,  /* under the duration */
  ATX_EDITOR_MESSAGE_SAVE,  /* above the form: why the store refused */
} AtxEditorMessage;

GtkWidget     *atx_appointment_editor_get_save_button          (AtxAppointmentEditor *self);
GtkWidget     *atx_appointment_editor_get_cancel_button        (AtxAppointmentEditor *self);
GtkEditable   *atx_appointment_editor_get_title_editable       (AtxAppointmentEditor *self);
GtkEditable   *atx_appointment_editor_get_client_name_editable (AtxAppointmentEditor *self);
GtkEditable   *atx_appointment_editor_get_client_email_editable (AtxAppointmentEditor *self);
GtkCalendar   *atx_appointment_editor_get_calendar             (AtxAppointmentEditor *self);
GtkSpinButton *atx_appointment_editor_get_hour_spin            (AtxAppointmentEditor *self);
GtkSpinButton *atx_appointment_editor_get_minute_spin          (AtxAppointmentEditor *self);
GtkSpinButton *atx_appointment_editor_get_duration_spin        (AtxAppointmentEditor *self);
AdwComboRow   *atx_appointment_editor_get_status_row           (AtxAppointmentEditor *self);
GtkTextView   *atx_appointment_editor_get_notes_view           (AtxAppointmentEditor *self);
/* The label of one message; hidden (and empty) while there is none. */
GtkLabel      *atx_appointment_editor_get_message_label        (AtxAppointmentEditor *self,
                                                                AtxEditorMessage      which);
/* "Ends at 15:50" */
const char    *atx_appointment_editor_get_end_text             (AtxAppointmentEditor *self);

/* The video call group: the "Video call" row and its switch, the "Set Up
 * Video Calls" button (shown while video calls are not usable), the call
 * type row (shown while the switch is on) with its two linked buttons, the
 * note "A unique private link will be created…" (shown while on and no room
 * exists yet) and the selectable join URL (shown while on and one exists). */
AdwActionRow    *atx_appointment_editor_get_video_row          (AtxAppointmentEditor *self);
GtkSwitch       *atx_appointment_editor_get_video_switch       (AtxAppointmentEditor *self);
GtkWidget       *atx_appointment_editor_get_video_setup_button (AtxAppointmentEditor *self);
AdwActionRow    *atx_appointment_editor_get_call_type_row      (AtxAppointmentEditor *self);
GtkToggleButton *atx_appointment_editor_get_call_type_button   (AtxAppointmentEditor *self,
                                                                AtxCallType           type);
GtkLabel        *atx_appointment_editor_get_video_note_label   (AtxAppointmentEditor *self);
GtkLabel        *atx_appointment_editor_get_video_url_label    (AtxAppointmentEditor *self);

G_END_DECLS

/* atx-appointment-editor.c — the dialog that creates or edits one appointment.
 *
 * The form is validated on every change; Save (the editor.save action) is
 * only enabled when the appointment would be accepted. Saving applies the
 * form to a copy of the appointment as the store holds it at that moment, so
 * members the form does not show (video call, call log, unknown JSON members)
 * travel through unchanged, even if a running call wrote to the call log
 * while the dialog was open. The store may refuse (read-only file, appointment
 * deleted meanwhile): the dialog then stays open and says why.
 *
 * The video call group writes the video members only when the settings make
 * video calls usable (a Jitsi server, and a token backend when JWTs are on).
 * Otherwise it shows what is missing, offers "Set Up Video Calls", and leaves
 * the appointment's video members exactly as they are: missing settings must
 * never cost an existing appointment its link. The room name, once created,
 * stays with the appointment (changing the call type keeps it, and the stored
 * token that belongs to it); the join URL is rebuilt from the current domain
 * on every save.
 */
#define G_LOG_DOMAIN "atx-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "atx-appointment-editor.h"
#include "core/atx-room-name.h"

#define DEFAULT_DURATION_MINUTES 50
#define MIN_DURATION_MINUTES      5
#define MAX_DURATION_MINUTES      720

struct _AtxAppointmentEditor
{
  AdwWindow            parent_instance;

  AtxAppointmentStore *store;
  AtxSettings         *settings;      /* NULL: video calls cannot be set up */
  AtxAppointment      *original;      /* NULL when creating */
  GDateTime           *default_start;
  GTimeZone           *tz;

  /* The selected day; the calendar only holds it while it is shown. */
  int                  year;
  int                  month;
  int                  day;

  gboolean             loading;       /* filling the form, not a user edit */
  gboolean             title_edited;  /* show "title required" only once touched */
  gboolean             time_edited;   /* else an edit keeps start/end exactly */
  gboolean             video_configured;

  GtkWidget           *cancel_button;
  GtkWidget           *save_button;
  GtkLabel            *save_error_label;
  AdwEntryRow         *title_row;
  GtkLabel            *title_error_label;
  AdwEntryRow         *client_name_row;
  AdwEntryRow         *client_email_row;
  GtkLabel            *email_error_label;
  AdwActionRow        *date_row;
  GtkMenuButton       *date_button;
  GtkPopover          *date_popover;
  GtkCalendar         *calendar;
  AdwActionRow        *start_row;
  GtkSpinButton       *hour_spin;
  GtkSpinButton       *minute_spin;
  AdwActionRow        *duration_row;
  GtkSpinButton       *duration_spin;
  GtkLabel            *time_error_label;
  AdwComboRow         *status_row;
  GtkTextView         *notes_view;
  AdwActionRow        *video_row;
  GtkSwitch           *video_switch;
  GtkWidget           *video_setup_button;
  AdwActionRow        *call_type_row;
  GtkToggleButton     *video_type_button;
  GtkToggleButton     *audio_type_button;
  GtkLabel            *video_note_label;
  GtkWidget           *video_link_box;
  GtkLabel            *video_url_label;
};

G_DEFINE_FINAL_TYPE (AtxAppointmentEditor, atx_appointment_editor, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_STORE,
  PROP_SETTINGS,
  PROP_APPOINTMENT,
  PROP_DEFAULT_START,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_SAVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* something@something.tld: one @, no blanks, a dot-separated domain whose
 * last label has at least two characters. Deliberately loose: the point is
 * to catch typos, not to implement RFC 5322. */
static gboolean
looks_like_email (const char *text)
{
  return g_regex_match_simple ("^[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)*\\.[^@\\s.]{2,}$",
                               text, 0, 0);
}

static char *
dup_stripped (GtkEditable *editable)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (editable)));
}

static int
get_spin_int (GtkSpinButton *spin)
{
  return gtk_spin_button_get_value_as_int (spin);
}

/* The start and end the form describes, in local time. FALSE when the
 * date/time does not exist (cannot happen with the calendar, but the
 * fields are user input). */
static gboolean
compute_times (AtxAppointmentEditor  *self,
               GDateTime            **out_start,
               GDateTime            **out_end)
{
  g_autoptr(GDateTime) start = NULL;

  start = g_date_time_new (self->tz, self->year, self->month, self->day,
                           get_spin_int (self->hour_spin),
                           get_spin_int (self->minute_spin), 0);
  if (start == NULL)
    return FALSE;

  *out_end = g_date_time_add_minutes (start, get_spin_int (self->duration_spin));
  *out_start = g_steal_pointer (&start);
  return TRUE;
}

/* Shows or clears one field's error: the label under the group, the
 * "error" style on the row, and for assistive technologies the invalid
 * state and the message as description of the focusable control. */
static void
set_field_error (GtkWidget  *row,
                 GtkWidget  *control,
                 GtkLabel   *label,
                 const char *message)
{
  if (message != NULL)
    {
      gtk_label_set_text (label, message);
      gtk_widget_set_visible (GTK_WIDGET (label), TRUE);
      gtk_widget_add_css_class (row, "error");
      gtk_accessible_update_property (GTK_ACCESSIBLE (control),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message,
                                      -1);
      gtk_accessible_update_state (GTK_ACCESSIBLE (control),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
    }
  else
    {
      gtk_widget_set_visible (GTK_WIDGET (label), FALSE);
      gtk_label_set_text (label, "");
      gtk_widget_remove_css_class (row, "error");
      gtk_accessible_reset_property (GTK_ACCESSIBLE (control),
                                     GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
      gtk_accessible_update_state (GTK_ACCESSIBLE (control),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_FALSE,
                                   -1);
    }
}

/* The focusable part of an entry row (its GtkText). */
static GtkWidget *
entry_row_control (AdwEntryRow *row)
{
  GtkEditable *delegate = gtk_editable_get_delegate (GTK_EDITABLE (row));

  return delegate != NULL ? GTK_WIDGET (delegate) : GTK_WIDGET (row);
}

static void
update_date_button (AtxAppointmentEditor *self)
{
  g_autoptr(GDateTime) date = NULL;
  g_autofree char *text = NULL;
  g_autofree char *accessible = NULL;

  date = g_date_time_new (self->tz, self->year, self->month, self->day, 12, 0, 0);
  g_return_if_fail (date != NULL);

  /* Translators: the appointment's date on the date button, a
   * g_date_time_format() string, e.g. "Tue, 24 Nov 2026" */
  text = g_date_time_format (date, _("%a, %e %b %Y"));
  gtk_menu_button_set_label (self->date_button, text);

  /* The button's accessible name must carry its value: "Date: …". */
  accessible = g_strdup_printf (_("Date: %s"), text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->date_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
}

static void
update_end_display (AtxAppointmentEditor *self,
                    GDateTime            *start,
                    GDateTime            *end)
{
  g_autofree char *time = NULL;
  g_autofree char *subtitle = NULL;

  if (start == NULL || end == NULL)
    {
      adw_action_row_set_subtitle (self->duration_row, "");
      return;
    }

  time = g_date_time_format (end, "%H:%M");

  if (g_date_time_get_year (start) == g_date_time_get_year (end) &&
      g_date_time_get_day_of_year (start) == g_date_time_get_day_of_year (end))
    {
      /* Translators: subtitle of the duration row; %s is a time "15:50" */
      subtitle = g_strdup_printf (_("Ends at %s"), time);
    }
  else
    {
      /* Translators: a g_date_time_format() string for an end on another day */
      g_autofree char *date = g_date_time_format (end, _("%a, %e %b"));

      /* Translators: subtitle of the duration row when the appointment ends
       * on a later day: "Ends on Wed, 25 Nov at 00:20" */
      subtitle = g_strdup_printf (_("Ends on %s at %s"), date, time);
    }

  adw_action_row_set_subtitle (self->duration_row, subtitle);
}

/* Validates the whole form, shows the errors and enables Save accordingly.
 * Returns whether the form can be saved. */
static gboolean
validate (AtxAppointmentEditor *self)
{
  g_autofree char *title = dup_stripped (GTK_EDITABLE (self->title_row));
  g_autofree char *email = dup_stripped (GTK_EDITABLE (self->client_email_row));
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  const char *time_error = NULL;
  gboolean title_ok;
  gboolean email_ok;

  title_ok = title[0] != '\0';
  set_field_error (GTK_WIDGET (self->title_row), entry_row_control (self->title_row),
                   self->title_error_label,
                   !title_ok && self->title_edited ? _("A title is required.") : NULL);

  email_ok = email[0] == '\0' || looks_like_email (email);
  set_field_error (GTK_WIDGET (self->client_email_row),
                   entry_row_control (self->client_email_row),
                   self->email_error_label,
                   email_ok ? NULL : _("Enter a valid e-mail address or leave it empty."));

  if (!compute_times (self, &start, &end))
    time_error = _("This date and time do not exist in the local time zone.");
  else if (g_date_time_compare (end, start) <= 0)
    time_error = _("The end must be after the start.");
  update_end_display (self, start, end);
  set_field_error (GTK_WIDGET (self->duration_row), GTK_WIDGET (self->duration_spin),
                   self->time_error_label, time_error);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save",
                                 title_ok && email_ok && time_error == NULL);

  return title_ok && email_ok && time_error == NULL;
}

static void
on_title_changed (AtxAppointmentEditor *self)
{
  if (!self->loading)
    self->title_edited = TRUE;
  validate (self);
}

static void
on_client_email_changed (AtxAppointmentEditor *self)
{
  validate (self);
}

static void
on_time_field_changed (AtxAppointmentEditor *self)
{
  if (self->loading)
    return;
  self->time_edited = TRUE;
  validate (self);
}

/* 24-hour clock: hours and minutes always with two digits. */
static gboolean
on_time_spin_output (GtkSpinButton *spin,
                     gpointer       user_data)
{
  g_autofree char *text = g_strdup_printf ("%02d", get_spin_int (spin));

  if (g_strcmp0 (text, gtk_editable_get_text (GTK_EDITABLE (spin))) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);

  return TRUE;
}

static void
on_calendar_day_selected (AtxAppointmentEditor *self)
{
  g_autoptr(GDateTime) date = gtk_calendar_get_date (self->calendar);

  self->year = g_date_time_get_year (date);
  self->month = g_date_time_get_month (date);
  self->day = g_date_time_get_day_of_month (date);
  update_date_button (self);

  if (self->loading)
    return;

  self->time_edited = TRUE;
  gtk_popover_popdown (self->date_popover);
  validate (self);
}

static void
show_save_error (AtxAppointmentEditor *self,
                 const char           *message)
{
  if (message == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->save_error_label), FALSE);
      gtk_label_set_text (self->save_error_label, "");
      return;
    }

  gtk_label_set_text (self->save_error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->save_error_label), TRUE);
}

/* ---- video call ---- */

/* The appointment as the store holds it now (NULL when creating). */
static AtxAppointment *
lookup_current (AtxAppointmentEditor *self)
{
  AtxAppointment *current;

  if (self->original == NULL)
    return NULL;

  current = atx_appointment_store_lookup (self->store, atx_appointment_get_id (self->original));
  return current != NULL ? current : self->original;
}

static AtxCallType
get_selected_call_type (AtxAppointmentEditor *self)
{
  return gtk_toggle_button_get_active (self->audio_type_button) ? ATX_CALL_TYPE_AUDIO
                                                                : ATX_CALL_TYPE_VIDEO;
}

static void
select_call_type (AtxAppointmentEditor *self,
                  AtxCallType           type)
{
  /* The buttons are a group: activating one deactivates the other. */
  gtk_toggle_button_set_active (type == ATX_CALL_TYPE_AUDIO ? self->audio_type_button
                                                            : self->video_type_button,
                                TRUE);
}

/* The room a save would use: the stored one if it is a usable room name
 * (NULL otherwise: a new one is created at save time). */
static const char *
get_reusable_room (AtxAppointment *appointment)
{
  const char *room;

  if (appointment == NULL)
    return NULL;

  room = atx_appointment_get_video_call_room_name (appointment);
  return room != NULL && atx_room_name_is_valid (room) ? room : NULL;
}

/* Below the rows while the switch is on: the join link a save would store
 * (built from the current domain, or the stored one while the settings are
 * not usable), or, without a room yet, the note that a link will be made. */
static void
update_video_link (AtxAppointmentEditor *self)
{
  AtxAppointment *current = lookup_current (self);
  gboolean on = gtk_switch_get_active (self->video_switch);
  g_autofree char *url = NULL;
  const char *room = get_reusable_room (current);

  if (on && self->video_configured && room != NULL)
    url = atx_settings_build_join_url (self->settings, room);
  else if (on && !self->video_configured && current != NULL &&
           atx_appointment_get_is_video_call (current))
    url = g_strdup (atx_appointment_get_video_call_url (current));

  if (url != NULL && url[0] == '\0')
    g_clear_pointer (&url, g_free);

  gtk_label_set_text (self->video_url_label, url != NULL ? url : "");
  gtk_widget_set_visible (self->video_link_box, on && url != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->video_note_label),
                          on && url == NULL && self->video_configured);
}

static void
on_video_switch_active (AtxAppointmentEditor *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->call_type_row),
                          gtk_switch_get_active (self->video_switch));
  update_video_link (self);
}

/* Follows the settings: whether the switch can be used, and if not, why. */
static void
update_video_state (AtxAppointmentEditor *self)
{
  g_autoptr(GError) error = NULL;
  const char *reason;

  self->video_configured = self->settings != NULL &&
                           atx_settings_is_video_configured (self->settings, &error);
  if (error != NULL)
    reason = error->message;
  else
    reason = _("Video calls are not set up yet.");

  gtk_widget_set_sensitive (GTK_WIDGET (self->video_switch), self->video_configured);
  gtk_widget_set_sensitive (GTK_WIDGET (self->call_type_row), self->video_configured);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (self->video_row), self->video_configured);
  gtk_widget_set_visible (self->video_setup_button, !self->video_configured);

  if (self->video_configured)
    {
      adw_action_row_set_subtitle (self->video_row,
                                   _("Enable video or audio calling for this appointment"));
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self->video_switch),
                                     GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
  else
    {
      AtxAppointment *current = lookup_current (self);
      gboolean is_video = current != NULL && atx_appointment_get_is_video_call (current);

      adw_action_row_set_subtitle (self->video_row, reason);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->video_switch),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, reason,
                                      -1);

      /* Nothing can be changed now, and a save keeps the stored video
       * members: show them as they are (a choice made before the settings
       * stopped being usable is undone). */
      gtk_switch_set_active (self->video_switch, is_video);
      select_call_type (self, is_video ? atx_appointment_get_video_call_type (current)
                                       : ATX_CALL_TYPE_VIDEO);
    }

  on_video_switch_active (self);
}

/* Applies the video call group to the appointment about to be saved (a copy
 * of the stored one, or a new one). */
static void
apply_video_call (AtxAppointmentEditor *self,
                  AtxAppointment       *appointment)
{
  g_autofree char *room = NULL;
  g_autofree char *url = NULL;
  const char *stored_room;

  /* Without usable settings the stored video members stay as they are. */
  update_video_state (self);
  if (!self->video_configured)
    return;

  if (!gtk_switch_get_active (self->video_switch))
    {
      atx_appointment_set_is_video_call (appointment, FALSE);
      return;
    }

  stored_room = get_reusable_room (appointment);
  if (stored_room != NULL)
    {
      room = g_strdup (stored_room);
    }
  else
    {
      /* A new room: a token cached for an old one is of no use. */
      room = atx_room_name_generate ();
      atx_appointment_set_video_call_jwt (appointment, NULL);
      atx_appointment_set_video_call_jwt_expires_at (appointment, NULL);
    }

  url = atx_settings_build_join_url (self->settings, room);
  g_assert (url != NULL); /* configured domain, valid room */

  atx_appointment_set_is_video_call (appointment, TRUE);
  atx_appointment_set_video_call_type (appointment, get_selected_call_type (self));
  atx_appointment_set_video_call_room_name (appointment, room);
  atx_appointment_set_video_call_url (appointment, url);
}

static void
on_settings_notify (AtxSettings          *settings,
                    GParamSpec           *pspec,
                    AtxAppointmentEditor *self)
{
  update_video_state (self);
}

static char *
get_notes (AtxAppointmentEditor *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->notes_view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* The appointment to hand to the store: for an edit, a copy of the stored
 * one as it is now (see the top of the file); for a new one, a fresh one. */
static AtxAppointment *
build_appointment (AtxAppointmentEditor *self)
{
  g_autoptr(AtxAppointment) appointment = NULL;
  g_autofree char *title = dup_stripped (GTK_EDITABLE (self->title_row));
  g_autofree char *client_name = dup_stripped (GTK_EDITABLE (self->client_name_row));
  g_autofree char *client_email = dup_stripped (GTK_EDITABLE (self->client_email_row));
  g_autofree char *notes = get_notes (self);

  if (self->original != NULL)
    appointment = atx_appointment_copy (lookup_current (self));
  else
    appointment = atx_appointment_new ();

  atx_appointment_set_title (appointment, title);
  atx_appointment_set_client_name (appointment, client_name);
  atx_appointment_set_client_email (appointment, client_email);
  atx_appointment_set_status (appointment, adw_combo_row_get_selected (self->status_row));
  atx_appointment_set_notes (appointment, notes);

  if (self->original == NULL || self->time_edited)
    {
      g_autoptr(GDateTime) start = NULL;
      g_autoptr(GDateTime) end = NULL;

      if (!compute_times (self, &start, &end))
        g_assert_not_reached (); /* validate() checked it */
      atx_appointment_set_start (appointment, start);
      atx_appointment_set_end (appointment, end);
    }

  apply_video_call (self, appointment);

  return g_steal_pointer (&appointment);
}

static void
save_activated (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  AtxAppointmentEditor *self = ATX_APPOINTMENT_EDITOR (widget);
  g_autoptr(AtxAppointmentEditor) keep_alive = NULL;
  g_autoptr(AtxAppointment) appointment = NULL;
  g_autoptr(GError) error = NULL;
  gboolean saved;

  /* Commit text typed into a spin button but not yet activated. */
  gtk_spin_button_update (self->hour_spin);
  gtk_spin_button_update (self->minute_spin);
  gtk_spin_button_update (self->duration_spin);

  self->title_edited = TRUE;
  if (!validate (self))
    return;

  appointment = build_appointment (self);

  if (self->original == NULL)
    saved = atx_appointment_store_add (self->store, appointment, &error);
  else
    saved = atx_appointment_store_update (self->store, appointment, &error);

  if (!saved)
    {
      g_autofree char *message = NULL;

      g_debug ("Store refused the appointment: %s", error->message);
      /* Translators: %s is the store's reason, e.g. that the file is read-only */
      message = g_strdup_printf (_("The appointment could not be saved: %s"), error->message);
      show_save_error (self, message);
      return;
    }

  show_save_error (self, NULL);

  keep_alive = g_object_ref (self);
  g_signal_emit (self, signals[SIGNAL_SAVED], 0, appointment);
  gtk_window_close (GTK_WINDOW (self));
}

/* Fills the form; no handler treats this as a user edit. */
static void
load_form (AtxAppointmentEditor *self)
{
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GListModel) statuses = NULL;
  const char *labels[] = {
    atx_appointment_status_to_label (ATX_APPOINTMENT_STATUS_SCHEDULED),
    atx_appointment_status_to_label (ATX_APPOINTMENT_STATUS_COMPLETED),
    atx_appointment_status_to_label (ATX_APPOINTMENT_STATUS_CANCELLED),
    atx_appointment_status_to_label (ATX_APPOINTMENT_STATUS_NO_SHOW),
    NULL
  };
  GtkAdjustment *duration_adjustment;
  GTimeSpan duration = (GTimeSpan) DEFAULT_DURATION_MINUTES * G_TIME_SPAN_MINUTE;
  AtxAppointmentStatus status = ATX_APPOINTMENT_STATUS_SCHEDULED;

  self->loading = TRUE;

  /* Index in this list == AtxAppointmentStatus value. */
  statuses = G_LIST_MODEL (gtk_string_list_new (labels));
  adw_combo_row_set_model (self->status_row, statuses);

  if (self->original != NULL)
    {
      AtxAppointment *a = self->original;
      GDateTime *orig_start = atx_appointment_get_start (a);
      GDateTime *orig_end = atx_appointment_get_end (a);
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->notes_view);
      const char *notes = atx_appointment_get_notes (a);

      gtk_editable_set_text (GTK_EDITABLE (self->title_row),
                             atx_appointment_get_title (a) ? atx_appointment_get_title (a) : "");
      gtk_editable_set_text (GTK_EDITABLE (self->client_name_row),
                             atx_appointment_get_client_name (a) ? atx_appointment_get_client_name (a) : "");
      gtk_editable_set_text (GTK_EDITABLE (self->client_email_row),
                             atx_appointment_get_client_email (a) ? atx_appointment_get_client_email (a) : "");
      gtk_text_buffer_set_text (buffer, notes ? notes : "", -1);
      status = atx_appointment_get_status (a);

      if (orig_start != NULL)
        start = g_date_time_to_timezone (orig_start, self->tz);
      if (orig_start != NULL && orig_end != NULL)
        duration = g_date_time_difference (orig_end, orig_start);
    }
  else if (self->default_start != NULL)
    {
      start = g_date_time_to_timezone (self->default_start, self->tz);
    }

  if (start == NULL)
    {
      /* The next full hour. */
      g_autoptr(GDateTime) now = g_date_time_new_now (self->tz);
      g_autoptr(GDateTime) hour = g_date_time_new (self->tz,
                                                   g_date_time_get_year (now),
                                                   g_date_time_get_month (now),
                                                   g_date_time_get_day_of_month (now),
                                                   g_date_time_get_hour (now), 0, 0);
      start = g_date_time_add_hours (hour, 1);
    }

  self->year = g_date_time_get_year (start);
  self->month = g_date_time_get_month (start);
  self->day = g_date_time_get_day_of_month (start);
  gtk_calendar_select_day (self->calendar, start);
  update_date_button (self);

  gtk_spin_button_set_value (self->hour_spin, g_date_time_get_hour (start));
  gtk_spin_button_set_value (self->minute_spin, g_date_time_get_minute (start));

  /* An existing appointment may be longer or shorter than the usual range:
   * widen it instead of silently changing the end. */
  duration_adjustment = gtk_spin_button_get_adjustment (self->duration_spin);
  {
    double minutes = (double) (duration / G_TIME_SPAN_MINUTE);

    if (minutes < 1)
      minutes = DEFAULT_DURATION_MINUTES;
    gtk_adjustment_set_lower (duration_adjustment, MIN (MIN_DURATION_MINUTES, minutes));
    gtk_adjustment_set_upper (duration_adjustment, MAX (MAX_DURATION_MINUTES, minutes));
    gtk_spin_button_set_value (self->duration_spin, minutes);
  }

  adw_combo_row_set_selected (self->status_row, status);

  if (self->original != NULL && atx_appointment_get_is_video_call (self->original))
    {
      gtk_switch_set_active (self->video_switch, TRUE);
      select_call_type (self, atx_appointment_get_video_call_type (self->original));
    }
  update_video_state (self);

  self->loading = FALSE;
  validate (self);
}

static void
atx_appointment_editor_constructed (GObject *object)
{
  AtxAppointmentEditor *self = ATX_APPOINTMENT_EDITOR (object);

  G_OBJECT_CLASS (atx_appointment_editor_parent_class)->constructed (object);

  g_assert (ATX_IS_APPOINTMENT_STORE (self->store));

  gtk_window_set_title (GTK_WINDOW (self),
                        self->original != NULL ? _("Edit Appointment") : _("New Appointment"));

  /* Entry rows' titles are visual; name the focusable text explicitly. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry_row_control (self->title_row)),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Title"),
                                  GTK_ACCESSIBLE_PROPERTY_REQUIRED, TRUE,
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry_row_control (self->client_name_row)),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Client name"),
                                  -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry_row_control (self->client_email_row)),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Client e-mail"),
                                  -1);

  if (self->settings != NULL)
    g_signal_connect (self->settings, "notify", G_CALLBACK (on_settings_notify), self);

  load_form (self);
}

static void
atx_appointment_editor_dispose (GObject *object)
{
  AtxAppointmentEditor *self = ATX_APPOINTMENT_EDITOR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), ATX_TYPE_APPOINTMENT_EDITOR);

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_func (self->settings, on_settings_notify, self);
  g_clear_object (&self->settings);
  g_clear_object (&self->store);
  g_clear_object (&self->original);
  g_clear_pointer (&self->default_start, g_date_time_unref);
  g_clear_pointer (&self->tz, g_time_zone_unref);

  G_OBJECT_CLASS (atx_appointment_editor_parent_class)->dispose (object);
}

static void
atx_appointment_editor_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  AtxAppointmentEditor *self = ATX_APPOINTMENT_EDITOR (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_APPOINTMENT:
      g_value_set_object (value, self->original);
      break;

    case PROP_DEFAULT_START:
      g_value_set_boxed (value, self->default_start);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atx_appointment_editor_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  AtxAppointmentEditor *self = ATX_APPOINTMENT_EDITOR (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    case PROP_APPOINTMENT:
      self->original = g_value_dup_object (value);
      break;

    case PROP_DEFAULT_START:
      self->default_start = g_value_dup_boxed (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atx_appointment_editor_class_init (AtxAppointmentEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = atx_appointment_editor_constructed;
  object_class->dispose = atx_appointment_editor_dispose;
  object_class->get_property = atx_appointment_editor_get_property;
  object_class->set_property = atx_appointment_editor_set_property;

  /**
   * AtxAppointmentEditor:store:
   * The store the appointment is added to or updated in.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL,
                         ATX_TYPE_APPOINTMENT_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * AtxAppointmentEditor:settings:
   * The app's settings, for the video call group (Jitsi domain, whether
   * video calls are usable). %NULL: the group only offers to set them up
   * and leaves the appointment's video members alone.
   */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         ATX_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * AtxAppointmentEditor:appointment:
   * The appointment being edited (never modified: the editor saves a copy),
   * or %NULL when creating one.
   */
  properties[PROP_APPOINTMENT] =
    g_param_spec_object ("appointment", NULL, NULL,
                         ATX_TYPE_APPOINTMENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * AtxAppointmentEditor:default-start:
   * Where a new appointment starts; %NULL for the next full hour.
   */
  properties[PROP_DEFAULT_START] =
    g_param_spec_boxed ("default-start", NULL, NULL,
                        G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * AtxAppointmentEditor::saved:
   * @appointment: the appointment as the store now holds it
   *
   * Emitted after the store accepted the appointment, right before the
   * dialog closes itself.
   */
  signals[SIGNAL_SAVED] =
    g_signal_new ("saved",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, ATX_TYPE_APPOINTMENT);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_activated);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/ataraxia/Calendar/atx-appointment-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, AtxAppointmentEditor, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, AtxAppointmentEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, AtxAppointmentEditor, save_error_label);
  gtk_widget_class_bind_template_child (widget_class, AtxAppointmentEditor, title_row);
  gtk_widget_class_bind_template_child (widget_class, AtxAppointmentEditor, title_error_label);
  gtk_widget_class_bind_template_child (widget_class, AtxAppointmentEditor, client_name_row);
  gtk_widget_class_bind_template_child (widget_class, AtxAppointmentEditor, client_email_row);
  gtk_widget_class_bind_template_child (widget_class, AtxAppointmentEditor, email_error_label);
  gtk_widget_class_bind_template_child (widget_class, AtxAppointmentEditor, date_row);
  gtk_widget_class_bind_template_child (widget_class, AtxAppointmentEditor, date_button);
  gtk_widget_class_bind_template_child (widget_class, AtxAppointmentEditor, date_popover);
  gtk_widget_class_bind_template_child (widget_class, AtxAppointmentEditor, calendar);
  gtk_widget_class_bind_template_child (widget_class, AtxAppointmentEditor, start_row);
  gtk_widget_class_bind_template_child (widget_class, AtxAppointmentEditor, hour_spin);
  gtk_widget_class_bind_template_child (widget_class, AtxAppointmentEditor, minute_spin);
  gtk_widget_class_bind_template_child (widget_class, AtxAppointmentEditor, duration_row);
  gtk_widget_class_bind_template_child (widget_class, AtxAppointmentEditor, duration_spin);
  gtk_widget_class_bind_template_child (widget_class, AtxAppointmentEditor, time_error_label);
  gtk_widget_class_bind_template_child (widget_class, AtxAppointmentEditor, status_row);
  gtk_widget_class_bind_template_child (widget_class, AtxAppointmentEditor, notes_view);
  gtk_widget_class_bind_template_child (widget_class, AtxAppointmentEditor, video_row);
  gtk_widget_class_bind_template_child (widget_class, AtxAppointmentEditor, video_switch);
  gtk_widget_class_bind_template_child (widget_class, AtxAppointmentEditor, video_setup_button);
  gtk_widget_class_bind_template_child (widget_class, AtxAppointmentEditor, call_type_row);
  gtk_widget_class_bind_template_child (widget_class, AtxAppointmentEditor, video_type_button);
  gtk_widget_class_bind_template_child (widget_class, AtxAppointmentEditor, audio_type_button);
  gtk_widget_class_bind_template_child (widget_class, AtxAppointmentEditor, video_note_label);
  gtk_widget_class_bind_template_child (widget_class, AtxAppointmentEditor, video_link_box);
  gtk_widget_class_bind_template_child (widget_class, AtxAppointmentEditor, video_url_label);
  gtk_widget_class_bind_template_callback (widget_class, on_title_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_client_email_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_time_field_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_time_spin_output);
  gtk_widget_class_bind_template_callback (widget_class, on_calendar_day_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_video_switch_active);
}

static void
atx_appointment_editor_init (AtxAppointmentEditor *self)
{
  /* Times are edited, and stored, in the local time zone. */
  self->tz = g_time_zone_new_local ();

  gtk_widget_init_template (GTK_WIDGET (self));
}

AtxAppointmentEditor *
atx_appointment_editor_new (GtkWindow           *parent,
                            AtxAppointmentStore *store,
                            AtxAppointment      *appointment,
                            GDateTime           *default_start)
{
  return atx_appointment_editor_new_with_settings (parent, store, NULL, appointment, default_start);
}

AtxAppointmentEditor *
atx_appointment_editor_new_with_settings (GtkWindow           *parent,
                                          AtxAppointmentStore *store,
                                          AtxSettings         *settings,
                                          AtxAppointment      *appointment,
                                          GDateTime           *default_start)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (ATX_IS_APPOINTMENT_STORE (store), NULL);
  g_return_val_if_fail (settings == NULL || ATX_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (appointment == NULL || ATX_IS_APPOINTMENT (appointment), NULL);

  return g_object_new (ATX_TYPE_APPOINTMENT_EDITOR,
                       "transient-for", parent,
                       "store", store,
                       "settings", settings,
                       "appointment", appointment,
                       "default-start", default_start,
                       NULL);
}

GtkWidget *
atx_appointment_editor_get_save_button (AtxAppointmentEditor *self)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT_EDITOR (self), NULL);
  return self->save_button;
}

GtkWidget *
atx_appointment_editor_get_cancel_button (AtxAppointmentEditor *self)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT_EDITOR (self), NULL);
  return self->cancel_button;
}

GtkEditable *
atx_appointment_editor_get_title_editable (AtxAppointmentEditor *self)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT_EDITOR (self), NULL);
  return GTK_EDITABLE (self->title_row);
}

GtkEditable *
atx_appointment_editor_get_client_name_editable (AtxAppointmentEditor *self)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT_EDITOR (self), NULL);
  return GTK_EDITABLE (self->client_name_row);
}

GtkEditable *
atx_appointment_editor_get_client_email_editable (AtxAppointmentEditor *self)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT_EDITOR (self), NULL);
  return GTK_EDITABLE (self->client_email_row);
}

GtkCalendar *
atx_appointment_editor_get_calendar (AtxAppointmentEditor *self)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT_EDITOR (self), NULL);
  return self->calendar;
}

GtkSpinButton *
atx_appointment_editor_get_hour_spin (AtxAppointmentEditor *self)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT_EDITOR (self), NULL);
  return self->hour_spin;
}

GtkSpinButton *
atx_appointment_editor_get_minute_spin (AtxAppointmentEditor *self)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT_EDITOR (self), NULL);
  return self->minute_spin;
}

GtkSpinButton *
atx_appointment_editor_get_duration_spin (AtxAppointmentEditor *self)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT_EDITOR (self), NULL);
  return self->duration_spin;
}

AdwComboRow *
atx_appointment_editor_get_status_row (AtxAppointmentEditor *self)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT_EDITOR (self), NULL);
  return self->status_row;
}

GtkTextView *
atx_appointment_editor_get_notes_view (AtxAppointmentEditor *self)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT_EDITOR (self), NULL);
  return self->notes_view;
}

GtkLabel *
atx_appointment_editor_get_message_label (AtxAppointmentEditor *self,
                                          AtxEditorMessage      which)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT_EDITOR (self), NULL);

  switch (which)
    {
    case ATX_EDITOR_MESSAGE_TITLE:
      return self->title_error_label;
    case ATX_EDITOR_MESSAGE_EMAIL:
      return self->email_error_label;
    case ATX_EDITOR_MESSAGE_TIME:
      return self->time_error_label;
    case ATX_EDITOR_MESSAGE_SAVE:
      return self->save_error_label;
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
atx_appointment_editor_get_end_text (AtxAppointmentEditor *self)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT_EDITOR (self), NULL);
  return adw_action_row_get_subtitle (self->duration_row);
}

GtkSwitch *
atx_appointment_editor_get_video_switch (AtxAppointmentEditor *self)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT_EDITOR (self), NULL);
  return self->video_switch;
}

AdwActionRow *
atx_appointment_editor_get_video_row (AtxAppointmentEditor *self)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT_EDITOR (self), NULL);
  return self->video_row;
}

GtkWidget *
atx_appointment_editor_get_video_setup_button (AtxAppointmentEditor *self)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT_EDITOR (self), NULL);
  return self->video_setup_button;
}

AdwActionRow *
atx_appointment_editor_get_call_type_row (AtxAppointmentEditor *self)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT_EDITOR (self), NULL);
  return self->call_type_row;
}

GtkToggleButton *
atx_appointment_editor_get_call_type_button (AtxAppointmentEditor *self,
                                             AtxCallType           type)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT_EDITOR (self), NULL);
  g_return_val_if_fail (type == ATX_CALL_TYPE_VIDEO || type == ATX_CALL_TYPE_AUDIO, NULL);

  return type == ATX_CALL_TYPE_AUDIO ? self->audio_type_button : self->video_type_button;
}

GtkLabel *
atx_appointment_editor_get_video_note_label (AtxAppointmentEditor *self)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT_EDITOR (self), NULL);
  return self->video_note_label;
}

GtkLabel *
atx_appointment_editor_get_video_url_label (AtxAppointmentEditor *self)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT_EDITOR (self), NULL);
  return self->video_url_label;
}

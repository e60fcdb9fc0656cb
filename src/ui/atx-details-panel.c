/* atx-details-panel.c — read-only view of one appointment. Editing and
 * deleting go through the window's actions (win.edit-appointment,
 * win.delete-appointment) so keyboard shortcuts and buttons share one path. */
#define G_LOG_DOMAIN "atx-details-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "atx-details-panel.h"
#include "atx-agenda-row.h"
#include "core/atx-jwt.h"

struct _AtxDetailsPanel
{
  AdwBin          parent_instance;

  AtxAppointment *appointment;
  AtxSettings    *settings;
  char           *token_problem;

  GtkStack       *stack;
  GtkLabel       *title_label;
  GtkLabel       *status_label;
  AdwActionRow   *client_row;
  AdwActionRow   *email_row;
  AdwActionRow   *date_row;
  AdwActionRow   *time_row;
  GtkLabel       *notes_label;
  GtkWidget      *notes_group;
  GtkWidget      *video_group;
  GtkImage       *call_type_icon;
  GtkLabel       *call_type_label;
  AdwActionRow   *join_url_row;
  AdwActionRow   *token_row;
  GtkWidget      *adhoc_group;
  GtkWidget      *setup_group;
  AdwActionRow   *setup_row;
};

G_DEFINE_FINAL_TYPE (AtxDetailsPanel, atx_details_panel, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_APPOINTMENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Minutes a stored token must still be valid to be used for joining
 * (DESIGN.md: refreshed when it expires within 5 minutes). */
#define TOKEN_MIN_REMAINING_SECONDS (5 * 60)

static char *
describe_token_state (AtxDetailsPanel *self,
                      AtxAppointment  *appointment)
{
  const char *jwt = atx_appointment_get_video_call_jwt (appointment);
  const char *room = atx_appointment_get_video_call_room_name (appointment);
  g_autofree char *token_room = NULL;
  gint64 expires_at = 0;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  g_autofree char *pending = NULL;

  if (self->token_problem != NULL)
    pending = g_strdup_printf (_("Will be fetched when you join. The last attempt failed: %s"),
                               self->token_problem);
  else
    pending = g_strdup (_("Will be fetched when you join"));

  if (jwt == NULL || *jwt == '\0' ||
      !atx_jwt_peek_unverified (jwt, &expires_at, &token_room, NULL, NULL) ||
      g_strcmp0 (token_room, room) != 0)
    return g_steal_pointer (&pending);

  if (expires_at - now < TOKEN_MIN_REMAINING_SECONDS)
    {
      /* Translators: the stored call token has expired or expires soon. */
      return g_strdup_printf (_("Expired. %s"), pending);
    }

  {
    g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (expires_at);
    g_autoptr(GDateTime) local = g_date_time_to_local (utc);
    g_autofree char *when = g_date_time_format (local, _("%-d %B, %H:%M"));

    if (atx_settings_is_dev_mode ())
      /* Translators: %s is a date and time. */
      return g_strdup_printf (_("Development token, valid until %s"), when);
    /* Translators: %s is a date and time. */
    return g_strdup_printf (_("Valid until %s"), when);
  }
}

static void
update_call_section (AtxDetailsPanel *self,
                     AtxAppointment  *appointment)
{
  g_autoptr(GError) error = NULL;
  gboolean configured = self->settings != NULL &&
                        atx_settings_is_video_configured (self->settings, &error);
  gboolean is_video = atx_appointment_get_is_video_call (appointment);

  gtk_widget_set_visible (self->video_group, is_video);
  gtk_widget_set_visible (self->adhoc_group, !is_video && configured);
  gtk_widget_set_visible (self->setup_group, !configured);
  adw_action_row_set_subtitle (self->setup_row,
                               error != NULL ? error->message
                                             : _("Set the practice's Jitsi server in Preferences."));

  if (is_video)
    {
      gboolean audio = atx_appointment_get_video_call_type (appointment) == ATX_CALL_TYPE_AUDIO;
      const char *url = atx_appointment_get_video_call_url (appointment);
      g_autofree char *state = describe_token_state (self, appointment);

      gtk_image_set_from_icon_name (self->call_type_icon,
                                    audio ? "call-start-symbolic" : "camera-video-symbolic");
      gtk_label_set_label (self->call_type_label, audio ? _("Audio only") : _("Video call"));
      adw_action_row_set_subtitle (self->join_url_row, url != NULL ? url : _("Not created yet"));
      adw_action_row_set_subtitle (self->token_row, state);
    }
}

static void
update (AtxDetailsPanel *self)
{
  AtxAppointment *appointment = self->appointment;
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  g_autoptr(GDateTime) local_start = NULL;
  g_autofree char *date = NULL;
  g_autofree char *range = NULL;
  g_autofree char *duration = NULL;
  const char *client, *email, *notes;
  AtxAppointmentStatus status;
  GTimeSpan span;

  if (appointment == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  client = atx_appointment_get_client_name (appointment);
  email = atx_appointment_get_client_email (appointment);
  notes = atx_appointment_get_notes (appointment);
  status = atx_appointment_get_status (appointment);

  local_start = g_date_time_to_timezone (atx_appointment_get_start (appointment), tz);
  date = g_date_time_format (local_start, _("%A, %-d %B %Y"));
  range = atx_format_time_range (atx_appointment_get_start (appointment),
                                 atx_appointment_get_end (appointment));
  span = g_date_time_difference (atx_appointment_get_end (appointment),
                                 atx_appointment_get_start (appointment));
  duration = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute", "%d minutes",
                                           (int) (span / G_TIME_SPAN_MINUTE)),
                              (int) (span / G_TIME_SPAN_MINUTE));

  gtk_label_set_label (self->title_label, atx_appointment_get_title (appointment));
  gtk_label_set_label (self->status_label, atx_appointment_status_to_label (status));
  for (int s = ATX_APPOINTMENT_STATUS_SCHEDULED; s <= ATX_APPOINTMENT_STATUS_NO_SHOW; s++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), atx_appointment_status_to_string (s));
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), atx_appointment_status_to_string (status));

  adw_action_row_set_subtitle (self->client_row,
                               client != NULL && *client != '\0' ? client : _("No client name"));
  gtk_widget_set_visible (GTK_WIDGET (self->email_row), email != NULL && *email != '\0');
  adw_action_row_set_subtitle (self->email_row, email != NULL ? email : "");
  adw_action_row_set_subtitle (self->date_row, date);
  {
    g_autofree char *time_text = g_strdup_printf ("%s (%s)", range, duration);
    adw_action_row_set_subtitle (self->time_row, time_text);
  }

  gtk_widget_set_visible (self->notes_group, notes != NULL && *notes != '\0');
  gtk_label_set_label (self->notes_label, notes != NULL ? notes : "");

  update_call_section (self, appointment);

  gtk_stack_set_visible_child_name (self->stack, "details");
}

static void
on_appointment_notify (AtxDetailsPanel *self)
{
  update (self);
}

static void
atx_details_panel_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  AtxDetailsPanel *self = ATX_DETAILS_PANEL (object);

  switch (prop_id)
    {
    case PROP_APPOINTMENT:
      g_value_set_object (value, self->appointment);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atx_details_panel_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  AtxDetailsPanel *self = ATX_DETAILS_PANEL (object);

  switch (prop_id)
    {
    case PROP_APPOINTMENT:
      atx_details_panel_set_appointment (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atx_details_panel_dispose (GObject *object)
{
  AtxDetailsPanel *self = ATX_DETAILS_PANEL (object);

  atx_details_panel_set_appointment (self, NULL);
  atx_details_panel_set_settings (self, NULL);
  g_clear_pointer (&self->token_problem, g_free);
  /* AdwBin unparents its child itself. */

  G_OBJECT_CLASS (atx_details_panel_parent_class)->dispose (object);
}

static void
atx_details_panel_class_init (AtxDetailsPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = atx_details_panel_get_property;
  object_class->set_property = atx_details_panel_set_property;
  object_class->dispose = atx_details_panel_dispose;

  properties[PROP_APPOINTMENT] =
    g_param_spec_object ("appointment", NULL, NULL, ATX_TYPE_APPOINTMENT,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/ataraxia/Calendar/atx-details-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, AtxDetailsPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, AtxDetailsPanel, title_label);
  gtk_widget_class_bind_template_child (widget_class, AtxDetailsPanel, status_label);
  gtk_widget_class_bind_template_child (widget_class, AtxDetailsPanel, client_row);
  gtk_widget_class_bind_template_child (widget_class, AtxDetailsPanel, email_row);
  gtk_widget_class_bind_template_child (widget_class, AtxDetailsPanel, date_row);
  gtk_widget_class_bind_template_child (widget_class, AtxDetailsPanel, time_row);
  gtk_widget_class_bind_template_child (widget_class, AtxDetailsPanel, notes_label);
  gtk_widget_class_bind_template_child (widget_class, AtxDetailsPanel, notes_group);
  gtk_widget_class_bind_template_child (widget_class, AtxDetailsPanel, video_group);
  gtk_widget_class_bind_template_child (widget_class, AtxDetailsPanel, call_type_icon);
  gtk_widget_class_bind_template_child (widget_class, AtxDetailsPanel, call_type_label);
  gtk_widget_class_bind_template_child (widget_class, AtxDetailsPanel, join_url_row);
  gtk_widget_class_bind_template_child (widget_class, AtxDetailsPanel, token_row);
  gtk_widget_class_bind_template_child (widget_class, AtxDetailsPanel, adhoc_group);
  gtk_widget_class_bind_template_child (widget_class, AtxDetailsPanel, setup_group);
  gtk_widget_class_bind_template_child (widget_class, AtxDetailsPanel, setup_row);
}

static void
atx_details_panel_init (AtxDetailsPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
atx_details_panel_new (void)
{
  return g_object_new (ATX_TYPE_DETAILS_PANEL, NULL);
}

void
atx_details_panel_set_appointment (AtxDetailsPanel *self,
                                   AtxAppointment  *appointment)
{
  g_return_if_fail (ATX_IS_DETAILS_PANEL (self));
  g_return_if_fail (appointment == NULL || ATX_IS_APPOINTMENT (appointment));

  if (self->appointment == appointment)
    {
      update (self);
      return;
    }

  if (self->appointment != NULL)
    g_signal_handlers_disconnect_by_func (self->appointment, on_appointment_notify, self);
  g_set_object (&self->appointment, appointment);
  if (appointment != NULL)
    g_signal_connect_object (appointment, "notify", G_CALLBACK (on_appointment_notify),
                             self, G_CONNECT_SWAPPED);

  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_APPOINTMENT]);
}

AtxAppointment *
atx_details_panel_get_appointment (AtxDetailsPanel *self)
{
  g_return_val_if_fail (ATX_IS_DETAILS_PANEL (self), NULL);
  return self->appointment;
}

static void
on_settings_changed (AtxDetailsPanel *self)
{
  update (self);
}

void
atx_details_panel_set_settings (AtxDetailsPanel *self,
                                AtxSettings     *settings)
{
  g_return_if_fail (ATX_IS_DETAILS_PANEL (self));
  g_return_if_fail (settings == NULL || ATX_IS_SETTINGS (settings));

  if (self->settings == settings)
    return;

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_func (self->settings, on_settings_changed, self);
  g_set_object (&self->settings, settings);
  if (settings != NULL)
    g_signal_connect_object (settings, "notify", G_CALLBACK (on_settings_changed),
                             self, G_CONNECT_SWAPPED);
  update (self);
}

void
atx_details_panel_set_token_problem (AtxDetailsPanel *self,
                                     const char      *message)
{
  g_return_if_fail (ATX_IS_DETAILS_PANEL (self));

  if (g_strcmp0 (self->token_problem, message) == 0)
    return;
  g_free (self->token_problem);
  self->token_problem = g_strdup (message);
  update (self);
}

const char *
atx_details_panel_get_token_state (AtxDetailsPanel *self)
{
  g_return_val_if_fail (ATX_IS_DETAILS_PANEL (self), NULL);

  if (self->appointment == NULL || !gtk_widget_get_visible (self->video_group))
    return NULL;
  return adw_action_row_get_subtitle (self->token_row);
}

const char *
atx_details_panel_get_call_section (AtxDetailsPanel *self)
{
  g_return_val_if_fail (ATX_IS_DETAILS_PANEL (self), NULL);

  if (self->appointment == NULL)
    return NULL;
  if (gtk_widget_get_visible (self->video_group))
    return "scheduled";
  if (gtk_widget_get_visible (self->adhoc_group))
    return "ad-hoc";
  return "setup";
}

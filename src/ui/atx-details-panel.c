/* atx-details-panel.c — read-only view of one appointment. Editing and
 * deleting go through the window's actions (win.edit-appointment,
 * win.delete-appointment) so keyboard shortcuts and buttons share one path. */
#define G_LOG_DOMAIN "atx-details-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "atx-details-panel.h"
#include "atx-agenda-row.h"

struct _AtxDetailsPanel
{
  AdwBin          parent_instance;

  AtxAppointment *appointment;

  GtkStack       *stack;
  GtkLabel       *title_label;
  GtkLabel       *status_label;
  AdwActionRow   *client_row;
  AdwActionRow   *email_row;
  AdwActionRow   *date_row;
  AdwActionRow   *time_row;
  GtkLabel       *notes_label;
  GtkWidget      *notes_group;
};

G_DEFINE_FINAL_TYPE (AtxDetailsPanel, atx_details_panel, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_APPOINTMENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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

/* atx-agenda-row.c — an agenda row: time range, title, client and, when it
 * is not simply scheduled, the status. */
#define G_LOG_DOMAIN "atx-agenda-row"

#include "config.h"

#include <glib/gi18n.h>

#include "atx-agenda-row.h"

struct _AtxAgendaRow
{
  GtkListBoxRow   parent_instance;

  AtxAppointment *appointment;
};

G_DEFINE_FINAL_TYPE (AtxAgendaRow, atx_agenda_row, GTK_TYPE_LIST_BOX_ROW)

char *
atx_format_time_range (GDateTime *start,
                       GDateTime *end)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  g_autoptr(GDateTime) local_start = g_date_time_to_timezone (start, tz);
  g_autoptr(GDateTime) local_end = g_date_time_to_timezone (end, tz);
  g_autofree char *from = g_date_time_format (local_start, "%H:%M");
  g_autofree char *to = NULL;

  if (g_date_time_get_year (local_start) == g_date_time_get_year (local_end) &&
      g_date_time_get_day_of_year (local_start) == g_date_time_get_day_of_year (local_end))
    to = g_date_time_format (local_end, "%H:%M");
  else
    /* Translators: end of a range that ends on another day, e.g. "Wed 01:30". */
    to = g_date_time_format (local_end, _("%a %H:%M"));

  /* Translators: a time range, e.g. "15:00 – 15:50". */
  return g_strdup_printf (_("%s – %s"), from, to);
}

static void
atx_agenda_row_dispose (GObject *object)
{
  AtxAgendaRow *self = ATX_AGENDA_ROW (object);

  g_clear_object (&self->appointment);

  G_OBJECT_CLASS (atx_agenda_row_parent_class)->dispose (object);
}

static void
atx_agenda_row_class_init (AtxAgendaRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = atx_agenda_row_dispose;
}

static void
atx_agenda_row_init (AtxAgendaRow *self)
{
}

static gboolean
on_mark_query_tooltip (GtkWidget  *mark,
                       int         x,
                       int         y,
                       gboolean    keyboard_tooltip,
                       GtkTooltip *tooltip,
                       const char *text)
{
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

GtkWidget *
atx_agenda_row_new (AtxAppointment *appointment)
{
  AtxAgendaRow *self;
  GtkWidget *box, *text, *time_label, *title_label, *client_label;
  g_autofree char *range = NULL;
  g_autofree char *accessible = NULL;
  const char *client;
  AtxAppointmentStatus status;

  g_return_val_if_fail (ATX_IS_APPOINTMENT (appointment), NULL);

  self = g_object_new (ATX_TYPE_AGENDA_ROW, NULL);
  self->appointment = g_object_ref (appointment);

  range = atx_format_time_range (atx_appointment_get_start (appointment),
                                 atx_appointment_get_end (appointment));
  client = atx_appointment_get_client_name (appointment);
  status = atx_appointment_get_status (appointment);

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);

  time_label = gtk_label_new (range);
  gtk_widget_add_css_class (time_label, "numeric");
  gtk_widget_add_css_class (time_label, "dim-label");
  gtk_widget_set_valign (time_label, GTK_ALIGN_START);
  gtk_label_set_xalign (GTK_LABEL (time_label), 0);
  gtk_box_append (GTK_BOX (box), time_label);

  if (atx_appointment_get_is_video_call (appointment))
    {
      gboolean audio = atx_appointment_get_video_call_type (appointment) == ATX_CALL_TYPE_AUDIO;
      GtkWidget *mark = gtk_image_new_from_icon_name (audio ? "call-start-symbolic"
                                                            : "camera-video-symbolic");
      gtk_widget_set_valign (mark, GTK_ALIGN_START);
      /* Given on query: setting a tooltip text asks the X server where the
       * pointer is, once per row. */
      gtk_widget_set_has_tooltip (mark, TRUE);
      g_signal_connect (mark, "query-tooltip", G_CALLBACK (on_mark_query_tooltip),
                        (gpointer) (audio ? _("Audio call") : _("Video call")));
      gtk_widget_add_css_class (mark, "call-mark");
      gtk_box_append (GTK_BOX (box), mark);
    }

  text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_hexpand (text, TRUE);
  title_label = gtk_label_new (atx_appointment_get_title (appointment));
  gtk_widget_add_css_class (title_label, "heading");
  gtk_label_set_xalign (GTK_LABEL (title_label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title_label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (text), title_label);

  if (client != NULL && *client != '\0')
    {
      client_label = gtk_label_new (client);
      gtk_widget_add_css_class (client_label, "dim-label");
      gtk_label_set_xalign (GTK_LABEL (client_label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (client_label), PANGO_ELLIPSIZE_END);
      gtk_box_append (GTK_BOX (text), client_label);
    }
  gtk_box_append (GTK_BOX (box), text);

  if (status != ATX_APPOINTMENT_STATUS_SCHEDULED)
    {
      GtkWidget *badge = gtk_label_new (atx_appointment_status_to_label (status));
      gtk_widget_add_css_class (badge, "status-badge");
      gtk_widget_add_css_class (badge, atx_appointment_status_to_string (status));
      gtk_widget_set_valign (badge, GTK_ALIGN_CENTER);
      gtk_box_append (GTK_BOX (box), badge);
    }

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (self), box);

  /* Translators: accessible name of an agenda row: time, title, client,
   * status and the kind of call ("video call", "audio call" or empty). */
  accessible = g_strdup_printf (_("%s, %s, %s, %s%s"), range,
                                atx_appointment_get_title (appointment),
                                client != NULL && *client != '\0' ? client : _("no client"),
                                atx_appointment_status_to_label (status),
                                !atx_appointment_get_is_video_call (appointment) ? ""
                                : atx_appointment_get_video_call_type (appointment) == ATX_CALL_TYPE_AUDIO
                                ? _(", audio call") : _(", video call"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);

  return GTK_WIDGET (self);
}

AtxAppointment *
atx_agenda_row_get_appointment (AtxAgendaRow *self)
{
  g_return_val_if_fail (ATX_IS_AGENDA_ROW (self), NULL);
  return self->appointment;
}

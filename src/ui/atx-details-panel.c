/* atx-details-panel.c — read-only view of one appointment. Editing and
 * deleting go through the window's actions (win.edit-appointment,
 * win.delete-appointment) so keyboard shortcuts and buttons share one path. */
#define G_LOG_DOMAIN "atx-details-panel"

#include "config.h"

#include <glib/gi18n.h>

#include "atx-details-panel.h"
#include "atx-agenda-row.h"
#include "atx-lazy-menu.h"
#include "core/atx-join-token.h"
#include "core/atx-jwt.h"

struct _AtxDetailsPanel
{
  AdwBin          parent_instance;

  AtxAppointment *appointment;
  AtxSettings    *settings;
  char           *token_problem;

  GtkStack       *stack;
  AdwStatusPage  *empty_page;
  GtkMenuButton  *invite_button;
  GMenuModel     *invite_menu;
  GtkLabel       *title_label;
  GtkLabel       *status_label;
  GtkWidget      *email_row;
  GtkLabel       *client_label;
  GtkLabel       *email_label;
  GtkLabel       *date_label;
  GtkLabel       *time_label;
  GtkLabel       *notes_label;
  GtkWidget      *notes_group;
  GtkWidget      *video_group;
  GtkButton      *join_button;
  GtkImage       *call_type_icon;
  GtkLabel       *call_type_label;
  AdwActionRow   *join_url_row;
  AdwActionRow   *token_row;
  GtkWidget      *adhoc_group;
  GtkWidget      *setup_group;
  AdwActionRow   *setup_row;
  GtkWidget      *history_group;
  GtkListBox     *history_list;
};

G_DEFINE_FINAL_TYPE (AtxDetailsPanel, atx_details_panel, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_APPOINTMENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
describe_token_state (AtxDetailsPanel *self,
                      AtxAppointment  *appointment)
{
  const char *jwt = atx_appointment_get_video_call_jwt (appointment);
  const char *room = atx_appointment_get_video_call_room_name (appointment);
  g_autofree char *token_room = NULL;
  gint64 expires_at = 0;
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

  if (!atx_join_token_is_reusable (jwt, room, NULL))
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
  /* "Not set up" is said where it stops something: a scheduled call. An
   * appointment without one does not repeat it (a therapist who does not
   * use video would read it on every appointment); the editor's Video call
   * switch offers the set-up when a call is wanted. */
  gtk_widget_set_visible (self->setup_group, is_video && !configured);
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
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->video_group),
                                       audio ? _("Scheduled Audio Call") : _("Scheduled Video Call"));
      gtk_button_set_label (self->join_button, audio ? _("_Join Audio Call") : _("_Join Video Call"));
      adw_action_row_set_subtitle (self->join_url_row, url != NULL ? url : _("Not created yet"));
      adw_action_row_set_subtitle (self->token_row, state);
    }
}

/* Most entries a therapist needs to see at a glance; older ones stay in
 * the file. */
#define HISTORY_MAX_ROWS 10

static GDateTime *
parse_time_member (JsonObject *object,
                   const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return g_date_time_new_from_iso8601 (json_node_get_string (node), NULL);
}

static const char *
string_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static const char *
describe_end_reason (const char *reason)
{
  if (g_strcmp0 (reason, "hangup") == 0 || g_strcmp0 (reason, "left") == 0)
    return NULL;
  if (g_strcmp0 (reason, "ended-unexpectedly") == 0)
    return _("ended unexpectedly");
  if (g_strcmp0 (reason, "browser-closed") == 0)
    return _("the browser was closed");
  if (g_strcmp0 (reason, "error") == 0)
    return _("ended with an error");
  return NULL;
}

/* One line per call: when, how long, who, and anything unusual. Built from
 * the stored callLog as it is, so entries of any age or shape display. */
static GtkWidget *
make_history_row (JsonObject *entry)
{
  g_autoptr(GDateTime) started = parse_time_member (entry, "startedAt");
  g_autoptr(GDateTime) ended = parse_time_member (entry, "endedAt");
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) names = g_string_new (NULL);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  JsonNode *participants = json_object_get_member (entry, "participants");
  const char *unusual = describe_end_reason (string_member (entry, "endReason"));
  const char *error_text = string_member (entry, "error");
  GtkWidget *row = adw_action_row_new ();

  if (started != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (started);
      title = g_date_time_format (local, _("%-d %B %Y, %H:%M"));
    }
  else
    title = g_strdup (_("Unknown time"));

  if (started != NULL && ended != NULL)
    {
      int minutes = (int) (g_date_time_difference (ended, started) / G_TIME_SPAN_MINUTE);
      g_ptr_array_add (parts, g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute", "%d minutes",
                                                            minutes), minutes));
    }
  else if (ended == NULL)
    g_ptr_array_add (parts, g_strdup (_("in progress")));

  if (participants != NULL && JSON_NODE_HOLDS_ARRAY (participants))
    {
      JsonArray *array = json_node_get_array (participants);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *node = json_array_get_element (array, i);
          const char *name;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            continue;
          name = string_member (json_node_get_object (node), "displayName");
          /* Someone who rejoined is named once. */
          if (name == NULL || *name == '\0' || !g_hash_table_add (seen, (gpointer) name))
            continue;
          if (names->len > 0)
            g_string_append (names, ", ");
          g_string_append (names, name);
        }
    }
  g_ptr_array_add (parts, names->len > 0 ? g_strdup (names->str) : g_strdup (_("no one else joined")));

  if (g_strcmp0 (string_member (entry, "where"), "browser") == 0)
    g_ptr_array_add (parts, g_strdup (_("in the browser")));
  if (json_object_has_member (entry, "adHoc") && JSON_NODE_HOLDS_VALUE (json_object_get_member (entry, "adHoc")) &&
      json_node_get_value_type (json_object_get_member (entry, "adHoc")) == G_TYPE_BOOLEAN &&
      json_object_get_boolean_member (entry, "adHoc"))
    g_ptr_array_add (parts, g_strdup (_("ad-hoc")));
  if (unusual != NULL)
    g_ptr_array_add (parts, g_strdup (unusual));
  if (error_text != NULL && *error_text != '\0')
    g_ptr_array_add (parts, g_strdup (error_text));

  g_ptr_array_add (parts, NULL);
  subtitle = g_strjoinv (" · ", (char **) parts->pdata);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name (ended == NULL ? "media-record-symbolic"
                                                                         : "document-open-recent-symbolic"));
  return row;
}

static void
update_history (AtxDetailsPanel *self,
                AtxAppointment  *appointment)
{
  JsonArray *log = atx_appointment_get_call_log (appointment);
  guint n = log != NULL ? json_array_get_length (log) : 0;
  guint shown = 0;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->history_list))) != NULL)
    gtk_list_box_remove (self->history_list, child);

  /* Newest first. */
  for (guint i = n; i > 0 && shown < HISTORY_MAX_ROWS; i--)
    {
      JsonNode *node = json_array_get_element (log, i - 1);

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      gtk_list_box_append (self->history_list, make_history_row (json_node_get_object (node)));
      shown++;
    }

  gtk_widget_set_visible (self->history_group, shown > 0);
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

  /* Nothing to show: the "empty" page is set_appointment()'s to choose,
   * not a settings change's (the window may still be loading). */
  if (appointment == NULL)
    return;

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

  gtk_label_set_label (self->client_label,
                       client != NULL && *client != '\0' ? client : _("No client name"));
  gtk_widget_set_visible (self->email_row, email != NULL && *email != '\0');
  gtk_label_set_label (self->email_label, email != NULL ? email : "");
  gtk_label_set_label (self->date_label, date);
  {
    g_autofree char *time_text = g_strdup_printf ("%s (%s)", range, duration);
    gtk_label_set_label (self->time_label, time_text);
  }

  gtk_widget_set_visible (self->notes_group, notes != NULL && *notes != '\0');
  gtk_label_set_label (self->notes_label, notes != NULL ? notes : "");

  update_call_section (self, appointment);
  update_history (self, appointment);

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

  if (self->appointment != NULL)
    g_signal_handlers_disconnect_by_func (self->appointment, on_appointment_notify, self);
  g_clear_object (&self->appointment);
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
  gtk_widget_class_bind_template_child (widget_class, AtxDetailsPanel, empty_page);
  gtk_widget_class_bind_template_child (widget_class, AtxDetailsPanel, invite_button);
  gtk_widget_class_bind_template_child (widget_class, AtxDetailsPanel, invite_menu);
  gtk_widget_class_bind_template_child (widget_class, AtxDetailsPanel, title_label);
  gtk_widget_class_bind_template_child (widget_class, AtxDetailsPanel, status_label);
  gtk_widget_class_bind_template_child (widget_class, AtxDetailsPanel, email_row);
  gtk_widget_class_bind_template_child (widget_class, AtxDetailsPanel, client_label);
  gtk_widget_class_bind_template_child (widget_class, AtxDetailsPanel, email_label);
  gtk_widget_class_bind_template_child (widget_class, AtxDetailsPanel, date_label);
  gtk_widget_class_bind_template_child (widget_class, AtxDetailsPanel, time_label);
  gtk_widget_class_bind_template_child (widget_class, AtxDetailsPanel, notes_label);
  gtk_widget_class_bind_template_child (widget_class, AtxDetailsPanel, notes_group);
  gtk_widget_class_bind_template_child (widget_class, AtxDetailsPanel, video_group);
  gtk_widget_class_bind_template_child (widget_class, AtxDetailsPanel, join_button);
  gtk_widget_class_bind_template_child (widget_class, AtxDetailsPanel, call_type_icon);
  gtk_widget_class_bind_template_child (widget_class, AtxDetailsPanel, call_type_label);
  gtk_widget_class_bind_template_child (widget_class, AtxDetailsPanel, join_url_row);
  gtk_widget_class_bind_template_child (widget_class, AtxDetailsPanel, token_row);
  gtk_widget_class_bind_template_child (widget_class, AtxDetailsPanel, adhoc_group);
  gtk_widget_class_bind_template_child (widget_class, AtxDetailsPanel, setup_group);
  gtk_widget_class_bind_template_child (widget_class, AtxDetailsPanel, setup_row);
  gtk_widget_class_bind_template_child (widget_class, AtxDetailsPanel, history_group);
  gtk_widget_class_bind_template_child (widget_class, AtxDetailsPanel, history_list);
}

static void
atx_details_panel_init (AtxDetailsPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  atx_lazy_menu_attach (self->invite_button, self->invite_menu);
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

  if (appointment == NULL)
    {
      adw_status_page_set_icon_name (self->empty_page, "x-office-calendar-symbolic");
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }

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

const char *
atx_details_panel_get_visible_page (AtxDetailsPanel *self)
{
  g_return_val_if_fail (ATX_IS_DETAILS_PANEL (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
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
atx_details_panel_get_join_label (AtxDetailsPanel *self)
{
  g_return_val_if_fail (ATX_IS_DETAILS_PANEL (self), NULL);

  if (self->appointment == NULL || !gtk_widget_get_visible (self->video_group))
    return NULL;
  return gtk_button_get_label (self->join_button);
}

const char *
atx_details_panel_get_call_section (AtxDetailsPanel *self)
{
  g_return_val_if_fail (ATX_IS_DETAILS_PANEL (self), NULL);

  if (self->appointment == NULL)
    return NULL;
  if (gtk_widget_get_visible (self->setup_group))
    return "setup";
  if (gtk_widget_get_visible (self->video_group))
    return "scheduled";
  if (gtk_widget_get_visible (self->adhoc_group))
    return "ad-hoc";
  return "none";
}

guint
atx_details_panel_get_n_history_rows (AtxDetailsPanel *self)
{
  guint n = 0;

  g_return_val_if_fail (ATX_IS_DETAILS_PANEL (self), 0);

  if (!gtk_widget_get_visible (self->history_group))
    return 0;
  while (gtk_list_box_get_row_at_index (self->history_list, n) != NULL)
    n++;
  return n;
}

const char *
atx_details_panel_get_history_subtitle (AtxDetailsPanel *self,
                                        guint            index)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (ATX_IS_DETAILS_PANEL (self), NULL);

  row = gtk_list_box_get_row_at_index (self->history_list, index);
  return row != NULL ? adw_action_row_get_subtitle (ADW_ACTION_ROW (row)) : NULL;
}

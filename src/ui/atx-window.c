/* atx-window.c — main window.
 *
 * The left pane is the month grid with the selected day's agenda under it;
 * the right pane shows the selected appointment. An AdwLeaflet folds them
 * into one pane on narrow windows. Every change goes through the store,
 * which saves in the background; its problems appear in the strip under the
 * header bar with the file's path, and nothing the user typed is dropped. */
#define G_LOG_DOMAIN "atx-window"

#include "config.h"

#include <glib/gi18n.h>

#include "atx-window.h"
#include "atx-agenda-row.h"
#include "atx-appointment-editor.h"
#include "atx-details-panel.h"
#include "atx-lazy-menu.h"
#include "atx-month-view.h"
#include "core/atx-join-token.h"

struct _AtxWindow
{
  AdwApplicationWindow  parent_instance;

  AtxAppointmentStore  *store;
  char                 *selected_id;
  /* id → AtxAppointment removed by Delete, until the toast is gone. */
  GHashTable           *deleted;
  GtkWindow            *editor;
  AtxSettings          *settings;
  AtxTokenClient       *token_client;
  GCancellable         *cancellable;
  /* id → why the last token fetch failed, shown by the details panel. */
  GHashTable           *token_problems;
  /* Ids of appointments whose join or invite is waiting on the network. */
  GHashTable           *busy;
  gboolean              problem_is_save_failure;
  gboolean              closing_after_save;

  AdwToastOverlay      *toast_overlay;
  GtkMenuButton        *menu_button;
  GMenuModel           *primary_menu;
  AdwWindowTitle       *window_title;
  GtkWidget            *back_button;
  GtkWidget            *dev_strip;
  GtkLabel             *dev_label;
  GtkRevealer          *problem_revealer;
  GtkLabel             *problem_label;
  GtkWidget            *retry_button;
  AdwLeaflet           *leaflet;
  GtkWidget            *calendar_pane;
  AtxMonthView         *month_view;
  GtkLabel             *agenda_title;
  GtkListBox           *agenda;
  AtxDetailsPanel      *details_panel;
};

G_DEFINE_FINAL_TYPE (AtxWindow, atx_window, ADW_TYPE_APPLICATION_WINDOW)

static void update_actions (AtxWindow *self);
static void update_call_actions (AtxWindow *self);

static gboolean
store_loaded (AtxWindow *self)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));

  return app != NULL && atx_application_is_loaded (ATX_APPLICATION (app));
}

static AtxAppointment *
selected_appointment (AtxWindow *self)
{
  if (self->selected_id == NULL || self->store == NULL)
    return NULL;
  return atx_appointment_store_lookup (self->store, self->selected_id);
}

static void
set_problem (AtxWindow  *self,
             const char *message,
             gboolean    is_save_failure)
{
  self->problem_is_save_failure = message != NULL && is_save_failure;
  gtk_label_set_label (self->problem_label, message != NULL ? message : "");
  gtk_widget_set_visible (self->retry_button, self->problem_is_save_failure);
  gtk_revealer_set_reveal_child (self->problem_revealer, message != NULL);
}

void
atx_window_show_problem (AtxWindow  *self,
                         const char *message)
{
  g_return_if_fail (ATX_IS_WINDOW (self));
  set_problem (self, message, FALSE);
}

static void
refresh_agenda (AtxWindow *self)
{
  GDateTime *date = atx_month_view_get_date (self->month_view);
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  g_autoptr(GPtrArray) appointments = NULL;
  g_autofree char *title = NULL;
  g_autofree char *month = NULL;
  g_autofree char *keep_id = g_strdup (self->selected_id);
  GtkListBoxRow *row;
  GtkListBoxRow *to_select = NULL;

  title = g_date_time_format (date, _("%A, %-d %B"));
  gtk_label_set_label (self->agenda_title, title);
  month = g_date_time_format (date, _("%B %Y"));
  adw_window_title_set_title (self->window_title, month);

  /* Rows only: gtk_list_box_remove() on the placeholder ("No appointments
   * on this day") drops it for good. */
  while ((row = gtk_list_box_get_row_at_index (self->agenda, 0)) != NULL)
    gtk_list_box_remove (self->agenda, GTK_WIDGET (row));

  if (self->store == NULL)
    return;

  appointments = atx_appointment_store_query_day (self->store, tz,
                                                  g_date_time_get_year (date),
                                                  g_date_time_get_month (date),
                                                  g_date_time_get_day_of_month (date));
  for (guint i = 0; i < appointments->len; i++)
    {
      AtxAppointment *appointment = g_ptr_array_index (appointments, i);
      GtkWidget *row = atx_agenda_row_new (appointment);

      gtk_list_box_append (self->agenda, row);
      if (keep_id != NULL && g_strcmp0 (keep_id, atx_appointment_get_id (appointment)) == 0)
        to_select = GTK_LIST_BOX_ROW (row);
    }

  if (to_select == NULL)
    to_select = gtk_list_box_get_row_at_index (self->agenda, 0);
  gtk_list_box_select_row (self->agenda, to_select);
  if (to_select == NULL)
    {
      g_clear_pointer (&self->selected_id, g_free);
      /* "No appointment selected" only once there is something to choose
       * from (on_app_loaded). */
      if (store_loaded (self))
        atx_details_panel_set_appointment (self->details_panel, NULL);
      update_actions (self);
    }
}

static void
update_actions (AtxWindow *self)
{
  /* Nothing can be changed before the file is read: loading replaces the
   * store's contents. */
  gboolean writable = self->store != NULL && store_loaded (self) &&
                      !atx_appointment_store_is_read_only (self->store);
  gboolean has_selection = selected_appointment (self) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.new-appointment", writable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.edit-appointment", writable && has_selection);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.delete-appointment", writable && has_selection);
  update_call_actions (self);
}

static void
on_agenda_row_selected (AtxWindow     *self,
                        GtkListBoxRow *row)
{
  AtxAppointment *appointment = NULL;

  if (row != NULL)
    appointment = atx_agenda_row_get_appointment (ATX_AGENDA_ROW (row));

  g_free (self->selected_id);
  self->selected_id = appointment != NULL ? g_strdup (atx_appointment_get_id (appointment)) : NULL;
  atx_details_panel_set_token_problem (self->details_panel,
                                       self->selected_id != NULL
                                       ? g_hash_table_lookup (self->token_problems, self->selected_id)
                                       : NULL);
  if (appointment != NULL || store_loaded (self))
    atx_details_panel_set_appointment (self->details_panel, appointment);
  update_actions (self);
}


/* ---- calls ---------------------------------------------------------- */

static void
update_call_actions (AtxWindow *self)
{
  AtxAppointment *appointment = selected_appointment (self);
  gboolean configured = self->settings != NULL &&
                        atx_settings_is_video_configured (self->settings, NULL);
  gboolean idle = appointment != NULL &&
                  !g_hash_table_contains (self->busy, atx_appointment_get_id (appointment));
  gboolean is_video = appointment != NULL && atx_appointment_get_is_video_call (appointment);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.join-call", configured && idle && is_video);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.start-adhoc-call", configured && idle && !is_video);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.copy-join-link",
                                 is_video && atx_appointment_get_video_call_url (appointment) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.copy-invite-link", configured && idle && is_video);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.email-invite", configured && idle && is_video);
}

static void
set_busy (AtxWindow  *self,
          const char *id,
          gboolean    busy)
{
  if (busy)
    g_hash_table_add (self->busy, g_strdup (id));
  else
    g_hash_table_remove (self->busy, id);
  update_call_actions (self);
}

static void
set_token_problem (AtxWindow  *self,
                   const char *id,
                   const char *message)
{
  if (message != NULL)
    g_hash_table_replace (self->token_problems, g_strdup (id), g_strdup (message));
  else
    g_hash_table_remove (self->token_problems, id);

  if (g_strcmp0 (id, self->selected_id) == 0)
    atx_details_panel_set_token_problem (self->details_panel, message);
}

static void
show_toast (AtxWindow  *self,
            const char *text)
{
  AdwToast *toast = adw_toast_new (text);

  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
atx_window_show_toast (AtxWindow  *self,
                       const char *text)
{
  g_return_if_fail (ATX_IS_WINDOW (self));
  show_toast (self, text);
}

void
atx_window_set_call_busy (AtxWindow  *self,
                          const char *appointment_id,
                          gboolean    busy)
{
  g_return_if_fail (ATX_IS_WINDOW (self));
  set_busy (self, appointment_id, busy);
}

static void
open_uri (AtxWindow  *self,
          const char *uri)
{
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri (uri, NULL, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not open the web browser: %s"), error->message);
      show_toast (self, message);
    }
}

/* A pending async request keeps the window and the appointment's id. */
typedef struct {
  AtxWindow *window;
  char      *id;
  gboolean   by_email;  /* an invite: e-mail it instead of copying it */
  gboolean   busy;      /* the user waits for it: its actions are insensitive */
} CallRequest;

static CallRequest *
call_request_new (AtxWindow  *self,
                  const char *id,
                  gboolean    busy)
{
  CallRequest *request = g_new0 (CallRequest, 1);

  request->window = g_object_ref (self);
  request->id = g_strdup (id);
  request->busy = busy;
  if (busy)
    set_busy (self, id, TRUE);
  return request;
}

static void
call_request_free (CallRequest *request)
{
  if (request->busy)
    set_busy (request->window, request->id, FALSE);
  g_object_unref (request->window);
  g_free (request->id);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CallRequest, call_request_free)

/* Join (a video appointment) or start an ad-hoc call (any other): both go
 * through the application's call manager, which keeps to one call. */
static void
on_join_call (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  AtxWindow *self = ATX_WINDOW (widget);

  if (self->selected_id != NULL)
    gtk_widget_activate_action (widget, "app.join-call", "s", self->selected_id);
}

static void
on_copy_join_link (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  AtxWindow *self = ATX_WINDOW (widget);
  AtxAppointment *appointment = selected_appointment (self);
  const char *url;

  if (appointment == NULL || (url = atx_appointment_get_video_call_url (appointment)) == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), url);
  show_toast (self, _("Join link copied"));
}

static char *
format_local (GDateTime  *time,
              const char *format)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (time);
  return g_date_time_format (local, format);
}

static void
on_invite_ready (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CallRequest) request = user_data;
  AtxWindow *self = request->window;
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxTokenResult) invite = atx_join_token_get_invite_finish (result, &error);
  AtxAppointment *appointment;

  if (invite == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("Could not create the invite link: %s"), error->message);
      show_toast (self, message);
      return;
    }

  appointment = atx_appointment_store_lookup (self->store, request->id);
  if (appointment == NULL)
    return;

  if (!request->by_email)
    {
      gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), invite->join_url);
      show_toast (self, _("Client invite link copied. It opens the session from 15 minutes before it starts."));
      return;
    }

  {
    /* Only the time and the link: no title, notes or anything else that
     * could be health information travels in an e-mail. */
    const char *email = atx_appointment_get_client_email (appointment);
    g_autofree char *date = format_local (atx_appointment_get_start (appointment), _("%A, %-d %B %Y"));
    g_autofree char *from = format_local (atx_appointment_get_start (appointment), "%H:%M");
    g_autofree char *to = format_local (atx_appointment_get_end (appointment), "%H:%M");
    g_autofree char *subject = g_strdup_printf (_("Your session on %s"), date);
    g_autofree char *body = g_strdup_printf (_("Hello,\n\nhere is your private link for our session on %s, %s–%s:\n\n%s\n\nThe link opens from 15 minutes before the session. Please do not share it.\n"),
                                             date, from, to, invite->join_url);
    g_autofree char *esc_to = g_uri_escape_string (email != NULL ? email : "", "@", FALSE);
    g_autofree char *esc_subject = g_uri_escape_string (subject, NULL, FALSE);
    g_autofree char *esc_body = g_uri_escape_string (body, NULL, FALSE);
    g_autofree char *mailto = g_strdup_printf ("mailto:%s?subject=%s&body=%s", esc_to, esc_subject, esc_body);

    open_uri (self, mailto);
  }
}

static void
request_invite (AtxWindow *self,
                gboolean   by_email)
{
  AtxAppointment *appointment = selected_appointment (self);
  CallRequest *request;

  if (appointment == NULL || !atx_appointment_get_is_video_call (appointment))
    return;

  request = call_request_new (self, atx_appointment_get_id (appointment), TRUE);
  request->by_email = by_email;
  atx_join_token_get_invite_async (appointment, self->settings, self->token_client,
                                   self->cancellable, on_invite_ready, request);
}

static void
on_copy_invite_link (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  request_invite (ATX_WINDOW (widget), FALSE);
}

static void
on_email_invite (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  request_invite (ATX_WINDOW (widget), TRUE);
}

/* After a video appointment is saved, its moderator token is fetched in the
 * background; failing is fine (offline scheduling), the panel says why. */
static void
on_scheduled_token_ready (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(CallRequest) request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxTokenResult) token = atx_join_token_get_finish (result, &error);

  if (token == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    set_token_problem (request->window, request->id, error->message);
  else if (token != NULL)
    set_token_problem (request->window, request->id, NULL);
}

static void
prefetch_token (AtxWindow      *self,
                AtxAppointment *appointment)
{
  if (!atx_appointment_get_is_video_call (appointment) ||
      !atx_settings_is_video_configured (self->settings, NULL) ||
      atx_join_token_appointment_is_reusable (appointment, NULL))
    return;

  atx_join_token_get_async (self->store, appointment, self->settings, self->token_client,
                            self->cancellable, on_scheduled_token_ready,
                            /* In the background: joining stays possible. */
                            call_request_new (self, atx_appointment_get_id (appointment), FALSE));
}

static void
open_editor (AtxWindow      *self,
             AtxAppointment *appointment,
             GDateTime      *default_start)
{
  AtxAppointmentEditor *editor;

  if (self->store == NULL || atx_appointment_store_is_read_only (self->store))
    return;

  editor = atx_appointment_editor_new_with_settings (GTK_WINDOW (self), self->store, self->settings,
                                                     appointment, default_start);
  g_set_weak_pointer (&self->editor, GTK_WINDOW (editor));
  gtk_window_present (GTK_WINDOW (editor));
}

static void
on_editor_saved (AtxAppointmentEditor *editor,
                 AtxAppointment       *appointment,
                 AtxWindow            *self)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  g_autoptr(GDateTime) local = g_date_time_to_timezone (atx_appointment_get_start (appointment), tz);

  /* Show what was just saved: its day, selected. */
  g_free (self->selected_id);
  self->selected_id = g_strdup (atx_appointment_get_id (appointment));
  atx_month_view_set_date (self->month_view, local);
  refresh_agenda (self);
  prefetch_token (self, appointment);
}

static GDateTime *
default_start_for_new (AtxWindow *self)
{
  GDateTime *date = atx_month_view_get_date (self->month_view);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (g_date_time_get_year (now) == g_date_time_get_year (date) &&
      g_date_time_get_day_of_year (now) == g_date_time_get_day_of_year (date))
    {
      /* Today: the next full hour. */
      g_autoptr(GDateTime) hour = g_date_time_add_full (now, 0, 0, 0, 1,
                                                        -g_date_time_get_minute (now),
                                                        -g_date_time_get_seconds (now));
      return g_date_time_ref (hour);
    }

  return g_date_time_add_hours (date, 9);
}

static void
new_appointment (AtxWindow *self)
{
  g_autoptr(GDateTime) start = default_start_for_new (self);

  open_editor (self, NULL, start);
  if (self->editor != NULL)
    g_signal_connect_object (self->editor, "saved", G_CALLBACK (on_editor_saved), self, 0);
}

static void
on_new_appointment (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  new_appointment (ATX_WINDOW (widget));
}

static void
on_edit_appointment (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  AtxWindow *self = ATX_WINDOW (widget);
  AtxAppointment *appointment = selected_appointment (self);

  if (appointment == NULL)
    return;

  open_editor (self, appointment, NULL);
  if (self->editor != NULL)
    g_signal_connect_object (self->editor, "saved", G_CALLBACK (on_editor_saved), self, 0);
}

static void
on_toast_dismissed (AdwToast  *toast,
                    AtxWindow *self)
{
  const char *id = g_object_get_data (G_OBJECT (toast), "appointment-id");

  if (id != NULL)
    g_hash_table_remove (self->deleted, id);
}

static void
on_delete_appointment (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  AtxWindow *self = ATX_WINDOW (widget);
  AtxAppointment *appointment = selected_appointment (self);
  g_autoptr(AtxAppointment) removed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *id = NULL;
  AdwToast *toast;

  if (appointment == NULL)
    return;

  id = g_strdup (atx_appointment_get_id (appointment));
  removed = atx_appointment_store_remove (self->store, id, &error);
  if (removed == NULL)
    {
      set_problem (self, error->message, FALSE);
      return;
    }

  g_hash_table_replace (self->deleted, g_strdup (id), g_object_ref (removed));

  /* Translators: %s is the title of the deleted appointment. */
  title = g_strdup_printf (_("“%s” deleted"), atx_appointment_get_title (removed));
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "win.undo-delete");
  adw_toast_set_action_target_value (toast, g_variant_new_string (id));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_timeout (toast, 10);
  g_object_set_data_full (G_OBJECT (toast), "appointment-id", g_strdup (id), g_free);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (on_toast_dismissed), self, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
on_undo_delete (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  AtxWindow *self = ATX_WINDOW (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  AtxAppointment *appointment = g_hash_table_lookup (self->deleted, id);
  g_autoptr(GError) error = NULL;

  if (appointment == NULL)
    return;

  if (!atx_appointment_store_add (self->store, appointment, &error))
    {
      set_problem (self, error->message, FALSE);
      return;
    }

  g_free (self->selected_id);
  self->selected_id = g_strdup (id);
  g_hash_table_remove (self->deleted, id);
  refresh_agenda (self);
}

static void
on_today (GtkWidget  *widget,
          const char *action_name,
          GVariant   *parameter)
{
  AtxWindow *self = ATX_WINDOW (widget);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  atx_month_view_set_date (self->month_view, now);
  atx_month_view_focus_selected (self->month_view);
}

static void
on_previous_month (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  atx_month_view_move_months (ATX_WINDOW (widget)->month_view, -1);
}

static void
on_next_month (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  atx_month_view_move_months (ATX_WINDOW (widget)->month_view, 1);
}

static void
on_save_retried (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  /* Failures arrive through ::save-failed as well; nothing more to do. */
  atx_appointment_store_save_finish (ATX_APPOINTMENT_STORE (source), result, NULL);
}

static void
on_retry_save (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  AtxWindow *self = ATX_WINDOW (widget);

  atx_appointment_store_save_async (self->store, NULL, on_save_retried, NULL);
}

static void
on_date_changed (AtxWindow *self)
{
  refresh_agenda (self);
}

static void
on_day_activated (AtxWindow *self)
{
  GtkListBoxRow *first = gtk_list_box_get_row_at_index (self->agenda, 0);

  if (first != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (first));
  else
    new_appointment (self);
}

static void
on_agenda_row_activated (AtxWindow     *self,
                         GtkListBoxRow *row)
{
  if (adw_leaflet_get_folded (self->leaflet))
    adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->details_panel));
  else
    gtk_widget_activate_action (GTK_WIDGET (self), "win.edit-appointment", NULL);
}

static void
on_back_clicked (AtxWindow *self)
{
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
on_leaflet_changed (AtxWindow *self)
{
  gboolean folded = adw_leaflet_get_folded (self->leaflet);
  gboolean on_details = adw_leaflet_get_visible_child (self->leaflet) == GTK_WIDGET (self->details_panel);

  gtk_widget_set_visible (self->back_button, folded && on_details);
  /* Folded, one click opens the details; unfolded, a click selects and a
   * double click (or Enter) edits. */
  gtk_list_box_set_activate_on_single_click (self->agenda, folded);
}

static void
on_problem_dismissed (AtxWindow *self)
{
  gtk_revealer_set_reveal_child (self->problem_revealer, FALSE);
}

static void
on_store_items_changed (AtxWindow *self)
{
  refresh_agenda (self);
}

static void
on_store_save_failed (AtxAppointmentStore *store,
                      GError              *error,
                      AtxWindow           *self)
{
  g_autofree char *message = NULL;

  message = g_strdup_printf (_("Your changes could not be saved: %s They are kept in Ataraxia and will be saved with the next change, or when you try again."),
                             error->message);
  set_problem (self, message, TRUE);
}

static void
on_store_saved (AtxAppointmentStore *store,
                AtxWindow           *self)
{
  if (self->problem_is_save_failure)
    set_problem (self, NULL, FALSE);

  if (self->closing_after_save)
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
show_load_result (AtxWindow *self)
{
  AtxApplication *app = ATX_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  const GError *error = atx_application_get_load_error (app);
  GPtrArray *invalid = atx_appointment_store_get_invalid_entries (self->store);
  GString *message = g_string_new (NULL);

  if (error != NULL)
    g_string_append (message, error->message);

  if (invalid != NULL && invalid->len > 0)
    {
      if (message->len > 0)
        g_string_append_c (message, ' ');
      g_string_append_printf (message,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "%u entry in %s could not be read and is kept unchanged in the file:",
                                           "%u entries in %s could not be read and are kept unchanged in the file:",
                                           invalid->len),
                              invalid->len, atx_appointment_store_get_path (self->store));
      for (guint i = 0; i < invalid->len && i < 5; i++)
        {
          AtxInvalidEntry *entry = g_ptr_array_index (invalid, i);
          g_string_append_printf (message, "\n• %s", entry->message);
        }
      if (invalid->len > 5)
        g_string_append (message, "\n…");
    }

  set_problem (self, message->len > 0 ? message->str : NULL, FALSE);
  g_string_free (message, TRUE);
  update_actions (self);
}

static void
on_app_loaded (AtxWindow *self)
{
  if (store_loaded (self))
    {
      /* The agenda follows the store's items-changed already; the details
       * leave their loading state. */
      if (selected_appointment (self) == NULL)
        atx_details_panel_set_appointment (self->details_panel, NULL);
      show_load_result (self);
    }
}

static void
on_unsaved_response (AdwMessageDialog *dialog,
                     const char       *response,
                     AtxWindow        *self)
{
  if (g_strcmp0 (response, "quit") == 0)
    gtk_window_destroy (GTK_WINDOW (self));
}

static gboolean
atx_window_close_request (GtkWindow *window)
{
  AtxWindow *self = ATX_WINDOW (window);
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog;
  g_autofree char *body = NULL;

  if (self->store == NULL || !atx_appointment_store_has_unsaved_changes (self->store))
    return GDK_EVENT_PROPAGATE;

  /* A save still running or queued finishes first. */
  if (atx_appointment_store_flush (self->store, &error))
    return GDK_EVENT_PROPAGATE;

  body = g_strdup_printf (_("%s\n\nIf you quit now, your latest changes are lost."), error->message);
  dialog = adw_message_dialog_new (window, _("Changes Not Saved"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Keep Open"),
                                    "quit", _("_Quit Anyway"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "quit",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_unsaved_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));

  return GDK_EVENT_STOP;
}

/* Development mode is never silent: a strip says so for as long as the
 * window is open, and says what is wrong when the secret is unusable. */
static void
update_dev_strip (AtxWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;

  gtk_widget_set_visible (self->dev_strip, atx_settings_is_dev_mode ());
  if (!atx_settings_is_dev_mode ())
    return;

  secret = atx_settings_get_dev_mock_secret (&error);
  if (secret == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Development tokens are switched on but cannot be made: %s"),
                                               error->message);
      gtk_label_set_label (self->dev_label, text);
      gtk_widget_add_css_class (self->dev_strip, "error");
    }
  else
    gtk_label_set_label (self->dev_label,
                         _("Development tokens: call tokens are signed on this computer, not by the practice's token server. Not for real sessions."));
}

/* "application" is not a construct property, so this runs from
 * atx_window_new() once it is set. */
static void
attach_to_application (AtxWindow      *self,
                       AtxApplication *app)
{
  self->store = g_object_ref (atx_application_get_store (app));
  self->settings = g_object_ref (atx_application_get_settings (app));
  self->token_client = g_object_ref (atx_application_get_token_client (app));
  atx_details_panel_set_settings (self->details_panel, self->settings);
  g_signal_connect_object (self->settings, "notify", G_CALLBACK (update_call_actions),
                           self, G_CONNECT_SWAPPED);
  atx_month_view_set_store (self->month_view, self->store);

  g_signal_connect_object (self->store, "items-changed", G_CALLBACK (on_store_items_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "save-failed", G_CALLBACK (on_store_save_failed), self, 0);
  g_signal_connect_object (self->store, "saved", G_CALLBACK (on_store_saved), self, 0);
  g_signal_connect_object (app, "notify::loaded", G_CALLBACK (on_app_loaded), self, G_CONNECT_SWAPPED);

  refresh_agenda (self);
  on_app_loaded (self);
  update_actions (self);
  on_leaflet_changed (self);
  update_dev_strip (self);
}

static void
atx_window_dispose (GObject *object)
{
  AtxWindow *self = ATX_WINDOW (object);

  g_clear_weak_pointer (&self->editor);
  g_cancellable_cancel (self->cancellable);
  /* Children emit selection and notify signals while they go away. */
  if (self->agenda != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->agenda, self);
      g_signal_handlers_disconnect_by_data (self->leaflet, self);
      g_signal_handlers_disconnect_by_data (self->month_view, self);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), ATX_TYPE_WINDOW);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->token_client);

  G_OBJECT_CLASS (atx_window_parent_class)->dispose (object);
}

static void
atx_window_finalize (GObject *object)
{
  AtxWindow *self = ATX_WINDOW (object);

  g_free (self->selected_id);
  g_hash_table_unref (self->deleted);
  g_hash_table_unref (self->token_problems);
  g_clear_pointer (&self->busy, g_hash_table_unref);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (atx_window_parent_class)->finalize (object);
}

/* Built on first use: a GtkShortcutsWindow costs ~20 ms, which would
 * otherwise be paid at every start (GTK loads gtk/help-overlay.ui eagerly). */
static void
on_show_help_overlay (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  GtkApplicationWindow *window = GTK_APPLICATION_WINDOW (widget);
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (window);

  if (overlay == NULL)
    {
      g_autoptr(GtkBuilder) builder =
        gtk_builder_new_from_resource ("/org/ataraxia/Calendar/atx-help-overlay.ui");

      overlay = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      gtk_application_window_set_help_overlay (window, overlay);
    }

  gtk_window_present (GTK_WINDOW (overlay));
}

static void
on_navigate_back (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  adw_leaflet_navigate (ATX_WINDOW (widget)->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
atx_window_class_init (AtxWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = atx_window_dispose;
  object_class->finalize = atx_window_finalize;
  window_class->close_request = atx_window_close_request;

  g_type_ensure (ATX_TYPE_MONTH_VIEW);
  g_type_ensure (ATX_TYPE_DETAILS_PANEL);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/ataraxia/Calendar/atx-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AtxWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, AtxWindow, menu_button);
  gtk_widget_class_bind_template_child (widget_class, AtxWindow, primary_menu);
  gtk_widget_class_bind_template_child (widget_class, AtxWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, AtxWindow, back_button);
  gtk_widget_class_bind_template_child (widget_class, AtxWindow, dev_strip);
  gtk_widget_class_bind_template_child (widget_class, AtxWindow, dev_label);
  gtk_widget_class_bind_template_child (widget_class, AtxWindow, problem_revealer);
  gtk_widget_class_bind_template_child (widget_class, AtxWindow, problem_label);
  gtk_widget_class_bind_template_child (widget_class, AtxWindow, retry_button);
  gtk_widget_class_bind_template_child (widget_class, AtxWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, AtxWindow, calendar_pane);
  gtk_widget_class_bind_template_child (widget_class, AtxWindow, month_view);
  gtk_widget_class_bind_template_child (widget_class, AtxWindow, agenda_title);
  gtk_widget_class_bind_template_child (widget_class, AtxWindow, agenda);
  gtk_widget_class_bind_template_child (widget_class, AtxWindow, details_panel);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_problem_dismissed);
  gtk_widget_class_bind_template_callback (widget_class, on_leaflet_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_date_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_day_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_agenda_row_selected);
  gtk_widget_class_bind_template_callback (widget_class, on_agenda_row_activated);

  gtk_widget_class_install_action (widget_class, "win.new-appointment", NULL, on_new_appointment);
  gtk_widget_class_install_action (widget_class, "win.edit-appointment", NULL, on_edit_appointment);
  gtk_widget_class_install_action (widget_class, "win.delete-appointment", NULL, on_delete_appointment);
  gtk_widget_class_install_action (widget_class, "win.undo-delete", "s", on_undo_delete);
  gtk_widget_class_install_action (widget_class, "win.today", NULL, on_today);
  gtk_widget_class_install_action (widget_class, "win.previous-month", NULL, on_previous_month);
  gtk_widget_class_install_action (widget_class, "win.next-month", NULL, on_next_month);
  gtk_widget_class_install_action (widget_class, "win.retry-save", NULL, on_retry_save);
  gtk_widget_class_install_action (widget_class, "win.navigate-back", NULL, on_navigate_back);
  gtk_widget_class_install_action (widget_class, "win.show-help-overlay", NULL, on_show_help_overlay);
  gtk_widget_class_install_action (widget_class, "win.join-call", NULL, on_join_call);
  gtk_widget_class_install_action (widget_class, "win.copy-join-link", NULL, on_copy_join_link);
  gtk_widget_class_install_action (widget_class, "win.start-adhoc-call", NULL, on_join_call);
  gtk_widget_class_install_action (widget_class, "win.copy-invite-link", NULL, on_copy_invite_link);
  gtk_widget_class_install_action (widget_class, "win.email-invite", NULL, on_email_invite);

  /* Alt+Left goes back from the details when the window is narrow. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK,
                                       "win.navigate-back", NULL);
}

static void
atx_window_init (AtxWindow *self)
{
  self->deleted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->token_problems = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->busy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cancellable = g_cancellable_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  atx_lazy_menu_attach (self->menu_button, self->primary_menu);
}

AtxWindow *
atx_window_new (AtxApplication *application)
{
  AtxWindow *self;

  g_return_val_if_fail (ATX_IS_APPLICATION (application), NULL);

  self = g_object_new (ATX_TYPE_WINDOW, "application", application, NULL);
  attach_to_application (self, application);
  return self;
}

GtkWidget *
atx_window_get_month_view (AtxWindow *self)
{
  g_return_val_if_fail (ATX_IS_WINDOW (self), NULL);
  return GTK_WIDGET (self->month_view);
}

GtkListBox *
atx_window_get_agenda (AtxWindow *self)
{
  g_return_val_if_fail (ATX_IS_WINDOW (self), NULL);
  return self->agenda;
}

GtkWidget *
atx_window_get_details_panel (AtxWindow *self)
{
  g_return_val_if_fail (ATX_IS_WINDOW (self), NULL);
  return GTK_WIDGET (self->details_panel);
}

const char *
atx_window_get_problem (AtxWindow *self)
{
  g_return_val_if_fail (ATX_IS_WINDOW (self), NULL);

  if (!gtk_revealer_get_reveal_child (self->problem_revealer))
    return NULL;
  return gtk_label_get_label (self->problem_label);
}

AtxAppointment *
atx_window_get_selected_appointment (AtxWindow *self)
{
  g_return_val_if_fail (ATX_IS_WINDOW (self), NULL);
  return selected_appointment (self);
}

void
atx_window_select_appointment (AtxWindow      *self,
                               AtxAppointment *appointment)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  g_autoptr(GDateTime) local = NULL;

  g_return_if_fail (ATX_IS_WINDOW (self));
  g_return_if_fail (ATX_IS_APPOINTMENT (appointment));

  local = g_date_time_to_timezone (atx_appointment_get_start (appointment), tz);
  g_free (self->selected_id);
  self->selected_id = g_strdup (atx_appointment_get_id (appointment));
  atx_month_view_set_date (self->month_view, local);
  refresh_agenda (self);
}

GtkWindow *
atx_window_get_editor (AtxWindow *self)
{
  g_return_val_if_fail (ATX_IS_WINDOW (self), NULL);
  return self->editor;
}

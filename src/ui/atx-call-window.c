/* atx-call-window.c — the window of an embedded call; see atx-call-window.h.
 *
 * Everything shown here comes from the AtxCallSession; user actions go back
 * to it and reach the page as commands. The toggles never guess: a click
 * sends the toggle command and the button follows Jitsi's answer
 * (audioMuteStatusChanged / videoMuteStatusChanged).
 */
#define G_LOG_DOMAIN "atx-call-window"

#include "config.h"

#include "atx-call-window.h"

#include <glib/gi18n.h>

#include "atx-call-embed-loader.h"

typedef struct {
  char      *id;
  GtkWidget *row;
  GtkWidget *label;
  GtkWidget *admit;
  GtkWidget *deny;
} KnockingRow;

struct _AtxCallWindow
{
  AdwWindow       parent_instance;

  AtxCallSession *session;
  GSignalGroup   *session_signals;
  char           *jitsi_domain;
  GtkWidget      *view;

  guint           tick_source;
  guint           close_timeout_source;
  gboolean        close_when_ended;
  gboolean        syncing_toggles;
  GPtrArray      *knocking_rows;   /* KnockingRow* */

  /* template */
  GtkImage       *call_type_icon;
  GtkLabel       *title_label;
  GtkLabel       *elapsed_label;
  GtkLabel       *participants_label;
  GtkImage       *participants_icon;
  GtkToggleButton *audio_button;
  GtkToggleButton *video_button;
  GtkToggleButton *fullscreen_button;
  GtkButton      *leave_button;
  GtkRevealer    *knocking_revealer;
  GtkBox         *knocking_box;
  GtkStack       *stack;
  AdwBin         *view_bin;
  AdwStatusPage  *unsupported_page;
  AdwStatusPage  *failed_page;
  AdwStatusPage  *ended_page;
  GtkButton      *unsupported_browser_button;
  GtkButton      *failed_browser_button;
  GtkButton      *retry_button;
};

G_DEFINE_FINAL_TYPE (AtxCallWindow, atx_call_window, ADW_TYPE_WINDOW)

enum {
  SIGNAL_RETRY,
  SIGNAL_OPEN_IN_BROWSER,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void update_state (AtxCallWindow *self);

static void
knocking_row_free (gpointer data)
{
  KnockingRow *row = data;

  g_free (row->id);
  g_free (row);
}

/* ---- header ---- */

static char *
format_elapsed (gint64 seconds)
{
  if (seconds < 0)
    seconds = 0;
  if (seconds >= 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d:%02d",
                            seconds / 3600, (int) (seconds / 60 % 60), (int) (seconds % 60));
  return g_strdup_printf ("%d:%02d", (int) (seconds / 60), (int) (seconds % 60));
}

static void
update_elapsed (AtxCallWindow *self)
{
  g_autofree char *text = format_elapsed (atx_call_session_get_elapsed_seconds (self->session));

  if (g_strcmp0 (gtk_label_get_label (self->elapsed_label), text) != 0)
    gtk_label_set_label (self->elapsed_label, text);
}

static gboolean
tick (gpointer user_data)
{
  update_elapsed (user_data);
  return G_SOURCE_CONTINUE;
}

static void
update_participants (AtxCallWindow *self)
{
  GPtrArray *participants = atx_call_session_get_participants (self->session);
  guint n = participants != NULL ? participants->len : 0;
  g_autofree char *text = NULL;
  g_autofree char *tooltip = NULL;

  /* People in the call, the therapist included once joined (as Jitsi's
   * getNumberOfParticipants counts). */
  if (atx_call_session_get_state (self->session) == ATX_CALL_STATE_JOINED)
    n++;
  text = g_strdup_printf ("%u", n);
  tooltip = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u person in the call",
                                          "%u people in the call", n), n);
  gtk_label_set_label (self->participants_label, text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->participants_label), tooltip);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->participants_icon), tooltip);
}

static void
set_toggle_labels (GtkToggleButton *button,
                   gboolean         active,
                   const char      *accessible_name,
                   const char      *active_icon,
                   const char      *inactive_icon,
                   const char      *active_tooltip,
                   const char      *inactive_tooltip)
{
  gtk_button_set_icon_name (GTK_BUTTON (button), active ? active_icon : inactive_icon);
  gtk_widget_set_tooltip_text (GTK_WIDGET (button), active ? active_tooltip : inactive_tooltip);
  /* The pressed state says whether it is muted; the name says what it is. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, active ? active_tooltip : inactive_tooltip,
                                  -1);
}

static void
update_toggles (AtxCallWindow *self)
{
  gboolean audio_muted = atx_call_session_get_audio_muted (self->session);
  gboolean video_muted = atx_call_session_get_video_muted (self->session);
  gboolean joined = atx_call_session_get_state (self->session) == ATX_CALL_STATE_JOINED;

  self->syncing_toggles = TRUE;
  gtk_toggle_button_set_active (self->audio_button, audio_muted);
  gtk_toggle_button_set_active (self->video_button, video_muted);
  self->syncing_toggles = FALSE;

  set_toggle_labels (self->audio_button, audio_muted, _("Mute Microphone"),
                     "microphone-disabled-symbolic", "microphone-sensitive-symbolic",
                     _("Microphone is muted: unmute"), _("Mute microphone"));
  set_toggle_labels (self->video_button, video_muted, _("Turn Camera Off"),
                     "camera-disabled-symbolic", "camera-web-symbolic",
                     _("Camera is off: turn it on"), _("Turn camera off"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->audio_button), joined);
  /* An audio-only call may still turn the camera on, as in Jitsi. */
  gtk_widget_set_sensitive (GTK_WIDGET (self->video_button), joined);
}

static void
on_audio_toggled (AtxCallWindow *self)
{
  if (self->syncing_toggles)
    return;
  /* Back to what Jitsi says until it confirms the change. */
  atx_call_session_toggle_audio (self->session);
  update_toggles (self);
}

static void
on_video_toggled (AtxCallWindow *self)
{
  if (self->syncing_toggles)
    return;
  atx_call_session_toggle_video (self->session);
  update_toggles (self);
}

static void
update_title (AtxCallWindow *self)
{
  const char *title = atx_call_session_get_title (self->session);
  gboolean audio = atx_call_session_get_call_type (self->session) == ATX_CALL_TYPE_AUDIO;

  if (title == NULL || *title == '\0')
    title = _("Call");
  gtk_label_set_label (self->title_label, title);
  gtk_window_set_title (GTK_WINDOW (self), title);
  gtk_image_set_from_icon_name (self->call_type_icon, audio ? "call-start-symbolic" : "camera-video-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->call_type_icon), audio ? _("Audio call") : _("Video call"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->call_type_icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, audio ? _("Audio call") : _("Video call"),
                                  -1);
}

/* ---- waiting room ---- */

static void
on_knocking_answer (GtkButton     *button,
                    AtxCallWindow *self)
{
  const char *id = g_object_get_data (G_OBJECT (button), "participant-id");
  gboolean admit = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "admit"));
  g_autofree char *id_copy = g_strdup (id);

  /* The session removes the client from its list: the rows are rebuilt. */
  atx_call_session_answer_knocking (self->session, id_copy, admit);
}

static GtkWidget *
make_knocking_button (AtxCallWindow *self,
                      const char    *id,
                      const char    *name,
                      gboolean       admit)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (admit ? _("_Admit") : _("_Deny"));
  g_autofree char *accessible = g_strdup_printf (admit ? _("Admit %s") : _("Deny %s"), name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  if (admit)
    gtk_widget_add_css_class (button, "suggested-action");
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  g_object_set_data_full (G_OBJECT (button), "participant-id", g_strdup (id), g_free);
  g_object_set_data (G_OBJECT (button), "admit", GINT_TO_POINTER (admit));
  g_signal_connect (button, "clicked", G_CALLBACK (on_knocking_answer), self);
  return button;
}

static void
update_knocking (AtxCallWindow *self)
{
  GPtrArray *knocking = atx_call_session_get_knocking (self->session);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->knocking_box))) != NULL)
    gtk_box_remove (self->knocking_box, child);
  g_ptr_array_set_size (self->knocking_rows, 0);

  for (guint i = 0; knocking != NULL && i < knocking->len; i++)
    {
      AtxCallParticipant *participant = g_ptr_array_index (knocking, i);
      const char *name = participant->display_name && *participant->display_name
                         ? participant->display_name : _("A client");
      KnockingRow *row = g_new0 (KnockingRow, 1);
      g_autofree char *text = g_strdup_printf (_("%s is waiting"), name);

      row->id = g_strdup (participant->id);
      row->row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      gtk_widget_add_css_class (row->row, "card");
      row->label = gtk_label_new (text);
      gtk_label_set_xalign (GTK_LABEL (row->label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (row->label), PANGO_ELLIPSIZE_END);
      gtk_widget_set_hexpand (row->label, TRUE);
      gtk_widget_set_margin_start (row->label, 12);
      row->deny = make_knocking_button (self, participant->id, name, FALSE);
      row->admit = make_knocking_button (self, participant->id, name, TRUE);
      gtk_widget_set_margin_top (row->admit, 6);
      gtk_widget_set_margin_bottom (row->admit, 6);
      gtk_widget_set_margin_end (row->admit, 6);
      gtk_box_append (GTK_BOX (row->row), gtk_image_new_from_icon_name ("avatar-default-symbolic"));
      gtk_widget_set_margin_start (gtk_widget_get_first_child (row->row), 12);
      gtk_box_append (GTK_BOX (row->row), row->label);
      gtk_box_append (GTK_BOX (row->row), row->deny);
      gtk_box_append (GTK_BOX (row->row), row->admit);
      gtk_box_append (self->knocking_box, row->row);
      g_ptr_array_add (self->knocking_rows, row);
    }

  gtk_revealer_set_reveal_child (self->knocking_revealer, self->knocking_rows->len > 0);
}

/* ---- state ---- */

static void
failure_texts (AtxCallFailure   failure,
               const char     **title,
               const char     **description)
{
  switch (failure)
    {
    case ATX_CALL_FAILURE_LOAD:
      *title = _("The Jitsi server could not be reached");
      *description = _("The call could not be loaded from the Jitsi server. Check the network connection and the server in Preferences.");
      break;
    case ATX_CALL_FAILURE_TOKEN:
      *title = _("The call token was refused");
      *description = _("The Jitsi server did not accept the token. Retry fetches a new one.");
      break;
    case ATX_CALL_FAILURE_NOT_ALLOWED:
      *title = _("The room refused to let you in");
      *description = _("The Jitsi server does not allow you into this room.");
      break;
    case ATX_CALL_FAILURE_BACKEND:
      *title = _("No call token");
      *description = _("The token backend could not be reached, so the call cannot start.");
      break;
    case ATX_CALL_FAILURE_TLS:
      *title = _("The connection is not secure");
      *description = _("The Jitsi server’s certificate is not valid. The call was not started.");
      break;
    case ATX_CALL_FAILURE_CONNECTION:
    case ATX_CALL_FAILURE_NONE:
    default:
      *title = _("The call failed");
      *description = _("The connection to the call was lost.");
      break;
    }
}

static void
stop_tick (AtxCallWindow *self)
{
  g_clear_handle_id (&self->tick_source, g_source_remove);
}

static gboolean
close_now (gpointer user_data)
{
  AtxCallWindow *self = user_data;

  self->close_timeout_source = 0;
  gtk_window_destroy (GTK_WINDOW (self));
  return G_SOURCE_REMOVE;
}

static void
update_state (AtxCallWindow *self)
{
  AtxCallState state = atx_call_session_get_state (self->session);
  gboolean running = state == ATX_CALL_STATE_CONNECTING ||
                     state == ATX_CALL_STATE_JOINED ||
                     state == ATX_CALL_STATE_LEAVING;

  if (state == ATX_CALL_STATE_JOINED && self->tick_source == 0)
    self->tick_source = g_timeout_add_seconds (1, tick, self);
  else if (state != ATX_CALL_STATE_JOINED)
    stop_tick (self);
  update_elapsed (self);
  update_participants (self);
  update_toggles (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->leave_button), state != ATX_CALL_STATE_LEAVING);
  if (!running)
    gtk_revealer_set_reveal_child (self->knocking_revealer, FALSE);

  /* The status pages get their icons only when shown: GTK starts loading
   * an icon (a 128 px SVG, through librsvg) as soon as a widget has its
   * name, which would take CPU from WebKit's start-up. */
  switch (state)
    {
    case ATX_CALL_STATE_CONNECTING:
    case ATX_CALL_STATE_JOINED:
    case ATX_CALL_STATE_LEAVING:
      gtk_stack_set_visible_child_name (self->stack, "call");
      break;

    case ATX_CALL_STATE_UNSUPPORTED:
      adw_status_page_set_icon_name (self->unsupported_page, "camera-disabled-symbolic");
      gtk_stack_set_visible_child_name (self->stack, "unsupported");
      break;

    case ATX_CALL_STATE_FAILED:
      {
        AtxCallFailure failure = atx_call_session_get_failure (self->session);
        const char *message = atx_call_session_get_failure_message (self->session);
        const char *title;
        const char *description;

        failure_texts (failure, &title, &description);
        adw_status_page_set_icon_name (self->failed_page, "dialog-warning-symbolic");
        adw_status_page_set_title (self->failed_page, title);
        adw_status_page_set_description (self->failed_page,
                                         message != NULL && *message != '\0' ? message : description);
        gtk_stack_set_visible_child_name (self->stack, "failed");
        gtk_widget_grab_focus (GTK_WIDGET (self->retry_button));
      }
      break;

    case ATX_CALL_STATE_ENDED:
      if (self->close_when_ended)
        {
          /* Not from inside the session's notify. */
          g_clear_handle_id (&self->close_timeout_source, g_source_remove);
          self->close_timeout_source = g_idle_add (close_now, self);
        }
      else
        {
          adw_status_page_set_icon_name (self->ended_page, "call-stop-symbolic");
          gtk_stack_set_visible_child_name (self->stack, "ended");
        }
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
on_state_notify (AtxCallWindow *self)
{
  update_state (self);
}

/* ---- leaving ---- */

static gboolean
call_is_running (AtxCallWindow *self)
{
  AtxCallState state = atx_call_session_get_state (self->session);

  return state == ATX_CALL_STATE_CONNECTING ||
         state == ATX_CALL_STATE_JOINED ||
         state == ATX_CALL_STATE_LEAVING;
}

/* Hangs up, then closes when the session has ended (or after a bounded
 * wait, should the page never answer). */
static void
leave_and_close (AtxCallWindow *self)
{
  if (!call_is_running (self))
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }

  self->close_when_ended = TRUE;
  if (self->close_timeout_source == 0)
    self->close_timeout_source = g_timeout_add (ATX_CALL_WINDOW_CLOSE_TIMEOUT_MS, close_now, self);
  if (atx_call_session_get_state (self->session) != ATX_CALL_STATE_LEAVING)
    atx_call_session_leave (self->session);
}

static void
on_leave_clicked (AtxCallWindow *self)
{
  leave_and_close (self);
}

static gboolean
atx_call_window_close_request (GtkWindow *window)
{
  AtxCallWindow *self = ATX_CALL_WINDOW (window);

  if (self->session == NULL || !call_is_running (self))
    return GTK_WINDOW_CLASS (atx_call_window_parent_class)->close_request (window);

  leave_and_close (self);
  return TRUE;
}

static void
on_retry_clicked (AtxCallWindow *self)
{
  gboolean refresh = atx_call_session_get_failure (self->session) == ATX_CALL_FAILURE_TOKEN;

  g_signal_emit (self, signals[SIGNAL_RETRY], 0, refresh);
}

static void
on_open_in_browser_clicked (AtxCallWindow *self)
{
  g_signal_emit (self, signals[SIGNAL_OPEN_IN_BROWSER], 0);
}

static void
toggle_fullscreen (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  GtkWindow *window = GTK_WINDOW (widget);

  if (gtk_window_is_fullscreen (window))
    gtk_window_unfullscreen (window);
  else
    gtk_window_fullscreen (window);
}

/* ---- the view ---- */

static void
load_view (AtxCallWindow           *self,
           const AtxCallPageConfig *config)
{
  g_autoptr(GError) error = NULL;

  adw_bin_set_child (self->view_bin, NULL);
  self->view = NULL;

  if (atx_call_session_get_state (self->session) != ATX_CALL_STATE_CONNECTING || config == NULL)
    return;

  self->view = atx_call_embed_load_view (self->session, config, self->jitsi_domain, &error);
  if (self->view == NULL)
    {
      g_warning ("No embedded call view: %s", error->message);
      atx_call_session_fail (self->session, ATX_CALL_FAILURE_LOAD, error->message);
      return;
    }
  adw_bin_set_child (self->view_bin, self->view);
}

static void
bind_session (AtxCallWindow           *self,
              AtxCallSession          *session,
              const AtxCallPageConfig *config)
{
  g_set_object (&self->session, session);
  g_signal_group_set_target (self->session_signals, session);

  self->close_when_ended = FALSE;
  g_clear_handle_id (&self->close_timeout_source, g_source_remove);
  stop_tick (self);

  update_title (self);
  update_knocking (self);
  load_view (self, config);
  update_state (self);
}

/* ---- object ---- */

static void
atx_call_window_dispose (GObject *object)
{
  AtxCallWindow *self = ATX_CALL_WINDOW (object);

  stop_tick (self);
  g_clear_handle_id (&self->close_timeout_source, g_source_remove);
  if (self->session_signals != NULL)
    g_signal_group_set_target (self->session_signals, NULL);
  g_clear_object (&self->session_signals);
  self->view = NULL;

  gtk_widget_dispose_template (GTK_WIDGET (object), ATX_TYPE_CALL_WINDOW);

  G_OBJECT_CLASS (atx_call_window_parent_class)->dispose (object);
}

static void
atx_call_window_finalize (GObject *object)
{
  AtxCallWindow *self = ATX_CALL_WINDOW (object);

  g_clear_object (&self->session);
  g_clear_pointer (&self->knocking_rows, g_ptr_array_unref);
  g_clear_pointer (&self->jitsi_domain, g_free);

  G_OBJECT_CLASS (atx_call_window_parent_class)->finalize (object);
}

static void
atx_call_window_class_init (AtxCallWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = atx_call_window_dispose;
  object_class->finalize = atx_call_window_finalize;
  window_class->close_request = atx_call_window_close_request;

  signals[SIGNAL_RETRY] =
    g_signal_new ("retry", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
  signals[SIGNAL_OPEN_IN_BROWSER] =
    g_signal_new ("open-in-browser", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_install_action (widget_class, "call.toggle-fullscreen", NULL, toggle_fullscreen);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F11, 0, "call.toggle-fullscreen", NULL);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/ataraxia/Calendar/atx-call-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AtxCallWindow, call_type_icon);
  gtk_widget_class_bind_template_child (widget_class, AtxCallWindow, title_label);
  gtk_widget_class_bind_template_child (widget_class, AtxCallWindow, elapsed_label);
  gtk_widget_class_bind_template_child (widget_class, AtxCallWindow, participants_label);
  gtk_widget_class_bind_template_child (widget_class, AtxCallWindow, participants_icon);
  gtk_widget_class_bind_template_child (widget_class, AtxCallWindow, audio_button);
  gtk_widget_class_bind_template_child (widget_class, AtxCallWindow, video_button);
  gtk_widget_class_bind_template_child (widget_class, AtxCallWindow, fullscreen_button);
  gtk_widget_class_bind_template_child (widget_class, AtxCallWindow, leave_button);
  gtk_widget_class_bind_template_child (widget_class, AtxCallWindow, knocking_revealer);
  gtk_widget_class_bind_template_child (widget_class, AtxCallWindow, knocking_box);
  gtk_widget_class_bind_template_child (widget_class, AtxCallWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, AtxCallWindow, view_bin);
  gtk_widget_class_bind_template_child (widget_class, AtxCallWindow, unsupported_page);
  gtk_widget_class_bind_template_child (widget_class, AtxCallWindow, failed_page);
  gtk_widget_class_bind_template_child (widget_class, AtxCallWindow, ended_page);
  gtk_widget_class_bind_template_child (widget_class, AtxCallWindow, unsupported_browser_button);
  gtk_widget_class_bind_template_child (widget_class, AtxCallWindow, failed_browser_button);
  gtk_widget_class_bind_template_child (widget_class, AtxCallWindow, retry_button);
  gtk_widget_class_bind_template_callback (widget_class, on_audio_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_video_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_leave_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_retry_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_open_in_browser_clicked);
  gtk_widget_class_bind_template_callback (widget_class, gtk_window_destroy);
}

static void
atx_call_window_init (AtxCallWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->knocking_rows = g_ptr_array_new_with_free_func (knocking_row_free);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->fullscreen_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Fullscreen"), -1);
  g_object_bind_property (self, "fullscreened", self->fullscreen_button, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

  self->session_signals = g_signal_group_new (ATX_TYPE_CALL_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "notify::state", G_CALLBACK (on_state_notify), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::audio-muted", G_CALLBACK (update_toggles), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::video-muted", G_CALLBACK (update_toggles), self);
  g_signal_group_connect_swapped (self->session_signals, "participants-changed", G_CALLBACK (update_participants), self);
  g_signal_group_connect_swapped (self->session_signals, "knocking-changed", G_CALLBACK (update_knocking), self);
}

AtxCallWindow *
atx_call_window_new (GtkApplication          *app,
                     AtxCallSession          *session,
                     const AtxCallPageConfig *config,
                     const char              *jitsi_domain)
{
  AtxCallWindow *self;

  g_return_val_if_fail (app == NULL || GTK_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (ATX_IS_CALL_SESSION (session), NULL);

  self = g_object_new (ATX_TYPE_CALL_WINDOW, "application", app, NULL);
  self->jitsi_domain = g_strdup (jitsi_domain);
  bind_session (self, session, config);
  return self;
}

void
atx_call_window_restart (AtxCallWindow           *self,
                         AtxCallSession          *session,
                         const AtxCallPageConfig *config)
{
  g_return_if_fail (ATX_IS_CALL_WINDOW (self));
  g_return_if_fail (ATX_IS_CALL_SESSION (session));

  bind_session (self, session, config);
}

AtxCallSession *
atx_call_window_get_session (AtxCallWindow *self)
{
  g_return_val_if_fail (ATX_IS_CALL_WINDOW (self), NULL);
  return self->session;
}

GtkWidget *
atx_call_window_get_view (AtxCallWindow *self)
{
  g_return_val_if_fail (ATX_IS_CALL_WINDOW (self), NULL);
  return self->view;
}

const char *
atx_call_window_get_visible_page (AtxCallWindow *self)
{
  g_return_val_if_fail (ATX_IS_CALL_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

static AdwStatusPage *
visible_status_page (AtxCallWindow *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  if (g_strcmp0 (page, "failed") == 0)
    return self->failed_page;
  if (g_strcmp0 (page, "unsupported") == 0)
    return self->unsupported_page;
  return NULL;
}

const char *
atx_call_window_get_status_title (AtxCallWindow *self)
{
  AdwStatusPage *page;

  g_return_val_if_fail (ATX_IS_CALL_WINDOW (self), NULL);
  page = visible_status_page (self);
  return page != NULL ? adw_status_page_get_title (page) : NULL;
}

const char *
atx_call_window_get_status_description (AtxCallWindow *self)
{
  AdwStatusPage *page;

  g_return_val_if_fail (ATX_IS_CALL_WINDOW (self), NULL);
  page = visible_status_page (self);
  return page != NULL ? adw_status_page_get_description (page) : NULL;
}

const char *
atx_call_window_get_elapsed_text (AtxCallWindow *self)
{
  g_return_val_if_fail (ATX_IS_CALL_WINDOW (self), NULL);
  return gtk_label_get_label (self->elapsed_label);
}

const char *
atx_call_window_get_participants_text (AtxCallWindow *self)
{
  g_return_val_if_fail (ATX_IS_CALL_WINDOW (self), NULL);
  return gtk_label_get_label (self->participants_label);
}

GtkWidget *
atx_call_window_get_audio_button (AtxCallWindow *self)
{
  g_return_val_if_fail (ATX_IS_CALL_WINDOW (self), NULL);
  return GTK_WIDGET (self->audio_button);
}

GtkWidget *
atx_call_window_get_video_button (AtxCallWindow *self)
{
  g_return_val_if_fail (ATX_IS_CALL_WINDOW (self), NULL);
  return GTK_WIDGET (self->video_button);
}

GtkWidget *
atx_call_window_get_fullscreen_button (AtxCallWindow *self)
{
  g_return_val_if_fail (ATX_IS_CALL_WINDOW (self), NULL);
  return GTK_WIDGET (self->fullscreen_button);
}

GtkWidget *
atx_call_window_get_leave_button (AtxCallWindow *self)
{
  g_return_val_if_fail (ATX_IS_CALL_WINDOW (self), NULL);
  return GTK_WIDGET (self->leave_button);
}

GtkWidget *
atx_call_window_get_retry_button (AtxCallWindow *self)
{
  g_return_val_if_fail (ATX_IS_CALL_WINDOW (self), NULL);
  return GTK_WIDGET (self->retry_button);
}

GtkWidget *
atx_call_window_get_open_in_browser_button (AtxCallWindow *self)
{
  const char *page;

  g_return_val_if_fail (ATX_IS_CALL_WINDOW (self), NULL);
  page = gtk_stack_get_visible_child_name (self->stack);
  if (g_strcmp0 (page, "failed") == 0)
    return GTK_WIDGET (self->failed_browser_button);
  if (g_strcmp0 (page, "unsupported") == 0)
    return GTK_WIDGET (self->unsupported_browser_button);
  return NULL;
}

guint
atx_call_window_get_n_knocking (AtxCallWindow *self)
{
  g_return_val_if_fail (ATX_IS_CALL_WINDOW (self), 0);
  return gtk_revealer_get_reveal_child (self->knocking_revealer) ? self->knocking_rows->len : 0;
}

const char *
atx_call_window_get_knocking_text (AtxCallWindow *self,
                                   guint          index)
{
  g_return_val_if_fail (ATX_IS_CALL_WINDOW (self), NULL);
  g_return_val_if_fail (index < self->knocking_rows->len, NULL);
  return gtk_label_get_label (GTK_LABEL (((KnockingRow *) g_ptr_array_index (self->knocking_rows, index))->label));
}

GtkWidget *
atx_call_window_get_knocking_button (AtxCallWindow *self,
                                     guint          index,
                                     gboolean       admit)
{
  KnockingRow *row;

  g_return_val_if_fail (ATX_IS_CALL_WINDOW (self), NULL);
  g_return_val_if_fail (index < self->knocking_rows->len, NULL);
  row = g_ptr_array_index (self->knocking_rows, index);
  return admit ? row->admit : row->deny;
}

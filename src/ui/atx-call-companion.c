/* atx-call-companion.c — see atx-call-companion.h.
 *
 * A thin view over AtxCallSession (state, mute states, participants,
 * knocking clients) and AtxCallHost (whether a browser tab listens, whether
 * the browser went away). It never guesses: the toggles show what Jitsi
 * reported, and a click only sends the command; the button follows when
 * the page confirms (audioMuteStatusChanged / videoMuteStatusChanged).
 */
#define G_LOG_DOMAIN "atx-call-companion"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "atx-call-companion.h"

struct _AtxCallCompanion
{
  AdwWindow        parent_instance;

  AtxCallSession  *session;
  AtxCallHost     *host;
  GCancellable    *cancellable;  /* opening the browser */
  guint            tick_source;
  gboolean         syncing;      /* setting a toggle from the session, not a click */
  gboolean         seen_browser; /* a command stream was open at some point */
  gboolean         close_when_ended; /* closed during the call: wait for the hangup */

  AdwWindowTitle  *window_title;
  GtkImage        *call_type_icon;
  GtkLabel        *state_label;
  GtkLabel        *elapsed_label;
  GtkLabel        *participants_label;
  GtkLabel        *launch_error_label;
  GtkWidget       *knocking_box;
  GtkListBox      *knocking_list;
  GtkToggleButton *mute_button;
  GtkToggleButton *camera_button;
  GtkWidget       *leave_button;
  GtkWidget       *reopen_button;
};

G_DEFINE_FINAL_TYPE (AtxCallCompanion, atx_call_companion, ADW_TYPE_WINDOW)

#define PARTICIPANT_ID_KEY "atx-participant-id"
#define ADMIT_KEY "atx-admit"

static gboolean
call_is_active (AtxCallCompanion *self)
{
  switch (atx_call_session_get_state (self->session))
    {
    case ATX_CALL_STATE_CONNECTING:
    case ATX_CALL_STATE_JOINED:
    case ATX_CALL_STATE_LEAVING:
      return TRUE;
    case ATX_CALL_STATE_ENDED:
    case ATX_CALL_STATE_FAILED:
    case ATX_CALL_STATE_UNSUPPORTED:
    default:
      return FALSE;
    }
}

/* ---- what the window shows ---- */

static void
update_elapsed (AtxCallCompanion *self)
{
  gint64 seconds = atx_call_session_get_elapsed_seconds (self->session);
  g_autofree char *text = NULL;

  if (seconds < 0)
    seconds = 0;
  if (seconds >= 3600)
    text = g_strdup_printf ("%" G_GINT64_FORMAT ":%02d:%02d", seconds / 3600,
                            (int) (seconds / 60 % 60), (int) (seconds % 60));
  else
    text = g_strdup_printf ("%02d:%02d", (int) (seconds / 60), (int) (seconds % 60));
  gtk_label_set_label (self->elapsed_label, text);
}

static gboolean
tick_cb (gpointer user_data)
{
  AtxCallCompanion *self = user_data;

  update_elapsed (self);
  if (atx_call_session_get_state (self->session) != ATX_CALL_STATE_JOINED &&
      atx_call_session_get_state (self->session) != ATX_CALL_STATE_LEAVING)
    {
      self->tick_source = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
update_participants (AtxCallCompanion *self)
{
  guint n = 0;
  g_autofree char *text = NULL;

  g_object_get (self->session, "participant-count", &n, NULL);
  if (n == 0)
    text = g_strdup (_("No one else in the call"));
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u other participant",
                                         "%u other participants", n), n);
  gtk_label_set_label (self->participants_label, text);
}

static void
update_toggles (AtxCallCompanion *self)
{
  gboolean joined = atx_call_session_get_state (self->session) == ATX_CALL_STATE_JOINED;
  gboolean audio_muted = atx_call_session_get_audio_muted (self->session);
  gboolean video_muted = atx_call_session_get_video_muted (self->session);

  self->syncing = TRUE;
  gtk_toggle_button_set_active (self->mute_button, audio_muted);
  gtk_toggle_button_set_active (self->camera_button, video_muted);
  self->syncing = FALSE;

  gtk_button_set_icon_name (GTK_BUTTON (self->mute_button),
                            audio_muted ? "microphone-sensitivity-muted-symbolic"
                                        : "audio-input-microphone-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->mute_button),
                               audio_muted ? _("Unmute Microphone") : _("Mute Microphone"));
  gtk_button_set_icon_name (GTK_BUTTON (self->camera_button),
                            video_muted ? "camera-disabled-symbolic" : "camera-video-symbolic");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->camera_button),
                               video_muted ? _("Turn Camera On") : _("Turn Camera Off"));

  gtk_widget_set_sensitive (GTK_WIDGET (self->mute_button), joined);
  gtk_widget_set_sensitive (GTK_WIDGET (self->camera_button), joined);
}

static const char *
state_text (AtxCallCompanion *self)
{
  gboolean connected = atx_call_host_get_connected (self->host);
  const char *message;

  switch (atx_call_session_get_state (self->session))
    {
    case ATX_CALL_STATE_CONNECTING:
      return connected ? _("Joining the call…") : _("Waiting for the browser…");
    case ATX_CALL_STATE_JOINED:
      return connected || !self->seen_browser ? _("In call")
                                              : _("In call — waiting for the browser to reconnect…");
    case ATX_CALL_STATE_LEAVING:
      return _("Leaving…");
    case ATX_CALL_STATE_ENDED:
      return atx_call_host_get_browser_closed (self->host) ? _("Browser closed") : _("Call ended");
    case ATX_CALL_STATE_FAILED:
      message = atx_call_session_get_failure_message (self->session);
      return message != NULL && *message != '\0' ? message : _("The call failed");
    case ATX_CALL_STATE_UNSUPPORTED:
      return _("This browser cannot make calls. Open the call in another browser.");
    default:
      return "";
    }
}

static void
update_state (AtxCallCompanion *self)
{
  AtxCallState state = atx_call_session_get_state (self->session);
  gboolean active = call_is_active (self);

  if (atx_call_host_get_connected (self->host))
    self->seen_browser = TRUE;

  gtk_label_set_label (self->state_label, state_text (self));
  gtk_widget_set_sensitive (self->leave_button,
                            state == ATX_CALL_STATE_CONNECTING || state == ATX_CALL_STATE_JOINED);
  gtk_widget_set_sensitive (self->reopen_button, active && atx_call_host_get_running (self->host));
  if (!active)
    gtk_widget_set_visible (self->knocking_box, FALSE);

  if ((state == ATX_CALL_STATE_JOINED || state == ATX_CALL_STATE_LEAVING) && self->tick_source == 0)
    self->tick_source = g_timeout_add_seconds (1, tick_cb, self);
  update_elapsed (self);
  update_toggles (self);
}

/* ---- knocking clients ---- */

static void
knock_button_clicked_cb (GtkButton        *button,
                         AtxCallCompanion *self)
{
  const char *id = g_object_get_data (G_OBJECT (button), PARTICIPANT_ID_KEY);
  gboolean admit = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), ADMIT_KEY));
  g_autofree char *id_copy = g_strdup (id);

  /* The session drops the client from its list, which rebuilds this one
   * (and destroys @button). */
  atx_call_session_answer_knocking (self->session, id_copy, admit);
}

static GtkWidget *
make_knock_button (AtxCallCompanion *self,
                   const char       *id,
                   const char       *name,
                   gboolean          admit)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (admit ? _("_Admit") : _("_Deny"));
  g_autofree char *accessible = g_strdup_printf (admit ? _("Admit %s") : _("Deny %s"), name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  if (admit)
    gtk_widget_add_css_class (button, "suggested-action");
  gtk_widget_set_tooltip_text (button, accessible);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  g_object_set_data_full (G_OBJECT (button), PARTICIPANT_ID_KEY, g_strdup (id), g_free);
  g_object_set_data (G_OBJECT (button), ADMIT_KEY, GINT_TO_POINTER (admit));
  g_signal_connect (button, "clicked", G_CALLBACK (knock_button_clicked_cb), self);
  return button;
}

static void
update_knocking (AtxCallCompanion *self)
{
  GPtrArray *knocking = atx_call_session_get_knocking (self->session);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->knocking_list))) != NULL)
    gtk_list_box_remove (self->knocking_list, child);

  for (guint i = 0; knocking != NULL && i < knocking->len; i++)
    {
      AtxCallParticipant *participant = g_ptr_array_index (knocking, i);
      const char *name = participant->display_name && *participant->display_name
                           ? participant->display_name : _("Unnamed guest");
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *label = gtk_label_new (name);
      GtkWidget *row = gtk_list_box_row_new ();

      gtk_widget_set_margin_start (box, 12);
      gtk_widget_set_margin_end (box, 6);
      gtk_widget_set_margin_top (box, 6);
      gtk_widget_set_margin_bottom (box, 6);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_box_append (GTK_BOX (box), label);
      gtk_box_append (GTK_BOX (box), make_knock_button (self, participant->id, name, FALSE));
      gtk_box_append (GTK_BOX (box), make_knock_button (self, participant->id, name, TRUE));
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
      gtk_list_box_append (self->knocking_list, row);
    }

  gtk_widget_set_visible (self->knocking_box,
                          knocking != NULL && knocking->len > 0 && call_is_active (self));
}

/* ---- controls ---- */

static void
mute_clicked_cb (GtkToggleButton  *button,
                 AtxCallCompanion *self)
{
  if (self->syncing)
    return;
  atx_call_session_toggle_audio (self->session);
  /* Mirror, never guess: back to what Jitsi last said until it confirms. */
  update_toggles (self);
}

static void
camera_clicked_cb (GtkToggleButton  *button,
                   AtxCallCompanion *self)
{
  if (self->syncing)
    return;
  atx_call_session_toggle_video (self->session);
  update_toggles (self);
}

static void
leave_clicked_cb (GtkButton        *button,
                  AtxCallCompanion *self)
{
  atx_call_session_leave (self->session);
}

static void
open_in_browser_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  AtxCallCompanion *self;

  if (atx_call_host_open_in_browser_finish (ATX_CALL_HOST (source), result, &error))
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* Not cancelled: the window is still alive (dispose cancels). */
  self = ATX_CALL_COMPANION (user_data);
  g_warning ("%s", error->message);
  gtk_label_set_label (self->launch_error_label, error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->launch_error_label), TRUE);
}

void
atx_call_companion_open_in_browser (AtxCallCompanion *self)
{
  g_autoptr(GdkAppLaunchContext) context = NULL;

  g_return_if_fail (ATX_IS_CALL_COMPANION (self));

  gtk_widget_set_visible (GTK_WIDGET (self->launch_error_label), FALSE);
  context = gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (self)));
  atx_call_host_open_in_browser_async (self->host, G_APP_LAUNCH_CONTEXT (context),
                                       self->cancellable, open_in_browser_cb, self);
}

static void
reopen_clicked_cb (GtkButton        *button,
                   AtxCallCompanion *self)
{
  atx_call_companion_open_in_browser (self);
}

/* Closing the window during a call asks first: the call would otherwise
 * go on in the browser with nothing here to log how it ends. */
static void
leave_dialog_response_cb (AdwMessageDialog *dialog,
                          const char       *response,
                          AtxCallCompanion *self)
{
  if (g_strcmp0 (response, "leave") != 0)
    return;
  if (!call_is_active (self))
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  /* The hangup must still reach the browser through our host: go away
   * now, but only let go of the host once the call has ended. */
  self->close_when_ended = TRUE;
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  atx_call_session_leave (self->session);
}

static gboolean
atx_call_companion_close_request (GtkWindow *window)
{
  AtxCallCompanion *self = ATX_CALL_COMPANION (window);
  AdwMessageDialog *dialog;

  if (!call_is_active (self))
    return GTK_WINDOW_CLASS (atx_call_companion_parent_class)->close_request (window);
  if (atx_call_session_get_state (self->session) == ATX_CALL_STATE_LEAVING)
    {
      self->close_when_ended = TRUE;
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return TRUE;
    }

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (window, _("Leave the Call?"),
                                                       _("Closing this window ends the call in the browser too.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Cancel"),
                                    "leave", _("_Leave Call"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "leave", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (leave_dialog_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

/* ---- session and host signals ---- */

static void
session_state_cb (GObject          *object,
                  GParamSpec       *pspec,
                  AtxCallCompanion *self)
{
  if (self->close_when_ended && !call_is_active (self))
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  update_state (self);
  update_knocking (self);
}

static void
mute_state_cb (GObject          *object,
               GParamSpec       *pspec,
               AtxCallCompanion *self)
{
  update_toggles (self);
}

static void
participants_cb (GObject          *object,
                 GParamSpec       *pspec,
                 AtxCallCompanion *self)
{
  update_participants (self);
}

static void
knocking_changed_cb (AtxCallSession   *session,
                     AtxCallCompanion *self)
{
  update_knocking (self);
}

static void
host_changed_cb (GObject          *object,
                 GParamSpec       *pspec,
                 AtxCallCompanion *self)
{
  update_state (self);
}

/* ---- public ---- */

AtxCallCompanion *
atx_call_companion_new (GtkApplication *app,
                        AtxCallSession *session,
                        AtxCallHost    *host)
{
  AtxCallCompanion *self;
  gboolean audio;

  g_return_val_if_fail (app == NULL || GTK_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (ATX_IS_CALL_SESSION (session), NULL);
  g_return_val_if_fail (ATX_IS_CALL_HOST (host), NULL);

  self = g_object_new (ATX_TYPE_CALL_COMPANION, "application", app, NULL);
  self->session = g_object_ref (session);
  self->host = g_object_ref (host);

  audio = atx_call_session_get_call_type (session) == ATX_CALL_TYPE_AUDIO;
  gtk_window_set_title (GTK_WINDOW (self), atx_call_session_get_title (session));
  adw_window_title_set_title (self->window_title, atx_call_session_get_title (session));
  adw_window_title_set_subtitle (self->window_title,
                                 audio ? _("Audio call in the browser") : _("Video call in the browser"));
  gtk_image_set_from_icon_name (self->call_type_icon,
                                audio ? "call-start-symbolic" : "camera-video-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->call_type_icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  audio ? _("Audio call") : _("Video call"), -1);

  g_signal_connect_object (session, "notify::state", G_CALLBACK (session_state_cb), self, 0);
  g_signal_connect_object (session, "notify::audio-muted", G_CALLBACK (mute_state_cb), self, 0);
  g_signal_connect_object (session, "notify::video-muted", G_CALLBACK (mute_state_cb), self, 0);
  g_signal_connect_object (session, "notify::participant-count", G_CALLBACK (participants_cb), self, 0);
  g_signal_connect_object (session, "knocking-changed", G_CALLBACK (knocking_changed_cb), self, 0);
  g_signal_connect_object (host, "notify::connected", G_CALLBACK (host_changed_cb), self, 0);
  g_signal_connect_object (host, "notify::browser-closed", G_CALLBACK (host_changed_cb), self, 0);
  g_signal_connect_object (host, "notify::running", G_CALLBACK (host_changed_cb), self, 0);

  update_state (self);
  update_participants (self);
  update_knocking (self);
  return self;
}

AtxCallCompanion *
atx_call_companion_start_browser_call (GtkApplication          *app,
                                      AtxCallSession          *session,
                                      const AtxCallPageConfig *page_config,
                                      const char              *jitsi_domain,
                                      GError                 **error)
{
  g_autoptr(AtxCallHost) host = NULL;
  AtxCallCompanion *self;

  g_return_val_if_fail (app == NULL || GTK_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (ATX_IS_CALL_SESSION (session), NULL);
  g_return_val_if_fail (page_config != NULL, NULL);

  host = atx_call_host_new (session, page_config, jitsi_domain, error);
  if (host == NULL)
    return NULL;
  self = atx_call_companion_new (app, session, host);
  atx_call_companion_open_in_browser (self);
  gtk_window_present (GTK_WINDOW (self));
  return self;
}

AtxCallSession *
atx_call_companion_get_session (AtxCallCompanion *self)
{
  g_return_val_if_fail (ATX_IS_CALL_COMPANION (self), NULL);
  return self->session;
}

AtxCallHost *
atx_call_companion_get_host (AtxCallCompanion *self)
{
  g_return_val_if_fail (ATX_IS_CALL_COMPANION (self), NULL);
  return self->host;
}

const char *
atx_call_companion_get_state_text (AtxCallCompanion *self)
{
  g_return_val_if_fail (ATX_IS_CALL_COMPANION (self), NULL);
  return gtk_label_get_label (self->state_label);
}

const char *
atx_call_companion_get_elapsed_text (AtxCallCompanion *self)
{
  g_return_val_if_fail (ATX_IS_CALL_COMPANION (self), NULL);
  return gtk_label_get_label (self->elapsed_label);
}

const char *
atx_call_companion_get_participants_text (AtxCallCompanion *self)
{
  g_return_val_if_fail (ATX_IS_CALL_COMPANION (self), NULL);
  return gtk_label_get_label (self->participants_label);
}

GtkWidget *
atx_call_companion_get_mute_button (AtxCallCompanion *self)
{
  g_return_val_if_fail (ATX_IS_CALL_COMPANION (self), NULL);
  return GTK_WIDGET (self->mute_button);
}

GtkWidget *
atx_call_companion_get_camera_button (AtxCallCompanion *self)
{
  g_return_val_if_fail (ATX_IS_CALL_COMPANION (self), NULL);
  return GTK_WIDGET (self->camera_button);
}

GtkWidget *
atx_call_companion_get_leave_button (AtxCallCompanion *self)
{
  g_return_val_if_fail (ATX_IS_CALL_COMPANION (self), NULL);
  return self->leave_button;
}

GtkWidget *
atx_call_companion_get_reopen_button (AtxCallCompanion *self)
{
  g_return_val_if_fail (ATX_IS_CALL_COMPANION (self), NULL);
  return self->reopen_button;
}

GtkWidget *
atx_call_companion_get_knock_button (AtxCallCompanion *self,
                                     const char       *participant_id,
                                     gboolean          admit)
{
  g_return_val_if_fail (ATX_IS_CALL_COMPANION (self), NULL);
  g_return_val_if_fail (participant_id != NULL, NULL);

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->knocking_list));
       row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *box = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row));

      for (GtkWidget *child = gtk_widget_get_first_child (box); child != NULL;
           child = gtk_widget_get_next_sibling (child))
        {
          const char *id = g_object_get_data (G_OBJECT (child), PARTICIPANT_ID_KEY);

          if (id != NULL && strcmp (id, participant_id) == 0 &&
              GPOINTER_TO_INT (g_object_get_data (G_OBJECT (child), ADMIT_KEY)) == admit)
            return child;
        }
    }
  return NULL;
}

/* ---- GObject ---- */

static void
atx_call_companion_dispose (GObject *object)
{
  AtxCallCompanion *self = ATX_CALL_COMPANION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->tick_source, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), ATX_TYPE_CALL_COMPANION);
  g_clear_object (&self->host);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (atx_call_companion_parent_class)->dispose (object);
}

static void
atx_call_companion_finalize (GObject *object)
{
  AtxCallCompanion *self = ATX_CALL_COMPANION (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (atx_call_companion_parent_class)->finalize (object);
}

static void
atx_call_companion_class_init (AtxCallCompanionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = atx_call_companion_dispose;
  object_class->finalize = atx_call_companion_finalize;
  window_class->close_request = atx_call_companion_close_request;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/ataraxia/Calendar/atx-call-companion.ui");
  gtk_widget_class_bind_template_child (widget_class, AtxCallCompanion, window_title);
  gtk_widget_class_bind_template_child (widget_class, AtxCallCompanion, call_type_icon);
  gtk_widget_class_bind_template_child (widget_class, AtxCallCompanion, state_label);
  gtk_widget_class_bind_template_child (widget_class, AtxCallCompanion, elapsed_label);
  gtk_widget_class_bind_template_child (widget_class, AtxCallCompanion, participants_label);
  gtk_widget_class_bind_template_child (widget_class, AtxCallCompanion, launch_error_label);
  gtk_widget_class_bind_template_child (widget_class, AtxCallCompanion, knocking_box);
  gtk_widget_class_bind_template_child (widget_class, AtxCallCompanion, knocking_list);
  gtk_widget_class_bind_template_child (widget_class, AtxCallCompanion, mute_button);
  gtk_widget_class_bind_template_child (widget_class, AtxCallCompanion, camera_button);
  gtk_widget_class_bind_template_child (widget_class, AtxCallCompanion, leave_button);
  gtk_widget_class_bind_template_child (widget_class, AtxCallCompanion, reopen_button);
}

static void
atx_call_companion_init (AtxCallCompanion *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();

  g_signal_connect (self->mute_button, "clicked", G_CALLBACK (mute_clicked_cb), self);
  g_signal_connect (self->camera_button, "clicked", G_CALLBACK (camera_clicked_cb), self);
  g_signal_connect (self->leave_button, "clicked", G_CALLBACK (leave_clicked_cb), self);
  g_signal_connect (self->reopen_button, "clicked", G_CALLBACK (reopen_clicked_cb), self);
}

/* atx-application.c — application object: command line, app actions, the
 * store (loaded in a worker thread so the first frame is never delayed) and
 * the main window. */
#define G_LOG_DOMAIN "atx-application"

#include "config.h"

#include <glib/gi18n.h>

#include "atx-application.h"
#include "atx-call-manager.h"
#include "atx-call-log.h"
#include "atx-preferences-window.h"
#include "atx-window.h"

struct _AtxApplication
{
  AdwApplication       parent_instance;

  AtxAppointmentStore *store;
  char                *store_path;
  AtxSettings         *settings;
  AtxTokenClient      *token_client;
  AtxCallManager      *call_manager;
  GCancellable        *cancellable;
  /* --join ID given before the store was loaded: answered once it is. */
  GApplicationCommandLine *pending_join_cmdline;
  char                *pending_join_id;
  GError              *load_error;
  gboolean             loaded;
  /* --join: the id is checked before any window opens, so the store is
   * read synchronously at start-up. */
  gboolean             load_synchronously;
};

G_DEFINE_FINAL_TYPE (AtxApplication, atx_application, ADW_TYPE_APPLICATION)

enum {
  PROP_0,
  PROP_STORE,
  PROP_STORE_PATH,
  PROP_LOADED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const GOptionEntry option_entries[] = {
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and exit"), NULL },
  { "join", 0, 0, G_OPTION_ARG_STRING, NULL, N_("Start the call of the appointment with this id"), N_("ID") },
  { NULL }
};

static void process_pending_join (AtxApplication *self);

static void
finish_load (AtxApplication *self,
             GError         *error)
{
  if (error != NULL)
    {
      g_warning ("%s", error->message);
      self->load_error = g_error_copy (error);
    }

  /* Calls left open by a crash or a killed app are closed in their log. */
  if (!atx_appointment_store_is_read_only (self->store))
    {
      g_autoptr(GError) close_error = NULL;
      guint closed = atx_call_log_close_dangling (self->store, &close_error);

      if (close_error != NULL)
        g_message ("Could not close interrupted calls: %s", close_error->message);
      else if (closed > 0)
        g_message ("Closed %u interrupted call(s) in the call log", closed);
    }

  self->loaded = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADED]);
  process_pending_join (self);
}

static void
on_store_loaded (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(AtxApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!atx_appointment_store_load_finish (ATX_APPOINTMENT_STORE (source), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  finish_load (self, error);
}

static GtkWindow *
main_window (AtxApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (ATX_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

static void
on_call_message (AtxCallManager *manager,
                 const char     *text,
                 AtxApplication *self)
{
  GtkWindow *window = main_window (self);

  if (window != NULL)
    atx_window_show_toast (ATX_WINDOW (window), text);
  else
    g_printerr ("%s\n", text);
}

static void
on_call_busy_changed (AtxCallManager *manager,
                      const char     *appointment_id,
                      gboolean        busy,
                      AtxApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (ATX_IS_WINDOW (l->data))
      atx_window_set_call_busy (l->data, appointment_id, busy);
}

static void
atx_application_startup (GApplication *app)
{
  AtxApplication *self = ATX_APPLICATION (app);

  G_APPLICATION_CLASS (atx_application_parent_class)->startup (app);

  gtk_window_set_default_icon_name (APP_ID);

  self->store = atx_appointment_store_new (self->store_path);
  self->cancellable = g_cancellable_new ();
  self->settings = atx_settings_new (NULL);
  /* Configured from the settings (URL, key from the keyring) right before
   * each request, so nothing touches the network or the keyring at start. */
  self->token_client = atx_token_client_new (NULL, NULL);
  self->call_manager = atx_call_manager_new (GTK_APPLICATION (self), self->store,
                                             self->settings, self->token_client);
  g_signal_connect_object (self->call_manager, "message", G_CALLBACK (on_call_message), self, 0);
  g_signal_connect_object (self->call_manager, "busy-changed", G_CALLBACK (on_call_busy_changed), self, 0);
  if (self->load_synchronously)
    {
      g_autoptr(GError) error = NULL;

      atx_appointment_store_load (self->store, &error);
      finish_load (self, error);
    }
  else
    atx_appointment_store_load_async (self->store, self->cancellable,
                                      on_store_loaded, g_object_ref (self));
}

static void
atx_application_shutdown (GApplication *app)
{
  AtxApplication *self = ATX_APPLICATION (app);
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (self->cancellable);
  /* Whatever is still queued reaches the disk before the process exits. */
  if (self->store != NULL && !atx_appointment_store_flush (self->store, &error))
    g_printerr ("%s\n", error->message);

  G_APPLICATION_CLASS (atx_application_parent_class)->shutdown (app);
}

/* ATARAXIA_REPORT_FIRST_FRAME=1 prints "first-frame" once the main window
 * has painted for the first time: tests/bench/bench-startup measures it. */
static void
on_first_paint (GdkFrameClock *clock,
                gpointer       user_data)
{
  g_print ("first-frame\n");
  fflush (stdout);
  g_signal_handlers_disconnect_by_func (clock, on_first_paint, user_data);
}

static void
on_window_realized (GtkWidget *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);

  if (clock != NULL)
    g_signal_connect (clock, "after-paint", G_CALLBACK (on_first_paint), NULL);
}

static void
atx_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      window = GTK_WINDOW (atx_window_new (ATX_APPLICATION (app)));
      if (g_strcmp0 (g_getenv ("ATARAXIA_REPORT_FIRST_FRAME"), "1") == 0)
        g_signal_connect (window, "realize", G_CALLBACK (on_window_realized), NULL);
    }

  gtk_window_present (window);
}

static int
atx_application_handle_local_options (GApplication *app,
                                      GVariantDict *options)
{
  const char *join_id = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("ataraxia %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_lookup (options, "join", "&s", &join_id))
    {
      AtxApplication *self = ATX_APPLICATION (app);
      g_autoptr(GError) error = NULL;

      if (*join_id == '\0')
        {
          g_printerr (_("--join needs the id of an appointment.\n"));
          return 1;
        }

      /* The only instance answers an unknown id at once, before any
       * window: register now (which runs startup and reads the store). A
       * running instance answers for itself through the command line. */
      self->load_synchronously = TRUE;
      if (!g_application_register (app, NULL, &error))
        {
          g_printerr ("ataraxia: %s\n", error->message);
          return 1;
        }
      if (!g_application_get_is_remote (app) &&
          atx_appointment_store_lookup (self->store, join_id) == NULL)
        {
          g_printerr ("ataraxia: ");
          g_printerr (_("There is no appointment with the id “%s”."), join_id);
          g_printerr ("\n");
          return 1;
        }
    }

  return -1;
}

/* Starts the call of @id; on an unknown id or missing setup, tells the
 * caller (its stderr, exit status 1) and, when a window is open, the user.
 * Returns the exit status: GApplication sets a remote caller's status from
 * what ::command-line returns, overriding set_exit_status(). */
static int
join_from_command_line (AtxApplication          *self,
                        GApplicationCommandLine *cmdline,
                        const char              *id)
{
  g_autoptr(GError) error = NULL;
  gboolean had_window = main_window (self) != NULL;

  if (atx_appointment_store_lookup (self->store, id) == NULL)
    g_set_error (&error, ATX_STORE_ERROR, ATX_STORE_ERROR_NOT_FOUND,
                 _("There is no appointment with the id “%s”."), id);

  if (error == NULL)
    {
      g_application_activate (G_APPLICATION (self));
      if (atx_call_manager_join (self->call_manager, id, &error))
        return 0;
    }

  g_application_command_line_printerr (cmdline, "ataraxia: %s\n", error->message);
  g_application_command_line_set_exit_status (cmdline, 1);

  if (had_window || main_window (self) != NULL)
    atx_window_show_problem (ATX_WINDOW (main_window (self)), error->message);
  return 1;
}

static void
process_pending_join (AtxApplication *self)
{
  g_autoptr(GApplicationCommandLine) cmdline = g_steal_pointer (&self->pending_join_cmdline);
  g_autofree char *id = g_steal_pointer (&self->pending_join_id);

  if (cmdline == NULL)
    return;

  join_from_command_line (self, cmdline, id);
  g_application_release (G_APPLICATION (self));
}

static int
atx_application_command_line (GApplication            *app,
                              GApplicationCommandLine *cmdline)
{
  AtxApplication *self = ATX_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (cmdline);
  const char *join_id = NULL;

  if (!g_variant_dict_lookup (options, "join", "&s", &join_id))
    {
      g_application_activate (app);
      return 0;
    }

  if (!self->loaded)
    {
      /* Answered from on_store_loaded; the command line waits for it. */
      if (self->pending_join_cmdline != NULL)
        {
          g_application_command_line_printerr (cmdline, "ataraxia: %s\n",
                                               _("Another call is being started; try again in a moment."));
          return 1;
        }
      self->pending_join_cmdline = g_object_ref (cmdline);
      self->pending_join_id = g_strdup (join_id);
      g_application_hold (app);
      return 0;
    }

  return join_from_command_line (self, cmdline, join_id);
}

static void
on_about (GSimpleAction *action,
          GVariant      *parameter,
          gpointer       user_data)
{
  GtkApplication *app = user_data;
  static const char *developers[] = { "The Ataraxia developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "modal", TRUE,
                        "application-name", _("Ataraxia"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Ataraxia developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("A calm calendar for therapists, with private video and audio sessions on your practice's own Jitsi server."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: put your names here, one per line. */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
on_preferences (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  AtxApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  AtxPreferencesWindow *preferences;

  preferences = atx_preferences_window_new (parent, self->settings, self->token_client);
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
on_quit (GSimpleAction *action,
         GVariant      *parameter,
         gpointer       user_data)
{
  GtkApplication *app = user_data;
  GList *windows = gtk_application_get_windows (app);

  /* Closing the windows runs their close-request checks (unsaved changes). */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
}

static void
on_join_call (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  AtxApplication *self = user_data;
  const char *id = g_variant_get_string (parameter, NULL);
  g_autoptr(GError) error = NULL;

  if (!self->loaded)
    return;

  /* Through the manager's ::message, like every other answer to a join. */
  if (!atx_call_manager_join (self->call_manager, id, &error))
    g_signal_emit_by_name (self->call_manager, "message", error->message);
}

static const GActionEntry app_actions[] = {
  { "join-call", on_join_call, "s" },
  { "about", on_about },
  { "preferences", on_preferences },
  { "quit", on_quit },
};

static void
atx_application_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  AtxApplication *self = ATX_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_STORE_PATH:
      g_value_set_string (value, self->store_path);
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atx_application_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  AtxApplication *self = ATX_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_STORE_PATH:
      self->store_path = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atx_application_dispose (GObject *object)
{
  AtxApplication *self = ATX_APPLICATION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->call_manager);
  g_clear_object (&self->token_client);
  g_clear_object (&self->pending_join_cmdline);
  g_clear_pointer (&self->pending_join_id, g_free);
  g_clear_object (&self->settings);
  g_clear_error (&self->load_error);

  G_OBJECT_CLASS (atx_application_parent_class)->dispose (object);
}

static void
atx_application_finalize (GObject *object)
{
  AtxApplication *self = ATX_APPLICATION (object);

  g_free (self->store_path);

  G_OBJECT_CLASS (atx_application_parent_class)->finalize (object);
}

static void
atx_application_class_init (AtxApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->get_property = atx_application_get_property;
  object_class->set_property = atx_application_set_property;
  object_class->dispose = atx_application_dispose;
  object_class->finalize = atx_application_finalize;

  app_class->startup = atx_application_startup;
  app_class->shutdown = atx_application_shutdown;
  app_class->activate = atx_application_activate;
  app_class->handle_local_options = atx_application_handle_local_options;
  app_class->command_line = atx_application_command_line;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, ATX_TYPE_APPOINTMENT_STORE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* The appointments file; NULL for $XDG_DATA_HOME/ataraxia/appointments.json. */
  properties[PROP_STORE_PATH] =
    g_param_spec_string ("store-path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADED] =
    g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
atx_application_init (AtxApplication *self)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *help_accels[] = { "<Control>question", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *new_accels[] = { "<Control>n", NULL };
  static const char *delete_accels[] = { "Delete", "KP_Delete", NULL };
  static const char *today_accels[] = { "<Control>t", NULL };
  static const char *prev_accels[] = { "<Alt>Page_Up", "<Control>Page_Up", NULL };
  static const char *next_accels[] = { "<Alt>Page_Down", "<Control>Page_Down", NULL };

  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);

  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay", help_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.new-appointment", new_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.delete-appointment", delete_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.today", today_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.previous-month", prev_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.next-month", next_accels);
}

AtxApplication *
atx_application_new (void)
{
  return g_object_new (ATX_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", "/org/ataraxia/Calendar",
                       NULL);
}

AtxAppointmentStore *
atx_application_get_store (AtxApplication *self)
{
  g_return_val_if_fail (ATX_IS_APPLICATION (self), NULL);
  return self->store;
}

AtxSettings *
atx_application_get_settings (AtxApplication *self)
{
  g_return_val_if_fail (ATX_IS_APPLICATION (self), NULL);
  return self->settings;
}

AtxCallManager *
atx_application_get_call_manager (AtxApplication *self)
{
  g_return_val_if_fail (ATX_IS_APPLICATION (self), NULL);
  return self->call_manager;
}

AtxTokenClient *
atx_application_get_token_client (AtxApplication *self)
{
  g_return_val_if_fail (ATX_IS_APPLICATION (self), NULL);
  return self->token_client;
}

const GError *
atx_application_get_load_error (AtxApplication *self)
{
  g_return_val_if_fail (ATX_IS_APPLICATION (self), NULL);
  return self->load_error;
}

gboolean
atx_application_is_loaded (AtxApplication *self)
{
  g_return_val_if_fail (ATX_IS_APPLICATION (self), FALSE);
  return self->loaded;
}

/* atx-call-manager.c — one call at a time, embedded or in the browser.
 *
 * The flow of a join: look the appointment up, get a token with the
 * join-token logic (the stored one if still good, else a fresh one; for an
 * ad-hoc call a fresh one for a temporary room), make an AtxCallSession
 * (which writes the call log as events arrive), then show it: the embedded
 * call window, or the loopback browser call host plus the native companion.
 * The token never appears in a URL on the browser path: the page receives
 * it in its own response. */
#define G_LOG_DOMAIN "atx-call-manager"

#include "config.h"

#include <glib/gi18n.h>

#include "atx-call-manager.h"
#include "atx-call-companion.h"
#include "atx-call-window.h"
#include "atx-call-session.h"
#include "core/atx-join-token.h"
#include "core/atx-room-name.h"

struct JoinRequest;

struct _AtxCallManager
{
  GObject              parent_instance;

  GtkApplication      *app;       /* weak: the app owns the manager */
  AtxAppointmentStore *store;
  AtxSettings         *settings;
  AtxTokenClient      *client;
  GCancellable        *cancellable;

  char                *joining_id; /* a join waiting for its token */
  struct JoinRequest  *current;    /* what the running call was started with */
  AtxCallSession      *session;
  GtkWindow           *window;     /* call window or companion (which owns the host) */
};

G_DEFINE_FINAL_TYPE (AtxCallManager, atx_call_manager, G_TYPE_OBJECT)

enum {
  MESSAGE,
  BUSY_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef enum {
  ROUTE_DEFAULT,   /* embed-calls decides */
  ROUTE_BROWSER,   /* "Open in Browser" */
} Route;

typedef struct JoinRequest {
  AtxCallManager *self;
  char           *appointment_id;
  char           *title;
  char           *room;       /* NULL: the appointment's own room */
  AtxCallType     call_type;
  gboolean        ad_hoc;
  Route           route;
} JoinRequest;

static void
join_request_free (JoinRequest *request)
{
  g_clear_object (&request->self);
  g_free (request->appointment_id);
  g_free (request->title);
  g_free (request->room);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JoinRequest, join_request_free)

static void
set_joining (AtxCallManager *self,
             const char     *id)
{
  if (self->joining_id != NULL)
    g_signal_emit (self, signals[BUSY_CHANGED], 0, self->joining_id, FALSE);
  g_free (self->joining_id);
  self->joining_id = g_strdup (id);
  if (id != NULL)
    g_signal_emit (self, signals[BUSY_CHANGED], 0, id, TRUE);
}

static void join_request_free (struct JoinRequest *request);

static void
forget_call (AtxCallManager *self)
{
  g_clear_pointer (&self->current, join_request_free);
  g_clear_object (&self->session);
  self->window = NULL;
}

static void
on_call_window_destroyed (GtkWindow      *window,
                          AtxCallManager *self)
{
  if (self->window == window)
    forget_call (self);
}

static void start_join (AtxCallManager *self, JoinRequest *request);

/* A new request for the call that is running, e.g. to retry it. */
static JoinRequest *
request_again (AtxCallManager *self,
               Route           route)
{
  JoinRequest *request = g_new0 (JoinRequest, 1);

  request->self = g_object_ref (self);
  request->appointment_id = g_strdup (self->current->appointment_id);
  request->title = g_strdup (self->current->title);
  request->room = g_strdup (self->current->room);
  request->call_type = self->current->call_type;
  request->ad_hoc = self->current->ad_hoc;
  request->route = route;
  return request;
}

/* "Open in Browser" from the embedded window (no WebRTC here, or a load
 * failure): the same call moves to the browser path. */
static void
on_open_in_browser (AtxCallWindow  *window,
                    AtxCallManager *self)
{
  JoinRequest *request;

  if (self->current == NULL)
    return;

  request = request_again (self, ROUTE_BROWSER);
  gtk_window_destroy (GTK_WINDOW (window));
  start_join (self, request);
}

/* Retry from the embedded window; a token Jitsi rejected is dropped from
 * the cache first so that a fresh one is fetched. */
static void
on_retry (AtxCallWindow  *window,
          gboolean        refresh_token,
          AtxCallManager *self)
{
  JoinRequest *request;

  if (self->current == NULL)
    return;

  request = request_again (self, ROUTE_DEFAULT);
  if (refresh_token && !request->ad_hoc)
    {
      AtxAppointment *stored = atx_appointment_store_lookup (self->store, request->appointment_id);

      if (stored != NULL && atx_appointment_get_video_call_jwt (stored) != NULL)
        {
          g_autoptr(AtxAppointment) copy = atx_appointment_copy (stored);
          g_autoptr(GError) error = NULL;

          atx_appointment_set_video_call_jwt (copy, NULL);
          atx_appointment_set_video_call_jwt_expires_at (copy, NULL);
          if (!atx_appointment_store_update (self->store, copy, &error))
            g_debug ("Could not drop the rejected token: %s", error->message);
        }
    }

  gtk_window_destroy (GTK_WINDOW (window));
  start_join (self, request);
}

/* Takes @request: it describes the running call from now on. */
static void
show_call (AtxCallManager   *self,
           JoinRequest      *request,
           AtxTokenResult   *token)
{
  g_autofree char *domain = atx_settings_dup_jitsi_domain (self->settings);
  g_autofree char *user_name = atx_settings_dup_user_name (self->settings);
  g_autofree char *user_email = atx_settings_dup_user_email (self->settings);
  gboolean browser = request->route == ROUTE_BROWSER || !atx_settings_get_embed_calls (self->settings);
  AtxCallPageConfig config = { 0 };
  g_autoptr(GError) error = NULL;

  config.domain = domain;
  config.room_name = token->room_name;
  config.jwt = token->token;
  config.display_name = user_name;
  config.email = user_email;
  config.audio_only = request->call_type == ATX_CALL_TYPE_AUDIO;
  config.skip_webrtc_check = g_strcmp0 (g_getenv ("ATARAXIA_CALL_SKIP_WEBRTC_CHECK"), "1") == 0;

  forget_call (self);
  self->current = request;
  /* The request must not keep the manager alive while it is stored in it. */
  g_clear_object (&request->self);

  self->session = atx_call_session_new (self->store, request->appointment_id, request->title,
                                        token->room_name, request->call_type, request->ad_hoc,
                                        browser ? ATX_CALL_WHERE_BROWSER : ATX_CALL_WHERE_EMBEDDED,
                                        atx_settings_get_lobby_for_clients (self->settings));

  if (browser)
    {
      AtxCallCompanion *companion =
        atx_call_companion_start_browser_call (self->app, self->session, &config, domain, &error);

      if (companion == NULL)
        {
          g_autofree char *message = g_strdup_printf (_("Could not prepare the call for the browser: %s"),
                                                      error->message);
          g_signal_emit (self, signals[MESSAGE], 0, message);
          forget_call (self);
          return;
        }
      self->window = GTK_WINDOW (companion);
    }
  else
    {
      AtxCallWindow *window = atx_call_window_new (self->app, self->session, &config, domain);

      g_signal_connect_object (window, "open-in-browser", G_CALLBACK (on_open_in_browser), self, 0);
      g_signal_connect_object (window, "retry", G_CALLBACK (on_retry), self, 0);
      self->window = GTK_WINDOW (window);
    }

  g_signal_connect_object (self->window, "destroy", G_CALLBACK (on_call_window_destroyed), self, 0);
  gtk_window_present (self->window);
}

/* Takes @request: a call window in the failed state, for a join whose token
 * could not be had. */
static void
show_failed_call (AtxCallManager *self,
                  JoinRequest    *request,
                  const char     *reason)
{
  g_autofree char *domain = atx_settings_dup_jitsi_domain (self->settings);
  AtxCallWindow *window;
  const char *room = request->room;
  AtxAppointment *appointment = atx_appointment_store_lookup (self->store, request->appointment_id);

  if (room == NULL && appointment != NULL)
    room = atx_appointment_get_video_call_room_name (appointment);

  forget_call (self);
  self->session = atx_call_session_new (self->store, request->appointment_id, request->title,
                                        room != NULL ? room : "", request->call_type, request->ad_hoc,
                                        ATX_CALL_WHERE_EMBEDDED,
                                        atx_settings_get_lobby_for_clients (self->settings));
  atx_call_session_fail (self->session, ATX_CALL_FAILURE_BACKEND, reason);
  self->current = request;
  g_clear_object (&request->self);

  window = atx_call_window_new (self->app, self->session, NULL, domain);
  g_signal_connect_object (window, "open-in-browser", G_CALLBACK (on_open_in_browser), self, 0);
  g_signal_connect_object (window, "retry", G_CALLBACK (on_retry), self, 0);
  self->window = GTK_WINDOW (window);
  g_signal_connect_object (self->window, "destroy", G_CALLBACK (on_call_window_destroyed), self, 0);
  gtk_window_present (self->window);
}

static void
on_token_ready (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(JoinRequest) request = user_data;
  g_autoptr(AtxCallManager) self = g_object_ref (request->self);
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxTokenResult) token = NULL;

  if (request->ad_hoc)
    token = atx_join_token_get_for_room_finish (result, &error);
  else
    token = atx_join_token_get_finish (result, &error);

  set_joining (self, NULL);

  if (token == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      /* Embedded: the call window says why, with Retry and Open in Browser
       * (DESIGN.md: backend unreachable at join). Browser: a message. */
      if (request->route == ROUTE_DEFAULT && atx_settings_get_embed_calls (self->settings))
        {
          show_failed_call (self, g_steal_pointer (&request), error->message);
          return;
        }

      message = g_strdup_printf (_("Could not join the call: %s"), error->message);
      g_signal_emit (self, signals[MESSAGE], 0, message);
      return;
    }

  show_call (self, g_steal_pointer (&request), token);
}

/* Takes @request. */
static void
start_join (AtxCallManager *self,
            JoinRequest    *request)
{
  AtxAppointment *appointment = atx_appointment_store_lookup (self->store, request->appointment_id);

  /* Retry and "Open in Browser" come back here: the appointment may have
   * been deleted since the call window opened. */
  if (appointment == NULL && !request->ad_hoc)
    {
      g_autofree char *message = g_strdup_printf (_("There is no appointment with the id “%s”."),
                                                  request->appointment_id);

      join_request_free (request);
      g_signal_emit (self, signals[MESSAGE], 0, message);
      return;
    }

  set_joining (self, request->appointment_id);

  if (request->ad_hoc)
    atx_join_token_get_for_room_async (self->settings, self->client, request->room,
                                       self->cancellable, on_token_ready, request);
  else
    atx_join_token_get_async (self->store, appointment, self->settings, self->client,
                              self->cancellable, on_token_ready, request);
}

gboolean
atx_call_manager_join (AtxCallManager *self,
                       const char     *appointment_id,
                       GError        **error)
{
  AtxAppointment *appointment;
  JoinRequest *request;
  g_autoptr(GError) config_error = NULL;

  g_return_val_if_fail (ATX_IS_CALL_MANAGER (self), FALSE);
  g_return_val_if_fail (appointment_id != NULL, FALSE);

  /* A call that has ended (its window still says so) makes way for the
   * new one. */
  if (self->window != NULL && self->session != NULL &&
      atx_call_session_get_state (self->session) == ATX_CALL_STATE_ENDED)
    gtk_window_destroy (self->window);

  /* One call at a time: joining again raises it. */
  if (self->window != NULL)
    {
      gtk_window_present (self->window);
      return TRUE;
    }
  if (self->joining_id != NULL)
    return TRUE;

  appointment = atx_appointment_store_lookup (self->store, appointment_id);
  if (appointment == NULL)
    {
      g_set_error (error, ATX_STORE_ERROR, ATX_STORE_ERROR_NOT_FOUND,
                   _("There is no appointment with the id “%s”."), appointment_id);
      return FALSE;
    }

  if (!atx_settings_is_video_configured (self->settings, &config_error))
    {
      g_set_error (error, ATX_SETTINGS_ERROR, config_error->code,
                   _("Video calls are not set up: %s"), config_error->message);
      return FALSE;
    }

  request = g_new0 (JoinRequest, 1);
  request->self = g_object_ref (self);
  request->appointment_id = g_strdup (appointment_id);
  request->title = g_strdup (atx_appointment_get_title (appointment));
  request->route = ROUTE_DEFAULT;
  if (atx_appointment_get_is_video_call (appointment))
    {
      request->call_type = atx_appointment_get_video_call_type (appointment);
    }
  else
    {
      request->ad_hoc = TRUE;
      request->call_type = ATX_CALL_TYPE_VIDEO;
      request->room = atx_room_name_generate ();
    }

  start_join (self, request);
  return TRUE;
}

gboolean
atx_call_manager_has_call (AtxCallManager *self)
{
  g_return_val_if_fail (ATX_IS_CALL_MANAGER (self), FALSE);
  return self->window != NULL;
}

GtkWindow *
atx_call_manager_get_call_window (AtxCallManager *self)
{
  g_return_val_if_fail (ATX_IS_CALL_MANAGER (self), NULL);
  return self->window;
}

static void
atx_call_manager_dispose (GObject *object)
{
  AtxCallManager *self = ATX_CALL_MANAGER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->window != NULL)
    g_signal_handlers_disconnect_by_data (self->window, self);
  forget_call (self);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->client);
  g_clear_pointer (&self->joining_id, g_free);

  G_OBJECT_CLASS (atx_call_manager_parent_class)->dispose (object);
}

static void
atx_call_manager_class_init (AtxCallManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = atx_call_manager_dispose;

  signals[MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[BUSY_CHANGED] =
    g_signal_new ("busy-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);
}

static void
atx_call_manager_init (AtxCallManager *self)
{
  self->cancellable = g_cancellable_new ();
}

AtxCallManager *
atx_call_manager_new (GtkApplication      *app,
                      AtxAppointmentStore *store,
                      AtxSettings         *settings,
                      AtxTokenClient      *client)
{
  AtxCallManager *self = g_object_new (ATX_TYPE_CALL_MANAGER, NULL);

  self->app = app;
  self->store = g_object_ref (store);
  self->settings = g_object_ref (settings);
  self->client = g_object_ref (client);
  return self;
}

/* atx-call-embed-view.c — the WebKitWebView of an embedded call.
 *
 * A thin transport between the bundled call page and an AtxCallSession
 * (DESIGN.md, "Call view"): bridge messages the page posts to
 * window.webkit.messageHandlers.ataraxia are validated by the bridge and fed
 * to the session; the session's commands are run in the page as
 * window.ataraxiaCommand(<json>). Around it, the safety rules of the view:
 * - camera and microphone are granted only while the view shows our call
 *   page for the configured Jitsi domain (WebKit's request carries no
 *   origin, shared/PLATFORM-FACTS.md); every other permission is denied;
 * - navigation is decided before anything is fetched: our page and the Jitsi
 *   domain's URLs (the External API's iframe) are allowed, links the user
 *   clicked go to the default browser, the rest is ignored;
 * - no new windows; TLS errors end the load and are never bypassed.
 */
#define G_LOG_DOMAIN "atx-call-embed"

#include "config.h"

#include "atx-call-embed-view.h"

#include <glib/gi18n.h>

#include "atx-call-embed.h"
#include "atx-call-embed-context.h"
#include "core/atx-settings.h"

/* Deeper JSON than this is refused before it is parsed (the External API's
 * payloads are a few levels deep). */
#define MAX_MESSAGE_DEPTH 32
#define SCRIPT_MESSAGE_HANDLER "ataraxia"

struct _AtxCallEmbedView
{
  WebKitWebView   parent_instance;

  AtxCallSession *session;
  gulong          command_handler;
  GBytes         *page;
  char           *csp;
  GUri           *jitsi_origin;     /* <scheme>://<jitsi-domain>/ */

  gboolean        showing_call_page;
  gboolean        page_loaded;
  GPtrArray      *pending_commands; /* JSON texts sent before the page finished loading */
  GCancellable   *cancellable;

  guint           n_permissions_granted;
  guint           n_permissions_denied;
  guint           n_navigations_blocked;
  guint           n_messages_accepted;
  guint           n_messages_rejected;
};

G_DEFINE_FINAL_TYPE (AtxCallEmbedView, atx_call_embed_view, WEBKIT_TYPE_WEB_VIEW)

enum {
  PROP_0,
  PROP_SHOWING_CALL_PAGE,
  PROP_N_PERMISSIONS_GRANTED,
  PROP_N_PERMISSIONS_DENIED,
  PROP_N_NAVIGATIONS_BLOCKED,
  PROP_N_MESSAGES_ACCEPTED,
  PROP_N_MESSAGES_REJECTED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_PERMISSION_DECIDED,
  SIGNAL_NAVIGATION_BLOCKED,
  SIGNAL_LINK_OPENED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
count (AtxCallEmbedView *self,
       guint            *counter,
       int               prop_id)
{
  (*counter)++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/* ---- origins ---- */

static int
effective_port (GUri *uri)
{
  int port = g_uri_get_port (uri);

  if (port > 0)
    return port;
  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0)
    return 443;
  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") == 0)
    return 80;
  return -1;
}

static gboolean
is_jitsi_uri (AtxCallEmbedView *self,
              const char       *uri_string)
{
  g_autoptr(GUri) uri = g_uri_parse (uri_string, G_URI_FLAGS_NONE, NULL);

  return uri != NULL &&
         g_uri_get_userinfo (uri) == NULL &&
         g_uri_get_host (uri) != NULL &&
         g_ascii_strcasecmp (g_uri_get_scheme (uri), g_uri_get_scheme (self->jitsi_origin)) == 0 &&
         g_ascii_strcasecmp (g_uri_get_host (uri), g_uri_get_host (self->jitsi_origin)) == 0 &&
         effective_port (uri) == effective_port (self->jitsi_origin);
}

static gboolean
is_web_link (const char *uri)
{
  g_autofree char *scheme = g_uri_parse_scheme (uri);

  return scheme != NULL &&
         (g_ascii_strcasecmp (scheme, "https") == 0 || g_ascii_strcasecmp (scheme, "http") == 0);
}

/* ---- the page ---- */

static GBytes *
page_for_view (WebKitWebView  *web_view,
               char          **out_csp)
{
  AtxCallEmbedView *self;

  if (!ATX_IS_CALL_EMBED_VIEW (web_view))
    return NULL;
  self = ATX_CALL_EMBED_VIEW (web_view);
  if (self->page == NULL)
    return NULL;
  *out_csp = g_strdup (self->csp);
  return g_bytes_ref (self->page);
}

static void
on_load_changed (WebKitWebView   *web_view,
                 WebKitLoadEvent  load_event,
                 gpointer         user_data)
{
  AtxCallEmbedView *self = ATX_CALL_EMBED_VIEW (web_view);

  if (load_event == WEBKIT_LOAD_COMMITTED)
    {
      gboolean showing = atx_call_embed_is_page_uri (webkit_web_view_get_uri (web_view));

      self->page_loaded = FALSE;
      if (showing != self->showing_call_page)
        {
          self->showing_call_page = showing;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOWING_CALL_PAGE]);
        }
    }
  else if (load_event == WEBKIT_LOAD_FINISHED && self->showing_call_page)
    {
      g_autoptr(GPtrArray) pending = g_steal_pointer (&self->pending_commands);

      self->page_loaded = TRUE;
      self->pending_commands = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; pending != NULL && i < pending->len; i++)
        webkit_web_view_evaluate_javascript (web_view, g_ptr_array_index (pending, i), -1,
                                             NULL, NULL, self->cancellable, NULL, NULL);
    }
}

static gboolean
on_load_failed (WebKitWebView   *web_view,
                WebKitLoadEvent  load_event,
                const char      *failing_uri,
                GError          *error,
                gpointer         user_data)
{
  AtxCallEmbedView *self = ATX_CALL_EMBED_VIEW (web_view);
  g_autofree char *message = NULL;

  /* A navigation we refused, or a load replaced by another: not a failure. */
  if (g_error_matches (error, WEBKIT_NETWORK_ERROR, WEBKIT_NETWORK_ERROR_CANCELLED) ||
      g_error_matches (error, WEBKIT_POLICY_ERROR, WEBKIT_POLICY_ERROR_FRAME_LOAD_INTERRUPTED_BY_POLICY_CHANGE))
    return TRUE;

  g_debug ("Loading %s failed: %s", failing_uri, error->message);
  message = g_strdup_printf (_("The call page could not be loaded: %s"), error->message);
  atx_call_session_fail (self->session, ATX_CALL_FAILURE_LOAD, message);
  return TRUE;
}

static gboolean
on_load_failed_with_tls_errors (WebKitWebView        *web_view,
                                const char           *failing_uri,
                                GTlsCertificate      *certificate,
                                GTlsCertificateFlags  errors,
                                gpointer              user_data)
{
  AtxCallEmbedView *self = ATX_CALL_EMBED_VIEW (web_view);
  g_autoptr(GUri) uri = g_uri_parse (failing_uri, G_URI_FLAGS_NONE, NULL);
  g_autofree char *message = NULL;

  message = g_strdup_printf (_("The certificate of %s is not valid, so the connection is not secure. "
                               "The call was not started."),
                             uri != NULL && g_uri_get_host (uri) != NULL ? g_uri_get_host (uri) : failing_uri);
  atx_call_session_fail (self->session, ATX_CALL_FAILURE_TLS, message);
  /* Handled: no WebKit error page, and no way around the error. */
  return TRUE;
}

/* The Jitsi script is a subresource of our page: its certificate errors
 * never reach load-failed-with-tls-errors (main frame only), and the page
 * only sees a failed script. */
static void
on_resource_failed_with_tls_errors (WebKitWebResource    *resource,
                                    GTlsCertificate      *certificate,
                                    GTlsCertificateFlags  errors,
                                    gpointer              user_data)
{
  on_load_failed_with_tls_errors (WEBKIT_WEB_VIEW (user_data), webkit_web_resource_get_uri (resource),
                                  certificate, errors, NULL);
}

static void
on_resource_load_started (WebKitWebView     *web_view,
                          WebKitWebResource *resource,
                          WebKitURIRequest  *request,
                          gpointer           user_data)
{
  AtxCallEmbedView *self = ATX_CALL_EMBED_VIEW (web_view);

  if (is_jitsi_uri (self, webkit_uri_request_get_uri (request)))
    g_signal_connect_object (resource, "failed-with-tls-errors",
                             G_CALLBACK (on_resource_failed_with_tls_errors), self, 0);
}

static void
on_web_process_terminated (WebKitWebView                     *web_view,
                           WebKitWebProcessTerminationReason  reason,
                           gpointer                           user_data)
{
  AtxCallEmbedView *self = ATX_CALL_EMBED_VIEW (web_view);

  if (reason == WEBKIT_WEB_PROCESS_TERMINATED_BY_API)
    return;
  self->showing_call_page = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOWING_CALL_PAGE]);
  atx_call_session_fail (self->session, ATX_CALL_FAILURE_CONNECTION,
                         reason == WEBKIT_WEB_PROCESS_EXCEEDED_MEMORY_LIMIT
                         ? _("The call view ran out of memory and stopped.")
                         : _("The call view stopped unexpectedly."));
}

/* ---- bridge ---- */

static gboolean
json_depth_within (const char *json,
                   guint       max_depth)
{
  gboolean in_string = FALSE;
  gboolean escaped = FALSE;
  guint depth = 0;

  for (const char *p = json; *p != '\0'; p++)
    {
      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (*p == '\\')
            escaped = TRUE;
          else if (*p == '"')
            in_string = FALSE;
        }
      else if (*p == '"')
        in_string = TRUE;
      else if (*p == '{' || *p == '[')
        {
          if (++depth > max_depth)
            return FALSE;
        }
      else if ((*p == '}' || *p == ']') && depth > 0)
        depth--;
    }

  return TRUE;
}

static void
reject_message (AtxCallEmbedView *self,
                const char       *why)
{
  g_debug ("Ignoring a message from the call page: %s", why);
  count (self, &self->n_messages_rejected, PROP_N_MESSAGES_REJECTED);
}

static void
on_script_message (WebKitUserContentManager *manager,
                   JSCValue                 *value,
                   gpointer                  user_data)
{
  AtxCallEmbedView *self = ATX_CALL_EMBED_VIEW (user_data);
  g_autoptr(AtxBridgeMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  gsize length;

  /* Only our page may talk to the app (the handler is visible to whatever
   * the main frame shows). */
  if (!self->showing_call_page)
    {
      reject_message (self, "not from the call page");
      return;
    }
  if (!jsc_value_is_object (value) || jsc_value_is_array (value) || jsc_value_is_function (value))
    {
      reject_message (self, "not an object");
      return;
    }

  json = jsc_value_to_json (value, 0);
  if (json == NULL)
    {
      JSCContext *context = jsc_value_get_context (value);

      if (jsc_context_get_exception (context) != NULL)
        jsc_context_clear_exception (context);
      reject_message (self, "not serialisable as JSON");
      return;
    }

  length = strlen (json);
  if (length > ATX_BRIDGE_MAX_MESSAGE_SIZE)
    {
      reject_message (self, "too large");
      return;
    }
  if (!json_depth_within (json, MAX_MESSAGE_DEPTH))
    {
      reject_message (self, "nested too deeply");
      return;
    }

  message = atx_bridge_message_parse_json (json, (gssize) length, &error);
  if (message == NULL)
    {
      reject_message (self, error->message);
      return;
    }

  count (self, &self->n_messages_accepted, PROP_N_MESSAGES_ACCEPTED);
  atx_call_session_handle_message (self->session, message);
}

static void
command_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(JSCValue) value = NULL;
  g_autoptr(GError) error = NULL;

  value = webkit_web_view_evaluate_javascript_finish (WEBKIT_WEB_VIEW (source), result, &error);
  if (value == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("A command did not run in the call page: %s", error->message);
}

static void
on_session_command (AtxCallSession *session,
                    const char     *json,
                    gpointer        user_data)
{
  AtxCallEmbedView *self = ATX_CALL_EMBED_VIEW (user_data);
  char *script;

  g_return_if_fail (json != NULL);

  /* The JSON text comes from atx_bridge_command_to_json(): an object
   * literal, valid as a JavaScript expression. */
  script = g_strdup_printf ("window.ataraxiaCommand(%s);", json);
  if (!self->page_loaded)
    {
      g_ptr_array_add (self->pending_commands, script);
      return;
    }

  webkit_web_view_evaluate_javascript (WEBKIT_WEB_VIEW (self), script, -1, NULL, NULL,
                                       self->cancellable, command_done, NULL);
  g_free (script);
}

/* ---- permissions ---- */

static gboolean
on_permission_request (WebKitWebView           *web_view,
                       WebKitPermissionRequest *request,
                       gpointer                 user_data)
{
  AtxCallEmbedView *self = ATX_CALL_EMBED_VIEW (web_view);
  gboolean grant = FALSE;

  /* Camera and microphone for the call; not the screen (a display capture
   * request is another kind of request, denied like the rest). */
  if (WEBKIT_IS_USER_MEDIA_PERMISSION_REQUEST (request))
    {
      WebKitUserMediaPermissionRequest *media = WEBKIT_USER_MEDIA_PERMISSION_REQUEST (request);

      grant = self->showing_call_page &&
              !webkit_user_media_permission_is_for_display_device (media) &&
              (webkit_user_media_permission_is_for_audio_device (media) ||
               webkit_user_media_permission_is_for_video_device (media));
    }

  g_debug ("%s %s", grant ? "Granting" : "Denying", G_OBJECT_TYPE_NAME (request));
  if (grant)
    {
      webkit_permission_request_allow (request);
      count (self, &self->n_permissions_granted, PROP_N_PERMISSIONS_GRANTED);
    }
  else
    {
      webkit_permission_request_deny (request);
      count (self, &self->n_permissions_denied, PROP_N_PERMISSIONS_DENIED);
    }
  g_signal_emit (self, signals[SIGNAL_PERMISSION_DECIDED], 0, G_OBJECT_TYPE_NAME (request), grant);
  return TRUE;
}

static gboolean
on_query_permission_state (WebKitWebView              *web_view,
                           WebKitPermissionStateQuery *query,
                           gpointer                    user_data)
{
  AtxCallEmbedView *self = ATX_CALL_EMBED_VIEW (web_view);
  const char *name = webkit_permission_state_query_get_name (query);
  gboolean media = g_strcmp0 (name, "camera") == 0 || g_strcmp0 (name, "microphone") == 0;

  webkit_permission_state_query_finish (query, media && self->showing_call_page
                                               ? WEBKIT_PERMISSION_STATE_PROMPT
                                               : WEBKIT_PERMISSION_STATE_DENIED);
  return TRUE;
}

static gboolean
on_show_notification (WebKitWebView      *web_view,
                      WebKitNotification *notification,
                      gpointer            user_data)
{
  /* Never granted; should one arrive anyway, it is not shown. */
  return TRUE;
}

/* ---- navigation ---- */

static void
open_in_browser (AtxCallEmbedView *self,
                 const char       *uri)
{
  g_debug ("Opening %s in the default browser", uri);
  g_app_info_launch_default_for_uri_async (uri, NULL, NULL, NULL, NULL);
  g_signal_emit (self, signals[SIGNAL_LINK_OPENED], 0, uri);
}

static void
block_navigation (AtxCallEmbedView *self,
                  const char       *uri)
{
  g_debug ("Blocking navigation to %s", uri);
  count (self, &self->n_navigations_blocked, PROP_N_NAVIGATIONS_BLOCKED);
  g_signal_emit (self, signals[SIGNAL_NAVIGATION_BLOCKED], 0, uri);
}

/* A real click: a script's a.click() is LINK_CLICKED too, but no gesture,
 * and must not be able to open browser tabs. */
static gboolean
user_clicked (WebKitNavigationAction *action)
{
  return webkit_navigation_action_is_user_gesture (action);
}

static gboolean
on_decide_policy (WebKitWebView            *web_view,
                  WebKitPolicyDecision     *decision,
                  WebKitPolicyDecisionType  type,
                  gpointer                  user_data)
{
  AtxCallEmbedView *self = ATX_CALL_EMBED_VIEW (web_view);

  switch (type)
    {
    case WEBKIT_POLICY_DECISION_TYPE_NAVIGATION_ACTION:
    case WEBKIT_POLICY_DECISION_TYPE_NEW_WINDOW_ACTION:
      {
        WebKitNavigationAction *action =
          webkit_navigation_policy_decision_get_navigation_action (WEBKIT_NAVIGATION_POLICY_DECISION (decision));
        const char *uri = webkit_uri_request_get_uri (webkit_navigation_action_get_request (action));

        /* This decision cannot tell the main frame from the Jitsi iframe
         * (shared/PLATFORM-FACTS.md): allow what either may show. */
        if (type == WEBKIT_POLICY_DECISION_TYPE_NAVIGATION_ACTION &&
            (atx_call_embed_is_page_uri (uri) || is_jitsi_uri (self, uri)))
          {
            webkit_policy_decision_use (decision);
            return TRUE;
          }

        if (is_web_link (uri) && user_clicked (action))
          open_in_browser (self, uri);
        else
          block_navigation (self, uri);
        webkit_policy_decision_ignore (decision);
        return TRUE;
      }

    case WEBKIT_POLICY_DECISION_TYPE_RESPONSE:
      /* No downloads. */
      if (!webkit_response_policy_decision_is_mime_type_supported (WEBKIT_RESPONSE_POLICY_DECISION (decision)))
        {
          webkit_policy_decision_ignore (decision);
          return TRUE;
        }
      return FALSE;

    default:
      return FALSE;
    }
}

static GtkWidget *
on_create (WebKitWebView          *web_view,
           WebKitNavigationAction *action,
           gpointer                user_data)
{
  AtxCallEmbedView *self = ATX_CALL_EMBED_VIEW (web_view);
  const char *uri = webkit_uri_request_get_uri (webkit_navigation_action_get_request (action));

  /* window.open inside a click arrives here without a policy decision. */
  if (uri != NULL && is_web_link (uri) && user_clicked (action))
    open_in_browser (self, uri);
  else
    block_navigation (self, uri != NULL ? uri : "");
  return NULL;
}

static gboolean
on_context_menu (WebKitWebView       *web_view,
                 WebKitContextMenu   *menu,
                 WebKitHitTestResult *hit_test_result,
                 gpointer             user_data)
{
  GList *items = g_list_copy (webkit_context_menu_get_items (menu));

  /* Editing only: no reload, history, new windows, downloads or inspector. */
  for (GList *l = items; l != NULL; l = l->next)
    {
      WebKitContextMenuItem *item = l->data;

      switch (webkit_context_menu_item_get_stock_action (item))
        {
        case WEBKIT_CONTEXT_MENU_ACTION_COPY:
        case WEBKIT_CONTEXT_MENU_ACTION_CUT:
        case WEBKIT_CONTEXT_MENU_ACTION_PASTE:
        case WEBKIT_CONTEXT_MENU_ACTION_PASTE_AS_PLAIN_TEXT:
        case WEBKIT_CONTEXT_MENU_ACTION_DELETE:
        case WEBKIT_CONTEXT_MENU_ACTION_SELECT_ALL:
        case WEBKIT_CONTEXT_MENU_ACTION_INSERT_EMOJI:
        case WEBKIT_CONTEXT_MENU_ACTION_COPY_LINK_TO_CLIPBOARD:
          break;
        default:
          webkit_context_menu_remove (menu, item);
        }
    }
  g_list_free (items);

  return webkit_context_menu_get_n_items (menu) == 0;
}

/* ---- object ---- */

static void schedule_spare (void);

static void
atx_call_embed_view_dispose (GObject *object)
{
  AtxCallEmbedView *self = ATX_CALL_EMBED_VIEW (object);

  /* A call view going away: the next call gets a view ready ahead. */
  if (self->session != NULL)
    schedule_spare ();
  g_cancellable_cancel (self->cancellable);
  if (self->session != NULL)
    g_clear_signal_handler (&self->command_handler, self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (atx_call_embed_view_parent_class)->dispose (object);
}

static void
atx_call_embed_view_finalize (GObject *object)
{
  AtxCallEmbedView *self = ATX_CALL_EMBED_VIEW (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->pending_commands, g_ptr_array_unref);
  g_clear_pointer (&self->page, g_bytes_unref);
  g_clear_pointer (&self->csp, g_free);
  g_clear_pointer (&self->jitsi_origin, g_uri_unref);

  G_OBJECT_CLASS (atx_call_embed_view_parent_class)->finalize (object);
}

static void
atx_call_embed_view_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  AtxCallEmbedView *self = ATX_CALL_EMBED_VIEW (object);

  switch (prop_id)
    {
    case PROP_SHOWING_CALL_PAGE:
      g_value_set_boolean (value, self->showing_call_page);
      break;
    case PROP_N_PERMISSIONS_GRANTED:
      g_value_set_uint (value, self->n_permissions_granted);
      break;
    case PROP_N_PERMISSIONS_DENIED:
      g_value_set_uint (value, self->n_permissions_denied);
      break;
    case PROP_N_NAVIGATIONS_BLOCKED:
      g_value_set_uint (value, self->n_navigations_blocked);
      break;
    case PROP_N_MESSAGES_ACCEPTED:
      g_value_set_uint (value, self->n_messages_accepted);
      break;
    case PROP_N_MESSAGES_REJECTED:
      g_value_set_uint (value, self->n_messages_rejected);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
counter_pspec (const char *name)
{
  return g_param_spec_uint (name, NULL, NULL, 0, G_MAXUINT, 0,
                            G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static void
atx_call_embed_view_class_init (AtxCallEmbedViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = atx_call_embed_view_dispose;
  object_class->finalize = atx_call_embed_view_finalize;
  object_class->get_property = atx_call_embed_view_get_property;

  properties[PROP_SHOWING_CALL_PAGE] =
    g_param_spec_boolean ("showing-call-page", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_PERMISSIONS_GRANTED] = counter_pspec ("n-permissions-granted");
  properties[PROP_N_PERMISSIONS_DENIED] = counter_pspec ("n-permissions-denied");
  properties[PROP_N_NAVIGATIONS_BLOCKED] = counter_pspec ("n-navigations-blocked");
  properties[PROP_N_MESSAGES_ACCEPTED] = counter_pspec ("n-messages-accepted");
  properties[PROP_N_MESSAGES_REJECTED] = counter_pspec ("n-messages-rejected");
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_PERMISSION_DECIDED] =
    g_signal_new ("permission-decided", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);
  signals[SIGNAL_NAVIGATION_BLOCKED] =
    g_signal_new ("navigation-blocked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_LINK_OPENED] =
    g_signal_new ("link-opened", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
atx_call_embed_view_init (AtxCallEmbedView *self)
{
  self->cancellable = g_cancellable_new ();
  self->pending_commands = g_ptr_array_new_with_free_func (g_free);
}

/* What a view does for its call: connected when it gets one. */
static void
attach_call_handlers (AtxCallEmbedView *self)
{
  g_signal_connect (self, "load-changed", G_CALLBACK (on_load_changed), NULL);
  g_signal_connect (self, "load-failed", G_CALLBACK (on_load_failed), NULL);
  g_signal_connect (self, "load-failed-with-tls-errors", G_CALLBACK (on_load_failed_with_tls_errors), NULL);
  g_signal_connect (self, "web-process-terminated", G_CALLBACK (on_web_process_terminated), NULL);
  g_signal_connect (self, "resource-load-started", G_CALLBACK (on_resource_load_started), NULL);
  g_signal_connect (self, "permission-request", G_CALLBACK (on_permission_request), NULL);
  g_signal_connect (self, "query-permission-state", G_CALLBACK (on_query_permission_state), NULL);
  g_signal_connect (self, "show-notification", G_CALLBACK (on_show_notification), NULL);
  g_signal_connect (self, "decide-policy", G_CALLBACK (on_decide_policy), NULL);
  g_signal_connect (self, "create", G_CALLBACK (on_create), NULL);
  g_signal_connect (self, "context-menu", G_CALLBACK (on_context_menu), NULL);
}

static char *
build_csp (GUri *jitsi_origin)
{
  g_autofree char *origin = g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (jitsi_origin), NULL,
                                        g_uri_get_host (jitsi_origin), g_uri_get_port (jitsi_origin),
                                        "", NULL, NULL);

  /* Only our own files and the Jitsi server's script and frame. */
  return g_strdup_printf ("default-src 'none'; script-src 'self' %s; style-src 'self'; "
                          "img-src 'self' data:; frame-src %s; connect-src %s; "
                          "base-uri 'none'; form-action 'none'",
                          origin, origin, origin);
}

static WebKitSettings *
make_settings (void)
{
  return webkit_settings_new_with_settings (
    /* enable-webrtc defaults to FALSE: left alone, Jitsi reports the
     * engine unsupported even where WebKit was built with WebRTC. */
    "enable-webrtc", TRUE,
    "enable-media-stream", TRUE,
    "enable-mock-capture-devices", g_strcmp0 (g_getenv ("ATARAXIA_CALL_MOCK_CAPTURE"), "1") == 0,
    "media-playback-requires-user-gesture", FALSE,
    "javascript-can-open-windows-automatically", FALSE,
    "enable-developer-extras", FALSE,
    "enable-back-forward-navigation-gestures", FALSE,
    "enable-write-console-messages-to-stdout",
      !g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN),
    NULL);
}

static AtxCallEmbedView *
create_view (void)
{
  g_autoptr(WebKitSettings) settings = make_settings ();
  g_autoptr(WebKitUserContentManager) content_manager = webkit_user_content_manager_new ();

  return g_object_new (ATX_TYPE_CALL_EMBED_VIEW,
                       "web-context", atx_call_embed_get_web_context (page_for_view),
                       "network-session", atx_call_embed_get_network_session (),
                       "user-content-manager", content_manager,
                       "settings", settings,
                       NULL);
}

/* ---- the spare view ----
 *
 * Starting a web process (in its bubblewrap sandbox) takes 150 ms or more:
 * most of a join once WebKit is loaded. So when a call view goes away, the
 * next call's view is made ahead, its web process idling on about:blank.
 * Never before the first call (WebKit is loaded only then), never during a
 * call (no second web process beside Jitsi's), and dropped on a low-memory
 * warning or if its process dies. It shows nothing, asks for nothing and
 * goes nowhere else. */

static AtxCallEmbedView *spare_view;
/* Its about:blank has loaded: the process is up, nothing is pending. */
static gboolean spare_ready;
static guint spare_source;

static void
drop_spare (void)
{
  spare_ready = FALSE;
  g_clear_object (&spare_view);
}

static void
on_spare_load_changed (WebKitWebView   *web_view,
                       WebKitLoadEvent  load_event,
                       gpointer         user_data)
{
  if (load_event == WEBKIT_LOAD_FINISHED)
    spare_ready = TRUE;
}

/* A spare that cannot even show about:blank is no use. */
static gboolean
on_spare_load_failed (WebKitWebView   *web_view,
                      WebKitLoadEvent  load_event,
                      const char      *failing_uri,
                      GError          *error,
                      gpointer         user_data)
{
  g_debug ("The spare call view failed to load %s: %s", failing_uri, error->message);
  drop_spare ();
  return TRUE;
}

static gboolean
on_spare_decide_policy (WebKitWebView            *web_view,
                        WebKitPolicyDecision     *decision,
                        WebKitPolicyDecisionType  type,
                        gpointer                  user_data)
{
  if (type == WEBKIT_POLICY_DECISION_TYPE_NAVIGATION_ACTION)
    {
      WebKitNavigationAction *action =
        webkit_navigation_policy_decision_get_navigation_action (WEBKIT_NAVIGATION_POLICY_DECISION (decision));

      if (g_strcmp0 (webkit_uri_request_get_uri (webkit_navigation_action_get_request (action)),
                     "about:blank") == 0)
        {
          webkit_policy_decision_use (decision);
          return TRUE;
        }
    }
  webkit_policy_decision_ignore (decision);
  return TRUE;
}

static gboolean
on_spare_permission_request (WebKitWebView           *web_view,
                             WebKitPermissionRequest *request,
                             gpointer                 user_data)
{
  webkit_permission_request_deny (request);
  return TRUE;
}

static GtkWidget *
on_spare_create (WebKitWebView          *web_view,
                 WebKitNavigationAction *action,
                 gpointer                user_data)
{
  return NULL;
}

static void
on_spare_terminated (WebKitWebView                     *web_view,
                     WebKitWebProcessTerminationReason  reason,
                     gpointer                           user_data)
{
  drop_spare ();
}

static void
on_low_memory (GMemoryMonitor             *monitor,
               GMemoryMonitorWarningLevel  level,
               gpointer                    user_data)
{
  drop_spare ();
}

static gboolean
make_spare (gpointer user_data)
{
  static GMemoryMonitor *memory_monitor;

  spare_source = 0;
  if (spare_view != NULL)
    return G_SOURCE_REMOVE;

  if (memory_monitor == NULL)
    {
      memory_monitor = g_memory_monitor_dup_default ();
      g_signal_connect (memory_monitor, "low-memory-warning", G_CALLBACK (on_low_memory), NULL);
    }

  spare_view = g_object_ref_sink (create_view ());
  /* Tagged with &spare_view: disconnected when the view gets its call. */
  g_signal_connect (spare_view, "load-changed", G_CALLBACK (on_spare_load_changed), &spare_view);
  g_signal_connect (spare_view, "load-failed", G_CALLBACK (on_spare_load_failed), &spare_view);
  g_signal_connect (spare_view, "decide-policy", G_CALLBACK (on_spare_decide_policy), &spare_view);
  g_signal_connect (spare_view, "permission-request", G_CALLBACK (on_spare_permission_request), &spare_view);
  g_signal_connect (spare_view, "create", G_CALLBACK (on_spare_create), &spare_view);
  g_signal_connect (spare_view, "web-process-terminated", G_CALLBACK (on_spare_terminated), &spare_view);
  webkit_web_view_load_uri (WEBKIT_WEB_VIEW (spare_view), "about:blank");
  return G_SOURCE_REMOVE;
}

static void
schedule_spare (void)
{
  if (spare_view == NULL && spare_source == 0)
    spare_source = g_idle_add (make_spare, NULL);
}

G_MODULE_EXPORT gboolean
atx_call_embed_view_has_spare (void)
{
  return spare_view != NULL && spare_ready;
}

/* The spare view if it is ready, else a new one; floating either way. One
 * still loading about:blank stays the spare (for the call after this):
 * handed over now, that navigation would meet the call's policy. */
static AtxCallEmbedView *
take_view (void)
{
  AtxCallEmbedView *self;

  if (spare_view == NULL || !spare_ready)
    return create_view ();

  spare_ready = FALSE;
  self = g_steal_pointer (&spare_view);
  g_signal_handlers_disconnect_by_data (self, &spare_view);
  /* Our reference becomes the new widget's floating one. */
  g_object_force_floating (G_OBJECT (self));
  return self;
}

G_MODULE_EXPORT GtkWidget *
atx_call_embed_view_new (AtxCallSession          *session,
                         const AtxCallPageConfig *config,
                         const char              *jitsi_domain,
                         GError                 **error)
{
  WebKitUserContentManager *content_manager;
  g_autoptr(GUri) jitsi_origin = NULL;
  g_autoptr(GBytes) page = NULL;
  g_autofree char *origin_text = NULL;
  AtxCallPageConfig page_config;
  AtxCallEmbedView *self;

  g_return_val_if_fail (ATX_IS_CALL_SESSION (session), NULL);
  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (jitsi_domain != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (config->domain == NULL || g_ascii_strcasecmp (config->domain, jitsi_domain) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The call is for the Jitsi server “%s”, but the configured server is “%s”."),
                   config->domain ? config->domain : "", jitsi_domain);
      return NULL;
    }

  origin_text = g_strdup_printf ("%s://%s/", atx_jitsi_domain_get_scheme (jitsi_domain), jitsi_domain);
  jitsi_origin = g_uri_parse (origin_text, G_URI_FLAGS_NONE, NULL);
  if (jitsi_origin == NULL || g_uri_get_host (jitsi_origin) == NULL ||
      !atx_jitsi_domain_parse (jitsi_domain, NULL, NULL, NULL))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a valid Jitsi server."), jitsi_domain);
      return NULL;
    }

  page_config = *config;
  page_config.transport = "webkit";
  page_config.events_url = NULL;
  page_config.commands_url = NULL;
  if (g_strcmp0 (g_getenv ("ATARAXIA_CALL_SKIP_WEBRTC_CHECK"), "1") == 0)
    page_config.skip_webrtc_check = TRUE;
  page = atx_call_page_render (&page_config, error);
  if (page == NULL)
    return NULL;

  self = take_view ();
  attach_call_handlers (self);
  content_manager = webkit_web_view_get_user_content_manager (WEBKIT_WEB_VIEW (self));
  self->session = g_object_ref (session);
  self->page = g_steal_pointer (&page);
  self->jitsi_origin = g_steal_pointer (&jitsi_origin);
  self->csp = build_csp (self->jitsi_origin);

  /* Connect before registering (WebKit's advice: no message is missed). */
  g_signal_connect_object (content_manager, "script-message-received::" SCRIPT_MESSAGE_HANDLER,
                           G_CALLBACK (on_script_message), self, 0);
  webkit_user_content_manager_register_script_message_handler (content_manager, SCRIPT_MESSAGE_HANDLER, NULL);
  self->command_handler = g_signal_connect (session, "command", G_CALLBACK (on_session_command), self);

  /* The Jitsi server is the first thing the page fetches. */
  if (!atx_host_is_loopback (g_uri_get_host (self->jitsi_origin)))
    webkit_network_session_prefetch_dns (atx_call_embed_get_network_session (),
                                         g_uri_get_host (self->jitsi_origin));

  /* In the accessibility tree the view is a single filler: name it. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Video call"), -1);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  webkit_web_view_load_uri (WEBKIT_WEB_VIEW (self), ATX_CALL_EMBED_PAGE_URI);

  return GTK_WIDGET (self);
}

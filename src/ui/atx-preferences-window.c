/* atx-preferences-window.c — see atx-preferences-window.h.
 *
 * GSettings stays the only source of truth: switches and free-text fields are
 * bound with g_settings_bind (); the Jitsi server, the token server address
 * and the e-mail are checked on every change and written only when valid (or
 * empty, which means "not configured"), so a half-typed value never reaches
 * the rest of the app. When a key changes behind our back the field follows,
 * unless it already says the same thing.
 *
 * The API key is kept by the keyring per token server address, so its status
 * is looked up again (debounced) whenever the address changes. It is never
 * read back into the field.
 *
 * "Test connection" runs three steps on the app's token client: GET /healthz,
 * a moderator token for a throw-away room, and a look inside the answer to
 * see that it is a token for that room. Each failure shows the GError's
 * message, which the token client writes for the therapist.
 *
 * Async callbacks hold no reference to the window: dispose cancels their
 * cancellable, and each callback checks for G_IO_ERROR_CANCELLED before it
 * touches the window (GTask reports a cancellation even after a late
 * success). A reference would keep a closed window, and its request, alive.
 */
#define G_LOG_DOMAIN "atx-preferences"

#include "config.h"

#include <glib/gi18n.h>

#include "core/atx-jwt.h"
#include "core/atx-room-name.h"

#include "atx-preferences-window.h"

/* Wait this long after the last change of the token server address before
 * asking the keyring whether it has a key for it. */
#define KEY_LOOKUP_DELAY_MS 400

struct _AtxPreferencesWindow
{
  AdwPreferencesWindow   parent_instance;

  AtxSettings           *settings;
  AtxTokenClient        *client;

  gboolean               syncing;          /* writing a field from GSettings, not a user edit */

  /* Valid values waiting for the idle write (NULL: nothing to write). */
  char                  *pending_jitsi_domain;
  char                  *pending_backend_url;
  char                  *pending_user_email;
  guint                  write_id;

  AtxApiKeyState         key_state;
  GCancellable          *key_cancellable;  /* lookup or store in the keyring */
  guint                  key_lookup_id;

  AtxConnectionTestState test_state;
  GCancellable          *test_cancellable;
  char                  *test_room;
  char                  *test_api_key;
  GError                *test_key_error;   /* why no key could be read for the test */
  GError                *test_error;       /* why the last test failed */

  /* template */
  GtkWidget             *dev_mode_group;
  GtkWidget             *dev_mode_label;
  AdwEntryRow           *jitsi_domain_row;
  GtkLabel              *jitsi_domain_error_label;
  GtkSwitch             *embed_calls_switch;
  GtkSwitch             *lobby_switch;
  GtkSwitch             *use_jwt_switch;
  AdwEntryRow           *backend_url_row;
  GtkLabel              *backend_url_error_label;
  AdwEntryRow           *api_key_row;
  GtkLabel              *api_key_status_label;
  AdwActionRow          *test_row;
  GtkImage              *test_status_image;
  GtkSpinner            *test_spinner;
  GtkButton             *test_button;
  AdwEntryRow           *user_name_row;
  AdwEntryRow           *user_email_row;
  GtkLabel              *user_email_error_label;
  AdwEntryRow           *user_id_row;
};

G_DEFINE_FINAL_TYPE (AtxPreferencesWindow, atx_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void update_test_row (AtxPreferencesWindow *self);
static void refresh_api_key_state (AtxPreferencesWindow *self);

/* ---- helpers ---- */

/* The same loose check as the appointment editor: it catches typos, it does
 * not implement RFC 5322. */
static gboolean
looks_like_email (const char *text)
{
  return g_regex_match_simple ("^[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)*\\.[^@\\s.]{2,}$",
                               text, 0, 0);
}

static char *
dup_stripped_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

/* The focusable part of an entry row, which screen readers talk about. */
static GtkAccessible *
entry_accessible (AdwEntryRow *row)
{
  GtkEditable *delegate = gtk_editable_get_delegate (GTK_EDITABLE (row));

  return GTK_ACCESSIBLE (delegate != NULL ? (gpointer) delegate : (gpointer) row);
}

static void
show_toast (AtxPreferencesWindow *self,
            const char           *title)
{
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_timeout (toast, 4);
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), toast);
}

/* @message NULL clears the error. */
static void
set_field_error (AdwEntryRow *row,
                 GtkLabel    *label,
                 const char  *message)
{
  GtkAccessible *accessible = entry_accessible (row);

  gtk_label_set_text (label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);

  if (message != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      gtk_accessible_update_state (accessible, GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
      gtk_accessible_update_property (accessible, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      message, -1);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
      gtk_accessible_reset_state (accessible, GTK_ACCESSIBLE_STATE_INVALID);
      gtk_accessible_reset_property (accessible, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
    }
}

/* Puts @value into @row unless the row already says it (give or take
 * surrounding blanks), so that our own writes do not move the cursor. */
static void
sync_row_from_setting (AtxPreferencesWindow *self,
                       AdwEntryRow          *row,
                       GtkLabel             *error_label,
                       const char           *value)
{
  g_autofree char *text = dup_stripped_text (row);

  if (g_strcmp0 (text, value) == 0)
    return;

  self->syncing = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (row), value);
  self->syncing = FALSE;
  if (error_label != NULL)
    set_field_error (row, error_label, NULL);
}

/* Whether the token server address in the field is one we can talk to. */
static gboolean
backend_url_is_usable (AtxPreferencesWindow *self)
{
  g_autofree char *text = dup_stripped_text (self->backend_url_row);

  return *text != '\0' && atx_backend_url_validate (text, NULL);
}

/* gtk_editable_set_text () and every paste first delete, then insert: a
 * field briefly says "" (a valid value: "not configured"). Writing on idle
 * lets the final text decide, so replacing a valid value by an invalid one
 * never clears the setting on the way. */
static void
flush_pending_writes (AtxPreferencesWindow *self)
{
  g_autofree char *jitsi_domain = g_steal_pointer (&self->pending_jitsi_domain);
  g_autofree char *backend_url = g_steal_pointer (&self->pending_backend_url);
  g_autofree char *user_email = g_steal_pointer (&self->pending_user_email);

  g_clear_handle_id (&self->write_id, g_source_remove);

  if (jitsi_domain != NULL)
    atx_settings_set_jitsi_domain (self->settings, jitsi_domain);
  if (backend_url != NULL)
    atx_settings_set_backend_url (self->settings, backend_url);
  if (user_email != NULL)
    atx_settings_set_user_email (self->settings, user_email);
}

static gboolean
write_idle_cb (gpointer user_data)
{
  AtxPreferencesWindow *self = user_data;

  self->write_id = 0;
  flush_pending_writes (self);
  return G_SOURCE_REMOVE;
}

/* @value: the valid value to write, or NULL to drop a pending one. */
static void
set_pending_write (AtxPreferencesWindow  *self,
                   char                 **pending,
                   const char            *value)
{
  g_free (*pending);
  *pending = g_strdup (value);
  if (value != NULL && self->write_id == 0)
    self->write_id = g_idle_add (write_idle_cb, self);
}

/* ---- Video calls ---- */

static void
on_jitsi_domain_changed (AtxPreferencesWindow *self)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  if (self->syncing)
    return;

  text = dup_stripped_text (self->jitsi_domain_row);
  if (*text != '\0' && !atx_jitsi_domain_parse (text, NULL, NULL, &error))
    {
      set_field_error (self->jitsi_domain_row, self->jitsi_domain_error_label, error->message);
      set_pending_write (self, &self->pending_jitsi_domain, NULL);
      return;
    }

  set_field_error (self->jitsi_domain_row, self->jitsi_domain_error_label, NULL);
  set_pending_write (self, &self->pending_jitsi_domain, text);
}

static void
on_settings_jitsi_domain (AtxPreferencesWindow *self)
{
  g_autofree char *value = atx_settings_dup_jitsi_domain (self->settings);

  sync_row_from_setting (self, self->jitsi_domain_row, self->jitsi_domain_error_label, value);
}

/* ---- Token server ---- */

static void
update_token_server_sensitivity (AtxPreferencesWindow *self)
{
  gboolean use_jwt = atx_settings_get_use_jwt (self->settings);

  gtk_widget_set_sensitive (GTK_WIDGET (self->backend_url_row), use_jwt);
  gtk_widget_set_sensitive (GTK_WIDGET (self->backend_url_error_label), use_jwt);
  gtk_widget_set_sensitive (GTK_WIDGET (self->api_key_row),
                            use_jwt && self->key_state != ATX_API_KEY_STATE_OVERRIDDEN);
  gtk_widget_set_sensitive (GTK_WIDGET (self->api_key_status_label), use_jwt);
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_row), use_jwt);
  update_test_row (self);
}

static void
on_settings_use_jwt (AtxPreferencesWindow *self)
{
  update_token_server_sensitivity (self);
}

static gboolean
key_lookup_timeout_cb (gpointer user_data)
{
  AtxPreferencesWindow *self = user_data;

  self->key_lookup_id = 0;
  refresh_api_key_state (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_api_key_lookup (AtxPreferencesWindow *self)
{
  if (self->key_state == ATX_API_KEY_STATE_OVERRIDDEN)
    return;

  g_clear_handle_id (&self->key_lookup_id, g_source_remove);
  self->key_lookup_id = g_timeout_add (KEY_LOOKUP_DELAY_MS, key_lookup_timeout_cb, self);
}

/* A finished test said something about the old address only. */
static void
forget_test_result (AtxPreferencesWindow *self)
{
  if (self->test_state == ATX_CONNECTION_TEST_RUNNING)
    return;
  self->test_state = ATX_CONNECTION_TEST_IDLE;
  g_clear_error (&self->test_error);
}

static void
on_backend_url_changed (AtxPreferencesWindow *self)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;

  if (self->syncing)
    return;

  text = dup_stripped_text (self->backend_url_row);
  forget_test_result (self);

  if (*text != '\0' && !atx_backend_url_validate (text, &error))
    {
      set_field_error (self->backend_url_row, self->backend_url_error_label, error->message);
      set_pending_write (self, &self->pending_backend_url, NULL);
      update_test_row (self);
      return;
    }

  set_field_error (self->backend_url_row, self->backend_url_error_label, NULL);
  set_pending_write (self, &self->pending_backend_url, text);
  update_test_row (self);
}

static void
on_settings_backend_url (AtxPreferencesWindow *self)
{
  g_autofree char *value = atx_settings_dup_backend_url (self->settings);

  sync_row_from_setting (self, self->backend_url_row, self->backend_url_error_label, value);
  /* The keyring keeps one key per address. */
  schedule_api_key_lookup (self);
  update_test_row (self);
}

/* ---- API key ---- */

static void
set_api_key_state (AtxPreferencesWindow *self,
                   AtxApiKeyState        state,
                   const char           *message)
{
  GtkWidget *label = GTK_WIDGET (self->api_key_status_label);
  gboolean problem = state == ATX_API_KEY_STATE_NO_SECRET_SERVICE ||
                     state == ATX_API_KEY_STATE_ERROR;

  self->key_state = state;

  gtk_label_set_text (self->api_key_status_label, message != NULL ? message : "");
  gtk_widget_set_visible (label, message != NULL && *message != '\0');
  if (problem)
    {
      gtk_widget_add_css_class (label, "error");
      gtk_widget_remove_css_class (label, "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (label, "error");
      gtk_widget_add_css_class (label, "dim-label");
    }

  if (message != NULL && *message != '\0')
    gtk_accessible_update_property (entry_accessible (self->api_key_row),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
  else
    gtk_accessible_reset_property (entry_accessible (self->api_key_row),
                                   GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);

  update_token_server_sensitivity (self);
}

static void
set_api_key_error (AtxPreferencesWindow *self,
                   const GError         *error)
{
  if (g_error_matches (error, ATX_SETTINGS_ERROR, ATX_SETTINGS_ERROR_NO_SECRET_SERVICE))
    {
      g_autofree char *message =
        g_strdup_printf (_("No keyring is available on this computer, so the key cannot be "
                           "stored. Set %s instead."),
                         ATX_ENV_BACKEND_API_KEY);

      set_api_key_state (self, ATX_API_KEY_STATE_NO_SECRET_SERVICE, message);
    }
  else
    {
      set_api_key_state (self, ATX_API_KEY_STATE_ERROR, error->message);
    }
}

static void
api_key_lookup_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  AtxPreferencesWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  key = atx_settings_get_api_key_finish (ATX_SETTINGS (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_object (&self->key_cancellable);

  if (error != NULL)
    set_api_key_error (self, error);
  else if (key != NULL)
    set_api_key_state (self, ATX_API_KEY_STATE_STORED, _("Stored in your keyring."));
  else
    set_api_key_state (self, ATX_API_KEY_STATE_NONE,
                       _("No key is stored for this token server yet. Enter it and press Apply."));
}

static void
refresh_api_key_state (AtxPreferencesWindow *self)
{
  g_autofree char *backend_url = NULL;

  g_clear_handle_id (&self->key_lookup_id, g_source_remove);
  g_cancellable_cancel (self->key_cancellable);
  g_clear_object (&self->key_cancellable);

  if (atx_settings_api_key_is_overridden ())
    {
      g_autofree char *message =
        g_strdup_printf (_("The environment variable %s sets the key; it overrides the keyring."),
                         ATX_ENV_BACKEND_API_KEY);

      set_api_key_state (self, ATX_API_KEY_STATE_OVERRIDDEN, message);
      return;
    }

  backend_url = atx_settings_dup_backend_url (self->settings);
  if (*backend_url == '\0')
    {
      set_api_key_state (self, ATX_API_KEY_STATE_UNKNOWN,
                         _("Enter the token server address first: the key is kept for that server."));
      return;
    }

  set_api_key_state (self, ATX_API_KEY_STATE_UNKNOWN, _("Looking in your keyring…"));
  self->key_cancellable = g_cancellable_new ();
  atx_settings_get_api_key_async (self->settings, self->key_cancellable,
                                  api_key_lookup_cb, self);
}

static void
api_key_store_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  AtxPreferencesWindow *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!atx_settings_set_api_key_finish (ATX_SETTINGS (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_clear_object (&self->key_cancellable);
      set_api_key_error (self, error);
      show_toast (self, _("The API key was not saved"));
      return;
    }

  g_clear_object (&self->key_cancellable);
  set_api_key_state (self, ATX_API_KEY_STATE_STORED, _("Stored in your keyring."));
  forget_test_result (self);
  update_test_row (self);
  show_toast (self, _("API key saved in your keyring"));
}

static void
on_api_key_apply (AtxPreferencesWindow *self)
{
  const char *key = gtk_editable_get_text (GTK_EDITABLE (self->api_key_row));
  g_autofree char *backend_url = NULL;

  if (self->key_state == ATX_API_KEY_STATE_OVERRIDDEN || *key == '\0')
    return;

  /* The key is kept for the address as typed, even if the idle write has
   * not happened yet. */
  flush_pending_writes (self);

  backend_url = atx_settings_dup_backend_url (self->settings);
  if (*backend_url == '\0')
    {
      set_api_key_state (self, ATX_API_KEY_STATE_ERROR,
                         _("Enter the token server address first: the key is kept for that server."));
      return;
    }

  g_clear_handle_id (&self->key_lookup_id, g_source_remove);
  g_cancellable_cancel (self->key_cancellable);
  g_clear_object (&self->key_cancellable);

  set_api_key_state (self, ATX_API_KEY_STATE_SAVING, _("Saving in your keyring…"));
  self->key_cancellable = g_cancellable_new ();
  atx_settings_set_api_key_async (self->settings, key, self->key_cancellable,
                                  api_key_store_cb, self);
}

/* ---- Test connection ---- */

static void
set_test_subtitle (AtxPreferencesWindow *self,
                   const char           *subtitle)
{
  adw_action_row_set_subtitle (self->test_row, subtitle);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->test_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle, -1);
}

static void
set_test_icon (AtxPreferencesWindow *self,
               const char           *icon_name,
               const char           *css_class,
               const char           *accessible_label)
{
  GtkWidget *image = GTK_WIDGET (self->test_status_image);

  gtk_widget_remove_css_class (image, "success");
  gtk_widget_remove_css_class (image, "error");
  gtk_widget_set_visible (image, icon_name != NULL);
  if (icon_name == NULL)
    return;

  gtk_image_set_from_icon_name (self->test_status_image, icon_name);
  gtk_widget_add_css_class (image, css_class);
  gtk_accessible_update_property (GTK_ACCESSIBLE (image),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label, -1);
}

/* Shows what the row can do now, or what the last test found. */
static void
update_test_row (AtxPreferencesWindow *self)
{
  gboolean running = self->test_state == ATX_CONNECTION_TEST_RUNNING;
  gboolean usable = backend_url_is_usable (self);

  gtk_widget_set_visible (GTK_WIDGET (self->test_spinner), running);
  gtk_spinner_set_spinning (self->test_spinner, running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), usable && !running);

  switch (self->test_state)
    {
    case ATX_CONNECTION_TEST_RUNNING:
      set_test_icon (self, NULL, NULL, NULL);
      set_test_subtitle (self, _("Checking the token server…"));
      break;

    case ATX_CONNECTION_TEST_SUCCEEDED:
      set_test_icon (self, "emblem-ok-symbolic", "success", _("Connected"));
      set_test_subtitle (self, _("Connected: the token server issued a valid token."));
      break;

    case ATX_CONNECTION_TEST_FAILED:
      set_test_icon (self, "dialog-error-symbolic", "error", _("Failed"));
      set_test_subtitle (self, self->test_error->message);
      break;

    case ATX_CONNECTION_TEST_IDLE:
    default:
      set_test_icon (self, NULL, NULL, NULL);
      if (!atx_settings_get_use_jwt (self->settings))
        set_test_subtitle (self, _("Call tokens are off."));
      else if (!usable)
        set_test_subtitle (self, _("Enter a valid token server address to test the connection."));
      else
        set_test_subtitle (self, _("Checks that the token server answers and issues a valid token."));
      break;
    }
}

static void
finish_test (AtxPreferencesWindow *self,
             GError               *error)  /* (transfer full) (nullable) */
{
  g_clear_object (&self->test_cancellable);
  g_clear_pointer (&self->test_room, g_free);
  g_clear_pointer (&self->test_api_key, g_free);
  g_clear_error (&self->test_key_error);
  g_clear_error (&self->test_error);

  if (error != NULL)
    {
      g_debug ("Connection test failed: %s", error->message);
      self->test_state = ATX_CONNECTION_TEST_FAILED;
      self->test_error = error;
      show_toast (self, _("The connection test failed"));
    }
  else
    {
      self->test_state = ATX_CONNECTION_TEST_SUCCEEDED;
      show_toast (self, _("Connected to the token server"));
    }
  update_test_row (self);
}

static void
test_token_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  AtxPreferencesWindow *self = user_data;
  g_autoptr(AtxTokenResult) token = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *room = NULL;
  gint64 expires_at = 0;
  gboolean moderator = FALSE;

  token = atx_token_client_generate_token_finish (ATX_TOKEN_CLIENT (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (token == NULL)
    {
      finish_test (self, g_steal_pointer (&error));
      return;
    }

  /* The client checks the answer already; the test says so in its own words,
   * since proving exactly this is its point. */
  if (!atx_jwt_peek_unverified (token->token, &expires_at, &room, &moderator, NULL))
    {
      finish_test (self, g_error_new_literal (ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_BAD_RESPONSE,
                                              _("The token server answered, but what it sent "
                                                "is not a call token.")));
      return;
    }
  if (g_strcmp0 (room, self->test_room) != 0 || g_strcmp0 (token->room_name, self->test_room) != 0)
    {
      finish_test (self, g_error_new_literal (ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_BAD_RESPONSE,
                                              _("The token server answered with a token for "
                                                "another room.")));
      return;
    }
  if (expires_at <= g_get_real_time () / G_USEC_PER_SEC)
    {
      finish_test (self, g_error_new_literal (ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_BAD_RESPONSE,
                                              _("The token server answered with a token that "
                                                "has already expired. Check the server's clock.")));
      return;
    }
  if (!moderator)
    {
      finish_test (self, g_error_new_literal (ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_BAD_RESPONSE,
                                              _("The token server answered with a token that "
                                                "does not let you lead the call.")));
      return;
    }

  finish_test (self, NULL);
}

static void
test_health_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  AtxPreferencesWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *user_name = NULL;
  g_autofree char *user_email = NULL;
  g_autofree char *user_id = NULL;
  AtxTokenRequest request = { 0 };

  if (!atx_token_client_check_health_finish (ATX_TOKEN_CLIENT (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      finish_test (self, g_steal_pointer (&error));
      return;
    }

  if (self->test_api_key == NULL)
    {
      if (self->test_key_error != NULL)
        finish_test (self, g_error_new (ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_NOT_CONFIGURED,
                                        _("The token server answers, but the API key could "
                                          "not be read. %s"),
                                        self->test_key_error->message));
      else
        finish_test (self, g_error_new_literal (ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_NOT_CONFIGURED,
                                                _("The token server answers, but no API key is "
                                                  "set. Enter it above and press Apply.")));
      return;
    }

  user_name = atx_settings_dup_user_name (self->settings);
  user_email = atx_settings_dup_user_email (self->settings);
  user_id = atx_settings_dup_user_id (self->settings);

  /* "You" may not be filled in yet; that must not make the test fail. */
  request.room_name = self->test_room;
  request.user_name = *user_name != '\0' ? user_name : _("Connection test");
  request.user_email = user_email;
  request.user_id = *user_id != '\0' ? user_id : "ataraxia-connection-test";
  request.is_moderator = TRUE;

  atx_token_client_generate_token_async (self->client, &request, self->test_cancellable,
                                         test_token_cb, self);
}

static void
test_key_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  AtxPreferencesWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *backend_url = NULL;
  g_autofree char *api_key = NULL;

  api_key = atx_settings_get_api_key_finish (ATX_SETTINGS (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->test_api_key = g_steal_pointer (&api_key);
  /* No key is only a problem once /healthz has said the server is there. */
  self->test_key_error = g_steal_pointer (&error);

  backend_url = atx_settings_dup_backend_url (self->settings);
  atx_token_client_set_base_url (self->client, backend_url);
  atx_token_client_set_api_key (self->client, self->test_api_key);

  atx_token_client_check_health_async (self->client, self->test_cancellable,
                                       test_health_cb, self);
}

static void
on_test_clicked (AtxPreferencesWindow *self)
{
  if (self->test_state == ATX_CONNECTION_TEST_RUNNING || !backend_url_is_usable (self))
    return;

  flush_pending_writes (self);

  g_clear_error (&self->test_error);
  g_clear_pointer (&self->test_room, g_free);
  self->test_room = atx_room_name_generate ();
  self->test_state = ATX_CONNECTION_TEST_RUNNING;
  self->test_cancellable = g_cancellable_new ();
  update_test_row (self);

  atx_settings_get_api_key_async (self->settings, self->test_cancellable,
                                  test_key_cb, self);
}

/* ---- You ---- */

static void
on_user_email_changed (AtxPreferencesWindow *self)
{
  g_autofree char *text = NULL;

  if (self->syncing)
    return;

  text = dup_stripped_text (self->user_email_row);
  if (*text != '\0' && !looks_like_email (text))
    {
      set_field_error (self->user_email_row, self->user_email_error_label,
                       _("This does not look like an e-mail address."));
      set_pending_write (self, &self->pending_user_email, NULL);
      return;
    }

  set_field_error (self->user_email_row, self->user_email_error_label, NULL);
  set_pending_write (self, &self->pending_user_email, text);
}

static void
on_settings_user_email (AtxPreferencesWindow *self)
{
  g_autofree char *value = atx_settings_dup_user_email (self->settings);

  sync_row_from_setting (self, self->user_email_row, self->user_email_error_label, value);
}

/* ---- GObject ---- */

static void
label_entry_row (AdwEntryRow *row)
{
  gtk_accessible_update_property (entry_accessible (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)),
                                  -1);
}

static void
atx_preferences_window_constructed (GObject *object)
{
  AtxPreferencesWindow *self = ATX_PREFERENCES_WINDOW (object);
  GSettings *gsettings;

  G_OBJECT_CLASS (atx_preferences_window_parent_class)->constructed (object);

  g_assert (ATX_IS_SETTINGS (self->settings));
  g_assert (ATX_IS_TOKEN_CLIENT (self->client));

  gsettings = atx_settings_get_gsettings (self->settings);

  gtk_widget_set_visible (self->dev_mode_group, atx_settings_is_dev_mode ());

  g_settings_bind (gsettings, "embed-calls", self->embed_calls_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (gsettings, "lobby-for-clients", self->lobby_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (gsettings, "use-jwt", self->use_jwt_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (gsettings, "user-name", self->user_name_row, "text", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (gsettings, "user-id", self->user_id_row, "text", G_SETTINGS_BIND_DEFAULT);

  /* Checked fields: the value is written only when valid. */
  on_settings_jitsi_domain (self);
  on_settings_user_email (self);
  {
    g_autofree char *value = atx_settings_dup_backend_url (self->settings);
    sync_row_from_setting (self, self->backend_url_row, self->backend_url_error_label, value);
  }

  g_signal_connect_object (self->settings, "notify::jitsi-domain",
                           G_CALLBACK (on_settings_jitsi_domain), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "notify::backend-url",
                           G_CALLBACK (on_settings_backend_url), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "notify::user-email",
                           G_CALLBACK (on_settings_user_email), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "notify::use-jwt",
                           G_CALLBACK (on_settings_use_jwt), self, G_CONNECT_SWAPPED);

  label_entry_row (self->jitsi_domain_row);
  label_entry_row (self->backend_url_row);
  label_entry_row (self->api_key_row);
  label_entry_row (self->user_name_row);
  label_entry_row (self->user_email_row);
  label_entry_row (self->user_id_row);

  refresh_api_key_state (self);
  update_token_server_sensitivity (self);
}

static void
atx_preferences_window_dispose (GObject *object)
{
  AtxPreferencesWindow *self = ATX_PREFERENCES_WINDOW (object);

  /* Closing right after typing still keeps what was typed. */
  flush_pending_writes (self);
  g_clear_handle_id (&self->key_lookup_id, g_source_remove);
  g_cancellable_cancel (self->key_cancellable);
  g_clear_object (&self->key_cancellable);
  g_cancellable_cancel (self->test_cancellable);
  g_clear_object (&self->test_cancellable);

  /* libadwaita 1.2.0–1.2.2 never frees the groups of a preferences window
   * (a reference lost in its search model, fixed in 1.2.3), so the bound
   * widgets outlive the window: cut them loose from GSettings here. */
  if (self->embed_calls_switch != NULL)
    {
      GObject *bound[] = {
        G_OBJECT (self->embed_calls_switch), G_OBJECT (self->lobby_switch),
        G_OBJECT (self->use_jwt_switch), G_OBJECT (self->user_name_row),
        G_OBJECT (self->user_id_row),
      };

      for (guint i = 0; i < G_N_ELEMENTS (bound); i++)
        {
          g_settings_unbind (bound[i], GTK_IS_SWITCH (bound[i]) ? "active" : "text");
          g_settings_unbind (bound[i], "sensitive");
        }
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), ATX_TYPE_PREFERENCES_WINDOW);

  G_OBJECT_CLASS (atx_preferences_window_parent_class)->dispose (object);
}

static void
atx_preferences_window_finalize (GObject *object)
{
  AtxPreferencesWindow *self = ATX_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->client);
  g_clear_pointer (&self->test_room, g_free);
  g_clear_pointer (&self->test_api_key, g_free);
  g_clear_error (&self->test_key_error);
  g_clear_error (&self->test_error);

  G_OBJECT_CLASS (atx_preferences_window_parent_class)->finalize (object);
}

static void
atx_preferences_window_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  AtxPreferencesWindow *self = ATX_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atx_preferences_window_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  AtxPreferencesWindow *self = ATX_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atx_preferences_window_class_init (AtxPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = atx_preferences_window_constructed;
  object_class->dispose = atx_preferences_window_dispose;
  object_class->finalize = atx_preferences_window_finalize;
  object_class->get_property = atx_preferences_window_get_property;
  object_class->set_property = atx_preferences_window_set_property;

  /**
   * AtxPreferencesWindow:settings:
   * The settings the window edits.
   */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         ATX_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * AtxPreferencesWindow:client:
   * The app's token client, used (and configured) by "Test connection".
   */
  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL,
                         ATX_TYPE_TOKEN_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/ataraxia/Calendar/atx-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, AtxPreferencesWindow, dev_mode_group);
  gtk_widget_class_bind_template_child (widget_class, AtxPreferencesWindow, dev_mode_label);
  gtk_widget_class_bind_template_child (widget_class, AtxPreferencesWindow, jitsi_domain_row);
  gtk_widget_class_bind_template_child (widget_class, AtxPreferencesWindow, jitsi_domain_error_label);
  gtk_widget_class_bind_template_child (widget_class, AtxPreferencesWindow, embed_calls_switch);
  gtk_widget_class_bind_template_child (widget_class, AtxPreferencesWindow, lobby_switch);
  gtk_widget_class_bind_template_child (widget_class, AtxPreferencesWindow, use_jwt_switch);
  gtk_widget_class_bind_template_child (widget_class, AtxPreferencesWindow, backend_url_row);
  gtk_widget_class_bind_template_child (widget_class, AtxPreferencesWindow, backend_url_error_label);
  gtk_widget_class_bind_template_child (widget_class, AtxPreferencesWindow, api_key_row);
  gtk_widget_class_bind_template_child (widget_class, AtxPreferencesWindow, api_key_status_label);
  gtk_widget_class_bind_template_child (widget_class, AtxPreferencesWindow, test_row);
  gtk_widget_class_bind_template_child (widget_class, AtxPreferencesWindow, test_status_image);
  gtk_widget_class_bind_template_child (widget_class, AtxPreferencesWindow, test_spinner);
  gtk_widget_class_bind_template_child (widget_class, AtxPreferencesWindow, test_button);
  gtk_widget_class_bind_template_child (widget_class, AtxPreferencesWindow, user_name_row);
  gtk_widget_class_bind_template_child (widget_class, AtxPreferencesWindow, user_email_row);
  gtk_widget_class_bind_template_child (widget_class, AtxPreferencesWindow, user_email_error_label);
  gtk_widget_class_bind_template_child (widget_class, AtxPreferencesWindow, user_id_row);
  gtk_widget_class_bind_template_callback (widget_class, on_jitsi_domain_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_backend_url_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_api_key_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_test_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_user_email_changed);
}

static void
atx_preferences_window_init (AtxPreferencesWindow *self)
{
  self->key_state = ATX_API_KEY_STATE_UNKNOWN;
  self->test_state = ATX_CONNECTION_TEST_IDLE;

  gtk_widget_init_template (GTK_WIDGET (self));
}

AtxPreferencesWindow *
atx_preferences_window_new (GtkWindow      *parent,
                            AtxSettings    *settings,
                            AtxTokenClient *client)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (ATX_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (ATX_IS_TOKEN_CLIENT (client), NULL);

  return g_object_new (ATX_TYPE_PREFERENCES_WINDOW,
                       "transient-for", parent,
                       "settings", settings,
                       "client", client,
                       NULL);
}

/* ---- for tests ---- */

#define GETTER(type, name, member)                                      \
  type                                                                  \
  atx_preferences_window_get_##name (AtxPreferencesWindow *self)        \
  {                                                                     \
    g_return_val_if_fail (ATX_IS_PREFERENCES_WINDOW (self), 0);         \
    return self->member;                                                \
  }

GETTER (AdwEntryRow *, jitsi_domain_row, jitsi_domain_row)
GETTER (GtkLabel *, jitsi_domain_error_label, jitsi_domain_error_label)
GETTER (GtkSwitch *, embed_calls_switch, embed_calls_switch)
GETTER (GtkSwitch *, lobby_switch, lobby_switch)
GETTER (GtkSwitch *, use_jwt_switch, use_jwt_switch)
GETTER (AdwEntryRow *, backend_url_row, backend_url_row)
GETTER (GtkLabel *, backend_url_error_label, backend_url_error_label)
GETTER (AdwEntryRow *, api_key_row, api_key_row)
GETTER (GtkLabel *, api_key_status_label, api_key_status_label)
GETTER (AtxApiKeyState, api_key_state, key_state)
GETTER (AdwActionRow *, test_row, test_row)
GETTER (GtkButton *, test_button, test_button)
GETTER (AtxConnectionTestState, test_state, test_state)
GETTER (const GError *, test_error, test_error)
GETTER (AdwEntryRow *, user_name_row, user_name_row)
GETTER (AdwEntryRow *, user_email_row, user_email_row)
GETTER (GtkLabel *, user_email_error_label, user_email_error_label)
GETTER (AdwEntryRow *, user_id_row, user_id_row)
GETTER (GtkWidget *, dev_mode_notice, dev_mode_group)

#undef GETTER

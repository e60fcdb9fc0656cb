/* atx-preferences-window.h — the Preferences window (Ctrl+,).
 *
 * Edits the GSettings keys of DESIGN.md ("Settings") directly: every change
 * takes effect at once, there is no Save button. Text fields are checked as
 * they are typed and only valid values reach GSettings. The backend API key
 * goes to the keyring (never shown back), and "Test connection" checks the
 * token server end to end with the app's token client.
 */
#pragma once

#include <adwaita.h>

#include "core/atx-settings.h"
#include "core/atx-token-client.h"

G_BEGIN_DECLS

#define ATX_TYPE_PREFERENCES_WINDOW (atx_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (AtxPreferencesWindow, atx_preferences_window, ATX, PREFERENCES_WINDOW, AdwPreferencesWindow)

/* Modal for @parent (may be NULL). @client is the app's token client: "Test
 * connection" sets its base URL and API key from the current settings and
 * keyring before it tests. Closing the window cancels a running test. */
AtxPreferencesWindow *atx_preferences_window_new (GtkWindow      *parent,
                                                  AtxSettings    *settings,
                                                  AtxTokenClient *client);

/* for tests */

typedef enum {
  ATX_CONNECTION_TEST_IDLE,      /* never run, or settings make it impossible */
  ATX_CONNECTION_TEST_RUNNING,
  ATX_CONNECTION_TEST_SUCCEEDED,
  ATX_CONNECTION_TEST_FAILED,
} AtxConnectionTestState;

typedef enum {
  ATX_API_KEY_STATE_UNKNOWN,          /* looking it up, or no backend URL yet */
  ATX_API_KEY_STATE_OVERRIDDEN,       /* ATARAXIA_BACKEND_API_KEY is set */
  ATX_API_KEY_STATE_STORED,
  ATX_API_KEY_STATE_NONE,             /* the keyring has none for this server */
  ATX_API_KEY_STATE_SAVING,
  ATX_API_KEY_STATE_NO_SECRET_SERVICE,
  ATX_API_KEY_STATE_ERROR,            /* the keyring answered with an error */
} AtxApiKeyState;

AdwEntryRow            *atx_preferences_window_get_jitsi_domain_row        (AtxPreferencesWindow *self);
GtkLabel               *atx_preferences_window_get_jitsi_domain_error_label (AtxPreferencesWindow *self);
GtkSwitch              *atx_preferences_window_get_embed_calls_switch      (AtxPreferencesWindow *self);
GtkSwitch              *atx_preferences_window_get_lobby_switch            (AtxPreferencesWindow *self);
GtkSwitch              *atx_preferences_window_get_use_jwt_switch          (AtxPreferencesWindow *self);
AdwEntryRow            *atx_preferences_window_get_backend_url_row         (AtxPreferencesWindow *self);
GtkLabel               *atx_preferences_window_get_backend_url_error_label (AtxPreferencesWindow *self);
AdwEntryRow            *atx_preferences_window_get_api_key_row             (AtxPreferencesWindow *self);
GtkLabel               *atx_preferences_window_get_api_key_status_label    (AtxPreferencesWindow *self);
AtxApiKeyState          atx_preferences_window_get_api_key_state           (AtxPreferencesWindow *self);
AdwActionRow           *atx_preferences_window_get_test_row                (AtxPreferencesWindow *self);
GtkButton              *atx_preferences_window_get_test_button             (AtxPreferencesWindow *self);
AtxConnectionTestState  atx_preferences_window_get_test_state              (AtxPreferencesWindow *self);
/* The reason of the last failed test (NULL otherwise). */
const GError           *atx_preferences_window_get_test_error              (AtxPreferencesWindow *self);
AdwEntryRow            *atx_preferences_window_get_user_name_row           (AtxPreferencesWindow *self);
AdwEntryRow            *atx_preferences_window_get_user_email_row          (AtxPreferencesWindow *self);
GtkLabel               *atx_preferences_window_get_user_email_error_label  (AtxPreferencesWindow *self);
AdwEntryRow            *atx_preferences_window_get_user_id_row             (AtxPreferencesWindow *self);
/* The development-tokens notice (visible only in development mode). */
GtkWidget              *atx_preferences_window_get_dev_mode_notice         (AtxPreferencesWindow *self);

G_END_DECLS

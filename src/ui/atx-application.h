/* atx-application.h — the Ataraxia application: owns the appointment store
 * and the main window, handles the command line and app-wide actions. */
#pragma once

#include <adwaita.h>
#include "core/atx-appointment-store.h"
#include "core/atx-settings.h"
#include "core/atx-token-client.h"
#include "atx-call-manager.h"

G_BEGIN_DECLS

#define ATX_TYPE_APPLICATION (atx_application_get_type ())
G_DECLARE_FINAL_TYPE (AtxApplication, atx_application, ATX, APPLICATION, AdwApplication)

AtxApplication      *atx_application_new (void);
AtxAppointmentStore *atx_application_get_store (AtxApplication *self);
AtxSettings         *atx_application_get_settings (AtxApplication *self);
/* The one token-backend client of the app; its base URL follows the
 * backend-url setting and its API key the keyring (or the environment). */
AtxTokenClient      *atx_application_get_token_client (AtxApplication *self);
AtxCallManager      *atx_application_get_call_manager (AtxApplication *self);

/* The error of the initial load (corrupt file moved aside, newer version),
 * or NULL; the window shows it. */
const GError        *atx_application_get_load_error (AtxApplication *self);
gboolean             atx_application_is_loaded (AtxApplication *self);

G_END_DECLS

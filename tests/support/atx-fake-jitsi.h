/* atx-fake-jitsi.h — a loopback fake Jitsi server for call tests.
 *
 * A SoupServer on 127.0.0.1, port 0, in place of a Jitsi deployment:
 *   /external_api.js   the stub External API (tests/support/fake-jitsi/
 *                      external_api.js), or a configured status / body, or
 *                      no answer at all
 *   /__fake/control    the stub's hidden control frame (same origin as us)
 *   /__fake/record     POST: the stub's records ({kind: "constructed" |
 *                      "command" | "disposed", …})
 *   /__fake/cues       GET: Server-Sent Events, one cue {id, event, payload}
 *                      per event the stub must emit (pinged every second)
 *   anything else      a blank room page (the target of the stub's iframe)
 * Every answer carries Access-Control-Allow-Origin (the request's Origin,
 * else *) and Cache-Control: no-store; OPTIONS preflights are answered.
 *
 * The page must be allowed to frame http://<domain>/ (the room iframe and
 * the control frame); the stub falls back to fetch/EventSource with CORS when
 * its control frame does not answer within 3 s.
 *
 * Waits iterate the main context that was thread-default when the server
 * was created (the one the test's WebKit view or subprocess watch runs on),
 * and always end after their timeout.
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct _AtxFakeJitsi AtxFakeJitsi;

AtxFakeJitsi *atx_fake_jitsi_new (GError **error);
void          atx_fake_jitsi_free (AtxFakeJitsi *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtxFakeJitsi, atx_fake_jitsi_free)

/* "127.0.0.1:PORT": what goes into the jitsi-domain setting. */
const char   *atx_fake_jitsi_get_domain (AtxFakeJitsi *self);
/* "http://127.0.0.1:PORT" */
const char   *atx_fake_jitsi_get_base_url (AtxFakeJitsi *self);

/* How /external_api.js answers: 200 (default) serves the stub; any other
 * status answers that status with an empty body; 0 never answers (the
 * request stays open until the server is freed). */
void          atx_fake_jitsi_set_script_status (AtxFakeJitsi *self, guint status);
/* Serve this JavaScript (with status 200) instead of the stub, e.g. a script
 * that defines no JitsiMeetExternalAPI; NULL restores the stub. */
void          atx_fake_jitsi_set_script_body (AtxFakeJitsi *self, const char *javascript);
/* Requests /external_api.js received so far. */
guint         atx_fake_jitsi_get_script_requests (AtxFakeJitsi *self);

/* Stub behaviour, read when the stub script is served (set it before the
 * page loads):
 * browser_supported: the browserSupport event at init (default TRUE).
 * hangup_closes: executeCommand('hangup') emits videoConferenceLeft then
 *   readyToClose (default TRUE); FALSE leaves the page hanging, to test the
 *   app's timeout.
 * toggles_emit: toggleAudio/toggleVideo emit the mute status change
 *   (default TRUE). */
void          atx_fake_jitsi_set_browser_supported (AtxFakeJitsi *self, gboolean supported);
void          atx_fake_jitsi_set_hangup_closes (AtxFakeJitsi *self, gboolean closes);
void          atx_fake_jitsi_set_toggles_emit (AtxFakeJitsi *self, gboolean emit);

/* Makes every live stub instance emit @event with @payload_json (a JSON
 * value; NULL means {}). Cues sent while no stub listens are queued and
 * delivered in order when one connects. */
void          atx_fake_jitsi_cue (AtxFakeJitsi *self, const char *event, const char *payload_json);

/* Waits until the stub's cue stream is connected. */
gboolean      atx_fake_jitsi_wait_listening (AtxFakeJitsi *self, guint timeout_ms);

/* Waits for the next construction not yet returned by this function and
 * returns its options (a full reference; DOM nodes appear as {node, id},
 * functions as "[function]"; a non-object second argument gives {}), or
 * NULL on timeout. */
JsonObject   *atx_fake_jitsi_wait_constructed (AtxFakeJitsi *self, guint timeout_ms);
/* Of the last construction seen: the domain argument, typeof the options
 * argument ("object", "string", …) and the iframe's src. NULL before. */
const char   *atx_fake_jitsi_get_constructed_domain (AtxFakeJitsi *self);
const char   *atx_fake_jitsi_get_constructed_options_type (AtxFakeJitsi *self);
const char   *atx_fake_jitsi_get_constructed_iframe_src (AtxFakeJitsi *self);
/* When the last instance was constructed, by the page's wall clock (the
 * stub's performance.timeOrigin + now()), in µs since the epoch like
 * g_get_real_time(); 0 if the record had no time. The record itself reaches
 * the server later, through the stub's control frame. */
gint64        atx_fake_jitsi_get_constructed_at (AtxFakeJitsi *self);
guint         atx_fake_jitsi_get_constructed_count (AtxFakeJitsi *self);

/* Waits for the next executed command named @name not yet returned by this
 * function; @args (optional) receives its arguments (full reference).
 * FALSE on timeout. */
gboolean      atx_fake_jitsi_wait_command (AtxFakeJitsi *self, const char *name,
                                           guint timeout_ms, JsonArray **args);
/* Every command executed so far, in order, as objects {name, args}
 * (element type JsonObject*, references held by the array). */
GPtrArray    *atx_fake_jitsi_get_commands (AtxFakeJitsi *self);
/* Waits until some instance was disposed (since the last successful wait). */
gboolean      atx_fake_jitsi_wait_disposed (AtxFakeJitsi *self, guint timeout_ms);
/* Every record received, in order (element type JsonObject*). */
GPtrArray    *atx_fake_jitsi_get_records (AtxFakeJitsi *self);

/* Forgets records, queued cues and the wait positions (not the settings). */
void          atx_fake_jitsi_reset (AtxFakeJitsi *self);

G_END_DECLS

/* atx-call-bridge.h — the messages between the call page and the app.
 *
 * One page, two transports (DESIGN.md, "Call view" and "Browser calls"):
 * embedded, the page posts {type, data} to
 * window.webkit.messageHandlers.ataraxia; in a browser it POSTs the same
 * JSON to /call/<secret>/events. Both arrive here and are validated before
 * anything uses them: a known type, the field types of the External API's
 * payload (shared/JITSI-EXTERNAL-API.md), bounded string sizes. Anything
 * else is refused with an ATX_BRIDGE_ERROR and changes nothing.
 *
 * Commands go the other way (hangup, toggleAudio, toggleVideo,
 * answerKnockingParticipant, toggleLobby) as one JSON object
 * {"name": "...", "args": [...]} that the page hands to
 * api.executeCommand(name, ...args).
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Largest message accepted from the page, in bytes of JSON. */
#define ATX_BRIDGE_MAX_MESSAGE_SIZE (64 * 1024)
/* Longest string field (ids, names, URLs, error names and messages), in bytes. */
#define ATX_BRIDGE_MAX_STRING 512

#define ATX_BRIDGE_ERROR (atx_bridge_error_quark ())

typedef enum {
  ATX_BRIDGE_ERROR_MALFORMED,    /* not a JSON object {type: string, data: object} */
  ATX_BRIDGE_ERROR_TOO_LARGE,    /* over ATX_BRIDGE_MAX_MESSAGE_SIZE */
  ATX_BRIDGE_ERROR_UNKNOWN_TYPE, /* a type not in the list of DESIGN.md */
  ATX_BRIDGE_ERROR_INVALID_DATA, /* a field missing, of the wrong type or too long */
} AtxBridgeError;

GQuark atx_bridge_error_quark (void);

typedef enum {
  ATX_BRIDGE_VIDEO_CONFERENCE_JOINED,   /* data: roomName, id, displayName?, … */
  ATX_BRIDGE_VIDEO_CONFERENCE_LEFT,     /* data: roomName */
  ATX_BRIDGE_PARTICIPANT_JOINED,        /* data: id, displayName? */
  ATX_BRIDGE_PARTICIPANT_LEFT,          /* data: id */
  ATX_BRIDGE_PARTICIPANT_ROLE_CHANGED,  /* data: id, role */
  ATX_BRIDGE_KNOCKING_PARTICIPANT,      /* data: participant {id, name?} */
  ATX_BRIDGE_AUDIO_MUTE_STATUS_CHANGED, /* data: muted */
  ATX_BRIDGE_VIDEO_MUTE_STATUS_CHANGED, /* data: muted */
  ATX_BRIDGE_ERROR_OCCURRED,            /* data: error {name?, type?, isFatal?, message?} */
  ATX_BRIDGE_READY_TO_CLOSE,            /* data: {} */
  ATX_BRIDGE_BROWSER_SUPPORT,           /* data: supported */
  ATX_BRIDGE_EXTERNAL_API_LOAD_FAILED,  /* data: url, reason */
} AtxBridgeMessageType;

/* The wire name ("videoConferenceJoined", …) and back. */
const char *atx_bridge_message_type_to_string (AtxBridgeMessageType type);
gboolean    atx_bridge_message_type_from_string (const char *str, AtxBridgeMessageType *out_type);

/* A validated message. Strings are NULL when the payload does not carry
 * them (e.g. a participant without a display name); every string is valid
 * UTF-8 of at most ATX_BRIDGE_MAX_STRING bytes. */
typedef struct {
  AtxBridgeMessageType type;
  char     *id;            /* participant id (joined/left/role/knocking; own id for conference joined) */
  char     *display_name;  /* displayName, or knocking participant.name */
  char     *room_name;     /* conference joined/left */
  char     *role;          /* participantRoleChanged: moderator | participant | none | … */
  gboolean  muted;         /* audio/video mute status */
  gboolean  supported;     /* browserSupport */
  char     *error_name;    /* errorOccurred: error.name */
  char     *error_type;    /* errorOccurred: error.type (CONNECTION, CONFERENCE, CONFIG) */
  char     *error_message; /* errorOccurred: error.message */
  gboolean  is_fatal;      /* errorOccurred: error.isFatal */
  char     *url;           /* externalApiLoadFailed */
  char     *reason;        /* externalApiLoadFailed */
} AtxBridgeMessage;

void atx_bridge_message_free (AtxBridgeMessage *message);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (AtxBridgeMessage, atx_bridge_message_free)

/* Validates one message given as JSON text (HTTP transport) or as a parsed
 * node (WebKit transport, from JSCValue → JSON). */
AtxBridgeMessage *atx_bridge_message_parse_json (const char  *json,
                                                 gssize       length,
                                                 GError     **error);
AtxBridgeMessage *atx_bridge_message_parse_node (JsonNode    *node,
                                                 GError     **error);

/* Commands: the JSON text {"name": …, "args": […]} the page executes. */
typedef enum {
  ATX_BRIDGE_COMMAND_HANGUP,
  ATX_BRIDGE_COMMAND_TOGGLE_AUDIO,
  ATX_BRIDGE_COMMAND_TOGGLE_VIDEO,
  ATX_BRIDGE_COMMAND_ANSWER_KNOCKING,  /* args: id, approved */
  ATX_BRIDGE_COMMAND_TOGGLE_LOBBY,     /* args: enabled */
} AtxBridgeCommand;

char *atx_bridge_command_to_json (AtxBridgeCommand command,
                                  const char      *participant_id, /* ANSWER_KNOCKING only */
                                  gboolean         flag);          /* approved / enabled */

/* What the page needs to start, serialised into the page (never into a
 * URL): see atx_call_page_render(). */
typedef struct {
  const char *domain;           /* jitsi-domain, host[:port] */
  const char *room_name;
  const char *jwt;              /* NULL when tokens are off */
  const char *display_name;
  const char *email;
  gboolean    audio_only;
  gboolean    skip_webrtc_check;  /* ATARAXIA_CALL_SKIP_WEBRTC_CHECK=1 (embedded only) */
  const char *transport;          /* "webkit" or "http" */
  const char *events_url;         /* http transport: "/call/<secret>/events" */
  const char *commands_url;       /* http transport: "/call/<secret>/commands" */
  guint       load_timeout_ms;    /* external_api.js load timeout; 0 = 15000 (tests may shorten it) */
} AtxCallPageConfig;

/* The bundled call page (GResource /org/ataraxia/Calendar/call/call.html)
 * with @config embedded as JSON in a <script type="application/json"
 * id="ataraxia-config"> element, escaped so that no value can end the
 * element or inject markup. */
GBytes *atx_call_page_render (const AtxCallPageConfig *config,
                              GError                 **error);

/* The configuration JSON exactly as atx_call_page_render() embeds it
 * (already escaped for a <script> element). Members (snake_case):
 * domain, external_api_url (<scheme>://<domain>/external_api.js, scheme by
 * the loopback rule), room_name, jwt, display_name, email (null when
 * unset), audio_only, skip_webrtc_check, transport, events_url,
 * commands_url (null unless http), load_timeout_ms, strings {connecting,
 * load_failed, unsupported, no_transport, ended} (translated).
 * NULL with ATX_BRIDGE_ERROR_INVALID_DATA when a required member (domain,
 * room_name, transport; events/commands URLs for http) is missing, the
 * domain is not host[:port], the transport unknown or a value not UTF-8. */
char   *atx_call_page_config_to_json (const AtxCallPageConfig *config,
                                      GError                 **error);

G_END_DECLS

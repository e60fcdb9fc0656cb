/* atx-call-bridge.c — validation of the call page's messages, the command
 * JSON, and the rendering of the bundled page with its configuration.
 *
 * Everything that comes from the page is untrusted: a page can be driven by
 * whatever the Jitsi server (or something pretending to be it) sends. So a
 * message is checked in layers before any field is used: size, UTF-8,
 * nesting depth, then JSON, then shape {type, data}, then the fields of that
 * type's payload (shared/JITSI-EXTERNAL-API.md). Fields we do not use are
 * ignored whatever they hold; fields we use must have the right JSON type and
 * at most ATX_BRIDGE_MAX_STRING bytes.
 */
#define G_LOG_DOMAIN "atx-call-bridge"

#include "config.h"

#include "atx-call-bridge.h"

#include <string.h>
#include <glib/gi18n.h>

#include "atx-call-resources.h"
#include "core/atx-settings.h"

G_DEFINE_QUARK (atx-bridge-error-quark, atx_bridge_error)

/* Deeper JSON is refused before it reaches the (recursive) parser. The real
 * payloads are at most 4 levels deep ({data: {error: {params: [...]}}}). */
#define MAX_DEPTH 16

#define CALL_PAGE_PATH "/org/ataraxia/Calendar/call/call.html"
#define CONFIG_OPEN_TAG "<script type=\"application/json\" id=\"ataraxia-config\">"
#define CONFIG_CLOSE_TAG "</script>"
#define DEFAULT_LOAD_TIMEOUT_MS 15000

static const char * const type_names[] = {
  [ATX_BRIDGE_VIDEO_CONFERENCE_JOINED] = "videoConferenceJoined",
  [ATX_BRIDGE_VIDEO_CONFERENCE_LEFT] = "videoConferenceLeft",
  [ATX_BRIDGE_PARTICIPANT_JOINED] = "participantJoined",
  [ATX_BRIDGE_PARTICIPANT_LEFT] = "participantLeft",
  [ATX_BRIDGE_PARTICIPANT_ROLE_CHANGED] = "participantRoleChanged",
  [ATX_BRIDGE_KNOCKING_PARTICIPANT] = "knockingParticipant",
  [ATX_BRIDGE_AUDIO_MUTE_STATUS_CHANGED] = "audioMuteStatusChanged",
  [ATX_BRIDGE_VIDEO_MUTE_STATUS_CHANGED] = "videoMuteStatusChanged",
  [ATX_BRIDGE_ERROR_OCCURRED] = "errorOccurred",
  [ATX_BRIDGE_READY_TO_CLOSE] = "readyToClose",
  [ATX_BRIDGE_BROWSER_SUPPORT] = "browserSupport",
  [ATX_BRIDGE_EXTERNAL_API_LOAD_FAILED] = "externalApiLoadFailed",
};

const char *
atx_bridge_message_type_to_string (AtxBridgeMessageType type)
{
  g_return_val_if_fail ((guint) type < G_N_ELEMENTS (type_names), NULL);

  return type_names[type];
}

gboolean
atx_bridge_message_type_from_string (const char           *str,
                                     AtxBridgeMessageType *out_type)
{
  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (type_names); i++)
    {
      if (strcmp (str, type_names[i]) == 0)
        {
          if (out_type != NULL)
            *out_type = i;
          return TRUE;
        }
    }

  return FALSE;
}

void
atx_bridge_message_free (AtxBridgeMessage *message)
{
  if (message == NULL)
    return;

  g_free (message->id);
  g_free (message->display_name);
  g_free (message->room_name);
  g_free (message->role);
  g_free (message->error_name);
  g_free (message->error_type);
  g_free (message->error_message);
  g_free (message->url);
  g_free (message->reason);
  g_free (message);
}

/* ---- field readers ---- */

typedef enum {
  FIELD_OPTIONAL,  /* absent or null → NULL */
  FIELD_REQUIRED,  /* must be present (a string may be empty) */
  FIELD_NON_EMPTY, /* must be present and non-empty (ids) */
} FieldRule;

static gboolean
invalid (GError    **error,
         const char *type,
         const char *field,
         const char *what)
{
  g_set_error (error, ATX_BRIDGE_ERROR, ATX_BRIDGE_ERROR_INVALID_DATA,
               "%s: field “%s” %s", type, field, what);
  return FALSE;
}

static gboolean
read_string (JsonObject  *object,
             const char  *type,
             const char  *field,
             FieldRule    rule,
             char       **out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, field);
  const char *value;
  gsize len;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (rule != FIELD_OPTIONAL)
        return invalid (error, type, field, "is missing");
      *out = NULL;
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return invalid (error, type, field, "is not a string");

  value = json_node_get_string (node);
  len = strlen (value);
  if (len > ATX_BRIDGE_MAX_STRING)
    return invalid (error, type, field, "is too long");
  if (!g_utf8_validate (value, len, NULL))
    return invalid (error, type, field, "is not valid UTF-8");
  if (rule == FIELD_NON_EMPTY && len == 0)
    return invalid (error, type, field, "is empty");

  *out = g_strdup (value);
  return TRUE;
}

static gboolean
read_boolean (JsonObject  *object,
              const char  *type,
              const char  *field,
              gboolean     required,
              gboolean    *out,
              GError     **error)
{
  JsonNode *node = json_object_get_member (object, field);

  if (node == NULL || (!required && JSON_NODE_HOLDS_NULL (node)))
    {
      if (required)
        return invalid (error, type, field, "is missing");
      *out = FALSE;
      return TRUE;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    return invalid (error, type, field, "is not a boolean");

  *out = json_node_get_boolean (node);
  return TRUE;
}

static JsonObject *
read_object (JsonObject  *object,
             const char  *type,
             const char  *field,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, field);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      invalid (error, type, field, "is missing");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      invalid (error, type, field, "is not an object");
      return NULL;
    }

  return json_node_get_object (node);
}

/* ---- per-type payloads ---- */

static gboolean
parse_data (AtxBridgeMessage *m,
            JsonObject       *data,
            GError          **error)
{
  const char *t = type_names[m->type];
  JsonObject *inner;

  switch (m->type)
    {
    case ATX_BRIDGE_VIDEO_CONFERENCE_JOINED:
      return read_string (data, t, "roomName", FIELD_REQUIRED, &m->room_name, error) &&
             read_string (data, t, "id", FIELD_NON_EMPTY, &m->id, error) &&
             read_string (data, t, "displayName", FIELD_OPTIONAL, &m->display_name, error);

    case ATX_BRIDGE_VIDEO_CONFERENCE_LEFT:
      /* Also sent on page unload and init failure, where the room may be
       * unknown: losing a "left" would leave the log open. */
      return read_string (data, t, "roomName", FIELD_OPTIONAL, &m->room_name, error);

    case ATX_BRIDGE_PARTICIPANT_JOINED:
      return read_string (data, t, "id", FIELD_NON_EMPTY, &m->id, error) &&
             read_string (data, t, "displayName", FIELD_OPTIONAL, &m->display_name, error);

    case ATX_BRIDGE_PARTICIPANT_LEFT:
      return read_string (data, t, "id", FIELD_NON_EMPTY, &m->id, error);

    case ATX_BRIDGE_PARTICIPANT_ROLE_CHANGED:
      return read_string (data, t, "id", FIELD_NON_EMPTY, &m->id, error) &&
             read_string (data, t, "role", FIELD_NON_EMPTY, &m->role, error);

    case ATX_BRIDGE_KNOCKING_PARTICIPANT:
      inner = read_object (data, t, "participant", error);
      if (inner == NULL)
        return FALSE;
      return read_string (inner, t, "id", FIELD_NON_EMPTY, &m->id, error) &&
             read_string (inner, t, "name", FIELD_OPTIONAL, &m->display_name, error);

    case ATX_BRIDGE_AUDIO_MUTE_STATUS_CHANGED:
    case ATX_BRIDGE_VIDEO_MUTE_STATUS_CHANGED:
      return read_boolean (data, t, "muted", TRUE, &m->muted, error);

    case ATX_BRIDGE_ERROR_OCCURRED:
      /* CONFIG errors carry only {type, isFatal}; conference errors have no
       * message. So only the object itself is required. */
      inner = read_object (data, t, "error", error);
      if (inner == NULL)
        return FALSE;
      return read_string (inner, t, "name", FIELD_OPTIONAL, &m->error_name, error) &&
             read_string (inner, t, "type", FIELD_OPTIONAL, &m->error_type, error) &&
             read_string (inner, t, "message", FIELD_OPTIONAL, &m->error_message, error) &&
             read_boolean (inner, t, "isFatal", FALSE, &m->is_fatal, error);

    case ATX_BRIDGE_READY_TO_CLOSE:
      return TRUE;

    case ATX_BRIDGE_BROWSER_SUPPORT:
      return read_boolean (data, t, "supported", TRUE, &m->supported, error);

    case ATX_BRIDGE_EXTERNAL_API_LOAD_FAILED:
      return read_string (data, t, "url", FIELD_REQUIRED, &m->url, error) &&
             read_string (data, t, "reason", FIELD_REQUIRED, &m->reason, error);

    default:
      g_assert_not_reached ();
    }
}

static gboolean
node_depth_ok (JsonNode *node,
               guint     depth)
{
  if (depth > MAX_DEPTH)
    return FALSE;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, NULL, &member))
        if (!node_depth_ok (member, depth + 1))
          return FALSE;
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        if (!node_depth_ok (json_array_get_element (array, i), depth + 1))
          return FALSE;
    }

  return TRUE;
}

AtxBridgeMessage *
atx_bridge_message_parse_node (JsonNode  *node,
                               GError   **error)
{
  g_autoptr(AtxBridgeMessage) message = NULL;
  JsonObject *object;
  JsonNode *type_node;
  JsonNode *data_node;
  const char *type_str;
  AtxBridgeMessageType type;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, ATX_BRIDGE_ERROR, ATX_BRIDGE_ERROR_MALFORMED,
                           "The message is not a JSON object");
      return NULL;
    }

  if (!node_depth_ok (node, 0))
    {
      g_set_error_literal (error, ATX_BRIDGE_ERROR, ATX_BRIDGE_ERROR_MALFORMED,
                           "The message is nested too deeply");
      return NULL;
    }

  object = json_node_get_object (node);
  type_node = json_object_get_member (object, "type");
  if (type_node == NULL || !JSON_NODE_HOLDS_VALUE (type_node) ||
      json_node_get_value_type (type_node) != G_TYPE_STRING)
    {
      g_set_error_literal (error, ATX_BRIDGE_ERROR, ATX_BRIDGE_ERROR_MALFORMED,
                           "The message has no string “type”");
      return NULL;
    }

  data_node = json_object_get_member (object, "data");
  if (data_node == NULL || !JSON_NODE_HOLDS_OBJECT (data_node))
    {
      g_set_error_literal (error, ATX_BRIDGE_ERROR, ATX_BRIDGE_ERROR_MALFORMED,
                           "The message has no object “data”");
      return NULL;
    }

  type_str = json_node_get_string (type_node);
  if (!atx_bridge_message_type_from_string (type_str, &type))
    {
      g_autofree char *shown = NULL;

      /* Never echo a huge or binary type into a log line. */
      if (strlen (type_str) <= 64 && g_utf8_validate (type_str, -1, NULL))
        shown = g_strescape (type_str, NULL);
      g_set_error (error, ATX_BRIDGE_ERROR, ATX_BRIDGE_ERROR_UNKNOWN_TYPE,
                   "Unknown message type “%s”", shown != NULL ? shown : "…");
      return NULL;
    }

  message = g_new0 (AtxBridgeMessage, 1);
  message->type = type;

  if (!parse_data (message, json_node_get_object (data_node), error))
    return NULL;

  return g_steal_pointer (&message);
}

/* Nesting depth of JSON text, counting brackets outside strings; refuses
 * what the recursive parser should never see. Malformed text is left to the
 * parser. */
static gboolean
text_depth_ok (const char *json,
               gsize       length)
{
  guint depth = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < length; i++)
    {
      char c = json[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        {
          if (++depth > MAX_DEPTH + 1)
            return FALSE;
        }
      else if ((c == '}' || c == ']') && depth > 0)
        depth--;
    }

  return TRUE;
}

AtxBridgeMessage *
atx_bridge_message_parse_json (const char  *json,
                               gssize       length,
                               GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize len;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (json == NULL)
    {
      g_set_error_literal (error, ATX_BRIDGE_ERROR, ATX_BRIDGE_ERROR_MALFORMED,
                           "The message is empty");
      return NULL;
    }

  /* Bound the scan of a NUL-terminated string too. */
  len = length < 0 ? strnlen (json, ATX_BRIDGE_MAX_MESSAGE_SIZE + 1) : (gsize) length;
  if (len > ATX_BRIDGE_MAX_MESSAGE_SIZE)
    {
      g_set_error (error, ATX_BRIDGE_ERROR, ATX_BRIDGE_ERROR_TOO_LARGE,
                   "The message is larger than %u bytes", ATX_BRIDGE_MAX_MESSAGE_SIZE);
      return NULL;
    }

  if (!g_utf8_validate (json, len, NULL))
    {
      g_set_error_literal (error, ATX_BRIDGE_ERROR, ATX_BRIDGE_ERROR_MALFORMED,
                           "The message is not valid UTF-8");
      return NULL;
    }

  if (!text_depth_ok (json, len))
    {
      g_set_error_literal (error, ATX_BRIDGE_ERROR, ATX_BRIDGE_ERROR_MALFORMED,
                           "The message is nested too deeply");
      return NULL;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, json, len, &local_error))
    {
      g_set_error (error, ATX_BRIDGE_ERROR, ATX_BRIDGE_ERROR_MALFORMED,
                   "The message is not valid JSON: %s", local_error->message);
      return NULL;
    }

  return atx_bridge_message_parse_node (json_parser_get_root (parser), error);
}

/* ---- commands ---- */

char *
atx_bridge_command_to_json (AtxBridgeCommand  command,
                            const char       *participant_id,
                            gboolean          flag)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  const char *name = NULL;

  switch (command)
    {
    case ATX_BRIDGE_COMMAND_HANGUP: name = "hangup"; break;
    case ATX_BRIDGE_COMMAND_TOGGLE_AUDIO: name = "toggleAudio"; break;
    case ATX_BRIDGE_COMMAND_TOGGLE_VIDEO: name = "toggleVideo"; break;
    case ATX_BRIDGE_COMMAND_ANSWER_KNOCKING: name = "answerKnockingParticipant"; break;
    case ATX_BRIDGE_COMMAND_TOGGLE_LOBBY: name = "toggleLobby"; break;
    default:
      g_return_val_if_reached (NULL);
    }

  if (command == ATX_BRIDGE_COMMAND_ANSWER_KNOCKING)
    {
      g_return_val_if_fail (participant_id != NULL, NULL);
      g_return_val_if_fail (g_utf8_validate (participant_id, -1, NULL), NULL);
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "args");
  json_builder_begin_array (builder);
  if (command == ATX_BRIDGE_COMMAND_ANSWER_KNOCKING)
    {
      json_builder_add_string_value (builder, participant_id);
      json_builder_add_boolean_value (builder, flag);
    }
  else if (command == ATX_BRIDGE_COMMAND_TOGGLE_LOBBY)
    json_builder_add_boolean_value (builder, flag);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  return json_generator_to_data (generator, NULL);
}

/* ---- the page ---- */

/* JSON text made safe inside a <script> element: '<', '>' and '&' can
 * only occur inside JSON strings, where \u003c etc. mean the same, so no
 * value can spell "</script>" or "<!--"; U+2028/2029 are escaped for the
 * benefit of anything that still treats the text as JavaScript. */
static char *
escape_json_for_script (const char *json)
{
  GString *out = g_string_sized_new (strlen (json) + 32);

  for (const char *p = json; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '<': g_string_append (out, "\\u003c"); break;
        case '>': g_string_append (out, "\\u003e"); break;
        case '&': g_string_append (out, "\\u0026"); break;
        case '\xe2':
          if (p[1] == '\x80' && (p[2] == '\xa8' || p[2] == '\xa9'))
            {
              g_string_append (out, p[2] == '\xa8' ? "\\u2028" : "\\u2029");
              p += 2;
              break;
            }
          G_GNUC_FALLTHROUGH;
        default:
          g_string_append_c (out, *p);
        }
    }

  return g_string_free (out, FALSE);
}

static gboolean
check_config_string (const char  *value,
                     const char  *name,
                     gboolean     required,
                     GError     **error)
{
  if (value == NULL || *value == '\0')
    {
      if (required)
        {
          g_set_error (error, ATX_BRIDGE_ERROR, ATX_BRIDGE_ERROR_INVALID_DATA,
                       "The call page needs “%s”", name);
          return FALSE;
        }
      return TRUE;
    }

  if (!g_utf8_validate (value, -1, NULL))
    {
      g_set_error (error, ATX_BRIDGE_ERROR, ATX_BRIDGE_ERROR_INVALID_DATA,
                   "The call page's “%s” is not valid UTF-8", name);
      return FALSE;
    }

  return TRUE;
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL && *value != '\0')
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

char *
atx_call_page_config_to_json (const AtxCallPageConfig  *config,
                              GError                  **error)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *external_api_url = NULL;
  gboolean http;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_config_string (config->domain, "domain", TRUE, error) ||
      !check_config_string (config->room_name, "room_name", TRUE, error) ||
      !check_config_string (config->jwt, "jwt", FALSE, error) ||
      !check_config_string (config->display_name, "display_name", FALSE, error) ||
      !check_config_string (config->email, "email", FALSE, error) ||
      !check_config_string (config->transport, "transport", TRUE, error))
    return NULL;

  if (!atx_jitsi_domain_parse (config->domain, NULL, NULL, NULL))
    {
      g_set_error_literal (error, ATX_BRIDGE_ERROR, ATX_BRIDGE_ERROR_INVALID_DATA,
                           "The call page's domain is not host[:port]");
      return NULL;
    }

  http = g_strcmp0 (config->transport, "http") == 0;
  if (!http && g_strcmp0 (config->transport, "webkit") != 0)
    {
      g_set_error_literal (error, ATX_BRIDGE_ERROR, ATX_BRIDGE_ERROR_INVALID_DATA,
                           "The call page's transport is neither “webkit” nor “http”");
      return NULL;
    }
  if (http &&
      (!check_config_string (config->events_url, "events_url", TRUE, error) ||
       !check_config_string (config->commands_url, "commands_url", TRUE, error)))
    return NULL;

  external_api_url = g_strdup_printf ("%s://%s/external_api.js",
                                      atx_jitsi_domain_get_scheme (config->domain),
                                      config->domain);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  add_string (builder, "domain", config->domain);
  add_string (builder, "external_api_url", external_api_url);
  add_string (builder, "room_name", config->room_name);
  add_string (builder, "jwt", config->jwt);
  add_string (builder, "display_name", config->display_name);
  add_string (builder, "email", config->email);
  json_builder_set_member_name (builder, "audio_only");
  json_builder_add_boolean_value (builder, config->audio_only);
  json_builder_set_member_name (builder, "skip_webrtc_check");
  json_builder_add_boolean_value (builder, config->skip_webrtc_check);
  add_string (builder, "transport", config->transport);
  add_string (builder, "events_url", http ? config->events_url : NULL);
  add_string (builder, "commands_url", http ? config->commands_url : NULL);
  json_builder_set_member_name (builder, "load_timeout_ms");
  json_builder_add_int_value (builder, config->load_timeout_ms > 0
                                         ? config->load_timeout_ms
                                         : DEFAULT_LOAD_TIMEOUT_MS);

  /* The page's own few words, translated here (the page has no gettext). */
  json_builder_set_member_name (builder, "strings");
  json_builder_begin_object (builder);
  add_string (builder, "connecting", _("Connecting to the call…"));
  add_string (builder, "load_failed", _("The video call server could not be reached."));
  add_string (builder, "unsupported", _("This browser cannot make video calls."));
  add_string (builder, "no_transport", _("This page cannot reach Ataraxia."));
  add_string (builder, "ended", _("The call has ended. You can close this page."));
  json_builder_end_object (builder);

  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_root (generator, root);
  {
    g_autofree char *json = json_generator_to_data (generator, NULL);
    return escape_json_for_script (json);
  }
}

GBytes *
atx_call_page_render (const AtxCallPageConfig  *config,
                      GError                  **error)
{
  g_autoptr(GBytes) page = NULL;
  g_autofree char *config_json = NULL;
  const char *html;
  const char *open;
  const char *close;
  gsize size;
  GString *out;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  config_json = atx_call_page_config_to_json (config, error);
  if (config_json == NULL)
    return NULL;

  page = g_resource_lookup_data (atx_call_get_resource (), CALL_PAGE_PATH,
                                 G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (page == NULL)
    return NULL;

  html = g_bytes_get_data (page, &size);
  open = g_strstr_len (html, size, CONFIG_OPEN_TAG);
  close = open != NULL ? g_strstr_len (open, size - (open - html), CONFIG_CLOSE_TAG) : NULL;
  if (close == NULL)
    {
      g_set_error_literal (error, G_RESOURCE_ERROR, G_RESOURCE_ERROR_INTERNAL,
                           "The bundled call page has no configuration element");
      return NULL;
    }
  open += strlen (CONFIG_OPEN_TAG);

  out = g_string_sized_new (size + strlen (config_json));
  g_string_append_len (out, html, open - html);
  g_string_append (out, config_json);
  g_string_append_len (out, close, size - (close - html));

  return g_string_free_to_bytes (out);
}

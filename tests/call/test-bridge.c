/* test-bridge.c — validation of the call page's messages, the command JSON
 * and the rendering of the call page with its configuration.
 */
#include "config.h"

#include <string.h>

#include "atx-call-bridge.h"
#include "atx-call-session.h"
#include "call-test-store.h"

/* ------------------------------------------------------------ valid ones */

static AtxBridgeMessage *
parse_ok (const char *json)
{
  g_autoptr(GError) error = NULL;
  AtxBridgeMessage *message = atx_bridge_message_parse_json (json, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (message);
  return message;
}

static void
test_valid_messages (void)
{
  AtxBridgeMessage *m;

  m = parse_ok ("{\"type\": \"videoConferenceJoined\", \"data\": {\"roomName\": \"ataraxia-abc\", \"id\": \"f00d\","
                " \"displayName\": \"Dr Ö\", \"formattedDisplayName\": \"Dr Ö (me)\", \"avatarURL\": \"\","
                " \"breakoutRoom\": false, \"email\": \"a@b.c\", \"visitor\": false}}");
  g_assert_cmpint (m->type, ==, ATX_BRIDGE_VIDEO_CONFERENCE_JOINED);
  g_assert_cmpstr (m->room_name, ==, "ataraxia-abc");
  g_assert_cmpstr (m->id, ==, "f00d");
  g_assert_cmpstr (m->display_name, ==, "Dr Ö");
  atx_bridge_message_free (m);

  m = parse_ok ("{\"type\": \"videoConferenceLeft\", \"data\": {\"roomName\": \"ataraxia-abc\"}}");
  g_assert_cmpint (m->type, ==, ATX_BRIDGE_VIDEO_CONFERENCE_LEFT);
  g_assert_cmpstr (m->room_name, ==, "ataraxia-abc");
  atx_bridge_message_free (m);

  /* Left without a room (unload before joining) still counts. */
  m = parse_ok ("{\"type\": \"videoConferenceLeft\", \"data\": {}}");
  g_assert_null (m->room_name);
  atx_bridge_message_free (m);

  m = parse_ok ("{\"type\": \"participantJoined\", \"data\": {\"id\": \"p1\", \"displayName\": \"Alex\","
                " \"formattedDisplayName\": \"Alex\", \"userContext\": {\"user\": {\"id\": 5}}}}");
  g_assert_cmpint (m->type, ==, ATX_BRIDGE_PARTICIPANT_JOINED);
  g_assert_cmpstr (m->id, ==, "p1");
  g_assert_cmpstr (m->display_name, ==, "Alex");
  atx_bridge_message_free (m);

  /* No name: NULL, not an error. */
  m = parse_ok ("{\"type\": \"participantJoined\", \"data\": {\"id\": \"p2\", \"formattedDisplayName\": \"Fellow Jitster\"}}");
  g_assert_null (m->display_name);
  atx_bridge_message_free (m);
  m = parse_ok ("{\"type\": \"participantJoined\", \"data\": {\"id\": \"p2\", \"displayName\": null}}");
  g_assert_null (m->display_name);
  atx_bridge_message_free (m);

  m = parse_ok ("{\"type\": \"participantLeft\", \"data\": {\"id\": \"p1\"}}");
  g_assert_cmpint (m->type, ==, ATX_BRIDGE_PARTICIPANT_LEFT);
  g_assert_cmpstr (m->id, ==, "p1");
  atx_bridge_message_free (m);

  m = parse_ok ("{\"type\": \"participantRoleChanged\", \"data\": {\"id\": \"f00d\", \"role\": \"moderator\"}}");
  g_assert_cmpint (m->type, ==, ATX_BRIDGE_PARTICIPANT_ROLE_CHANGED);
  g_assert_cmpstr (m->id, ==, "f00d");
  g_assert_cmpstr (m->role, ==, "moderator");
  atx_bridge_message_free (m);

  m = parse_ok ("{\"type\": \"knockingParticipant\", \"data\": {\"participant\": {\"id\": \"k1\", \"name\": \"Guest\"}}}");
  g_assert_cmpint (m->type, ==, ATX_BRIDGE_KNOCKING_PARTICIPANT);
  g_assert_cmpstr (m->id, ==, "k1");
  g_assert_cmpstr (m->display_name, ==, "Guest");
  atx_bridge_message_free (m);

  m = parse_ok ("{\"type\": \"audioMuteStatusChanged\", \"data\": {\"muted\": true}}");
  g_assert_cmpint (m->type, ==, ATX_BRIDGE_AUDIO_MUTE_STATUS_CHANGED);
  g_assert_true (m->muted);
  atx_bridge_message_free (m);

  m = parse_ok ("{\"type\": \"videoMuteStatusChanged\", \"data\": {\"muted\": false}}");
  g_assert_cmpint (m->type, ==, ATX_BRIDGE_VIDEO_MUTE_STATUS_CHANGED);
  g_assert_false (m->muted);
  atx_bridge_message_free (m);

  m = parse_ok ("{\"type\": \"errorOccurred\", \"data\": {\"error\": {\"name\": \"connection.passwordRequired\","
                " \"message\": \"auth failed\", \"type\": \"CONNECTION\", \"isFatal\": false, \"details\": {\"a\": 1},"
                " \"recoverable\": true}}}");
  g_assert_cmpint (m->type, ==, ATX_BRIDGE_ERROR_OCCURRED);
  g_assert_cmpstr (m->error_name, ==, "connection.passwordRequired");
  g_assert_cmpstr (m->error_type, ==, "CONNECTION");
  g_assert_cmpstr (m->error_message, ==, "auth failed");
  g_assert_false (m->is_fatal);
  atx_bridge_message_free (m);

  /* A conference error has params and no message; a CONFIG error only
   * {type, isFatal}. */
  m = parse_ok ("{\"type\": \"errorOccurred\", \"data\": {\"error\": {\"name\": \"conference.connectionError.notAllowed\","
                " \"params\": [\"general\", \"no\"], \"type\": \"CONFERENCE\", \"isFatal\": false}}}");
  g_assert_null (m->error_message);
  atx_bridge_message_free (m);
  m = parse_ok ("{\"type\": \"errorOccurred\", \"data\": {\"error\": {\"type\": \"CONFIG\", \"isFatal\": true}}}");
  g_assert_null (m->error_name);
  g_assert_true (m->is_fatal);
  atx_bridge_message_free (m);

  m = parse_ok ("{\"type\": \"readyToClose\", \"data\": {}}");
  g_assert_cmpint (m->type, ==, ATX_BRIDGE_READY_TO_CLOSE);
  atx_bridge_message_free (m);

  m = parse_ok ("{\"type\": \"browserSupport\", \"data\": {\"supported\": false}}");
  g_assert_cmpint (m->type, ==, ATX_BRIDGE_BROWSER_SUPPORT);
  g_assert_false (m->supported);
  atx_bridge_message_free (m);

  m = parse_ok ("{\"type\": \"externalApiLoadFailed\", \"data\": {\"url\": \"http://127.0.0.1:1/external_api.js\","
                " \"reason\": \"timeout\"}}");
  g_assert_cmpint (m->type, ==, ATX_BRIDGE_EXTERNAL_API_LOAD_FAILED);
  g_assert_cmpstr (m->url, ==, "http://127.0.0.1:1/external_api.js");
  g_assert_cmpstr (m->reason, ==, "timeout");
  atx_bridge_message_free (m);

  /* Unknown members at the top are ignored too. */
  m = parse_ok ("{\"type\": \"readyToClose\", \"data\": {}, \"extra\": [1, {\"x\": null}]}");
  atx_bridge_message_free (m);
}

static void
test_type_names (void)
{
  for (guint t = ATX_BRIDGE_VIDEO_CONFERENCE_JOINED; t <= ATX_BRIDGE_EXTERNAL_API_LOAD_FAILED; t++)
    {
      AtxBridgeMessageType back;
      const char *name = atx_bridge_message_type_to_string (t);

      g_assert_nonnull (name);
      g_assert_true (atx_bridge_message_type_from_string (name, &back));
      g_assert_cmpint (back, ==, t);
    }
  g_assert_false (atx_bridge_message_type_from_string ("ready", NULL));
  g_assert_false (atx_bridge_message_type_from_string (NULL, NULL));
}

static void
test_string_limit (void)
{
  g_autofree char *exact = g_strnfill (ATX_BRIDGE_MAX_STRING, 'a');
  g_autofree char *over = g_strnfill (ATX_BRIDGE_MAX_STRING + 1, 'a');
  g_autofree char *ok_json = g_strdup_printf ("{\"type\": \"participantLeft\", \"data\": {\"id\": \"%s\"}}", exact);
  g_autofree char *bad_json = g_strdup_printf ("{\"type\": \"participantLeft\", \"data\": {\"id\": \"%s\"}}", over);
  g_autoptr(GError) error = NULL;
  AtxBridgeMessage *m;

  m = parse_ok (ok_json);
  g_assert_cmpuint (strlen (m->id), ==, ATX_BRIDGE_MAX_STRING);
  atx_bridge_message_free (m);

  g_assert_null (atx_bridge_message_parse_json (bad_json, -1, &error));
  g_assert_error (error, ATX_BRIDGE_ERROR, ATX_BRIDGE_ERROR_INVALID_DATA);
}

/* ------------------------------------------------------------ malformed */

typedef struct {
  const char *json;
  int         code;
} Bad;

static const Bad bad_messages[] = {
  { "", ATX_BRIDGE_ERROR_MALFORMED },
  { "not json", ATX_BRIDGE_ERROR_MALFORMED },
  { "{\"type\": \"readyToClose\", \"data\": {}", ATX_BRIDGE_ERROR_MALFORMED },
  { "[]", ATX_BRIDGE_ERROR_MALFORMED },
  { "[{\"type\": \"readyToClose\", \"data\": {}}]", ATX_BRIDGE_ERROR_MALFORMED },
  { "\"readyToClose\"", ATX_BRIDGE_ERROR_MALFORMED },
  { "42", ATX_BRIDGE_ERROR_MALFORMED },
  { "null", ATX_BRIDGE_ERROR_MALFORMED },
  { "{}", ATX_BRIDGE_ERROR_MALFORMED },
  { "{\"type\": 5, \"data\": {}}", ATX_BRIDGE_ERROR_MALFORMED },
  { "{\"type\": null, \"data\": {}}", ATX_BRIDGE_ERROR_MALFORMED },
  { "{\"type\": [\"readyToClose\"], \"data\": {}}", ATX_BRIDGE_ERROR_MALFORMED },
  { "{\"type\": \"readyToClose\"}", ATX_BRIDGE_ERROR_MALFORMED },
  { "{\"type\": \"readyToClose\", \"data\": null}", ATX_BRIDGE_ERROR_MALFORMED },
  { "{\"type\": \"readyToClose\", \"data\": []}", ATX_BRIDGE_ERROR_MALFORMED },
  { "{\"type\": \"readyToClose\", \"data\": \"{}\"}", ATX_BRIDGE_ERROR_MALFORMED },
  { "{\"type\": \"participantLeft\", \"data\": [{\"id\": \"p1\"}]}", ATX_BRIDGE_ERROR_MALFORMED },
  { "{\"type\": \"fooBar\", \"data\": {}}", ATX_BRIDGE_ERROR_UNKNOWN_TYPE },
  { "{\"type\": \"\", \"data\": {}}", ATX_BRIDGE_ERROR_UNKNOWN_TYPE },
  { "{\"type\": \"ReadyToClose\", \"data\": {}}", ATX_BRIDGE_ERROR_UNKNOWN_TYPE },
  { "{\"type\": \"ready\", \"data\": {}}", ATX_BRIDGE_ERROR_UNKNOWN_TYPE },
  { "{\"type\": \"incomingMessage\", \"data\": {\"message\": \"hi\"}}", ATX_BRIDGE_ERROR_UNKNOWN_TYPE },
  { "{\"type\": \"videoConferenceJoined\", \"data\": {\"roomName\": \"r\"}}", ATX_BRIDGE_ERROR_INVALID_DATA },
  { "{\"type\": \"videoConferenceJoined\", \"data\": {\"id\": \"me\"}}", ATX_BRIDGE_ERROR_INVALID_DATA },
  { "{\"type\": \"videoConferenceJoined\", \"data\": {\"roomName\": \"r\", \"id\": 7}}", ATX_BRIDGE_ERROR_INVALID_DATA },
  { "{\"type\": \"videoConferenceJoined\", \"data\": {\"roomName\": \"r\", \"id\": \"me\", \"displayName\": {}}}", ATX_BRIDGE_ERROR_INVALID_DATA },
  { "{\"type\": \"videoConferenceLeft\", \"data\": {\"roomName\": false}}", ATX_BRIDGE_ERROR_INVALID_DATA },
  { "{\"type\": \"participantJoined\", \"data\": {}}", ATX_BRIDGE_ERROR_INVALID_DATA },
  { "{\"type\": \"participantJoined\", \"data\": {\"id\": \"\"}}", ATX_BRIDGE_ERROR_INVALID_DATA },
  { "{\"type\": \"participantJoined\", \"data\": {\"id\": null}}", ATX_BRIDGE_ERROR_INVALID_DATA },
  { "{\"type\": \"participantJoined\", \"data\": {\"id\": [\"p1\"]}}", ATX_BRIDGE_ERROR_INVALID_DATA },
  { "{\"type\": \"participantJoined\", \"data\": {\"id\": \"p1\", \"displayName\": 5}}", ATX_BRIDGE_ERROR_INVALID_DATA },
  { "{\"type\": \"participantLeft\", \"data\": {\"id\": 1.5}}", ATX_BRIDGE_ERROR_INVALID_DATA },
  { "{\"type\": \"participantRoleChanged\", \"data\": {\"id\": \"me\"}}", ATX_BRIDGE_ERROR_INVALID_DATA },
  { "{\"type\": \"participantRoleChanged\", \"data\": {\"id\": \"me\", \"role\": true}}", ATX_BRIDGE_ERROR_INVALID_DATA },
  { "{\"type\": \"knockingParticipant\", \"data\": {\"id\": \"k1\", \"name\": \"flat\"}}", ATX_BRIDGE_ERROR_INVALID_DATA },
  { "{\"type\": \"knockingParticipant\", \"data\": {\"participant\": [\"k1\"]}}", ATX_BRIDGE_ERROR_INVALID_DATA },
  { "{\"type\": \"knockingParticipant\", \"data\": {\"participant\": \"k1\"}}", ATX_BRIDGE_ERROR_INVALID_DATA },
  { "{\"type\": \"knockingParticipant\", \"data\": {\"participant\": {\"id\": 1}}}", ATX_BRIDGE_ERROR_INVALID_DATA },
  { "{\"type\": \"knockingParticipant\", \"data\": {\"participant\": {\"id\": \"k\", \"name\": 3}}}", ATX_BRIDGE_ERROR_INVALID_DATA },
  { "{\"type\": \"audioMuteStatusChanged\", \"data\": {}}", ATX_BRIDGE_ERROR_INVALID_DATA },
  { "{\"type\": \"audioMuteStatusChanged\", \"data\": {\"muted\": \"true\"}}", ATX_BRIDGE_ERROR_INVALID_DATA },
  { "{\"type\": \"videoMuteStatusChanged\", \"data\": {\"muted\": 1}}", ATX_BRIDGE_ERROR_INVALID_DATA },
  { "{\"type\": \"videoMuteStatusChanged\", \"data\": {\"muted\": null}}", ATX_BRIDGE_ERROR_INVALID_DATA },
  { "{\"type\": \"errorOccurred\", \"data\": {}}", ATX_BRIDGE_ERROR_INVALID_DATA },
  { "{\"type\": \"errorOccurred\", \"data\": {\"error\": \"boom\"}}", ATX_BRIDGE_ERROR_INVALID_DATA },
  { "{\"type\": \"errorOccurred\", \"data\": {\"error\": [\"boom\"]}}", ATX_BRIDGE_ERROR_INVALID_DATA },
  { "{\"type\": \"errorOccurred\", \"data\": {\"error\": {\"name\": 5}}}", ATX_BRIDGE_ERROR_INVALID_DATA },
  { "{\"type\": \"errorOccurred\", \"data\": {\"error\": {\"name\": \"x\", \"isFatal\": \"yes\"}}}", ATX_BRIDGE_ERROR_INVALID_DATA },
  { "{\"type\": \"errorOccurred\", \"data\": {\"error\": {\"name\": \"x\", \"message\": {}}}}", ATX_BRIDGE_ERROR_INVALID_DATA },
  { "{\"type\": \"browserSupport\", \"data\": {}}", ATX_BRIDGE_ERROR_INVALID_DATA },
  { "{\"type\": \"browserSupport\", \"data\": {\"supported\": 0}}", ATX_BRIDGE_ERROR_INVALID_DATA },
  { "{\"type\": \"externalApiLoadFailed\", \"data\": {\"url\": \"u\"}}", ATX_BRIDGE_ERROR_INVALID_DATA },
  { "{\"type\": \"externalApiLoadFailed\", \"data\": {\"reason\": \"r\"}}", ATX_BRIDGE_ERROR_INVALID_DATA },
  { "{\"type\": \"externalApiLoadFailed\", \"data\": {\"url\": 1, \"reason\": \"r\"}}", ATX_BRIDGE_ERROR_INVALID_DATA },
  /* A lone surrogate is not text. */
  { "{\"type\": \"participantLeft\", \"data\": {\"id\": \"\\ud800\"}}", -1 },
};

static void
test_malformed_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_messages); i++)
    {
      g_autoptr(GError) error = NULL;
      AtxBridgeMessage *m;

      g_test_message ("%s", bad_messages[i].json);
      m = atx_bridge_message_parse_json (bad_messages[i].json, -1, &error);
      g_assert_null (m);
      g_assert_nonnull (error);
      g_assert_true (error->domain == ATX_BRIDGE_ERROR);
      if (bad_messages[i].code >= 0)
        g_assert_cmpint (error->code, ==, bad_messages[i].code);
    }
}

static void
test_non_utf8 (void)
{
  static const char in_string[] = "{\"type\": \"participantLeft\", \"data\": {\"id\": \"a\xff\xfe\"}}";
  static const char in_type[] = "{\"type\": \"ready\xc3\", \"data\": {}}";
  g_autoptr(GError) error = NULL;

  g_assert_null (atx_bridge_message_parse_json (in_string, -1, &error));
  g_assert_error (error, ATX_BRIDGE_ERROR, ATX_BRIDGE_ERROR_MALFORMED);
  g_clear_error (&error);
  g_assert_null (atx_bridge_message_parse_json (in_type, sizeof in_type - 1, &error));
  g_assert_error (error, ATX_BRIDGE_ERROR, ATX_BRIDGE_ERROR_MALFORMED);
}

static void
test_explicit_length (void)
{
  static const char json[] = "{\"type\": \"readyToClose\", \"data\": {}}trailing garbage";
  g_autoptr(GError) error = NULL;
  AtxBridgeMessage *m;

  /* Only the given bytes count. */
  m = atx_bridge_message_parse_json (json, strlen ("{\"type\": \"readyToClose\", \"data\": {}}"), &error);
  g_assert_no_error (error);
  atx_bridge_message_free (m);

  g_assert_null (atx_bridge_message_parse_json (json, -1, &error));
  g_assert_error (error, ATX_BRIDGE_ERROR, ATX_BRIDGE_ERROR_MALFORMED);
}

static void
test_too_large (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) json = g_string_new ("{\"type\": \"readyToClose\", \"data\": {\"pad\": \"");

  while (json->len <= ATX_BRIDGE_MAX_MESSAGE_SIZE)
    g_string_append (json, "0123456789abcdef");
  g_string_append (json, "\"}}");

  g_assert_null (atx_bridge_message_parse_json (json->str, json->len, &error));
  g_assert_error (error, ATX_BRIDGE_ERROR, ATX_BRIDGE_ERROR_TOO_LARGE);
  g_clear_error (&error);
  g_assert_null (atx_bridge_message_parse_json (json->str, -1, &error));
  g_assert_error (error, ATX_BRIDGE_ERROR, ATX_BRIDGE_ERROR_TOO_LARGE);
}

static void
test_deep_nesting (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) json = g_string_new ("{\"type\": \"readyToClose\", \"data\": {\"x\": ");
  g_autoptr(GString) brackets = g_string_new (NULL);

  /* Deep but within the limit of a real payload: fine. */
  atx_bridge_message_free (parse_ok ("{\"type\": \"readyToClose\", \"data\": {\"a\": {\"b\": [[{\"c\": [1]}]]}}}"));

  for (guint i = 0; i < 200; i++)
    g_string_append_c (json, '[');
  for (guint i = 0; i < 200; i++)
    g_string_append_c (json, ']');
  g_string_append (json, "}}");
  g_assert_null (atx_bridge_message_parse_json (json->str, -1, &error));
  g_assert_error (error, ATX_BRIDGE_ERROR, ATX_BRIDGE_ERROR_MALFORMED);
  g_clear_error (&error);

  /* 60,000 unclosed brackets: refused before the parser recurses. */
  for (guint i = 0; i < 60000; i++)
    g_string_append_c (brackets, '[');
  g_assert_null (atx_bridge_message_parse_json (brackets->str, -1, &error));
  g_assert_error (error, ATX_BRIDGE_ERROR, ATX_BRIDGE_ERROR_MALFORMED);
}

static void
test_parse_node (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) array = json_from_string ("[1, 2]", NULL);
  g_autoptr(JsonNode) valid = json_from_string ("{\"type\": \"participantLeft\", \"data\": {\"id\": \"p\"}}", NULL);
  g_autoptr(JsonNode) deep = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) top = json_object_new ();
  g_autoptr(JsonObject) data = json_object_new ();
  JsonArray *inner = json_array_new ();
  AtxBridgeMessage *m;

  g_assert_null (atx_bridge_message_parse_node (NULL, &error));
  g_assert_error (error, ATX_BRIDGE_ERROR, ATX_BRIDGE_ERROR_MALFORMED);
  g_clear_error (&error);

  g_assert_null (atx_bridge_message_parse_node (array, &error));
  g_assert_error (error, ATX_BRIDGE_ERROR, ATX_BRIDGE_ERROR_MALFORMED);
  g_clear_error (&error);

  m = atx_bridge_message_parse_node (valid, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (m->id, ==, "p");
  atx_bridge_message_free (m);

  /* A node built (not parsed) 100 levels deep. */
  json_object_set_string_member (top, "type", "readyToClose");
  for (guint i = 0; i < 100; i++)
    {
      JsonArray *outer = json_array_new ();
      json_array_add_array_element (outer, inner);
      inner = outer;
    }
  json_object_set_array_member (data, "x", inner);
  json_object_set_object_member (top, "data", json_object_ref (data));
  json_node_set_object (deep, top);
  g_assert_null (atx_bridge_message_parse_node (deep, &error));
  g_assert_error (error, ATX_BRIDGE_ERROR, ATX_BRIDGE_ERROR_MALFORMED);
}

/* ------------------------------------------------------------ fuzzing */

static const char * const valid_samples[] = {
  "{\"type\": \"videoConferenceJoined\", \"data\": {\"roomName\": \"r\", \"id\": \"me\", \"displayName\": \"D\"}}",
  "{\"type\": \"participantJoined\", \"data\": {\"id\": \"p1\", \"displayName\": \"Alex\"}}",
  "{\"type\": \"participantLeft\", \"data\": {\"id\": \"p1\"}}",
  "{\"type\": \"participantRoleChanged\", \"data\": {\"id\": \"me\", \"role\": \"moderator\"}}",
  "{\"type\": \"knockingParticipant\", \"data\": {\"participant\": {\"id\": \"k1\", \"name\": \"G\"}}}",
  "{\"type\": \"audioMuteStatusChanged\", \"data\": {\"muted\": true}}",
  "{\"type\": \"errorOccurred\", \"data\": {\"error\": {\"name\": \"n\", \"type\": \"CONNECTION\", \"isFatal\": true}}}",
  "{\"type\": \"readyToClose\", \"data\": {}}",
  "{\"type\": \"browserSupport\", \"data\": {\"supported\": false}}",
  "{\"type\": \"externalApiLoadFailed\", \"data\": {\"url\": \"u\", \"reason\": \"r\"}}",
};

static const char * const json_atoms[] = {
  "null", "true", "false", "0", "-1", "1e308", "\"\"", "\"x\"", "[]", "{}", "[null]", "{\"id\": 1}",
};

/* One message that must be refused, of a random kind. */
static char *
make_malformed (void)
{
  const char *type = atx_bridge_message_type_to_string (g_test_rand_int_range (0, 12));
  const char *atom = json_atoms[g_test_rand_int_range (0, G_N_ELEMENTS (json_atoms))];

  switch (g_test_rand_int_range (0, 9))
    {
    case 0: /* random bytes */
      {
        guint len = g_test_rand_int_range (0, 200);
        char *bytes = g_malloc (len + 1);
        for (guint i = 0; i < len; i++)
          bytes[i] = g_test_rand_int_range (1, 256);
        bytes[len] = '\0';
        /* Never accidentally an object. */
        if (len > 0)
          bytes[0] = '#';
        return bytes;
      }
    case 1: /* unknown type */
      return g_strdup_printf ("{\"type\": \"x%08x\", \"data\": {}}", g_test_rand_int ());
    case 2: /* data of the wrong kind */
      return g_strdup_printf ("{\"type\": \"%s\", \"data\": %s}", type,
                              g_test_rand_bit () ? "[]" : "\"data\"");
    case 3: /* type of the wrong kind */
      return g_strdup_printf ("{\"type\": %s, \"data\": {}}", atom);
    case 4: /* a required id of the wrong type */
      return g_strdup_printf ("{\"type\": \"%s\", \"data\": {\"id\": %s, \"roomName\": \"r\", \"role\": \"m\"}}",
                              g_test_rand_bit () ? "participantLeft" : "participantRoleChanged",
                              g_test_rand_bit () ? "42" : "[\"p\"]");
    case 5: /* huge string */
      {
        g_autofree char *huge = g_strnfill (ATX_BRIDGE_MAX_STRING + 1 + g_test_rand_int_range (0, 5000), 'z');
        return g_strdup_printf ("{\"type\": \"participantJoined\", \"data\": {\"id\": \"%s\"}}", huge);
      }
    case 6: /* a mute state that is not a boolean */
      return g_strdup_printf ("{\"type\": \"%s\", \"data\": {\"muted\": %s}}",
                              g_test_rand_bit () ? "audioMuteStatusChanged" : "videoMuteStatusChanged",
                              g_test_rand_bit () ? "\"true\"" : "1");
    case 7: /* a valid message cut short */
      {
        const char *sample = valid_samples[g_test_rand_int_range (0, G_N_ELEMENTS (valid_samples))];
        return g_strndup (sample, g_test_rand_int_range (0, strlen (sample) - 1));
      }
    default: /* not UTF-8 inside a valid shape */
      return g_strdup_printf ("{\"type\": \"participantJoined\", \"data\": {\"id\": \"p\xc3%c\"}}",
                              (char) g_test_rand_int_range ('a', 'z'));
    }
}

typedef struct {
  guint commands;
} Counter;

static void
on_command (AtxCallSession *session,
            const char     *json,
            Counter        *counter)
{
  counter->commands++;
}

static void
test_fuzz_malformed_no_store_change (void)
{
  CallTestStore s = { 0 };
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  AtxCallSession *session;
  Counter counter = { 0 };

  call_test_store_init (&s);
  before = call_test_store_read_file (&s);
  session = atx_call_session_new (s.store, s.id, "Initial consultation", CALL_TEST_ROOM,
                                  ATX_CALL_TYPE_VIDEO, FALSE, ATX_CALL_WHERE_EMBEDDED, TRUE);
  g_signal_connect (session, "command", G_CALLBACK (on_command), &counter);

  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *json = make_malformed ();
      g_autoptr(GError) error = NULL;
      AtxBridgeMessage *m = atx_bridge_message_parse_json (json, -1, &error);

      if (m != NULL)
        {
          /* Only reached if the generator is wrong; feed it anyway. */
          atx_call_session_handle_message (session, m);
          atx_bridge_message_free (m);
          g_error ("accepted: %s", json);
        }
      g_assert_nonnull (error);
      g_assert_true (error->domain == ATX_BRIDGE_ERROR);
    }

  g_assert_cmpint (atx_call_session_get_state (session), ==, ATX_CALL_STATE_CONNECTING);
  g_assert_cmpuint (counter.commands, ==, 0);
  g_assert_null (atx_call_session_get_log (session));
  g_assert_finalize_object (session);

  after = call_test_store_read_file (&s);
  g_assert_cmpstr (before, ==, after);
  g_assert_false (atx_appointment_store_has_unsaved_changes (s.store));
  call_test_store_clear (&s);
}

/* Random mutations of valid messages: whatever parses is fed to a session,
 * and nothing crashes or warns. */
static void
test_fuzz_mutations (void)
{
  CallTestStore s = { 0 };
  AtxCallSession *session;

  call_test_store_init (&s);
  session = atx_call_session_new (s.store, s.id, "t", CALL_TEST_ROOM,
                                  ATX_CALL_TYPE_VIDEO, FALSE, ATX_CALL_WHERE_BROWSER, TRUE);

  for (guint i = 0; i < 1000; i++)
    {
      const char *sample = valid_samples[g_test_rand_int_range (0, G_N_ELEMENTS (valid_samples))];
      g_autofree char *json = g_strdup (sample);
      guint n = g_test_rand_int_range (1, 4);
      AtxBridgeMessage *m;

      for (guint j = 0; j < n; j++)
        json[g_test_rand_int_range (0, strlen (json))] = g_test_rand_int_range (1, 256);

      m = atx_bridge_message_parse_json (json, -1, NULL);
      if (m != NULL)
        {
          atx_call_session_handle_message (session, m);
          atx_bridge_message_free (m);
        }
    }

  g_assert_finalize_object (session);
  call_test_store_clear (&s);
}

/* ------------------------------------------------------------ commands */

static void
test_command_json (void)
{
  struct {
    AtxBridgeCommand command;
    const char      *id;
    gboolean         flag;
    const char      *json;
  } cases[] = {
    { ATX_BRIDGE_COMMAND_HANGUP, NULL, FALSE, "{\"name\":\"hangup\",\"args\":[]}" },
    { ATX_BRIDGE_COMMAND_TOGGLE_AUDIO, NULL, TRUE, "{\"name\":\"toggleAudio\",\"args\":[]}" },
    { ATX_BRIDGE_COMMAND_TOGGLE_VIDEO, NULL, FALSE, "{\"name\":\"toggleVideo\",\"args\":[]}" },
    { ATX_BRIDGE_COMMAND_ANSWER_KNOCKING, "k1", TRUE, "{\"name\":\"answerKnockingParticipant\",\"args\":[\"k1\",true]}" },
    { ATX_BRIDGE_COMMAND_ANSWER_KNOCKING, "k\"2", FALSE, "{\"name\":\"answerKnockingParticipant\",\"args\":[\"k\\\"2\",false]}" },
    { ATX_BRIDGE_COMMAND_TOGGLE_LOBBY, NULL, TRUE, "{\"name\":\"toggleLobby\",\"args\":[true]}" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *json = atx_bridge_command_to_json (cases[i].command, cases[i].id, cases[i].flag);
      g_assert_cmpstr (json, ==, cases[i].json);
    }
}

/* ------------------------------------------------------------ the page */

#define HOSTILE "</script><script>alert(1)</script><!-- \xe2\x80\xa8 \xe2\x80\xa9 & >"
#define CONFIG_OPEN "<script type=\"application/json\" id=\"ataraxia-config\">"

static char *
render (const AtxCallPageConfig *config)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) page = atx_call_page_render (config, &error);

  g_assert_no_error (error);
  return g_strndup (g_bytes_get_data (page, NULL), g_bytes_get_size (page));
}

static guint
count (const char *haystack,
       const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

/* The text of the config element: from its open tag to the first
 * "</script" after it, as an HTML parser would see it. */
static JsonObject *
extract_config (const char *html,
                char      **out_text)
{
  const char *start = strstr (html, CONFIG_OPEN);
  const char *end;
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (start);
  start += strlen (CONFIG_OPEN);
  end = strstr (start, "</script");
  g_assert_nonnull (end);
  text = g_strndup (start, end - start);
  node = json_from_string (text, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  if (out_text != NULL)
    *out_text = g_steal_pointer (&text);
  return json_object_ref (json_node_get_object (node));
}

static void
test_render_escapes (void)
{
  AtxCallPageConfig config = {
    .domain = "meet.example.org",
    .room_name = "ataraxia-" HOSTILE,
    .jwt = "a.b.c" HOSTILE,
    .display_name = "Dr " HOSTILE,
    .email = "x@y.z" HOSTILE,
    .transport = "webkit",
  };
  g_autofree char *html = render (&config);
  g_autofree char *text = NULL;
  g_autoptr(JsonObject) parsed = extract_config (html, &text);

  /* Every value came back whole: nothing closed the element early. */
  g_assert_cmpstr (json_object_get_string_member (parsed, "room_name"), ==, config.room_name);
  g_assert_cmpstr (json_object_get_string_member (parsed, "jwt"), ==, config.jwt);
  g_assert_cmpstr (json_object_get_string_member (parsed, "display_name"), ==, config.display_name);
  g_assert_cmpstr (json_object_get_string_member (parsed, "email"), ==, config.email);

  g_assert_null (strchr (text, '<'));
  g_assert_null (strchr (text, '>'));
  g_assert_null (strchr (text, '&'));
  g_assert_null (strstr (text, "\xe2\x80\xa8"));
  g_assert_null (strstr (text, "\xe2\x80\xa9"));
  g_assert_nonnull (strstr (text, "\\u2028"));

  /* The page has exactly its own two script elements. */
  g_assert_cmpuint (count (html, "<script"), ==, 2);
  g_assert_cmpuint (count (html, "</script>"), ==, 2);
  g_assert_nonnull (strstr (html, "<script src=\"call.js\""));
  g_assert_null (strstr (html, "<script>alert"));
}

static void
test_render_members (void)
{
  AtxCallPageConfig config = {
    .domain = "127.0.0.1:8443",
    .room_name = "ataraxia-room",
    .jwt = NULL,
    .display_name = "Dr",
    .audio_only = TRUE,
    .skip_webrtc_check = TRUE,
    .transport = "http",
    .events_url = "/call/s/events",
    .commands_url = "/call/s/commands",
  };
  g_autofree char *html = render (&config);
  g_autoptr(JsonObject) parsed = extract_config (html, NULL);
  g_autoptr(JsonObject) remote = NULL;

  g_assert_cmpstr (json_object_get_string_member (parsed, "domain"), ==, "127.0.0.1:8443");
  g_assert_cmpstr (json_object_get_string_member (parsed, "external_api_url"), ==,
                   "http://127.0.0.1:8443/external_api.js");
  g_assert_true (json_object_get_null_member (parsed, "jwt"));
  g_assert_true (json_object_get_null_member (parsed, "email"));
  g_assert_true (json_object_get_boolean_member (parsed, "audio_only"));
  g_assert_true (json_object_get_boolean_member (parsed, "skip_webrtc_check"));
  g_assert_cmpstr (json_object_get_string_member (parsed, "transport"), ==, "http");
  g_assert_cmpstr (json_object_get_string_member (parsed, "events_url"), ==, "/call/s/events");
  g_assert_cmpstr (json_object_get_string_member (parsed, "commands_url"), ==, "/call/s/commands");
  g_assert_cmpint (json_object_get_int_member (parsed, "load_timeout_ms"), ==, 15000);
  g_assert_true (json_object_has_member (json_object_get_object_member (parsed, "strings"), "connecting"));

  /* Any other host: https, and no HTTP URLs for the webkit transport. */
  config.domain = "meet.example.org";
  config.transport = "webkit";
  config.load_timeout_ms = 1000;
  {
    g_autofree char *html2 = render (&config);
    remote = extract_config (html2, NULL);
  }
  g_assert_cmpstr (json_object_get_string_member (remote, "external_api_url"), ==,
                   "https://meet.example.org/external_api.js");
  g_assert_true (json_object_get_null_member (remote, "events_url"));
  g_assert_cmpint (json_object_get_int_member (remote, "load_timeout_ms"), ==, 1000);
}

static void
test_render_refuses (void)
{
  struct {
    AtxCallPageConfig config;
  } cases[] = {
    { { .room_name = "r", .transport = "webkit" } },
    { { .domain = "meet.example.org", .transport = "webkit" } },
    { { .domain = "meet.example.org", .room_name = "r" } },
    { { .domain = "meet.example.org", .room_name = "r", .transport = "carrier-pigeon" } },
    { { .domain = "meet.example.org", .room_name = "r", .transport = "http" } },
    { { .domain = "meet.example.org/</script>", .room_name = "r", .transport = "webkit" } },
    { { .domain = "meet.example.org", .room_name = "r\xff", .transport = "webkit" } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) page = atx_call_page_render (&cases[i].config, &error);

      g_assert_null (page);
      g_assert_error (error, ATX_BRIDGE_ERROR, ATX_BRIDGE_ERROR_INVALID_DATA);
    }
}

static void
test_page_resources (void)
{
  static const char * const names[] = { "call.html", "call.js", "call.css" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_strconcat ("/org/ataraxia/Calendar/call/", names[i], NULL);
      g_autoptr(GBytes) bytes = g_resources_lookup_data (path, 0, NULL);

      g_assert_nonnull (bytes);
      g_assert_cmpuint (g_bytes_get_size (bytes), >, 100);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bridge/parse/every-valid-type", test_valid_messages);
  g_test_add_func ("/bridge/parse/type-names-round-trip", test_type_names);
  g_test_add_func ("/bridge/parse/string-limit", test_string_limit);
  g_test_add_func ("/bridge/parse/malformed-table", test_malformed_table);
  g_test_add_func ("/bridge/parse/non-utf8", test_non_utf8);
  g_test_add_func ("/bridge/parse/explicit-length", test_explicit_length);
  g_test_add_func ("/bridge/parse/over-64k", test_too_large);
  g_test_add_func ("/bridge/parse/deep-nesting", test_deep_nesting);
  g_test_add_func ("/bridge/parse/node", test_parse_node);
  g_test_add_func ("/bridge/fuzz/1000-malformed-change-nothing", test_fuzz_malformed_no_store_change);
  g_test_add_func ("/bridge/fuzz/1000-mutations-no-crash", test_fuzz_mutations);
  g_test_add_func ("/bridge/command/json", test_command_json);
  g_test_add_func ("/bridge/page/escapes-script-end-and-separators", test_render_escapes);
  g_test_add_func ("/bridge/page/config-members", test_render_members);
  g_test_add_func ("/bridge/page/refuses-bad-config", test_render_refuses);
  g_test_add_func ("/bridge/page/bundled-resources", test_page_resources);

  return g_test_run ();
}

/* test-appointment.c — AtxAppointment: properties, validation, JSON. */
#include <string.h>

#include "core/atx-appointment.h"

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static char *
object_to_string (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return json_to_string (node, FALSE);
}

static gboolean
objects_equal (JsonObject *a,
               JsonObject *b)
{
  g_autoptr(JsonNode) na = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonNode) nb = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (na, a);
  json_node_set_object (nb, b);
  return json_node_equal (na, nb);
}

static GDateTime *
iso (const char *text)
{
  GDateTime *dt = g_date_time_new_from_iso8601 (text, NULL);

  g_assert_nonnull (dt);
  return dt;
}

static AtxAppointment *
from_json_ok (const char *json)
{
  g_autoptr(JsonObject) object = parse_object (json);
  g_autoptr(GError) error = NULL;
  AtxAppointment *appointment = atx_appointment_new_from_json (object, &error);

  g_assert_no_error (error);
  g_assert_nonnull (appointment);
  return appointment;
}

static void
assert_from_json_fails (const char *json,
                        int         code)
{
  g_autoptr(JsonObject) object = parse_object (json);
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxAppointment) appointment = atx_appointment_new_from_json (object, &error);

  g_assert_null (appointment);
  g_assert_error (error, ATX_APPOINTMENT_ERROR, code);
  g_assert_nonnull (error->message);
  g_assert_cmpstr (error->message, !=, "");
}

#define FULL_ENTRY \
  "{\"id\":\"a1\",\"title\":\"Initial consultation\",\"clientName\":\"Alex Doe\"," \
  "\"clientEmail\":\"alex@example.com\",\"start\":\"2026-11-24T15:00:00+01:00\"," \
  "\"end\":\"2026-11-24T15:50:00+01:00\",\"status\":\"scheduled\",\"notes\":\"n\"," \
  "\"isVideoCall\":true,\"videoCallType\":\"audio\",\"videoCallRoomName\":\"ataraxia-abc\"," \
  "\"videoCallUrl\":\"https://meet.example.org/ataraxia-abc\",\"videoCallJWT\":\"eyJ.x.y\"," \
  "\"videoCallJWTExpiresAt\":\"2026-11-24T17:00:00Z\"," \
  "\"callLog\":[{\"startedAt\":\"2026-11-24T15:01:00+01:00\",\"roomName\":\"ataraxia-abc\"," \
  "\"callType\":\"audio\",\"adHoc\":false,\"where\":\"embedded\",\"participants\":[]," \
  "\"error\":null,\"futureCallMember\":{\"x\":[1,2.5,true]}}]," \
  "\"createdAt\":\"2026-11-01T10:00:00.123Z\",\"updatedAt\":\"2026-11-02T10:00:00+00:00\"," \
  "\"futureMember\":{\"nested\":[1,\"two\",null]},\"anotherOne\":42}"

/* ---------------------------------------------------------------- tests */

static void
test_new_defaults (void)
{
  g_autoptr(AtxAppointment) appointment = atx_appointment_new ();

  g_assert_true (g_uuid_string_is_valid (atx_appointment_get_id (appointment)));
  g_assert_cmpint (atx_appointment_get_status (appointment), ==, ATX_APPOINTMENT_STATUS_SCHEDULED);
  g_assert_cmpstr (atx_appointment_get_title (appointment), ==, "");
  g_assert_false (atx_appointment_get_is_video_call (appointment));
  g_assert_nonnull (atx_appointment_get_created_at (appointment));
  g_assert_true (g_date_time_equal (atx_appointment_get_created_at (appointment),
                                    atx_appointment_get_updated_at (appointment)));
  g_assert_nonnull (atx_appointment_get_call_log (appointment));
  g_assert_cmpuint (json_array_get_length (atx_appointment_get_call_log (appointment)), ==, 0);

  {
    g_autoptr(AtxAppointment) other = atx_appointment_new ();

    g_assert_cmpstr (atx_appointment_get_id (appointment), !=, atx_appointment_get_id (other));
    g_assert_finalize_object (g_steal_pointer (&other));
  }

  g_assert_finalize_object (g_steal_pointer (&appointment));
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              GHashTable *counts)
{
  const char *name = g_param_spec_get_name (pspec);

  g_hash_table_insert (counts, (gpointer) name,
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, name)) + 1));
}

static guint
notified (GHashTable *counts,
          const char *name)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (counts, name));
}

static void
test_properties (void)
{
  g_autoptr(AtxAppointment) appointment = atx_appointment_new ();
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GDateTime) start = iso ("2026-11-24T15:00:00+01:00");
  g_autoptr(GDateTime) end = iso ("2026-11-24T15:50:00+01:00");
  g_autoptr(GDateTime) expires = iso ("2026-11-24T17:00:00Z");
  g_autoptr(GDateTime) got_start = NULL;
  g_autoptr(GDateTime) got_expires = NULL;
  g_autoptr(JsonArray) log = json_array_new ();
  g_autoptr(JsonArray) got_log = NULL;
  g_autofree char *title = NULL, *name = NULL, *email = NULL, *notes = NULL;
  g_autofree char *room = NULL, *url = NULL, *jwt = NULL, *id = NULL;
  AtxAppointmentStatus status;
  AtxCallType type;
  gboolean video;

  g_signal_connect (appointment, "notify", G_CALLBACK (count_notify), counts);

  json_array_add_string_element (log, "entry");
  g_object_set (appointment,
                "title", "Therapy",
                "client-name", "Alex",
                "client-email", "alex@example.com",
                "start", start,
                "end", end,
                "status", ATX_APPOINTMENT_STATUS_NO_SHOW,
                "notes", "Bring forms",
                "is-video-call", TRUE,
                "video-call-type", ATX_CALL_TYPE_AUDIO,
                "video-call-room-name", "ataraxia-room",
                "video-call-url", "https://meet.example.org/ataraxia-room",
                "video-call-jwt", "eyJ.a.b",
                "video-call-jwt-expires-at", expires,
                "call-log", log,
                NULL);

  g_object_get (appointment,
                "id", &id,
                "title", &title,
                "client-name", &name,
                "client-email", &email,
                "start", &got_start,
                "status", &status,
                "notes", &notes,
                "is-video-call", &video,
                "video-call-type", &type,
                "video-call-room-name", &room,
                "video-call-url", &url,
                "video-call-jwt", &jwt,
                "video-call-jwt-expires-at", &got_expires,
                "call-log", &got_log,
                NULL);

  g_assert_cmpstr (id, ==, atx_appointment_get_id (appointment));
  g_assert_cmpstr (title, ==, "Therapy");
  g_assert_cmpstr (name, ==, "Alex");
  g_assert_cmpstr (email, ==, "alex@example.com");
  g_assert_true (g_date_time_equal (got_start, start));
  g_assert_cmpint (status, ==, ATX_APPOINTMENT_STATUS_NO_SHOW);
  g_assert_cmpstr (notes, ==, "Bring forms");
  g_assert_true (video);
  g_assert_cmpint (type, ==, ATX_CALL_TYPE_AUDIO);
  g_assert_cmpstr (room, ==, "ataraxia-room");
  g_assert_cmpstr (url, ==, "https://meet.example.org/ataraxia-room");
  g_assert_cmpstr (jwt, ==, "eyJ.a.b");
  g_assert_true (g_date_time_equal (got_expires, expires));
  g_assert_true (got_log == log);
  g_assert_true (g_date_time_equal (atx_appointment_get_end (appointment), end));

  /* Each property notified exactly once. */
  for (const char * const *p = (const char * const[]) {
         "title", "client-name", "client-email", "start", "end", "status", "notes",
         "is-video-call", "video-call-type", "video-call-room-name", "video-call-url",
         "video-call-jwt", "video-call-jwt-expires-at", "call-log", NULL }; *p; p++)
    g_assert_cmpuint (notified (counts, *p), ==, 1);

  /* Same values again: no notification. */
  g_hash_table_remove_all (counts);
  {
    g_autoptr(GDateTime) same_start = iso ("2026-11-24T15:00:00+01:00");
    g_autoptr(JsonArray) same_log = json_array_new ();

    json_array_add_string_element (same_log, "entry");
    g_object_set (appointment,
                  "title", "Therapy",
                  "client-name", "Alex",
                  "start", same_start,
                  "status", ATX_APPOINTMENT_STATUS_NO_SHOW,
                  "is-video-call", TRUE,
                  "video-call-type", ATX_CALL_TYPE_AUDIO,
                  "video-call-room-name", "ataraxia-room",
                  "video-call-jwt-expires-at", expires,
                  "call-log", same_log,
                  NULL);
  }
  g_assert_cmpuint (g_hash_table_size (counts), ==, 0);

  /* The same instant in another offset is a change (it displays differently). */
  {
    g_autoptr(GDateTime) utc = iso ("2026-11-24T14:00:00Z");

    atx_appointment_set_start (appointment, utc);
    g_assert_cmpuint (notified (counts, "start"), ==, 1);
  }

  g_signal_handlers_disconnect_by_data (appointment, counts);
  g_assert_finalize_object (g_steal_pointer (&appointment));
}

static void
test_touch (void)
{
  g_autoptr(AtxAppointment) appointment = from_json_ok (FULL_ENTRY);
  g_autoptr(GDateTime) before = g_date_time_new_now_utc ();
  GDateTime *updated;
  g_autoptr(JsonObject) output = NULL;
  guint count = 0;

  g_signal_connect_swapped (appointment, "notify::updated-at", G_CALLBACK (g_atomic_int_inc), &count);

  atx_appointment_touch (appointment);
  updated = atx_appointment_get_updated_at (appointment);
  g_assert_nonnull (updated);
  g_assert_cmpint (g_date_time_difference (updated, before), >=, -G_TIME_SPAN_SECOND);
  g_assert_cmpuint (count, ==, 1);
  output = atx_appointment_to_json (appointment);
  g_assert_cmpstr (json_object_get_string_member (output, "createdAt"), ==, "2026-11-01T10:00:00.123Z");
  g_assert_cmpstr (json_object_get_string_member (output, "updatedAt"), !=, "2026-11-02T10:00:00+00:00");
}

static void
test_status_strings (void)
{
  AtxAppointmentStatus status;
  AtxCallType type;
  const char *names[] = { "scheduled", "completed", "cancelled", "no-show" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_assert_true (atx_appointment_status_from_string (names[i], &status));
      g_assert_cmpint (status, ==, i);
      g_assert_cmpstr (atx_appointment_status_to_string (status), ==, names[i]);
      g_assert_nonnull (atx_appointment_status_to_label (status));
      g_assert_cmpstr (atx_appointment_status_to_label (status), !=, "");
    }
  g_assert_cmpstr (atx_appointment_status_to_label (ATX_APPOINTMENT_STATUS_NO_SHOW), ==, "No-show");
  g_assert_false (atx_appointment_status_from_string ("Scheduled", &status));
  g_assert_false (atx_appointment_status_from_string ("", &status));
  g_assert_false (atx_appointment_status_from_string (NULL, &status));

  g_assert_true (atx_call_type_from_string ("video", &type));
  g_assert_cmpint (type, ==, ATX_CALL_TYPE_VIDEO);
  g_assert_true (atx_call_type_from_string ("audio", &type));
  g_assert_cmpint (type, ==, ATX_CALL_TYPE_AUDIO);
  g_assert_false (atx_call_type_from_string ("phone", &type));
  g_assert_cmpstr (atx_call_type_to_string (ATX_CALL_TYPE_AUDIO), ==, "audio");

  g_assert_true (G_TYPE_IS_ENUM (ATX_TYPE_APPOINTMENT_STATUS));
  g_assert_true (G_TYPE_IS_ENUM (ATX_TYPE_CALL_TYPE));
}

static void
test_validation_title_required (void)
{
  g_autoptr(AtxAppointment) appointment = atx_appointment_new ();
  g_autoptr(GDateTime) start = iso ("2026-11-24T15:00:00+01:00");
  g_autoptr(GDateTime) end = iso ("2026-11-24T15:50:00+01:00");
  g_autoptr(GError) error = NULL;

  atx_appointment_set_start (appointment, start);
  atx_appointment_set_end (appointment, end);

  g_assert_false (atx_appointment_validate (appointment, &error));
  g_assert_error (error, ATX_APPOINTMENT_ERROR, ATX_APPOINTMENT_ERROR_TITLE_REQUIRED);
  g_clear_error (&error);

  atx_appointment_set_title (appointment, "   ");
  g_assert_false (atx_appointment_validate (appointment, &error));
  g_assert_error (error, ATX_APPOINTMENT_ERROR, ATX_APPOINTMENT_ERROR_TITLE_REQUIRED);
  g_clear_error (&error);

  atx_appointment_set_title (appointment, "Session");
  g_assert_true (atx_appointment_validate (appointment, &error));
  g_assert_no_error (error);

  assert_from_json_fails ("{\"id\":\"x\",\"start\":\"2026-11-24T15:00:00+01:00\","
                          "\"end\":\"2026-11-24T16:00:00+01:00\"}",
                          ATX_APPOINTMENT_ERROR_TITLE_REQUIRED);
  assert_from_json_fails ("{\"id\":\"x\",\"title\":\"\",\"start\":\"2026-11-24T15:00:00+01:00\","
                          "\"end\":\"2026-11-24T16:00:00+01:00\"}",
                          ATX_APPOINTMENT_ERROR_TITLE_REQUIRED);
}

static void
test_validation_times (void)
{
  g_autoptr(AtxAppointment) appointment = atx_appointment_new ();
  g_autoptr(GDateTime) start = iso ("2026-11-24T15:00:00+01:00");
  g_autoptr(GDateTime) before = iso ("2026-11-24T14:00:00+01:00");
  g_autoptr(GError) error = NULL;

  atx_appointment_set_title (appointment, "Session");
  g_assert_false (atx_appointment_validate (appointment, &error));
  g_assert_error (error, ATX_APPOINTMENT_ERROR, ATX_APPOINTMENT_ERROR_INVALID_TIME);
  g_clear_error (&error);

  atx_appointment_set_start (appointment, start);
  atx_appointment_set_end (appointment, start);
  g_assert_false (atx_appointment_validate (appointment, &error));
  g_assert_error (error, ATX_APPOINTMENT_ERROR, ATX_APPOINTMENT_ERROR_END_BEFORE_START);
  g_clear_error (&error);

  atx_appointment_set_end (appointment, before);
  g_assert_false (atx_appointment_validate (appointment, &error));
  g_assert_error (error, ATX_APPOINTMENT_ERROR, ATX_APPOINTMENT_ERROR_END_BEFORE_START);
  g_clear_error (&error);

  assert_from_json_fails ("{\"id\":\"x\",\"title\":\"t\",\"start\":\"2026-11-24T15:00:00+01:00\","
                          "\"end\":\"2026-11-24T14:00:00Z\"}",
                          ATX_APPOINTMENT_ERROR_END_BEFORE_START);
  assert_from_json_fails ("{\"id\":\"x\",\"title\":\"t\",\"start\":\"2026-11-24T15:00:00+01:00\"}",
                          ATX_APPOINTMENT_ERROR_INVALID_TIME);
  assert_from_json_fails ("{\"id\":\"x\",\"title\":\"t\",\"start\":\"tomorrow\","
                          "\"end\":\"2026-11-24T16:00:00+01:00\"}",
                          ATX_APPOINTMENT_ERROR_INVALID_TIME);
  /* A time without an offset is ambiguous: not a store time. */
  assert_from_json_fails ("{\"id\":\"x\",\"title\":\"t\",\"start\":\"2026-11-24T15:00:00\","
                          "\"end\":\"2026-11-24T16:00:00+01:00\"}",
                          ATX_APPOINTMENT_ERROR_INVALID_TIME);
}

static void
test_validation_missing_id (void)
{
  assert_from_json_fails ("{\"title\":\"t\",\"start\":\"2026-11-24T15:00:00+01:00\","
                          "\"end\":\"2026-11-24T16:00:00+01:00\"}",
                          ATX_APPOINTMENT_ERROR_MISSING_ID);
  assert_from_json_fails ("{\"id\":\"\",\"title\":\"t\",\"start\":\"2026-11-24T15:00:00+01:00\","
                          "\"end\":\"2026-11-24T16:00:00+01:00\"}",
                          ATX_APPOINTMENT_ERROR_MISSING_ID);
  assert_from_json_fails ("{\"id\":null,\"title\":\"t\",\"start\":\"2026-11-24T15:00:00+01:00\","
                          "\"end\":\"2026-11-24T16:00:00+01:00\"}",
                          ATX_APPOINTMENT_ERROR_MISSING_ID);
}

static void
test_validation_status_and_call_type (void)
{
  g_autoptr(AtxAppointment) appointment = NULL;

  assert_from_json_fails ("{\"id\":\"x\",\"title\":\"t\",\"start\":\"2026-11-24T15:00:00+01:00\","
                          "\"end\":\"2026-11-24T16:00:00+01:00\",\"status\":\"postponed\"}",
                          ATX_APPOINTMENT_ERROR_INVALID_STATUS);
  assert_from_json_fails ("{\"id\":\"x\",\"title\":\"t\",\"start\":\"2026-11-24T15:00:00+01:00\","
                          "\"end\":\"2026-11-24T16:00:00+01:00\",\"isVideoCall\":true,"
                          "\"videoCallType\":\"hologram\"}",
                          ATX_APPOINTMENT_ERROR_INVALID_CALL_TYPE);

  /* A missing status is "scheduled" (files of the web app). */
  appointment = from_json_ok ("{\"id\":\"x\",\"title\":\"t\",\"start\":\"2026-11-24T15:00:00+01:00\","
                              "\"end\":\"2026-11-24T16:00:00+01:00\"}");
  g_assert_cmpint (atx_appointment_get_status (appointment), ==, ATX_APPOINTMENT_STATUS_SCHEDULED);
}

static void
test_validation_wrong_types (void)
{
  const char *cases[] = {
    "{\"id\":5,\"title\":\"t\",\"start\":\"2026-11-24T15:00:00+01:00\",\"end\":\"2026-11-24T16:00:00+01:00\"}",
    "{\"id\":\"x\",\"title\":[\"t\"],\"start\":\"2026-11-24T15:00:00+01:00\",\"end\":\"2026-11-24T16:00:00+01:00\"}",
    "{\"id\":\"x\",\"title\":\"t\",\"start\":17,\"end\":\"2026-11-24T16:00:00+01:00\"}",
    "{\"id\":\"x\",\"title\":\"t\",\"start\":\"2026-11-24T15:00:00+01:00\",\"end\":\"2026-11-24T16:00:00+01:00\",\"isVideoCall\":\"yes\"}",
    "{\"id\":\"x\",\"title\":\"t\",\"start\":\"2026-11-24T15:00:00+01:00\",\"end\":\"2026-11-24T16:00:00+01:00\",\"callLog\":{}}",
    "{\"id\":\"x\",\"title\":\"t\",\"start\":\"2026-11-24T15:00:00+01:00\",\"end\":\"2026-11-24T16:00:00+01:00\",\"createdAt\":1}",
    "{\"id\":\"x\",\"title\":\"t\",\"start\":\"2026-11-24T15:00:00+01:00\",\"end\":\"2026-11-24T16:00:00+01:00\",\"status\":3}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_from_json_fails (cases[i], ATX_APPOINTMENT_ERROR_INVALID_FIELD);
}

static void
test_json_round_trip_unknown_members (void)
{
  g_autoptr(JsonObject) input = parse_object (FULL_ENTRY);
  g_autoptr(AtxAppointment) appointment = from_json_ok (FULL_ENTRY);
  g_autoptr(JsonObject) output = atx_appointment_to_json (appointment);
  g_autofree char *in_text = object_to_string (input);
  g_autofree char *out_text = object_to_string (output);

  /* Same members, same order, same text (times included). */
  g_assert_cmpstr (out_text, ==, in_text);

  g_assert_cmpstr (atx_appointment_get_id (appointment), ==, "a1");
  g_assert_cmpstr (atx_appointment_get_client_email (appointment), ==, "alex@example.com");
  g_assert_cmpint (atx_appointment_get_video_call_type (appointment), ==, ATX_CALL_TYPE_AUDIO);
  g_assert_cmpstr (atx_appointment_get_video_call_jwt (appointment), ==, "eyJ.x.y");
  g_assert_cmpint (g_date_time_get_utc_offset (atx_appointment_get_start (appointment)), ==,
                   G_TIME_SPAN_HOUR);
  g_assert_cmpint (g_date_time_get_microsecond (atx_appointment_get_created_at (appointment)), ==, 123000);
  g_assert_cmpuint (json_array_get_length (atx_appointment_get_call_log (appointment)), ==, 1);

  /* A change rewrites that member only; unknown members stay. */
  atx_appointment_set_title (appointment, "Follow-up");
  {
    g_autoptr(JsonObject) changed = atx_appointment_to_json (appointment);

    g_assert_cmpstr (json_object_get_string_member (changed, "title"), ==, "Follow-up");
    g_assert_cmpstr (json_object_get_string_member (changed, "createdAt"), ==, "2026-11-01T10:00:00.123Z");
    g_assert_cmpint (json_object_get_int_member (changed, "anotherOne"), ==, 42);
    g_assert_true (json_object_has_member (json_object_get_object_member (changed, "futureMember"), "nested"));
    g_assert_true (json_object_has_member (json_array_get_object_element (json_object_get_array_member (changed, "callLog"), 0),
                                           "futureCallMember"));
  }
}

static void
test_json_times (void)
{
  g_autoptr(AtxAppointment) appointment =
    from_json_ok ("{\"id\":\"x\",\"title\":\"t\",\"start\":\"2026-11-24T14:00:00.250Z\","
                  "\"end\":\"2026-11-24T15:00:00Z\"}");
  g_autoptr(JsonObject) output = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) berlin = NULL;
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/Berlin");

  g_assert_cmpint (g_date_time_get_microsecond (atx_appointment_get_start (appointment)), ==, 250000);
  output = atx_appointment_to_json (appointment);
  g_assert_cmpstr (json_object_get_string_member (output, "start"), ==, "2026-11-24T14:00:00.250Z");
  g_assert_cmpstr (json_object_get_string_member (output, "end"), ==, "2026-11-24T15:00:00Z");
  g_clear_pointer (&output, json_object_unref);

  g_assert_nonnull (tz);
  start = g_date_time_new (tz, 2026, 11, 24, 16, 0, 0);
  atx_appointment_set_start (appointment, start);
  output = atx_appointment_to_json (appointment);
  g_assert_cmpstr (json_object_get_string_member (output, "start"), ==, "2026-11-24T16:00:00+01:00");
  g_assert_cmpstr (json_object_get_string_member (output, "end"), ==, "2026-11-24T15:00:00Z");
  g_clear_pointer (&output, json_object_unref);

  /* Fractional seconds survive a write and a read. */
  berlin = g_date_time_new (tz, 2026, 7, 1, 9, 30, 1.5);
  atx_appointment_set_start (appointment, berlin);
  output = atx_appointment_to_json (appointment);
  g_assert_cmpstr (json_object_get_string_member (output, "start"), ==, "2026-07-01T09:30:01.500000+02:00");
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(AtxAppointment) again = atx_appointment_new_from_json (output, &error);

    g_assert_no_error (error);
    g_assert_true (g_date_time_equal (atx_appointment_get_start (again), berlin));
  }
}

static void
test_video_switch_off (void)
{
  g_autoptr(AtxAppointment) appointment = from_json_ok (FULL_ENTRY);
  g_autoptr(JsonObject) output = NULL;
  const char *video_members[] = { "videoCallType", "videoCallRoomName", "videoCallUrl",
                                  "videoCallJWT", "videoCallJWTExpiresAt" };
  guint notifications = 0;

  g_signal_connect_swapped (appointment, "notify", G_CALLBACK (g_atomic_int_inc), &notifications);
  atx_appointment_set_is_video_call (appointment, FALSE);
  g_assert_cmpuint (notifications, ==, 6);

  g_assert_null (atx_appointment_get_video_call_room_name (appointment));
  g_assert_null (atx_appointment_get_video_call_url (appointment));
  g_assert_null (atx_appointment_get_video_call_jwt (appointment));
  g_assert_null (atx_appointment_get_video_call_jwt_expires_at (appointment));
  g_assert_cmpint (atx_appointment_get_video_call_type (appointment), ==, ATX_CALL_TYPE_VIDEO);

  output = atx_appointment_to_json (appointment);
  g_assert_false (json_object_get_boolean_member (output, "isVideoCall"));
  for (guint i = 0; i < G_N_ELEMENTS (video_members); i++)
    g_assert_false (json_object_has_member (output, video_members[i]));
  /* The call log is history, not a video setting. */
  g_assert_true (json_object_has_member (output, "callLog"));
  g_assert_true (json_object_has_member (output, "futureMember"));
  g_clear_pointer (&output, json_object_unref);

  /* A new appointment without video has no video members either. */
  {
    g_autoptr(AtxAppointment) fresh = atx_appointment_new ();

    output = atx_appointment_to_json (fresh);
    for (guint i = 0; i < G_N_ELEMENTS (video_members); i++)
      g_assert_false (json_object_has_member (output, video_members[i]));
    g_clear_pointer (&output, json_object_unref);

    atx_appointment_set_is_video_call (fresh, TRUE);
    atx_appointment_set_video_call_room_name (fresh, "ataraxia-x");
    output = atx_appointment_to_json (fresh);
    g_assert_cmpstr (json_object_get_string_member (output, "videoCallType"), ==, "video");
    g_assert_cmpstr (json_object_get_string_member (output, "videoCallRoomName"), ==, "ataraxia-x");
    g_assert_false (json_object_has_member (output, "videoCallJWT"));
  }
}

static void
test_new_to_json_shape (void)
{
  g_autoptr(AtxAppointment) appointment = atx_appointment_new ();
  g_autoptr(GDateTime) start = iso ("2026-11-24T15:00:00+01:00");
  g_autoptr(GDateTime) end = iso ("2026-11-24T15:50:00+01:00");
  g_autoptr(JsonObject) output = NULL;
  g_autoptr(AtxAppointment) again = NULL;
  g_autoptr(GError) error = NULL;

  atx_appointment_set_title (appointment, "Initial consultation");
  atx_appointment_set_start (appointment, start);
  atx_appointment_set_end (appointment, end);
  output = atx_appointment_to_json (appointment);

  g_assert_cmpstr (json_object_get_string_member (output, "id"), ==, atx_appointment_get_id (appointment));
  g_assert_cmpstr (json_object_get_string_member (output, "start"), ==, "2026-11-24T15:00:00+01:00");
  g_assert_cmpstr (json_object_get_string_member (output, "end"), ==, "2026-11-24T15:50:00+01:00");
  g_assert_cmpstr (json_object_get_string_member (output, "status"), ==, "scheduled");
  g_assert_cmpstr (json_object_get_string_member (output, "notes"), ==, "");
  g_assert_true (json_object_has_member (output, "clientName"));
  g_assert_true (json_object_has_member (output, "createdAt"));
  g_assert_true (json_object_has_member (output, "updatedAt"));
  g_assert_false (json_object_get_boolean_member (output, "isVideoCall"));

  again = atx_appointment_new_from_json (output, &error);
  g_assert_no_error (error);
  g_assert_cmpint (atx_appointment_compare (again, appointment), ==, 0);
}

static void
test_copy (void)
{
  g_autoptr(AtxAppointment) original = from_json_ok (FULL_ENTRY);
  g_autoptr(AtxAppointment) copy = atx_appointment_copy (original);
  g_autoptr(JsonObject) a = atx_appointment_to_json (original);
  g_autoptr(JsonObject) b = atx_appointment_to_json (copy);

  g_assert_true (copy != original);
  g_assert_cmpstr (atx_appointment_get_id (copy), ==, "a1");
  g_assert_true (objects_equal (a, b));

  /* Independent: editing the copy (and its call log) leaves the original. */
  atx_appointment_set_title (copy, "Changed");
  json_array_add_null_element (atx_appointment_get_call_log (copy));
  atx_appointment_set_call_log (copy, atx_appointment_get_call_log (copy));
  g_assert_cmpstr (atx_appointment_get_title (original), ==, "Initial consultation");
  g_assert_cmpuint (json_array_get_length (atx_appointment_get_call_log (original)), ==, 1);
  g_assert_cmpuint (json_array_get_length (atx_appointment_get_call_log (copy)), ==, 2);

  g_clear_pointer (&b, json_object_unref);
  b = atx_appointment_to_json (copy);
  g_assert_cmpint (json_object_get_int_member (b, "anotherOne"), ==, 42);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (b, "callLog")), ==, 2);

  g_assert_finalize_object (g_steal_pointer (&copy));
  g_assert_finalize_object (g_steal_pointer (&original));
}

static void
test_call_log_in_place (void)
{
  g_autoptr(AtxAppointment) appointment = from_json_ok (FULL_ENTRY);
  g_autoptr(JsonObject) output = NULL;
  guint notifications = 0;

  g_signal_connect_swapped (appointment, "notify::call-log", G_CALLBACK (g_atomic_int_inc), &notifications);

  /* The call log writer appends in place, then sets the same array. */
  json_array_add_string_element (atx_appointment_get_call_log (appointment), "more");
  atx_appointment_set_call_log (appointment, atx_appointment_get_call_log (appointment));
  g_assert_cmpuint (notifications, ==, 1);

  output = atx_appointment_to_json (appointment);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (output, "callLog")), ==, 2);
}

static void
test_overlaps_and_compare (void)
{
  g_autoptr(AtxAppointment) a =
    from_json_ok ("{\"id\":\"a\",\"title\":\"t\",\"start\":\"2026-11-24T15:00:00+01:00\","
                  "\"end\":\"2026-11-24T16:00:00+01:00\"}");
  g_autoptr(AtxAppointment) b =
    from_json_ok ("{\"id\":\"b\",\"title\":\"t\",\"start\":\"2026-11-24T14:00:00Z\","
                  "\"end\":\"2026-11-24T14:30:00Z\"}");
  g_autoptr(GDateTime) t1500 = iso ("2026-11-24T15:00:00+01:00");
  g_autoptr(GDateTime) t1600 = iso ("2026-11-24T16:00:00+01:00");
  g_autoptr(GDateTime) t1700 = iso ("2026-11-24T17:00:00+01:00");
  g_autoptr(GDateTime) t1400 = iso ("2026-11-24T14:00:00+01:00");
  g_autoptr(GDateTime) t1530 = iso ("2026-11-24T15:30:00+01:00");

  /* [start, end) against [from, to): touching ends do not overlap. */
  g_assert_true (atx_appointment_overlaps (a, t1500, t1600));
  g_assert_true (atx_appointment_overlaps (a, t1530, t1700));
  g_assert_true (atx_appointment_overlaps (a, t1400, t1530));
  g_assert_false (atx_appointment_overlaps (a, t1600, t1700));
  g_assert_false (atx_appointment_overlaps (a, t1400, t1500));

  /* Same instant: by id. */
  g_assert_cmpint (atx_appointment_compare (a, b), <, 0);
  g_assert_cmpint (atx_appointment_compare (b, a), >, 0);
  g_assert_cmpint (atx_appointment_compare (a, a), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/appointment/new-has-defaults", test_new_defaults);
  g_test_add_func ("/appointment/properties-notify-only-on-change", test_properties);
  g_test_add_func ("/appointment/touch-sets-updated-at", test_touch);
  g_test_add_func ("/appointment/status-and-call-type-strings", test_status_strings);
  g_test_add_func ("/appointment/validation/title-required", test_validation_title_required);
  g_test_add_func ("/appointment/validation/end-after-start", test_validation_times);
  g_test_add_func ("/appointment/validation/missing-id", test_validation_missing_id);
  g_test_add_func ("/appointment/validation/unknown-status-and-call-type", test_validation_status_and_call_type);
  g_test_add_func ("/appointment/validation/wrong-member-types", test_validation_wrong_types);
  g_test_add_func ("/appointment/json/round-trip-unknown-members", test_json_round_trip_unknown_members);
  g_test_add_func ("/appointment/json/times-keep-text-and-offset", test_json_times);
  g_test_add_func ("/appointment/json/new-appointment-shape", test_new_to_json_shape);
  g_test_add_func ("/appointment/video-switch-off-removes-members", test_video_switch_off);
  g_test_add_func ("/appointment/copy-is-deep", test_copy);
  g_test_add_func ("/appointment/call-log-edited-in-place", test_call_log_in_place);
  g_test_add_func ("/appointment/overlaps-and-compare", test_overlaps_and_compare);

  return g_test_run ();
}

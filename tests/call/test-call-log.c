/* test-call-log.c — AtxCallLog: each step of a call on disk as it happens,
 * and only the callLog of the appointment changes.
 */
#include "config.h"

#include "atx-call-log.h"
#include "call-test-store.h"

typedef struct {
  CallTestStore s;
  char         *rest;  /* the appointment without callLog/updatedAt, as loaded */
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  call_test_store_init_with (&f->s, data != NULL ? data : CALL_TEST_FILE);
  f->rest = call_test_store_read_rest (&f->s, CALL_TEST_ID);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  call_test_store_clear (&f->s);
  g_free (f->rest);
}

/* The log as on disk now; also checks nothing else of the appointment moved. */
static JsonArray *
read_log (Fixture *f)
{
  g_autofree char *rest = call_test_store_read_rest (&f->s, CALL_TEST_ID);

  g_assert_cmpstr (rest, ==, f->rest);
  return call_test_store_read_log (&f->s, CALL_TEST_ID);
}

static JsonObject *
entry_at (JsonArray *log,
          guint      index)
{
  g_assert_cmpuint (json_array_get_length (log), >, index);
  return json_array_get_object_element (log, index);
}

static void
assert_time (JsonObject *object,
             const char *member)
{
  g_autoptr(GDateTime) time = NULL;
  const char *text = json_object_get_string_member_with_default (object, member, NULL);

  g_assert_nonnull (text);
  time = g_date_time_new_from_iso8601 (text, NULL);
  g_assert_nonnull (time);
  /* With an offset, not a floating time. */
  g_assert_true (g_str_has_suffix (text, "Z") || text[strlen (text) - 3] == ':');
}

static void
test_written_as_it_happens (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxCallLog) log = NULL;
  g_autoptr(JsonArray) disk = NULL;
  JsonObject *entry;
  JsonArray *participants;
  const char *names[] = { "startedAt", "roomName", "callType", "adHoc", "where", "participants", "error" };
  GList *members;
  guint i = 0;

  log = atx_call_log_start (f->s.store, CALL_TEST_ID, CALL_TEST_ROOM, ATX_CALL_TYPE_VIDEO,
                            FALSE, ATX_CALL_WHERE_EMBEDDED, &error);
  g_assert_no_error (error);
  g_assert_false (atx_call_log_is_ended (log));

  disk = read_log (f);
  g_assert_cmpuint (json_array_get_length (disk), ==, 1);
  entry = entry_at (disk, 0);
  assert_time (entry, "startedAt");
  g_assert_false (json_object_has_member (entry, "endedAt"));
  g_assert_false (json_object_has_member (entry, "endReason"));
  g_assert_cmpstr (json_object_get_string_member (entry, "roomName"), ==, CALL_TEST_ROOM);
  g_assert_cmpstr (json_object_get_string_member (entry, "callType"), ==, "video");
  g_assert_false (json_object_get_boolean_member (entry, "adHoc"));
  g_assert_cmpstr (json_object_get_string_member (entry, "where"), ==, "embedded");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (entry, "participants")), ==, 0);
  g_assert_true (json_object_get_null_member (entry, "error"));
  g_assert_cmpstr (json_object_get_string_member (entry, "startedAt"), ==, atx_call_log_get_started_at (log));
  /* Members in the order of DESIGN.md. */
  members = json_object_get_members (entry);
  for (GList *l = members; l != NULL; l = l->next, i++)
    g_assert_cmpstr (l->data, ==, names[i]);
  g_list_free (members);
  g_clear_pointer (&disk, json_array_unref);

  g_assert_true (atx_call_log_participant_joined (log, "p1", "Alex Doe", &error));
  g_assert_no_error (error);
  disk = read_log (f);
  participants = json_object_get_array_member (entry_at (disk, 0), "participants");
  g_assert_cmpuint (json_array_get_length (participants), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (participants, 0), "id"), ==, "p1");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (participants, 0), "displayName"),
                   ==, "Alex Doe");
  assert_time (json_array_get_object_element (participants, 0), "joinedAt");
  g_assert_false (json_object_has_member (json_array_get_object_element (participants, 0), "leftAt"));
  g_clear_pointer (&disk, json_array_unref);

  /* A second participant without a name. */
  g_assert_true (atx_call_log_participant_joined (log, "p2", NULL, &error));
  disk = read_log (f);
  participants = json_object_get_array_member (entry_at (disk, 0), "participants");
  g_assert_cmpuint (json_array_get_length (participants), ==, 2);
  g_assert_true (json_object_get_null_member (json_array_get_object_element (participants, 1), "displayName"));
  g_clear_pointer (&disk, json_array_unref);

  g_assert_true (atx_call_log_participant_left (log, "p1", &error));
  disk = read_log (f);
  participants = json_object_get_array_member (entry_at (disk, 0), "participants");
  assert_time (json_array_get_object_element (participants, 0), "leftAt");
  g_assert_false (json_object_has_member (json_array_get_object_element (participants, 1), "leftAt"));
  g_clear_pointer (&disk, json_array_unref);

  /* Leaving twice, or someone never seen, writes nothing new. */
  g_assert_true (atx_call_log_participant_left (log, "p1", &error));
  g_assert_true (atx_call_log_participant_left (log, "nobody", &error));

  /* Rejoin: a new item. */
  g_assert_true (atx_call_log_participant_joined (log, "p1", "Alex Doe", &error));
  disk = read_log (f);
  participants = json_object_get_array_member (entry_at (disk, 0), "participants");
  g_assert_cmpuint (json_array_get_length (participants), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (participants, 2), "id"), ==, "p1");
  g_assert_false (json_object_has_member (json_array_get_object_element (participants, 2), "leftAt"));
  g_clear_pointer (&disk, json_array_unref);

  g_assert_true (atx_call_log_end (log, ATX_CALL_END_HANGUP, &error));
  g_assert_true (atx_call_log_is_ended (log));
  disk = read_log (f);
  g_assert_cmpuint (json_array_get_length (disk), ==, 1);
  entry = entry_at (disk, 0);
  assert_time (entry, "endedAt");
  g_assert_cmpstr (json_object_get_string_member (entry, "endReason"), ==, "hangup");
  participants = json_object_get_array_member (entry, "participants");
  for (guint j = 0; j < json_array_get_length (participants); j++)
    assert_time (json_array_get_object_element (participants, j), "leftAt");
  /* Everyone still there left when the call ended. */
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (participants, 2), "leftAt"),
                   ==, json_object_get_string_member (entry, "endedAt"));
  g_clear_pointer (&disk, json_array_unref);

  /* After the end: ignored. */
  g_assert_true (atx_call_log_participant_joined (log, "late", "Late", &error));
  g_assert_true (atx_call_log_end (log, ATX_CALL_END_ERROR, &error));
  disk = read_log (f);
  entry = entry_at (disk, 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "endReason"), ==, "hangup");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (entry, "participants")), ==, 3);
}

static void
test_ad_hoc_in_browser (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxCallLog) log = NULL;
  g_autoptr(JsonArray) disk = NULL;
  JsonObject *entry;

  /* An ad-hoc audio call in a temporary room: only the log names it. */
  log = atx_call_log_start (f->s.store, CALL_TEST_ID, "ataraxia-temporaryroomxxxxxxxxxxxxxx",
                            ATX_CALL_TYPE_AUDIO, TRUE, ATX_CALL_WHERE_BROWSER, &error);
  g_assert_no_error (error);
  g_assert_true (atx_call_log_end (log, ATX_CALL_END_BROWSER_CLOSED, &error));

  disk = read_log (f);  /* checks the video members did not change */
  entry = entry_at (disk, 0);
  g_assert_true (json_object_get_boolean_member (entry, "adHoc"));
  g_assert_cmpstr (json_object_get_string_member (entry, "where"), ==, "browser");
  g_assert_cmpstr (json_object_get_string_member (entry, "callType"), ==, "audio");
  g_assert_cmpstr (json_object_get_string_member (entry, "roomName"), ==, "ataraxia-temporaryroomxxxxxxxxxxxxxx");
  g_assert_cmpstr (json_object_get_string_member (entry, "endReason"), ==, "browser-closed");
}

static void
test_error (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxCallLog) log = NULL;
  g_autoptr(JsonArray) disk = NULL;
  JsonObject *entry;

  log = atx_call_log_start (f->s.store, CALL_TEST_ID, CALL_TEST_ROOM, ATX_CALL_TYPE_VIDEO,
                            FALSE, ATX_CALL_WHERE_EMBEDDED, &error);
  g_assert_true (atx_call_log_set_error (log, "connection.droppedError: gone", &error));
  g_assert_no_error (error);

  disk = read_log (f);
  entry = entry_at (disk, 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "error"), ==, "connection.droppedError: gone");
  g_assert_false (json_object_has_member (entry, "endedAt"));
  g_clear_pointer (&disk, json_array_unref);

  g_assert_true (atx_call_log_end (log, ATX_CALL_END_ERROR, &error));
  disk = read_log (f);
  entry = entry_at (disk, 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "endReason"), ==, "error");
  g_assert_cmpstr (json_object_get_string_member (entry, "error"), ==, "connection.droppedError: gone");
}

static void
test_second_call_new_entry (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxCallLog) first = NULL;
  g_autoptr(AtxCallLog) second = NULL;
  g_autoptr(JsonArray) disk = NULL;
  g_autoptr(JsonNode) first_node = NULL;

  first = atx_call_log_start (f->s.store, CALL_TEST_ID, CALL_TEST_ROOM, ATX_CALL_TYPE_VIDEO,
                              FALSE, ATX_CALL_WHERE_EMBEDDED, &error);
  atx_call_log_end (first, ATX_CALL_END_LEFT, &error);
  g_assert_no_error (error);
  disk = read_log (f);
  first_node = json_node_copy (json_array_get_element (disk, 0));
  g_clear_pointer (&disk, json_array_unref);

  /* Started right away (same second, same room): still its own entry. */
  second = atx_call_log_start (f->s.store, CALL_TEST_ID, CALL_TEST_ROOM, ATX_CALL_TYPE_VIDEO,
                               FALSE, ATX_CALL_WHERE_EMBEDDED, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (atx_call_log_get_started_at (first), !=, atx_call_log_get_started_at (second));
  atx_call_log_participant_joined (second, "p9", "Nine", &error);
  atx_call_log_end (second, ATX_CALL_END_HANGUP, &error);
  g_assert_no_error (error);

  disk = read_log (f);
  g_assert_cmpuint (json_array_get_length (disk), ==, 2);
  g_assert_true (json_node_equal (json_array_get_element (disk, 0), first_node));
  g_assert_cmpstr (json_object_get_string_member (entry_at (disk, 1), "endReason"), ==, "hangup");
}

static void
test_entry_dropped_by_stale_copy (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxCallLog) log = NULL;
  g_autoptr(AtxAppointment) stale = NULL;
  g_autoptr(JsonArray) disk = NULL;

  /* An editor copied the appointment before the call and saves it during. */
  stale = atx_appointment_copy (atx_appointment_store_lookup (f->s.store, CALL_TEST_ID));
  log = atx_call_log_start (f->s.store, CALL_TEST_ID, CALL_TEST_ROOM, ATX_CALL_TYPE_VIDEO,
                            FALSE, ATX_CALL_WHERE_EMBEDDED, &error);
  g_assert_true (atx_appointment_store_update (f->s.store, stale, &error));
  g_assert_no_error (error);

  g_assert_true (atx_call_log_participant_joined (log, "p1", "Alex", &error));
  disk = read_log (f);
  g_assert_cmpuint (json_array_get_length (disk), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (entry_at (disk, 0), "startedAt"), ==,
                   atx_call_log_get_started_at (log));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (entry_at (disk, 0), "participants")), ==, 1);
}

static void
test_appointment_gone (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxCallLog) log = NULL;
  g_autoptr(AtxAppointment) removed = NULL;

  log = atx_call_log_start (f->s.store, CALL_TEST_ID, CALL_TEST_ROOM, ATX_CALL_TYPE_VIDEO,
                            FALSE, ATX_CALL_WHERE_EMBEDDED, &error);
  removed = atx_appointment_store_remove (f->s.store, CALL_TEST_ID, &error);
  g_assert_no_error (error);

  g_assert_false (atx_call_log_participant_joined (log, "p1", "Alex", &error));
  g_assert_error (error, ATX_STORE_ERROR, ATX_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_null (atx_call_log_start (f->s.store, "no-such-id", CALL_TEST_ROOM, ATX_CALL_TYPE_VIDEO,
                                     FALSE, ATX_CALL_WHERE_EMBEDDED, &error));
  g_assert_error (error, ATX_STORE_ERROR, ATX_STORE_ERROR_NOT_FOUND);
}

static void
test_read_only_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = atx_test_make_tmp_dir ();
  g_autofree char *path = g_build_filename (tmp, "appointments.json", NULL);
  g_autoptr(AtxAppointmentStore) store = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  atx_test_write_file (path, "{\"version\": 99, \"appointments\": []}");
  before = atx_test_read_file (path);
  store = atx_appointment_store_new (path);
  g_assert_false (atx_appointment_store_load (store, NULL));
  g_assert_true (atx_appointment_store_is_read_only (store));

  g_assert_null (atx_call_log_start (store, CALL_TEST_ID, CALL_TEST_ROOM, ATX_CALL_TYPE_VIDEO,
                                     FALSE, ATX_CALL_WHERE_EMBEDDED, &error));
  g_assert_error (error, ATX_STORE_ERROR, ATX_STORE_ERROR_READ_ONLY);
  g_assert_cmpuint (atx_call_log_close_dangling (store, NULL), ==, 0);

  after = atx_test_read_file (path);
  g_assert_cmpstr (before, ==, after);
  atx_test_rm_rf (tmp);
}

/* ------------------------------------------------------------ dangling */

#define DANGLING_FILE \
  "{\"version\": 1, \"appointments\": [\n" \
  " {\"id\": \"" CALL_TEST_ID "\", \"title\": \"T\", \"start\": \"2026-11-24T15:00:00+01:00\",\n" \
  "  \"end\": \"2026-11-24T15:50:00+01:00\", \"status\": \"scheduled\", \"notes\": \"n\",\n" \
  "  \"callLog\": [\n" \
  "   {\"startedAt\": \"2026-11-20T10:00:00+01:00\", \"endedAt\": \"2026-11-20T10:50:00+01:00\",\n" \
  "    \"roomName\": \"ataraxia-a\", \"callType\": \"video\", \"adHoc\": false, \"where\": \"embedded\",\n" \
  "    \"endReason\": \"hangup\", \"participants\": [], \"error\": null, \"x-extra\": 1},\n" \
  "   {\"startedAt\": \"2026-11-21T10:00:00+01:00\", \"roomName\": \"ataraxia-b\", \"callType\": \"video\",\n" \
  "    \"adHoc\": false, \"where\": \"browser\", \"x-kept\": [true],\n" \
  "    \"participants\": [\n" \
  "      {\"id\": \"p1\", \"displayName\": \"A\", \"joinedAt\": \"2026-11-21T10:01:00+01:00\",\n" \
  "       \"leftAt\": \"2026-11-21T10:30:00+01:00\"},\n" \
  "      {\"id\": \"p2\", \"displayName\": \"B\", \"joinedAt\": \"2026-11-21T10:05:00+01:00\"}],\n" \
  "    \"error\": null},\n" \
  "   {\"startedAt\": \"2026-11-22T09:00:00Z\", \"endedAt\": null, \"roomName\": \"ataraxia-c\",\n" \
  "    \"callType\": \"audio\", \"adHoc\": true, \"where\": \"embedded\", \"participants\": [], \"error\": null}\n" \
  "  ]},\n" \
  " {\"id\": \"other-appointment\", \"title\": \"U\", \"start\": \"2026-11-25T15:00:00+01:00\",\n" \
  "  \"end\": \"2026-11-25T15:50:00+01:00\", \"status\": \"scheduled\",\n" \
  "  \"callLog\": [{\"startedAt\": \"2026-11-23T08:00:00+01:00\", \"roomName\": \"ataraxia-d\",\n" \
  "    \"callType\": \"video\", \"adHoc\": false, \"where\": \"embedded\", \"participants\": [], \"error\": null}]},\n" \
  " {\"id\": \"no-calls\", \"title\": \"V\", \"start\": \"2026-11-26T15:00:00+01:00\",\n" \
  "  \"end\": \"2026-11-26T15:50:00+01:00\", \"status\": \"scheduled\"}\n" \
  "]}\n"

static void
test_close_dangling (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) before = call_test_store_read_log (&f->s, CALL_TEST_ID);
  g_autoptr(JsonArray) disk = NULL;
  g_autoptr(JsonArray) other = NULL;
  g_autofree char *untouched_before = call_test_store_read_rest (&f->s, "no-calls");
  g_autofree char *untouched_after = NULL;
  JsonObject *entry;
  JsonArray *participants;

  g_assert_cmpuint (atx_call_log_close_dangling (f->s.store, &error), ==, 3);
  g_assert_no_error (error);

  disk = read_log (f);
  g_assert_cmpuint (json_array_get_length (disk), ==, 3);
  /* The closed one is untouched, unknown member and all. */
  g_assert_true (json_node_equal (json_array_get_element (disk, 0), json_array_get_element (before, 0)));

  /* Closed at the last time seen in it: p2's join. */
  entry = entry_at (disk, 1);
  g_assert_cmpstr (json_object_get_string_member (entry, "endedAt"), ==, "2026-11-21T10:30:00+01:00");
  g_assert_cmpstr (json_object_get_string_member (entry, "endReason"), ==, "ended-unexpectedly");
  g_assert_true (json_object_has_member (entry, "x-kept"));
  participants = json_object_get_array_member (entry, "participants");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (participants, 0), "leftAt"),
                   ==, "2026-11-21T10:30:00+01:00");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (participants, 1), "leftAt"),
                   ==, "2026-11-21T10:30:00+01:00");

  /* No participants: closed at its start; an explicit null counts as open. */
  entry = entry_at (disk, 2);
  g_assert_cmpstr (json_object_get_string_member (entry, "endedAt"), ==, "2026-11-22T09:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (entry, "endReason"), ==, "ended-unexpectedly");

  other = call_test_store_read_log (&f->s, "other-appointment");
  g_assert_cmpstr (json_object_get_string_member (entry_at (other, 0), "endReason"), ==, "ended-unexpectedly");

  untouched_after = call_test_store_read_rest (&f->s, "no-calls");
  g_assert_cmpstr (untouched_before, ==, untouched_after);

  /* Nothing left to close. */
  g_assert_cmpuint (atx_call_log_close_dangling (f->s.store, &error), ==, 0);
}

static void
test_close_dangling_after_crash (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxAppointmentStore) next_start = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *joined_at = NULL;
  AtxCallLog *log;
  JsonObject *entry;
  JsonArray *participants;
  JsonArray *call_log;

  /* A call runs… */
  log = atx_call_log_start (f->s.store, CALL_TEST_ID, CALL_TEST_ROOM, ATX_CALL_TYPE_VIDEO,
                            FALSE, ATX_CALL_WHERE_EMBEDDED, &error);
  atx_call_log_participant_joined (log, "p1", "Alex", &error);
  g_assert_no_error (error);
  atx_appointment_store_flush (f->s.store, &error);
  /* …and the app dies: nothing ends the entry. */
  g_object_unref (log);

  next_start = atx_appointment_store_new (f->s.path);
  atx_appointment_store_load (next_start, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (atx_call_log_close_dangling (next_start, &error), ==, 1);
  atx_appointment_store_flush (next_start, &error);
  g_assert_no_error (error);

  json_parser_load_from_file (parser, f->s.path, &error);
  g_assert_no_error (error);
  call_log = json_object_get_array_member (
      json_array_get_object_element (json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                                                   "appointments"), 0), "callLog");
  entry = json_array_get_object_element (call_log, 0);
  participants = json_object_get_array_member (entry, "participants");
  joined_at = g_strdup (json_object_get_string_member (json_array_get_object_element (participants, 0), "joinedAt"));
  g_assert_cmpstr (json_object_get_string_member (entry, "endedAt"), ==, joined_at);
  g_assert_cmpstr (json_object_get_string_member (entry, "endReason"), ==, "ended-unexpectedly");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (participants, 0), "leftAt"),
                   ==, joined_at);
}

static void
test_strings (void)
{
  g_assert_cmpstr (atx_call_end_reason_to_string (ATX_CALL_END_HANGUP), ==, "hangup");
  g_assert_cmpstr (atx_call_end_reason_to_string (ATX_CALL_END_LEFT), ==, "left");
  g_assert_cmpstr (atx_call_end_reason_to_string (ATX_CALL_END_UNEXPECTEDLY), ==, "ended-unexpectedly");
  g_assert_cmpstr (atx_call_end_reason_to_string (ATX_CALL_END_BROWSER_CLOSED), ==, "browser-closed");
  g_assert_cmpstr (atx_call_end_reason_to_string (ATX_CALL_END_ERROR), ==, "error");
  g_assert_cmpstr (atx_call_where_to_string (ATX_CALL_WHERE_EMBEDDED), ==, "embedded");
  g_assert_cmpstr (atx_call_where_to_string (ATX_CALL_WHERE_BROWSER), ==, "browser");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn, file) g_test_add (path, Fixture, file, fixture_setup, fn, fixture_teardown)
  ADD ("/call-log/start-join-leave-end-on-disk-as-they-happen", test_written_as_it_happens, NULL);
  ADD ("/call-log/ad-hoc-browser-call-marked-video-members-kept", test_ad_hoc_in_browser, NULL);
  ADD ("/call-log/error-recorded", test_error, NULL);
  ADD ("/call-log/second-call-gets-new-entry", test_second_call_new_entry, NULL);
  ADD ("/call-log/entry-restored-after-stale-editor-save", test_entry_dropped_by_stale_copy, NULL);
  ADD ("/call-log/appointment-gone", test_appointment_gone, NULL);
  ADD ("/call-log/close-dangling-closes-open-only", test_close_dangling, DANGLING_FILE);
  ADD ("/call-log/close-dangling-at-next-start", test_close_dangling_after_crash, NULL);
#undef ADD
  g_test_add_func ("/call-log/read-only-store-untouched", test_read_only_store);
  g_test_add_func ("/call-log/strings", test_strings);

  return g_test_run ();
}

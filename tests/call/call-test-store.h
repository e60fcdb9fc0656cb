/* call-test-store.h — a store in a temp dir with one video appointment,
 * and readers of the file as it is on disk, for the call tests.
 * Header-only (static functions); include it from one test's .c file.
 */
#pragma once

#include <string.h>

#include "core/atx-appointment-store.h"
#include "atx-test-utils.h"

typedef struct {
  char                *tmp;
  char                *path;
  AtxAppointmentStore *store;
  char                *id;
} CallTestStore;

/* A video appointment with an unknown member (round trip) and notes. */
#define CALL_TEST_FILE \
  "{\n" \
  "  \"version\": 1,\n" \
  "  \"appointments\": [\n" \
  "    {\n" \
  "      \"id\": \"a1b2c3d4-0000-4000-8000-000000000001\",\n" \
  "      \"title\": \"Initial consultation\",\n" \
  "      \"clientName\": \"Alex Doe\",\n" \
  "      \"clientEmail\": \"alex@example.com\",\n" \
  "      \"start\": \"2026-11-24T15:00:00+01:00\",\n" \
  "      \"end\": \"2026-11-24T15:50:00+01:00\",\n" \
  "      \"status\": \"scheduled\",\n" \
  "      \"notes\": \"bring the forms\",\n" \
  "      \"isVideoCall\": true,\n" \
  "      \"videoCallType\": \"video\",\n" \
  "      \"videoCallRoomName\": \"ataraxia-k3v9aaaaaaaaaaaaaaaaaaaaaaaaaa\",\n" \
  "      \"videoCallUrl\": \"https://meet.example.org/ataraxia-k3v9aaaaaaaaaaaaaaaaaaaaaaaaaa\",\n" \
  "      \"videoCallJWT\": \"eyJ.x.y\",\n" \
  "      \"videoCallJWTExpiresAt\": \"2026-11-24T17:00:00Z\",\n" \
  "      \"x-unknown\": {\"kept\": [1, 2, 3]},\n" \
  "      \"createdAt\": \"2026-11-01T10:00:00+01:00\",\n" \
  "      \"updatedAt\": \"2026-11-01T10:00:00+01:00\"\n" \
  "    }\n" \
  "  ]\n" \
  "}\n"

#define CALL_TEST_ID "a1b2c3d4-0000-4000-8000-000000000001"
#define CALL_TEST_ROOM "ataraxia-k3v9aaaaaaaaaaaaaaaaaaaaaaaaaa"

static inline void
call_test_store_init_with (CallTestStore *s,
                           const char    *contents)
{
  g_autoptr(GError) error = NULL;

  s->tmp = atx_test_make_tmp_dir ();
  s->path = g_build_filename (s->tmp, "ataraxia", "appointments.json", NULL);
  atx_test_write_file (s->path, contents);
  s->store = atx_appointment_store_new (s->path);
  atx_appointment_store_load (s->store, &error);
  g_assert_no_error (error);
  s->id = g_strdup (CALL_TEST_ID);
  g_assert_nonnull (atx_appointment_store_lookup (s->store, s->id));
}

static inline void
call_test_store_init (CallTestStore *s)
{
  call_test_store_init_with (s, CALL_TEST_FILE);
}

static inline void
call_test_store_clear (CallTestStore *s)
{
  g_autoptr(GError) error = NULL;

  if (s->store != NULL)
    {
      atx_appointment_store_flush (s->store, &error);
      g_assert_no_error (error);
      g_assert_finalize_object (s->store);
      s->store = NULL;
    }
  atx_test_rm_rf (s->tmp);
  g_clear_pointer (&s->tmp, g_free);
  g_clear_pointer (&s->path, g_free);
  g_clear_pointer (&s->id, g_free);
}

/* Flushes the store, then reads the appointment @id from the file on disk. */
static inline JsonObject *
call_test_store_read (CallTestStore *s,
                      const char    *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonArray *appointments;

  atx_appointment_store_flush (s->store, &error);
  g_assert_no_error (error);
  json_parser_load_from_file (parser, s->path, &error);
  g_assert_no_error (error);

  appointments = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                               "appointments");
  for (guint i = 0; i < json_array_get_length (appointments); i++)
    {
      JsonObject *a = json_array_get_object_element (appointments, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (a, "id", ""), id) == 0)
        return json_object_ref (a);
    }

  g_assert_not_reached ();
}

/* The callLog of @id on disk (a full reference; empty when absent). */
static inline JsonArray *
call_test_store_read_log (CallTestStore *s,
                          const char    *id)
{
  g_autoptr(JsonObject) appointment = call_test_store_read (s, id);
  JsonNode *node = json_object_get_member (appointment, "callLog");

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return json_array_new ();
  return json_array_ref (json_node_get_array (node));
}

/* The appointment on disk without callLog and updatedAt (the store touches
 * updatedAt on every update), as text, to compare "everything else". */
static inline char *
call_test_store_read_rest (CallTestStore *s,
                           const char    *id)
{
  g_autoptr(JsonObject) appointment = call_test_store_read (s, id);
  g_autoptr(JsonObject) rest = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  GList *names = g_list_sort (json_object_get_members (appointment), (GCompareFunc) strcmp);

  /* Sorted, so that member order (which a save may change) does not count. */
  for (GList *l = names; l != NULL; l = l->next)
    if (strcmp (l->data, "callLog") != 0 && strcmp (l->data, "updatedAt") != 0)
      json_object_set_member (rest, l->data, json_node_copy (json_object_get_member (appointment, l->data)));
  g_list_free (names);

  json_node_set_object (node, rest);
  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

static inline char *
call_test_store_read_file (CallTestStore *s)
{
  g_autoptr(GError) error = NULL;

  atx_appointment_store_flush (s->store, &error);
  g_assert_no_error (error);
  return atx_test_read_file (s->path);
}

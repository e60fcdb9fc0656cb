/* atx-call-log.c — writes one call's entry into its appointment's callLog.
 *
 * The entry lives here, in memory, as the source of truth, and every change
 * writes all of it through the store: look the appointment up by id (after
 * an update the store holds a new object), copy it, put the entry in place
 * of the one it wrote before (found by startedAt + roomName; appended again
 * if an editor's save dropped it), update. So each step is on disk as soon
 * as the store's save runs, and members are always written in the order of
 * DESIGN.md.
 */
#define G_LOG_DOMAIN "atx-call-log"

#include "config.h"

#include "atx-call-log.h"

#include <string.h>

typedef struct {
  char *id;
  char *display_name;
  char *joined_at;
  char *left_at;
} Participant;

struct _AtxCallLog
{
  GObject              parent_instance;

  AtxAppointmentStore *store;
  char                *appointment_id;

  char                *started_at;
  char                *ended_at;
  char                *room_name;
  AtxCallType          call_type;
  gboolean             ad_hoc;
  AtxCallWhere         where;
  char                *end_reason;
  GArray              *participants;  /* Participant */
  char                *error_text;
};

G_DEFINE_FINAL_TYPE (AtxCallLog, atx_call_log, G_TYPE_OBJECT)

static const char * const end_reasons[] = {
  [ATX_CALL_END_HANGUP] = "hangup",
  [ATX_CALL_END_LEFT] = "left",
  [ATX_CALL_END_UNEXPECTEDLY] = "ended-unexpectedly",
  [ATX_CALL_END_BROWSER_CLOSED] = "browser-closed",
  [ATX_CALL_END_ERROR] = "error",
};

const char *
atx_call_end_reason_to_string (AtxCallEndReason reason)
{
  g_return_val_if_fail ((guint) reason < G_N_ELEMENTS (end_reasons), NULL);
  return end_reasons[reason];
}

const char *
atx_call_where_to_string (AtxCallWhere where)
{
  switch (where)
    {
    case ATX_CALL_WHERE_EMBEDDED: return "embedded";
    case ATX_CALL_WHERE_BROWSER: return "browser";
    default: g_return_val_if_reached (NULL);
    }
}

static void
participant_clear (gpointer data)
{
  Participant *p = data;

  g_free (p->id);
  g_free (p->display_name);
  g_free (p->joined_at);
  g_free (p->left_at);
}

/* Local time with its offset and milliseconds: "2026-11-24T15:03:07.250+01:00".
 * The milliseconds keep two calls started within one second apart. */
static char *
time_string (GDateTime *time)
{
  g_autofree char *date = g_date_time_format (time, "%Y-%m-%dT%H:%M:%S");
  g_autofree char *offset = g_date_time_format (time, "%:z");

  return g_strdup_printf ("%s.%03d%s", date, g_date_time_get_microsecond (time) / 1000, offset);
}

static char *
now_string (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return time_string (now);
}

static gboolean
started_at_taken (AtxAppointment *appointment,
                  const char     *started_at,
                  const char     *room_name)
{
  JsonArray *call_log = atx_appointment_get_call_log (appointment);

  for (guint i = 0; i < json_array_get_length (call_log); i++)
    {
      JsonNode *node = json_array_get_element (call_log, i);
      JsonObject *entry;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      entry = json_node_get_object (node);
      if (g_strcmp0 (json_object_get_string_member_with_default (entry, "startedAt", NULL), started_at) == 0 &&
          g_strcmp0 (json_object_get_string_member_with_default (entry, "roomName", NULL), room_name) == 0)
        return TRUE;
    }
  return FALSE;
}

/* startedAt + roomName identify the entry: a call started again within
 * the same millisecond (a quick retry) starts one millisecond later. */
static char *
unique_start_string (AtxAppointment *appointment,
                     const char     *room_name)
{
  g_autoptr(GDateTime) time = g_date_time_new_now_local ();
  char *text = time_string (time);

  while (appointment != NULL && started_at_taken (appointment, text, room_name))
    {
      GDateTime *later = g_date_time_add (time, 1000);

      g_date_time_unref (time);
      time = later;
      g_free (text);
      text = time_string (time);
    }

  return text;
}

static void
atx_call_log_finalize (GObject *object)
{
  AtxCallLog *self = ATX_CALL_LOG (object);

  g_clear_object (&self->store);
  g_free (self->appointment_id);
  g_free (self->started_at);
  g_free (self->ended_at);
  g_free (self->room_name);
  g_free (self->end_reason);
  g_free (self->error_text);
  g_clear_pointer (&self->participants, g_array_unref);

  G_OBJECT_CLASS (atx_call_log_parent_class)->finalize (object);
}

static void
atx_call_log_class_init (AtxCallLogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = atx_call_log_finalize;
}

static void
atx_call_log_init (AtxCallLog *self)
{
  self->participants = g_array_new (FALSE, TRUE, sizeof (Participant));
  g_array_set_clear_func (self->participants, participant_clear);
}

static void
set_nullable_string (JsonObject *object,
                     const char *name,
                     const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, name, value);
  else
    json_object_set_null_member (object, name);
}

static JsonObject *
build_entry (AtxCallLog *self)
{
  JsonObject *entry = json_object_new ();
  JsonArray *participants = json_array_new ();

  json_object_set_string_member (entry, "startedAt", self->started_at);
  if (self->ended_at != NULL)
    json_object_set_string_member (entry, "endedAt", self->ended_at);
  json_object_set_string_member (entry, "roomName", self->room_name);
  json_object_set_string_member (entry, "callType", atx_call_type_to_string (self->call_type));
  json_object_set_boolean_member (entry, "adHoc", self->ad_hoc);
  json_object_set_string_member (entry, "where", atx_call_where_to_string (self->where));
  if (self->end_reason != NULL)
    json_object_set_string_member (entry, "endReason", self->end_reason);

  for (guint i = 0; i < self->participants->len; i++)
    {
      Participant *p = &g_array_index (self->participants, Participant, i);
      JsonObject *item = json_object_new ();

      json_object_set_string_member (item, "id", p->id);
      set_nullable_string (item, "displayName", p->display_name);
      json_object_set_string_member (item, "joinedAt", p->joined_at);
      if (p->left_at != NULL)
        json_object_set_string_member (item, "leftAt", p->left_at);
      json_array_add_object_element (participants, item);
    }
  json_object_set_array_member (entry, "participants", participants);
  set_nullable_string (entry, "error", self->error_text);

  return entry;
}

static gboolean
is_our_entry (AtxCallLog *self,
              JsonNode   *node)
{
  JsonObject *object;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  object = json_node_get_object (node);
  return g_strcmp0 (json_object_get_string_member_with_default (object, "startedAt", NULL),
                    self->started_at) == 0 &&
         g_strcmp0 (json_object_get_string_member_with_default (object, "roomName", NULL),
                    self->room_name) == 0;
}

static gboolean
write_entry (AtxCallLog  *self,
             GError     **error)
{
  g_autoptr(AtxAppointment) copy = NULL;
  AtxAppointment *stored;
  JsonArray *call_log;
  JsonObject *entry;
  gboolean replaced = FALSE;

  stored = atx_appointment_store_lookup (self->store, self->appointment_id);
  if (stored == NULL)
    {
      g_set_error (error, ATX_STORE_ERROR, ATX_STORE_ERROR_NOT_FOUND,
                   "The appointment of this call no longer exists");
      return FALSE;
    }

  copy = atx_appointment_copy (stored);
  call_log = atx_appointment_get_call_log (copy);
  entry = build_entry (self);

  /* Search from the end: ours is normally the last one. */
  for (guint i = json_array_get_length (call_log); i > 0; i--)
    {
      JsonNode *node = json_array_get_element (call_log, i - 1);

      if (is_our_entry (self, node))
        {
          json_node_take_object (node, entry);
          replaced = TRUE;
          break;
        }
    }
  if (!replaced)
    json_array_add_object_element (call_log, entry);

  atx_appointment_set_call_log (copy, call_log);
  return atx_appointment_store_update (self->store, copy, error);
}

AtxCallLog *
atx_call_log_start (AtxAppointmentStore *store,
                    const char          *appointment_id,
                    const char          *room_name,
                    AtxCallType          call_type,
                    gboolean             ad_hoc,
                    AtxCallWhere         where,
                    GError             **error)
{
  g_autoptr(AtxCallLog) self = NULL;

  g_return_val_if_fail (ATX_IS_APPOINTMENT_STORE (store), NULL);
  g_return_val_if_fail (appointment_id != NULL, NULL);
  g_return_val_if_fail (room_name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (atx_appointment_store_is_read_only (store))
    {
      g_set_error_literal (error, ATX_STORE_ERROR, ATX_STORE_ERROR_READ_ONLY,
                           "The appointment file is read-only; the call cannot be logged");
      return NULL;
    }

  self = g_object_new (ATX_TYPE_CALL_LOG, NULL);
  self->store = g_object_ref (store);
  self->appointment_id = g_strdup (appointment_id);
  self->started_at = unique_start_string (atx_appointment_store_lookup (store, appointment_id), room_name);
  self->room_name = g_strdup (room_name);
  self->call_type = call_type;
  self->ad_hoc = !!ad_hoc;
  self->where = where;

  if (!write_entry (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

static Participant *
find_present (AtxCallLog *self,
              const char *id)
{
  for (guint i = self->participants->len; i > 0; i--)
    {
      Participant *p = &g_array_index (self->participants, Participant, i - 1);

      if (p->left_at == NULL && g_strcmp0 (p->id, id) == 0)
        return p;
    }
  return NULL;
}

gboolean
atx_call_log_participant_joined (AtxCallLog  *self,
                                 const char  *id,
                                 const char  *display_name,
                                 GError     **error)
{
  Participant *present;
  Participant p = { 0 };

  g_return_val_if_fail (ATX_IS_CALL_LOG (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (self->ended_at != NULL)
    return TRUE;

  present = find_present (self, id);
  if (present != NULL)
    {
      /* A repeated join of someone still here: only a new name is news. */
      if (display_name == NULL || g_strcmp0 (present->display_name, display_name) == 0)
        return TRUE;
      g_free (present->display_name);
      present->display_name = g_strdup (display_name);
      return write_entry (self, error);
    }

  p.id = g_strdup (id);
  p.display_name = g_strdup (display_name);
  p.joined_at = now_string ();
  g_array_append_val (self->participants, p);

  return write_entry (self, error);
}

gboolean
atx_call_log_participant_left (AtxCallLog  *self,
                               const char  *id,
                               GError     **error)
{
  Participant *present;

  g_return_val_if_fail (ATX_IS_CALL_LOG (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (self->ended_at != NULL)
    return TRUE;

  present = find_present (self, id);
  if (present == NULL)
    return TRUE;

  present->left_at = now_string ();
  return write_entry (self, error);
}

gboolean
atx_call_log_set_error (AtxCallLog  *self,
                        const char  *error_text,
                        GError     **error)
{
  g_return_val_if_fail (ATX_IS_CALL_LOG (self), FALSE);

  if (self->ended_at != NULL || g_strcmp0 (self->error_text, error_text) == 0)
    return TRUE;

  g_free (self->error_text);
  self->error_text = g_strdup (error_text);
  return write_entry (self, error);
}

gboolean
atx_call_log_end (AtxCallLog        *self,
                  AtxCallEndReason   reason,
                  GError           **error)
{
  g_return_val_if_fail (ATX_IS_CALL_LOG (self), FALSE);
  g_return_val_if_fail ((guint) reason < G_N_ELEMENTS (end_reasons), FALSE);

  if (self->ended_at != NULL)
    return TRUE;

  self->ended_at = now_string ();
  self->end_reason = g_strdup (end_reasons[reason]);
  for (guint i = 0; i < self->participants->len; i++)
    {
      Participant *p = &g_array_index (self->participants, Participant, i);

      if (p->left_at == NULL)
        p->left_at = g_strdup (self->ended_at);
    }

  return write_entry (self, error);
}

gboolean
atx_call_log_is_ended (AtxCallLog *self)
{
  g_return_val_if_fail (ATX_IS_CALL_LOG (self), TRUE);
  return self->ended_at != NULL;
}

const char *
atx_call_log_get_appointment_id (AtxCallLog *self)
{
  g_return_val_if_fail (ATX_IS_CALL_LOG (self), NULL);
  return self->appointment_id;
}

const char *
atx_call_log_get_started_at (AtxCallLog *self)
{
  g_return_val_if_fail (ATX_IS_CALL_LOG (self), NULL);
  return self->started_at;
}

/* ---- closing what a crash left open ---- */

static const char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* Keeps the later of *latest and @candidate (text kept as written). */
static void
consider_time (const char  *candidate,
               const char **latest,
               GDateTime  **latest_time)
{
  g_autoptr(GDateTime) time = NULL;

  if (candidate == NULL)
    return;
  time = g_date_time_new_from_iso8601 (candidate, NULL);
  if (time == NULL)
    return;
  if (*latest_time == NULL || g_date_time_compare (time, *latest_time) > 0)
    {
      g_clear_pointer (latest_time, g_date_time_unref);
      *latest_time = g_steal_pointer (&time);
      *latest = candidate;
    }
}

static gboolean
entry_is_open (JsonNode *node)
{
  JsonNode *ended;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  ended = json_object_get_member (json_node_get_object (node), "endedAt");
  return ended == NULL || JSON_NODE_HOLDS_NULL (ended);
}

/* Closes the open entries of @call_log in place; returns how many. */
static guint
close_open_entries (JsonArray *call_log)
{
  guint closed = 0;

  for (guint i = 0; i < json_array_get_length (call_log); i++)
    {
      JsonNode *node = json_array_get_element (call_log, i);
      JsonObject *entry;
      JsonArray *participants = NULL;
      JsonNode *participants_node;
      g_autoptr(GDateTime) latest_time = NULL;
      g_autofree char *ended_at = NULL;
      const char *latest = NULL;

      if (!entry_is_open (node))
        continue;

      entry = json_node_get_object (node);
      consider_time (string_member (entry, "startedAt"), &latest, &latest_time);
      participants_node = json_object_get_member (entry, "participants");
      if (participants_node != NULL && JSON_NODE_HOLDS_ARRAY (participants_node))
        participants = json_node_get_array (participants_node);
      for (guint j = 0; participants != NULL && j < json_array_get_length (participants); j++)
        {
          JsonNode *item = json_array_get_element (participants, j);

          if (!JSON_NODE_HOLDS_OBJECT (item))
            continue;
          consider_time (string_member (json_node_get_object (item), "joinedAt"), &latest, &latest_time);
          consider_time (string_member (json_node_get_object (item), "leftAt"), &latest, &latest_time);
        }

      /* Nothing readable at all: the best we know is "now". */
      ended_at = latest != NULL ? g_strdup (latest) : now_string ();

      for (guint j = 0; participants != NULL && j < json_array_get_length (participants); j++)
        {
          JsonNode *item = json_array_get_element (participants, j);
          JsonNode *left;

          if (!JSON_NODE_HOLDS_OBJECT (item))
            continue;
          left = json_object_get_member (json_node_get_object (item), "leftAt");
          if (left == NULL || JSON_NODE_HOLDS_NULL (left))
            json_object_set_string_member (json_node_get_object (item), "leftAt", ended_at);
        }

      json_object_set_string_member (entry, "endedAt", ended_at);
      json_object_set_string_member (entry, "endReason", end_reasons[ATX_CALL_END_UNEXPECTEDLY]);
      closed++;
    }

  return closed;
}

guint
atx_call_log_close_dangling (AtxAppointmentStore  *store,
                             GError              **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  GListModel *model;
  guint closed = 0;

  g_return_val_if_fail (ATX_IS_APPOINTMENT_STORE (store), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (atx_appointment_store_is_read_only (store))
    return 0;

  /* Collect first: every update replaces an item of the model. */
  model = G_LIST_MODEL (store);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(AtxAppointment) appointment = g_list_model_get_item (model, i);
      JsonArray *call_log = atx_appointment_get_call_log (appointment);

      for (guint j = 0; j < json_array_get_length (call_log); j++)
        {
          if (entry_is_open (json_array_get_element (call_log, j)))
            {
              g_ptr_array_add (ids, g_strdup (atx_appointment_get_id (appointment)));
              break;
            }
        }
    }

  for (guint i = 0; i < ids->len; i++)
    {
      AtxAppointment *stored = atx_appointment_store_lookup (store, g_ptr_array_index (ids, i));
      g_autoptr(AtxAppointment) copy = NULL;
      JsonArray *call_log;
      guint n;

      if (stored == NULL)
        continue;
      copy = atx_appointment_copy (stored);
      call_log = atx_appointment_get_call_log (copy);
      n = close_open_entries (call_log);
      if (n == 0)
        continue;
      atx_appointment_set_call_log (copy, call_log);
      if (!atx_appointment_store_update (store, copy, error))
        return closed;
      closed += n;
    }

  if (closed > 0)
    g_message ("Closed %u call log entries left open by an earlier run", closed);

  return closed;
}

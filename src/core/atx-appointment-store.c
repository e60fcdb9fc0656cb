/* atx-appointment-store.c — the local appointment file, as a GListModel.
 *
 * The model is a GPtrArray kept sorted by (start, id) plus an id index.
 * Every change schedules a save: the state is serialised on the main thread
 * (cheap, and the objects are never touched by another thread) and a worker
 * writes it atomically. While a save runs, further changes only set a
 * "pending" flag, and one more save follows, so nothing is lost and at most
 * two saves are queued at any time.
 *
 * Loading never destroys data: a corrupt file is moved aside (hard link to a
 * name that did not exist, then unlink), a file of a newer version is not
 * touched at all and the store refuses every change.
 */
#define G_LOG_DOMAIN "atx-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "atx-appointment-store.h"

struct _AtxAppointmentStore
{
  GObject parent_instance;

  char *path;
  GMainContext *context;

  GPtrArray *items;         /* AtxAppointment*, sorted by atx_appointment_compare */
  GHashTable *by_id;        /* id → AtxAppointment* (borrowed from items) */
  GPtrArray *invalid;       /* AtxInvalidEntry* */
  JsonObject *file_root;    /* the top-level object as read, for unknown members */
  GTimeSpan max_duration;   /* longest appointment, bounds range queries */

  guint loaded : 1;
  guint read_only : 1;
  guint saving : 1;
  guint save_pending : 1;

  guint64 change_serial;    /* bumped on every change */
  guint64 saved_serial;     /* change_serial of the state on disk */
  GSource *save_idle;       /* a save scheduled for the next idle */
  GError *last_save_error;
  GList *save_waiters;      /* GTask* of save_async calls */
};

static void atx_appointment_store_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (AtxAppointmentStore, atx_appointment_store, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      atx_appointment_store_list_model_init))

G_DEFINE_QUARK (atx-store-error-quark, atx_store_error)

enum {
  PROP_0,
  PROP_PATH,
  PROP_READ_ONLY,
  PROP_HAS_UNSAVED_CHANGES,
  PROP_ITEM_TYPE,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_SAVED,
  SIGNAL_SAVE_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void schedule_save (AtxAppointmentStore *self);
static void cancel_save_idle (AtxAppointmentStore *self);
static void start_save (AtxAppointmentStore *self);

/* ---------------------------------------------------------------- helpers */

static void
invalid_entry_free (AtxInvalidEntry *entry)
{
  g_free (entry->message);
  g_clear_pointer (&entry->node, json_node_unref);
  g_free (entry);
}

static gboolean
has_unsaved (AtxAppointmentStore *self)
{
  return self->change_serial != self->saved_serial;
}

/* Lower bound: first position whose item sorts at or after appointment. */
static guint
find_insert_position (GPtrArray      *items,
                      AtxAppointment *appointment)
{
  guint lo = 0, hi = items->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (atx_appointment_compare (g_ptr_array_index (items, mid), appointment) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

static gboolean
find_position (AtxAppointmentStore *self,
               AtxAppointment      *stored,
               guint               *out_position)
{
  guint pos = find_insert_position (self->items, stored);

  if (pos < self->items->len && g_ptr_array_index (self->items, pos) == stored)
    {
      *out_position = pos;
      return TRUE;
    }

  /* Changed in place (its start moved): fall back to a scan. */
  return g_ptr_array_find (self->items, stored, out_position);
}

static int
compare_items (gconstpointer a,
               gconstpointer b)
{
  return atx_appointment_compare (*(AtxAppointment **) a, *(AtxAppointment **) b);
}

static GTimeSpan
duration_of (AtxAppointment *appointment)
{
  return g_date_time_difference (atx_appointment_get_end (appointment),
                                 atx_appointment_get_start (appointment));
}

static void
set_read_only (AtxAppointmentStore *self,
               gboolean             read_only)
{
  if (self->read_only == !!read_only)
    return;
  self->read_only = !!read_only;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_READ_ONLY]);
}

static void
notify_unsaved_if_changed (AtxAppointmentStore *self,
                           gboolean             was_unsaved)
{
  if (was_unsaved != has_unsaved (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_UNSAVED_CHANGES]);
}

static void
emit_items_changed (AtxAppointmentStore *self,
                    guint                position,
                    guint                removed,
                    guint                added)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* ---------------------------------------------------------------- GListModel */

static GType
atx_appointment_store_get_item_type (GListModel *model)
{
  return ATX_TYPE_APPOINTMENT;
}

static guint
atx_appointment_store_get_n_items (GListModel *model)
{
  return ATX_APPOINTMENT_STORE (model)->items->len;
}

static gpointer
atx_appointment_store_get_item (GListModel *model,
                                guint       position)
{
  AtxAppointmentStore *self = ATX_APPOINTMENT_STORE (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
atx_appointment_store_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = atx_appointment_store_get_item_type;
  iface->get_n_items = atx_appointment_store_get_n_items;
  iface->get_item = atx_appointment_store_get_item;
}

/* ---------------------------------------------------------------- GObject */

static void
atx_appointment_store_dispose (GObject *object)
{
  AtxAppointmentStore *self = ATX_APPOINTMENT_STORE (object);

  cancel_save_idle (self);

  G_OBJECT_CLASS (atx_appointment_store_parent_class)->dispose (object);
}

static void
atx_appointment_store_finalize (GObject *object)
{
  AtxAppointmentStore *self = ATX_APPOINTMENT_STORE (object);

  g_assert (self->save_waiters == NULL);

  g_free (self->path);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->invalid, g_ptr_array_unref);
  g_clear_pointer (&self->file_root, json_object_unref);
  g_clear_error (&self->last_save_error);

  G_OBJECT_CLASS (atx_appointment_store_parent_class)->finalize (object);
}

static void
atx_appointment_store_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  AtxAppointmentStore *self = ATX_APPOINTMENT_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_READ_ONLY:
      g_value_set_boolean (value, self->read_only);
      break;
    case PROP_HAS_UNSAVED_CHANGES:
      g_value_set_boolean (value, has_unsaved (self));
      break;
    case PROP_ITEM_TYPE:
      g_value_set_gtype (value, ATX_TYPE_APPOINTMENT);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->items->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atx_appointment_store_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  AtxAppointmentStore *self = ATX_APPOINTMENT_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_free (self->path);
      self->path = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atx_appointment_store_constructed (GObject *object)
{
  AtxAppointmentStore *self = ATX_APPOINTMENT_STORE (object);

  G_OBJECT_CLASS (atx_appointment_store_parent_class)->constructed (object);

  if (self->path == NULL || *self->path == '\0')
    {
      g_free (self->path);
      self->path = g_build_filename (g_get_user_data_dir (), "ataraxia", "appointments.json", NULL);
    }
  else if (!g_path_is_absolute (self->path))
    {
      g_autofree char *relative = g_steal_pointer (&self->path);
      g_autofree char *cwd = g_get_current_dir ();

      self->path = g_build_filename (cwd, relative, NULL);
    }
}

static void
atx_appointment_store_class_init (AtxAppointmentStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = atx_appointment_store_dispose;
  object_class->finalize = atx_appointment_store_finalize;
  object_class->get_property = atx_appointment_store_get_property;
  object_class->set_property = atx_appointment_store_set_property;
  object_class->constructed = atx_appointment_store_constructed;

  properties[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_READ_ONLY] =
    g_param_spec_boolean ("read-only", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAS_UNSAVED_CHANGES] =
    g_param_spec_boolean ("has-unsaved-changes", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ITEM_TYPE] =
    g_param_spec_gtype ("item-type", NULL, NULL, ATX_TYPE_APPOINTMENT,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_SAVED] =
    g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_SAVE_FAILED] =
    g_signal_new ("save-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
atx_appointment_store_init (AtxAppointmentStore *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->invalid = g_ptr_array_new_with_free_func ((GDestroyNotify) invalid_entry_free);
}

AtxAppointmentStore *
atx_appointment_store_new (const char *path)
{
  return g_object_new (ATX_TYPE_APPOINTMENT_STORE, "path", path, NULL);
}

const char *
atx_appointment_store_get_path (AtxAppointmentStore *self)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT_STORE (self), NULL);
  return self->path;
}

gboolean
atx_appointment_store_is_read_only (AtxAppointmentStore *self)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT_STORE (self), TRUE);
  return self->read_only;
}

GPtrArray *
atx_appointment_store_get_invalid_entries (AtxAppointmentStore *self)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT_STORE (self), NULL);
  return self->invalid;
}

gboolean
atx_appointment_store_has_unsaved_changes (AtxAppointmentStore *self)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT_STORE (self), FALSE);
  return has_unsaved (self);
}

/* ---------------------------------------------------------------- loading */

/* Everything a load produces, built without touching the store so that it
 * can run in a worker thread. */
typedef struct {
  char *path;
  GPtrArray *items;
  GHashTable *by_id;
  GPtrArray *invalid;
  JsonObject *file_root;
  GTimeSpan max_duration;
  gboolean read_only;
  gboolean file_exists;
  GError *error;
} LoadResult;

static void
load_result_free (LoadResult *result)
{
  g_free (result->path);
  g_clear_pointer (&result->by_id, g_hash_table_unref);
  g_clear_pointer (&result->items, g_ptr_array_unref);
  g_clear_pointer (&result->invalid, g_ptr_array_unref);
  g_clear_pointer (&result->file_root, json_object_unref);
  g_clear_error (&result->error);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoadResult, load_result_free)

/* Moves a corrupt file aside without ever replacing an existing file:
 * link() fails with EEXIST where rename() would silently overwrite. */
static char *
move_aside (const char  *path,
            GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%SZ");
  g_autofree char *base = g_strdup_printf ("%s.corrupt-%s", path, stamp);

  for (guint n = 1; n < 10000; n++)
    {
      g_autofree char *candidate = n == 1 ? g_strdup (base) : g_strdup_printf ("%s-%u", base, n);

      if (link (path, candidate) == 0)
        {
          if (g_unlink (path) != 0)
            {
              int saved_errno = errno;

              g_unlink (candidate);
              g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                           "%s", g_strerror (saved_errno));
              return NULL;
            }
          return g_steal_pointer (&candidate);
        }

      if (errno == EEXIST)
        continue;

      /* No hard links on this file system: check, then rename. */
      if (errno == EPERM || errno == ENOTSUP || errno == EOPNOTSUPP || errno == EMLINK)
        {
          if (g_file_test (candidate, G_FILE_TEST_EXISTS))
            continue;
          if (g_rename (path, candidate) == 0)
            return g_steal_pointer (&candidate);
        }

      {
        int saved_errno = errno;

        g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                     "%s", g_strerror (saved_errno));
        return NULL;
      }
    }

  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_EXISTS, g_strerror (EEXIST));
  return NULL;
}

static void
set_corrupt (LoadResult *result,
             const char *reason)
{
  g_autoptr(GError) move_error = NULL;
  g_autofree char *aside = move_aside (result->path, &move_error);

  if (aside != NULL)
    {
      g_set_error (&result->error, ATX_STORE_ERROR, ATX_STORE_ERROR_CORRUPT,
                   _("The appointments file “%s” could not be read (%s). "
                     "It was moved to “%s” and a new, empty calendar was started."),
                   result->path, reason, aside);
    }
  else
    {
      /* It stays where it is, so nothing may be written over it. */
      result->read_only = TRUE;
      g_set_error (&result->error, ATX_STORE_ERROR, ATX_STORE_ERROR_CORRUPT,
                   _("The appointments file “%s” could not be read (%s) and could not "
                     "be moved aside (%s). It was left untouched and the calendar "
                     "is read-only."),
                   result->path, reason, move_error->message);
    }
}

static void
add_invalid (LoadResult *result,
             guint       index,
             JsonNode   *node,
             const char *message)
{
  AtxInvalidEntry *entry = g_new0 (AtxInvalidEntry, 1);

  entry->index = index;
  entry->message = g_strdup (message);
  entry->node = json_node_ref (node);
  g_ptr_array_add (result->invalid, entry);
}

static gboolean
is_hex4 (const char *p,
         const char *end,
         guint      *out)
{
  guint value = 0;

  if (end - p < 4)
    return FALSE;
  for (int i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (p[i]);

      if (digit < 0)
        return FALSE;
      value = value * 16 + digit;
    }
  *out = value;
  return TRUE;
}

/* json-glib accepts escapes JSON does not have (octal "\202") and lone
 * surrogates, and turns them into bytes that are not UTF-8: written back,
 * such a file could not be read again. Backslashes only occur inside
 * strings, so a scan for them is enough, and cheap. */
static gboolean
has_only_json_escapes (const char *data,
                       gsize       length)
{
  const char *end = data + length;
  const char *p = data;

  while ((p = memchr (p, '\\', end - p)) != NULL)
    {
      guint code, low;

      if (p + 1 >= end)
        return FALSE;
      switch (p[1])
        {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
          p += 2;
          break;
        case 'u':
          if (!is_hex4 (p + 2, end, &code))
            return FALSE;
          p += 6;
          if (code >= 0xdc00 && code <= 0xdfff)
            return FALSE;
          if (code >= 0xd800 && code <= 0xdbff)
            {
              if (end - p < 6 || p[0] != '\\' || p[1] != 'u' || !is_hex4 (p + 2, end, &low) ||
                  low < 0xdc00 || low > 0xdfff)
                return FALSE;
              p += 6;
            }
          break;
        default:
          return FALSE;
        }
    }

  return TRUE;
}

/* Reads and parses the file; no store state is touched. */
static LoadResult *
load_file (const char *path)
{
  g_autoptr(LoadResult) result = g_new0 (LoadResult, 1);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  JsonNode *root;
  JsonObject *root_object;
  JsonNode *version_node;
  JsonNode *appointments_node;
  JsonArray *array;
  guint n;

  result->path = g_strdup (path);
  result->items = g_ptr_array_new_with_free_func (g_object_unref);
  result->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  result->invalid = g_ptr_array_new_with_free_func ((GDestroyNotify) invalid_entry_free);

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_steal_pointer (&result);

      /* Exists but cannot be read: never write over it. */
      result->file_exists = TRUE;
      result->read_only = TRUE;
      g_set_error (&result->error, ATX_STORE_ERROR, ATX_STORE_ERROR_LOAD_FAILED,
                   _("The appointments file “%s” could not be opened: %s. "
                     "The calendar is read-only."),
                   path, local_error->message);
      return g_steal_pointer (&result);
    }

  result->file_exists = TRUE;
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, contents, length, &local_error))
    {
      set_corrupt (result, local_error->message);
      return g_steal_pointer (&result);
    }
  if (!has_only_json_escapes (contents, length))
    {
      set_corrupt (result, _("it contains an invalid escape sequence"));
      return g_steal_pointer (&result);
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      set_corrupt (result, _("it does not contain a JSON object"));
      return g_steal_pointer (&result);
    }
  root_object = json_node_get_object (root);

  /* A missing version is a file of the original web app: version 1. */
  version_node = json_object_get_member (root_object, "version");
  if (version_node != NULL)
    {
      gint64 version = -1;

      if (JSON_NODE_HOLDS_VALUE (version_node) &&
          json_node_get_value_type (version_node) == G_TYPE_INT64)
        version = json_node_get_int (version_node);
      else if (JSON_NODE_HOLDS_VALUE (version_node) &&
               json_node_get_value_type (version_node) == G_TYPE_DOUBLE &&
               json_node_get_double (version_node) == (double) (gint64) json_node_get_double (version_node))
        version = (gint64) json_node_get_double (version_node);

      if (version > ATX_STORE_FORMAT_VERSION)
        {
          result->read_only = TRUE;
          /* The number is formatted first: G_GINT64_FORMAT inside _() would
           * cut the message for translators. */
          g_autofree char *format = g_strdup_printf ("%" G_GINT64_FORMAT, version);

          g_set_error (&result->error, ATX_STORE_ERROR, ATX_STORE_ERROR_NEWER_VERSION,
                       _("The appointments file “%s” was written by a newer version of "
                         "Ataraxia (format %s). It was left untouched "
                         "and the calendar is read-only."),
                       path, format);
          /* Still show what can be understood of it. */
        }
      else if (version < 1)
        {
          set_corrupt (result, _("its “version” is not a valid format number"));
          return g_steal_pointer (&result);
        }
    }

  appointments_node = json_object_get_member (root_object, "appointments");
  if (appointments_node == NULL || !JSON_NODE_HOLDS_ARRAY (appointments_node))
    {
      if (result->read_only)
        return g_steal_pointer (&result);
      set_corrupt (result, _("it has no “appointments” list"));
      return g_steal_pointer (&result);
    }

  result->file_root = json_object_ref (root_object);
  array = json_node_get_array (appointments_node);
  n = json_array_get_length (array);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autoptr(GError) entry_error = NULL;
      AtxAppointment *appointment;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          add_invalid (result, i, element, _("The entry is not a JSON object"));
          continue;
        }

      appointment = atx_appointment_new_from_json (json_node_get_object (element), &entry_error);
      if (appointment == NULL)
        {
          add_invalid (result, i, element, entry_error->message);
          continue;
        }

      if (g_hash_table_contains (result->by_id, atx_appointment_get_id (appointment)))
        {
          g_autofree char *message =
            g_strdup_printf (_("Another appointment has the same id “%s”"),
                             atx_appointment_get_id (appointment));

          add_invalid (result, i, element, message);
          g_object_unref (appointment);
          continue;
        }

      g_ptr_array_add (result->items, appointment);
      g_hash_table_insert (result->by_id, (char *) atx_appointment_get_id (appointment), appointment);
      result->max_duration = MAX (result->max_duration, duration_of (appointment));
    }

  /* Once, not per item: files are mostly sorted already, and this is the
   * only O(n log n) step of a load. */
  g_ptr_array_sort (result->items, compare_items);

  return g_steal_pointer (&result);
}

/* Makes a load's result the store's state; on the store's thread. */
static gboolean
install_load_result (AtxAppointmentStore  *self,
                     LoadResult           *result,
                     GError              **error)
{
  guint old_len = self->items->len;
  gboolean was_unsaved = has_unsaved (self);

  g_object_freeze_notify (G_OBJECT (self));

  cancel_save_idle (self);
  self->save_pending = FALSE;

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->invalid, g_ptr_array_unref);
  g_clear_pointer (&self->file_root, json_object_unref);
  self->items = g_steal_pointer (&result->items);
  self->by_id = g_steal_pointer (&result->by_id);
  self->invalid = g_steal_pointer (&result->invalid);
  self->file_root = g_steal_pointer (&result->file_root);
  self->max_duration = result->max_duration;

  self->loaded = TRUE;
  self->saved_serial = self->change_serial;
  g_clear_error (&self->last_save_error);
  set_read_only (self, result->read_only);
  notify_unsaved_if_changed (self, was_unsaved);

  if (old_len > 0 || self->items->len > 0)
    emit_items_changed (self, 0, old_len, self->items->len);

  g_object_thaw_notify (G_OBJECT (self));

  if (result->error != NULL)
    {
      g_debug ("%s", result->error->message);
      g_propagate_error (error, g_steal_pointer (&result->error));
      return FALSE;
    }

  return TRUE;
}

/* A save that is writing must not race with reading the file; a reload
 * replaces the state in memory, so queued saves are dropped. */
static void
wait_for_running_save (AtxAppointmentStore *self)
{
  cancel_save_idle (self);
  self->save_pending = FALSE;
  while (self->saving)
    g_main_context_iteration (self->context, TRUE);
}

gboolean
atx_appointment_store_load (AtxAppointmentStore  *self,
                            GError              **error)
{
  g_autoptr(LoadResult) result = NULL;

  g_return_val_if_fail (ATX_IS_APPOINTMENT_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  wait_for_running_save (self);
  result = load_file (self->path);
  return install_load_result (self, result, error);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  g_task_return_pointer (task, load_file (task_data), (GDestroyNotify) load_result_free);
}

static void
load_thread_done (GObject      *source_object,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  AtxAppointmentStore *self = g_task_get_source_object (task);
  g_autoptr(LoadResult) result = g_task_propagate_pointer (G_TASK (res), NULL);
  g_autoptr(GError) error = NULL;

  /* Installed even when cancelled: the file may have been moved aside, and
   * a newer-version file must make the store read-only either way. */
  if (!install_load_result (self, result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else if (g_task_return_error_if_cancelled (task))
    return;
  else
    g_task_return_boolean (task, TRUE);
}

void
atx_appointment_store_load_async (AtxAppointmentStore *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) worker = NULL;

  g_return_if_fail (ATX_IS_APPOINTMENT_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  wait_for_running_save (self);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, atx_appointment_store_load_async);

  /* The worker has no source object, for the same reason as in start_save(). */
  worker = g_task_new (NULL, NULL, load_thread_done, g_object_ref (task));
  g_task_set_source_tag (worker, load_thread);
  g_task_set_task_data (worker, g_strdup (self->path), g_free);
  g_task_run_in_thread (worker, load_thread);
}

gboolean
atx_appointment_store_load_finish (AtxAppointmentStore  *self,
                                   GAsyncResult         *result,
                                   GError              **error)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == atx_appointment_store_load_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---------------------------------------------------------------- changes */

static gboolean
check_writable (AtxAppointmentStore  *self,
                GError              **error)
{
  if (!self->read_only)
    return TRUE;

  g_set_error (error, ATX_STORE_ERROR, ATX_STORE_ERROR_READ_ONLY,
               _("The calendar is read-only; the change was not made"));
  return FALSE;
}

static gboolean
check_valid (AtxAppointment  *appointment,
             GError         **error)
{
  g_autoptr(GError) local_error = NULL;

  if (atx_appointment_validate (appointment, &local_error))
    return TRUE;

  g_set_error_literal (error, ATX_STORE_ERROR, ATX_STORE_ERROR_INVALID, local_error->message);
  return FALSE;
}

static void
changed (AtxAppointmentStore *self)
{
  gboolean was_unsaved = has_unsaved (self);

  self->change_serial++;
  notify_unsaved_if_changed (self, was_unsaved);
  schedule_save (self);
}

gboolean
atx_appointment_store_add (AtxAppointmentStore  *self,
                           AtxAppointment       *appointment,
                           GError              **error)
{
  guint position;

  g_return_val_if_fail (ATX_IS_APPOINTMENT_STORE (self), FALSE);
  g_return_val_if_fail (ATX_IS_APPOINTMENT (appointment), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_writable (self, error) || !check_valid (appointment, error))
    return FALSE;

  if (g_hash_table_contains (self->by_id, atx_appointment_get_id (appointment)))
    {
      g_set_error (error, ATX_STORE_ERROR, ATX_STORE_ERROR_DUPLICATE_ID,
                   _("An appointment with the id “%s” already exists"),
                   atx_appointment_get_id (appointment));
      return FALSE;
    }

  position = find_insert_position (self->items, appointment);
  g_ptr_array_insert (self->items, position, g_object_ref (appointment));
  g_hash_table_insert (self->by_id, (char *) atx_appointment_get_id (appointment), appointment);
  self->max_duration = MAX (self->max_duration, duration_of (appointment));

  emit_items_changed (self, position, 0, 1);
  changed (self);

  return TRUE;
}

gboolean
atx_appointment_store_update (AtxAppointmentStore  *self,
                              AtxAppointment       *appointment,
                              GError              **error)
{
  g_autoptr(AtxAppointment) old = NULL;
  AtxAppointment *stored;
  guint old_position;
  guint new_position;

  g_return_val_if_fail (ATX_IS_APPOINTMENT_STORE (self), FALSE);
  g_return_val_if_fail (ATX_IS_APPOINTMENT (appointment), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_writable (self, error) || !check_valid (appointment, error))
    return FALSE;

  stored = g_hash_table_lookup (self->by_id, atx_appointment_get_id (appointment));
  if (stored == NULL || !find_position (self, stored, &old_position))
    {
      g_set_error (error, ATX_STORE_ERROR, ATX_STORE_ERROR_NOT_FOUND,
                   _("There is no appointment with the id “%s”"),
                   atx_appointment_get_id (appointment));
      return FALSE;
    }

  atx_appointment_touch (appointment);

  /* Take it out, then put the new value where it sorts now. The model is
   * consistent at each items-changed: one signal if it stays in place, a
   * removal and an insertion if it moves. */
  old = g_ptr_array_steal_index (self->items, old_position);
  g_hash_table_remove (self->by_id, atx_appointment_get_id (old));
  new_position = find_insert_position (self->items, appointment);

  if (new_position != old_position)
    g_list_model_items_changed (G_LIST_MODEL (self), old_position, 1, 0);

  g_ptr_array_insert (self->items, new_position, g_object_ref (appointment));
  g_hash_table_insert (self->by_id, (char *) atx_appointment_get_id (appointment), appointment);
  self->max_duration = MAX (self->max_duration, duration_of (appointment));

  if (new_position == old_position)
    g_list_model_items_changed (G_LIST_MODEL (self), old_position, 1, 1);
  else
    g_list_model_items_changed (G_LIST_MODEL (self), new_position, 0, 1);

  changed (self);

  return TRUE;
}

AtxAppointment *
atx_appointment_store_remove (AtxAppointmentStore  *self,
                              const char           *id,
                              GError              **error)
{
  AtxAppointment *stored;
  AtxAppointment *removed;
  guint position;

  g_return_val_if_fail (ATX_IS_APPOINTMENT_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_writable (self, error))
    return NULL;

  stored = g_hash_table_lookup (self->by_id, id);
  if (stored == NULL || !find_position (self, stored, &position))
    {
      g_set_error (error, ATX_STORE_ERROR, ATX_STORE_ERROR_NOT_FOUND,
                   _("There is no appointment with the id “%s”"), id);
      return NULL;
    }

  g_hash_table_remove (self->by_id, id);
  removed = g_ptr_array_steal_index (self->items, position);

  emit_items_changed (self, position, 1, 0);
  changed (self);

  return removed;
}

AtxAppointment *
atx_appointment_store_lookup (AtxAppointmentStore *self,
                              const char          *id)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT_STORE (self), NULL);

  if (id == NULL)
    return NULL;
  return g_hash_table_lookup (self->by_id, id);
}

/* ---------------------------------------------------------------- queries */

/* First position whose start is at or after time. */
static guint
first_starting_at_or_after (GPtrArray *items,
                            GDateTime *time)
{
  guint lo = 0, hi = items->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      GDateTime *start = atx_appointment_get_start (g_ptr_array_index (items, mid));

      /* No start only if a stored object was broken in place: sorts first. */
      if (start == NULL || g_date_time_compare (start, time) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

GPtrArray *
atx_appointment_store_query_range (AtxAppointmentStore *self,
                                   GDateTime           *from,
                                   GDateTime           *to)
{
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GDateTime) earliest = NULL;
  guint i;

  g_return_val_if_fail (ATX_IS_APPOINTMENT_STORE (self), NULL);
  g_return_val_if_fail (from != NULL, NULL);
  g_return_val_if_fail (to != NULL, NULL);

  found = g_ptr_array_new_with_free_func (g_object_unref);

  /* Nothing that starts before from - longest duration can reach from. */
  earliest = g_date_time_add (from, -self->max_duration);
  i = earliest != NULL ? first_starting_at_or_after (self->items, earliest) : 0;

  for (; i < self->items->len; i++)
    {
      AtxAppointment *appointment = g_ptr_array_index (self->items, i);
      GDateTime *start = atx_appointment_get_start (appointment);

      if (start != NULL && g_date_time_compare (start, to) >= 0)
        break;
      if (atx_appointment_overlaps (appointment, from, to))
        g_ptr_array_add (found, g_object_ref (appointment));
    }

  return g_steal_pointer (&found);
}

GPtrArray *
atx_appointment_store_query_day (AtxAppointmentStore *self,
                                 GTimeZone           *tz,
                                 int                  year,
                                 int                  month,
                                 int                  day)
{
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) to = NULL;
  GDate next;

  g_return_val_if_fail (ATX_IS_APPOINTMENT_STORE (self), NULL);
  g_return_val_if_fail (tz != NULL, NULL);
  g_return_val_if_fail (year >= 1 && year < 9999, NULL);
  g_return_val_if_fail (g_date_valid_dmy (day, month, year), NULL);

  /* Local midnight to the next local midnight: 23 or 25 hours on the days
   * the clocks change. */
  g_date_clear (&next, 1);
  g_date_set_dmy (&next, day, month, year);
  g_date_add_days (&next, 1);

  from = g_date_time_new (tz, year, month, day, 0, 0, 0);
  to = g_date_time_new (tz, g_date_get_year (&next), g_date_get_month (&next),
                        g_date_get_day (&next), 0, 0, 0);
  g_return_val_if_fail (from != NULL && to != NULL, NULL);

  return atx_appointment_store_query_range (self, from, to);
}

/* ---------------------------------------------------------------- saving */

typedef struct {
  char *path;
  GBytes *contents;
  gboolean must_not_exist;   /* never loaded: do not replace an existing file */
  guint64 serial;
} SaveJob;

static void
save_job_free (SaveJob *job)
{
  g_free (job->path);
  g_clear_pointer (&job->contents, g_bytes_unref);
  g_free (job);
}

static gboolean
set_save_error (GError     **error,
                const char  *path,
                int          saved_errno)
{
  g_set_error (error, ATX_STORE_ERROR, ATX_STORE_ERROR_SAVE_FAILED,
               _("Could not save the appointments to “%s”: %s"),
               path, g_strerror (saved_errno));
  return FALSE;
}

static gboolean
write_all (int           fd,
           const guint8 *data,
           gsize         length)
{
  while (length > 0)
    {
      gssize written = write (fd, data, MIN (length, (gsize) G_MAXSSIZE));

      if (written < 0)
        {
          if (errno == EINTR)
            continue;
          return FALSE;
        }
      data += written;
      length -= written;
    }

  return TRUE;
}

static void
fsync_directory (const char *dir)
{
  int fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  /* Best effort: some file systems refuse fsync on directories. */
  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
}

/* Creates the directory 0700, or tightens our own directory if it exists.
 * Only a directory named "ataraxia" (the default layout) or one created
 * here is chmod'ed: a custom path may point into a shared directory. */
static gboolean
prepare_directory (const char  *dir,
                   GError     **error,
                   const char  *path)
{
  struct stat st;

  if (g_stat (dir, &st) != 0)
    {
      if (errno != ENOENT)
        return set_save_error (error, path, errno);
      if (g_mkdir_with_parents (dir, 0700) != 0)
        return set_save_error (error, path, errno);
      g_chmod (dir, 0700);
      return TRUE;
    }

  if (!S_ISDIR (st.st_mode))
    return set_save_error (error, path, ENOTDIR);

  if ((st.st_mode & 077) != 0 && st.st_uid == geteuid ())
    {
      g_autofree char *name = g_path_get_basename (dir);

      if (g_strcmp0 (name, "ataraxia") == 0 && g_chmod (dir, 0700) != 0)
        g_debug ("Could not restrict the permissions of %s: %s", dir, g_strerror (errno));
    }

  return TRUE;
}

static gboolean
write_atomically (SaveJob  *job,
                  GError  **error)
{
  g_autofree char *dir = g_path_get_dirname (job->path);
  g_autofree char *base = g_path_get_basename (job->path);
  g_autofree char *tmp_path = NULL;
  g_autofree char *bak_path = g_strconcat (job->path, ".bak", NULL);
  gsize length;
  const guint8 *data = g_bytes_get_data (job->contents, &length);
  struct stat st;
  gboolean had_file;
  int fd;

  /* Never write what could not be read back (a string that is not UTF-8
   * set by some caller): fail loudly instead, the data stays in memory. */
  if (!g_utf8_validate ((const char *) data, length, NULL))
    {
      g_set_error (error, ATX_STORE_ERROR, ATX_STORE_ERROR_SAVE_FAILED,
                   _("Could not save the appointments to “%s”: some text is not valid UTF-8"),
                   job->path);
      return FALSE;
    }

  if (!prepare_directory (dir, error, job->path))
    return FALSE;

  had_file = g_lstat (job->path, &st) == 0;
  if (had_file && job->must_not_exist)
    {
      /* The file was never loaded: replacing it would lose its data. */
      g_set_error (error, ATX_STORE_ERROR, ATX_STORE_ERROR_SAVE_FAILED,
                   _("Could not save the appointments to “%s”: the file exists but was "
                     "not loaded, so it was not replaced"),
                   job->path);
      return FALSE;
    }

  tmp_path = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  fd = g_mkstemp_full (tmp_path, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    return set_save_error (error, job->path, errno);

  if (fchmod (fd, 0600) != 0 || !write_all (fd, data, length) ||
      !write_all (fd, (const guint8 *) "\n", 1) || fsync (fd) != 0)
    {
      int saved_errno = errno;

      close (fd);
      g_unlink (tmp_path);
      return set_save_error (error, job->path, saved_errno);
    }

  if (close (fd) != 0)
    {
      int saved_errno = errno;

      g_unlink (tmp_path);
      return set_save_error (error, job->path, saved_errno);
    }

  /* Keep the previous file as .bak: a hard link to a temporary name renamed
   * over the old .bak, so there is always a complete .bak and the main file
   * never disappears. */
  if (had_file && S_ISREG (st.st_mode))
    {
      g_autofree char *bak_tmp = g_strdup_printf ("%s/.%s.bak.XXXXXX", dir, base);
      int bak_fd;

      if ((st.st_mode & 077) != 0)
        g_chmod (job->path, 0600);

      bak_fd = g_mkstemp_full (bak_tmp, O_RDWR | O_CLOEXEC, 0600);
      if (bak_fd >= 0)
        {
          close (bak_fd);
          g_unlink (bak_tmp);
          if (link (job->path, bak_tmp) == 0)
            {
              if (g_rename (bak_tmp, bak_path) != 0)
                {
                  g_debug ("Could not keep %s: %s", bak_path, g_strerror (errno));
                  g_unlink (bak_tmp);
                }
            }
          else
            {
              /* No hard links here: copy instead. */
              g_autofree char *old_contents = NULL;
              gsize old_length;

              if (g_file_get_contents (job->path, &old_contents, &old_length, NULL))
                g_file_set_contents_full (bak_path, old_contents, old_length,
                                          G_FILE_SET_CONTENTS_CONSISTENT, 0600, NULL);
            }
        }
    }

  if (g_rename (tmp_path, job->path) != 0)
    {
      int saved_errno = errno;

      g_unlink (tmp_path);
      return set_save_error (error, job->path, saved_errno);
    }

  fsync_directory (dir);
  return TRUE;
}

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;

  if (write_atomically (task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* The whole file as it will be written: version, the appointments, the
 * invalid entries verbatim at the end, and the file's unknown members. */
static GBytes *
serialize (AtxAppointmentStore *self)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) object = json_object_new ();
  JsonArray *array = json_array_sized_new (self->items->len + self->invalid->len);
  JsonNode *array_node = json_node_new (JSON_NODE_ARRAY);
  gsize length;
  char *data;

  for (guint i = 0; i < self->items->len; i++)
    {
      json_array_add_element (array, atx_appointment_serialize (g_ptr_array_index (self->items, i)));
    }
  for (guint i = 0; i < self->invalid->len; i++)
    {
      AtxInvalidEntry *entry = g_ptr_array_index (self->invalid, i);

      json_array_add_element (array, json_node_copy (entry->node));
    }
  json_node_take_array (array_node, array);

  json_object_set_int_member (object, "version", ATX_STORE_FORMAT_VERSION);
  if (self->file_root != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *node;

      json_object_iter_init_ordered (&iter, self->file_root);
      while (json_object_iter_next_ordered (&iter, &name, &node))
        {
          if (strcmp (name, "version") == 0)
            continue;
          if (strcmp (name, "appointments") == 0)
            json_object_set_member (object, name, g_steal_pointer (&array_node));
          else
            json_object_set_member (object, name, json_node_copy (node));
        }
    }
  if (array_node != NULL)
    json_object_set_member (object, "appointments", g_steal_pointer (&array_node));

  json_node_set_object (root, object);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);

  /* The worker adds a trailing newline, as text editors expect. */
  data = json_generator_to_data (generator, &length);
  return g_bytes_new_take (data, length);
}

static void
complete_waiters (AtxAppointmentStore *self)
{
  GList *waiters = g_steal_pointer (&self->save_waiters);

  for (GList *l = waiters; l != NULL; l = l->next)
    {
      g_autoptr(GTask) task = l->data;

      if (has_unsaved (self) && self->last_save_error != NULL)
        g_task_return_error (task, g_error_copy (self->last_save_error));
      else
        g_task_return_boolean (task, TRUE);
    }
  g_list_free (waiters);
}

static void
save_done (GObject      *source_object,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(AtxAppointmentStore) self = user_data;
  SaveJob *job = g_task_get_task_data (G_TASK (res));
  g_autoptr(GError) error = NULL;
  gboolean was_unsaved = has_unsaved (self);

  self->saving = FALSE;

  if (g_task_propagate_boolean (G_TASK (res), &error))
    {
      g_clear_error (&self->last_save_error);
      self->saved_serial = job->serial;
      self->loaded = TRUE;
      notify_unsaved_if_changed (self, was_unsaved);
    }
  else
    {
      g_debug ("%s", error->message);
      g_clear_error (&self->last_save_error);
      self->last_save_error = g_error_copy (error);
    }

  if (self->save_pending && !self->read_only)
    {
      /* Changes arrived while writing: one more save carries them. */
      self->save_pending = FALSE;
      if (error != NULL)
        g_signal_emit (self, signals[SIGNAL_SAVE_FAILED], 0, error);
      start_save (self);
      return;
    }

  self->save_pending = FALSE;
  if (error != NULL)
    g_signal_emit (self, signals[SIGNAL_SAVE_FAILED], 0, error);
  else if (!has_unsaved (self))
    g_signal_emit (self, signals[SIGNAL_SAVED], 0);

  if (self->save_idle == NULL)
    complete_waiters (self);
}

static void
start_save (AtxAppointmentStore *self)
{
  g_autoptr(GTask) task = NULL;
  SaveJob *job;
  gboolean pushed = FALSE;

  g_assert (!self->saving);
  g_assert (!self->read_only);

  cancel_save_idle (self);

  job = g_new0 (SaveJob, 1);
  job->path = g_strdup (self->path);
  job->contents = serialize (self);
  job->serial = self->change_serial;
  job->must_not_exist = !self->loaded;

  /* The completion must come back to the store's own context. */
  {
    g_autoptr(GMainContext) current = g_main_context_ref_thread_default ();

    if (current != self->context)
      {
        g_main_context_push_thread_default (self->context);
        pushed = TRUE;
      }
  }

  /* No source object: the worker thread drops the last reference to the
   * task, and that must never be the last reference to the store. */
  task = g_task_new (NULL, NULL, save_done, g_object_ref (self));
  g_task_set_source_tag (task, start_save);
  g_task_set_task_data (task, job, (GDestroyNotify) save_job_free);
  self->saving = TRUE;
  g_task_run_in_thread (task, save_thread);

  if (pushed)
    g_main_context_pop_thread_default (self->context);
}

static gboolean
save_idle_cb (gpointer user_data)
{
  AtxAppointmentStore *self = user_data;

  g_clear_pointer (&self->save_idle, g_source_unref);
  if (self->saving)
    self->save_pending = TRUE;
  else if (!self->read_only)
    start_save (self);
  else
    complete_waiters (self);

  return G_SOURCE_REMOVE;
}

/* Coalesces the changes of one main loop iteration into one save. */
static void
schedule_save (AtxAppointmentStore *self)
{
  g_autoptr(GSource) source = NULL;

  if (self->read_only)
    return;
  if (self->saving)
    {
      self->save_pending = TRUE;
      return;
    }
  if (self->save_idle != NULL)
    return;

  /* The idle holds a reference: dropping the store right after a change
   * must not drop the change. */
  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, save_idle_cb, g_object_ref (self), g_object_unref);
  g_source_set_static_name (source, "[atx-store] save");
  g_source_attach (source, self->context);
  self->save_idle = g_steal_pointer (&source);
}

static void
cancel_save_idle (AtxAppointmentStore *self)
{
  if (self->save_idle != NULL)
    {
      GSource *source = g_steal_pointer (&self->save_idle);

      g_source_destroy (source);
      g_source_unref (source);
    }
}

void
atx_appointment_store_save_async (AtxAppointmentStore *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (ATX_IS_APPOINTMENT_STORE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, atx_appointment_store_save_async);

  if (self->read_only)
    {
      g_task_return_new_error (task, ATX_STORE_ERROR, ATX_STORE_ERROR_READ_ONLY,
                               _("The calendar is read-only; “%s” is not written"),
                               self->path);
      return;
    }

  self->save_waiters = g_list_append (self->save_waiters, g_steal_pointer (&task));

  if (self->saving)
    self->save_pending = TRUE;
  else
    start_save (self);
}

gboolean
atx_appointment_store_save_finish (AtxAppointmentStore  *self,
                                   GAsyncResult         *result,
                                   GError              **error)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
atx_appointment_store_flush (AtxAppointmentStore  *self,
                             GError              **error)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* A failed save is retried once here: flush is the last chance at exit. */
  if (has_unsaved (self) && !self->read_only && !self->saving && self->save_idle == NULL)
    start_save (self);

  while (self->saving || self->save_pending || self->save_idle != NULL)
    g_main_context_iteration (self->context, TRUE);

  if (has_unsaved (self) && !self->read_only)
    {
      if (self->last_save_error != NULL)
        g_propagate_error (error, g_error_copy (self->last_save_error));
      else
        g_set_error (error, ATX_STORE_ERROR, ATX_STORE_ERROR_SAVE_FAILED,
                     _("Could not save the appointments to “%s”"), self->path);
      return FALSE;
    }

  return TRUE;
}

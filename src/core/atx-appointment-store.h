/* atx-appointment-store.h — the local appointment file, as a GListModel.
 *
 * Appointments sorted by start. Every change is written to disk off the main
 * thread, atomically (temp file + fsync + rename, previous file kept as .bak),
 * mode 0600 in a 0700 directory. A corrupt file is moved aside, a file of a
 * newer version is left untouched and the store becomes read-only, invalid
 * single entries are kept verbatim. See DESIGN.md, "Appointment store".
 */
#pragma once

#include "atx-appointment.h"

G_BEGIN_DECLS

#define ATX_STORE_ERROR (atx_store_error_quark ())

typedef enum {
  ATX_STORE_ERROR_CORRUPT,        /* moved aside; message names the new path */
  ATX_STORE_ERROR_NEWER_VERSION,  /* left untouched; store is read-only */
  ATX_STORE_ERROR_READ_ONLY,      /* a change was refused because the store is read-only */
  ATX_STORE_ERROR_NOT_FOUND,      /* no appointment with that id */
  ATX_STORE_ERROR_DUPLICATE_ID,
  ATX_STORE_ERROR_INVALID,        /* the appointment does not validate */
  ATX_STORE_ERROR_SAVE_FAILED,    /* I/O error while saving; message names the path */
  ATX_STORE_ERROR_LOAD_FAILED,    /* the file exists but cannot be read (e.g. permissions);
                                   * left untouched; store is read-only */
} AtxStoreError;

GQuark atx_store_error_quark (void);

#define ATX_STORE_FORMAT_VERSION 1

#define ATX_TYPE_APPOINTMENT_STORE (atx_appointment_store_get_type ())
G_DECLARE_FINAL_TYPE (AtxAppointmentStore, atx_appointment_store, ATX, APPOINTMENT_STORE, GObject)

/* path: the appointments.json file; NULL for the default
 * $XDG_DATA_HOME/ataraxia/appointments.json. Nothing is read until load. */
AtxAppointmentStore *atx_appointment_store_new (const char *path);

const char *atx_appointment_store_get_path (AtxAppointmentStore *self);

/* Reads the file. A missing file is an empty store (TRUE). A corrupt file is
 * moved aside to appointments.json.corrupt-<UTC timestamp> and FALSE is
 * returned with ATX_STORE_ERROR_CORRUPT; the store is then empty and
 * writable. A newer version: FALSE with ATX_STORE_ERROR_NEWER_VERSION, file
 * untouched, store read-only. Invalid entries do not fail the load: see
 * atx_appointment_store_get_invalid_entries().
 * Two more cases, both FALSE with the file untouched and the store read-only:
 * a corrupt file that cannot be moved aside (ATX_STORE_ERROR_CORRUPT, the
 * message says so) and a file that exists but cannot be read
 * (ATX_STORE_ERROR_LOAD_FAILED). A store that was never loaded does not
 * replace an existing file when it saves. Loading replaces whatever the
 * store held (a save still running is waited for; queued ones are dropped). */
gboolean atx_appointment_store_load (AtxAppointmentStore *self, GError **error);

/* The same, with parsing in a worker thread (the model is filled on the
 * thread-default main context of the caller). */
void     atx_appointment_store_load_async (AtxAppointmentStore *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean atx_appointment_store_load_finish (AtxAppointmentStore *self,
                                            GAsyncResult        *result,
                                            GError             **error);

gboolean atx_appointment_store_is_read_only (AtxAppointmentStore *self);

/* Entries of the file that did not validate: kept verbatim and written back
 * on save. Each item describes one entry. */
typedef struct {
  guint       index;   /* position in the file's "appointments" array */
  char       *message; /* why it is invalid, for the user */
  JsonNode   *node;    /* the entry as it was read */
} AtxInvalidEntry;

/* Element type: AtxInvalidEntry*, owned by the store. */
GPtrArray *atx_appointment_store_get_invalid_entries (AtxAppointmentStore *self);

/* Changes. Each validates, updates the model (items-changed) and queues an
 * asynchronous save. On a save failure the change stays in memory, the store
 * stays dirty and ::save-failed is emitted; the next change or
 * atx_appointment_store_save_async() retries. */
gboolean atx_appointment_store_add (AtxAppointmentStore *self, AtxAppointment *appointment, GError **error);
/* Replaces the stored appointment that has the same id (the argument is
 * taken as the new value, typically an edited copy; it may also be the
 * stored object itself after in-place edits). Calls atx_appointment_touch()
 * on it. An appointment whose start changed moves: items-changed (old, 1, 0)
 * then (new, 0, 1); otherwise one (position, 1, 1). */
gboolean atx_appointment_store_update (AtxAppointmentStore *self, AtxAppointment *appointment, GError **error);
/* Returns the removed appointment (full reference) for undo, or NULL. */
AtxAppointment *atx_appointment_store_remove (AtxAppointmentStore *self, const char *id, GError **error);

/* Borrowed, or NULL. */
AtxAppointment *atx_appointment_store_lookup (AtxAppointmentStore *self, const char *id);

/* Appointments overlapping [from, to), sorted; element type AtxAppointment*
 * with references held by the array. */
GPtrArray *atx_appointment_store_query_range (AtxAppointmentStore *self, GDateTime *from, GDateTime *to);
/* Appointments overlapping the calendar day year-month-day in tz (local
 * midnight to next local midnight, so 23 or 25 hours across DST changes). */
GPtrArray *atx_appointment_store_query_day (AtxAppointmentStore *self, GTimeZone *tz,
                                            int year, int month, int day);

/* Writes the current state now (coalesced with a save already running).
 * Completes when the state as of this call is on disk, or with the save's
 * error; ATX_STORE_ERROR_READ_ONLY at once on a read-only store. */
void     atx_appointment_store_save_async (AtxAppointmentStore *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean atx_appointment_store_save_finish (AtxAppointmentStore *self,
                                            GAsyncResult        *result,
                                            GError             **error);

/* TRUE while changes are not yet on disk (also after a failed save). */
gboolean atx_appointment_store_has_unsaved_changes (AtxAppointmentStore *self);

/* Blocks (iterating the thread-default main context) until no save is
 * running or queued; used at shutdown and by tests. Unsaved changes left by
 * an earlier failed save are tried once more. Returns FALSE with the last
 * save error if the data could not be written (TRUE on a read-only store,
 * which never writes). */
gboolean atx_appointment_store_flush (AtxAppointmentStore *self, GError **error);

/* Signals:
 *   ::saved ()                     — a save finished and the file is current
 *   ::save-failed (GError *error)  — a save failed; message names the path
 * Properties: "path", "read-only", "has-unsaved-changes" (notify),
 * and, like GListStore, "item-type" and "n-items" (notify) for bindings.
 *
 * The store keeps the appointment objects it is given (add/update take a
 * reference). Do not change a stored appointment in place without calling
 * atx_appointment_store_update() with it: edit a copy (atx_appointment_copy)
 * and update with the copy. */

G_END_DECLS

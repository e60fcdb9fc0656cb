/* atx-appointment.c — one appointment of the practice's calendar.
 *
 * An appointment loaded from the store keeps the JSON object it was read
 * from ("source"). Members that were not changed since are written back from
 * that object exactly as they were (same text for times, same member order),
 * and members the app does not know are written back untouched, so a
 * load/save round trip never drops or rewrites data. A bit mask records
 * which known members were changed and must be written from the fields.
 */
#define G_LOG_DOMAIN "atx-appointment"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "atx-appointment.h"

/* The members of the store format, in the order a new entry is written. */
typedef enum {
  MEMBER_ID,
  MEMBER_TITLE,
  MEMBER_CLIENT_NAME,
  MEMBER_CLIENT_EMAIL,
  MEMBER_START,
  MEMBER_END,
  MEMBER_STATUS,
  MEMBER_NOTES,
  MEMBER_IS_VIDEO_CALL,
  MEMBER_VIDEO_CALL_TYPE,
  MEMBER_VIDEO_CALL_ROOM_NAME,
  MEMBER_VIDEO_CALL_URL,
  MEMBER_VIDEO_CALL_JWT,
  MEMBER_VIDEO_CALL_JWT_EXPIRES_AT,
  MEMBER_CALL_LOG,
  MEMBER_CREATED_AT,
  MEMBER_UPDATED_AT,
  N_MEMBERS
} Member;

static const char * const member_names[N_MEMBERS] = {
  [MEMBER_ID] = "id",
  [MEMBER_TITLE] = "title",
  [MEMBER_CLIENT_NAME] = "clientName",
  [MEMBER_CLIENT_EMAIL] = "clientEmail",
  [MEMBER_START] = "start",
  [MEMBER_END] = "end",
  [MEMBER_STATUS] = "status",
  [MEMBER_NOTES] = "notes",
  [MEMBER_IS_VIDEO_CALL] = "isVideoCall",
  [MEMBER_VIDEO_CALL_TYPE] = "videoCallType",
  [MEMBER_VIDEO_CALL_ROOM_NAME] = "videoCallRoomName",
  [MEMBER_VIDEO_CALL_URL] = "videoCallUrl",
  [MEMBER_VIDEO_CALL_JWT] = "videoCallJWT",
  [MEMBER_VIDEO_CALL_JWT_EXPIRES_AT] = "videoCallJWTExpiresAt",
  [MEMBER_CALL_LOG] = "callLog",
  [MEMBER_CREATED_AT] = "createdAt",
  [MEMBER_UPDATED_AT] = "updatedAt",
};

#define BIT(m) (1u << (m))
#define ALL_MEMBERS (BIT (N_MEMBERS) - 1)
#define VIDEO_MEMBERS (BIT (MEMBER_VIDEO_CALL_TYPE) | BIT (MEMBER_VIDEO_CALL_ROOM_NAME) | \
                       BIT (MEMBER_VIDEO_CALL_URL) | BIT (MEMBER_VIDEO_CALL_JWT) | \
                       BIT (MEMBER_VIDEO_CALL_JWT_EXPIRES_AT))

/* A time member: parsed at once (start, end) or on first use (the others,
 * which nothing needs while loading 50,000 entries). */
typedef struct {
  GDateTime *value;
  gboolean   parsed;  /* value is valid; else parse the source's text */
} TimeField;

struct _AtxAppointment
{
  GObject parent_instance;

  char *id;
  char *title;
  char *client_name;
  char *client_email;
  char *notes;
  GDateTime *start;
  GDateTime *end;
  AtxAppointmentStatus status;

  gboolean is_video_call;
  AtxCallType video_call_type;
  char *video_call_room_name;
  char *video_call_url;
  char *video_call_jwt;
  TimeField video_call_jwt_expires_at;

  JsonArray *call_log;
  TimeField created_at;
  TimeField updated_at;

  /* The object this appointment was read from (never modified), or NULL. */
  JsonObject *source;
  /* Known members that must be written from the fields, not from source. */
  guint changed;
};

G_DEFINE_TYPE (AtxAppointment, atx_appointment, G_TYPE_OBJECT)

G_DEFINE_QUARK (atx-appointment-error-quark, atx_appointment_error)

enum {
  PROP_0,
  PROP_ID,
  PROP_TITLE,
  PROP_CLIENT_NAME,
  PROP_CLIENT_EMAIL,
  PROP_START,
  PROP_END,
  PROP_STATUS,
  PROP_NOTES,
  PROP_IS_VIDEO_CALL,
  PROP_VIDEO_CALL_TYPE,
  PROP_VIDEO_CALL_ROOM_NAME,
  PROP_VIDEO_CALL_URL,
  PROP_VIDEO_CALL_JWT,
  PROP_VIDEO_CALL_JWT_EXPIRES_AT,
  PROP_CALL_LOG,
  PROP_CREATED_AT,
  PROP_UPDATED_AT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---------------------------------------------------------------- enums */

static const GEnumValue status_values[] = {
  { ATX_APPOINTMENT_STATUS_SCHEDULED, "ATX_APPOINTMENT_STATUS_SCHEDULED", "scheduled" },
  { ATX_APPOINTMENT_STATUS_COMPLETED, "ATX_APPOINTMENT_STATUS_COMPLETED", "completed" },
  { ATX_APPOINTMENT_STATUS_CANCELLED, "ATX_APPOINTMENT_STATUS_CANCELLED", "cancelled" },
  { ATX_APPOINTMENT_STATUS_NO_SHOW, "ATX_APPOINTMENT_STATUS_NO_SHOW", "no-show" },
  { 0, NULL, NULL }
};

static const GEnumValue call_type_values[] = {
  { ATX_CALL_TYPE_VIDEO, "ATX_CALL_TYPE_VIDEO", "video" },
  { ATX_CALL_TYPE_AUDIO, "ATX_CALL_TYPE_AUDIO", "audio" },
  { 0, NULL, NULL }
};

GType
atx_appointment_status_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    g_once_init_leave (&type_id, g_enum_register_static (g_intern_static_string ("AtxAppointmentStatus"),
                                                         status_values));
  return type_id;
}

GType
atx_call_type_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    g_once_init_leave (&type_id, g_enum_register_static (g_intern_static_string ("AtxCallType"),
                                                         call_type_values));
  return type_id;
}

const char *
atx_appointment_status_to_string (AtxAppointmentStatus status)
{
  g_return_val_if_fail ((guint) status <= ATX_APPOINTMENT_STATUS_NO_SHOW, NULL);

  return status_values[status].value_nick;
}

gboolean
atx_appointment_status_from_string (const char           *str,
                                    AtxAppointmentStatus *out_status)
{
  if (str == NULL)
    return FALSE;

  for (guint i = 0; status_values[i].value_nick != NULL; i++)
    {
      if (strcmp (status_values[i].value_nick, str) == 0)
        {
          if (out_status != NULL)
            *out_status = status_values[i].value;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
atx_appointment_status_to_label (AtxAppointmentStatus status)
{
  switch (status)
    {
    case ATX_APPOINTMENT_STATUS_SCHEDULED:
      return _("Scheduled");
    case ATX_APPOINTMENT_STATUS_COMPLETED:
      return _("Completed");
    case ATX_APPOINTMENT_STATUS_CANCELLED:
      return _("Cancelled");
    case ATX_APPOINTMENT_STATUS_NO_SHOW:
      return _("No-show");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
atx_call_type_to_string (AtxCallType type)
{
  g_return_val_if_fail ((guint) type <= ATX_CALL_TYPE_AUDIO, NULL);

  return call_type_values[type].value_nick;
}

gboolean
atx_call_type_from_string (const char  *str,
                           AtxCallType *out_type)
{
  if (str == NULL)
    return FALSE;

  for (guint i = 0; call_type_values[i].value_nick != NULL; i++)
    {
      if (strcmp (call_type_values[i].value_nick, str) == 0)
        {
          if (out_type != NULL)
            *out_type = call_type_values[i].value;
          return TRUE;
        }
    }

  return FALSE;
}

/* ---------------------------------------------------------------- times */

static GDateTime *
parse_time (const char *text)
{
  if (text == NULL || *text == '\0')
    return NULL;

  /* No default zone: a time without an offset is not a valid store time. */
  return g_date_time_new_from_iso8601 (text, NULL);
}

/* ISO 8601 with the offset, e.g. 2026-11-24T15:00:00+01:00; fractional
 * seconds only when there are some. By hand: g_date_time_format() parses
 * its format string each time and dominated saving many new entries. */
static char *
format_time (GDateTime *dt)
{
  int year, month, day;
  int microsecond = g_date_time_get_microsecond (dt);
  gint64 offset = g_date_time_get_utc_offset (dt) / G_TIME_SPAN_SECOND;
  char sign = offset < 0 ? '-' : '+';
  char fraction[8] = "";

  if (offset < 0)
    offset = -offset;
  g_date_time_get_ymd (dt, &year, &month, &day);
  if (microsecond != 0)
    g_snprintf (fraction, sizeof fraction, ".%06d", microsecond);

  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d:%02d%s%c%02d:%02d",
                          year, month, day,
                          g_date_time_get_hour (dt), g_date_time_get_minute (dt),
                          g_date_time_get_second (dt), fraction,
                          sign, (int) (offset / 3600), (int) (offset / 60 % 60));
}

/* Equal instants in the same offset: the text written would be the same. */
static gboolean
times_equal (GDateTime *a,
             GDateTime *b)
{
  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL)
    return FALSE;
  return g_date_time_equal (a, b) &&
         g_date_time_get_utc_offset (a) == g_date_time_get_utc_offset (b);
}

static GDateTime *
now_in_seconds (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_add (now, -(GTimeSpan) g_date_time_get_microsecond (now));
}

static GDateTime *
time_field_get (AtxAppointment *self,
                TimeField      *field,
                Member          member)
{
  if (!field->parsed)
    {
      field->parsed = TRUE;
      if (self->source != NULL)
        {
          JsonNode *node = json_object_get_member (self->source, member_names[member]);

          if (node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
              json_node_get_value_type (node) == G_TYPE_STRING)
            field->value = parse_time (json_node_get_string (node));
        }
    }

  return field->value;
}

static void
time_field_clear (TimeField *field)
{
  g_clear_pointer (&field->value, g_date_time_unref);
  field->parsed = TRUE;
}

/* ---------------------------------------------------------------- GObject */

static void
atx_appointment_finalize (GObject *object)
{
  AtxAppointment *self = ATX_APPOINTMENT (object);

  g_free (self->id);
  g_free (self->title);
  g_free (self->client_name);
  g_free (self->client_email);
  g_free (self->notes);
  g_clear_pointer (&self->start, g_date_time_unref);
  g_clear_pointer (&self->end, g_date_time_unref);
  g_free (self->video_call_room_name);
  g_free (self->video_call_url);
  g_free (self->video_call_jwt);
  time_field_clear (&self->video_call_jwt_expires_at);
  g_clear_pointer (&self->call_log, json_array_unref);
  time_field_clear (&self->created_at);
  time_field_clear (&self->updated_at);
  g_clear_pointer (&self->source, json_object_unref);

  G_OBJECT_CLASS (atx_appointment_parent_class)->finalize (object);
}

static void
atx_appointment_constructed (GObject *object)
{
  AtxAppointment *self = ATX_APPOINTMENT (object);

  G_OBJECT_CLASS (atx_appointment_parent_class)->constructed (object);

  /* Created without an id: a brand-new appointment, written in full. */
  if (self->id == NULL)
    {
      self->id = g_uuid_string_random ();
      self->created_at.value = now_in_seconds ();
      self->updated_at.value = g_date_time_ref (self->created_at.value);
      if (self->title == NULL)
        self->title = g_strdup ("");
      if (self->client_name == NULL)
        self->client_name = g_strdup ("");
      if (self->client_email == NULL)
        self->client_email = g_strdup ("");
      if (self->notes == NULL)
        self->notes = g_strdup ("");
      self->changed = ALL_MEMBERS;
    }
}

static void
atx_appointment_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  AtxAppointment *self = ATX_APPOINTMENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_TITLE:
      g_value_set_string (value, atx_appointment_get_title (self));
      break;
    case PROP_CLIENT_NAME:
      g_value_set_string (value, atx_appointment_get_client_name (self));
      break;
    case PROP_CLIENT_EMAIL:
      g_value_set_string (value, atx_appointment_get_client_email (self));
      break;
    case PROP_START:
      g_value_set_boxed (value, self->start);
      break;
    case PROP_END:
      g_value_set_boxed (value, self->end);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_NOTES:
      g_value_set_string (value, atx_appointment_get_notes (self));
      break;
    case PROP_IS_VIDEO_CALL:
      g_value_set_boolean (value, self->is_video_call);
      break;
    case PROP_VIDEO_CALL_TYPE:
      g_value_set_enum (value, self->video_call_type);
      break;
    case PROP_VIDEO_CALL_ROOM_NAME:
      g_value_set_string (value, self->video_call_room_name);
      break;
    case PROP_VIDEO_CALL_URL:
      g_value_set_string (value, self->video_call_url);
      break;
    case PROP_VIDEO_CALL_JWT:
      g_value_set_string (value, self->video_call_jwt);
      break;
    case PROP_VIDEO_CALL_JWT_EXPIRES_AT:
      g_value_set_boxed (value, atx_appointment_get_video_call_jwt_expires_at (self));
      break;
    case PROP_CALL_LOG:
      g_value_set_boxed (value, self->call_log);
      break;
    case PROP_CREATED_AT:
      g_value_set_boxed (value, atx_appointment_get_created_at (self));
      break;
    case PROP_UPDATED_AT:
      g_value_set_boxed (value, atx_appointment_get_updated_at (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atx_appointment_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  AtxAppointment *self = ATX_APPOINTMENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      /* Construct-only; an empty id counts as none (a fresh one is made). */
      g_free (self->id);
      self->id = g_strdup (g_value_get_string (value));
      if (self->id != NULL && *self->id == '\0')
        g_clear_pointer (&self->id, g_free);
      break;
    case PROP_TITLE:
      atx_appointment_set_title (self, g_value_get_string (value));
      break;
    case PROP_CLIENT_NAME:
      atx_appointment_set_client_name (self, g_value_get_string (value));
      break;
    case PROP_CLIENT_EMAIL:
      atx_appointment_set_client_email (self, g_value_get_string (value));
      break;
    case PROP_START:
      atx_appointment_set_start (self, g_value_get_boxed (value));
      break;
    case PROP_END:
      atx_appointment_set_end (self, g_value_get_boxed (value));
      break;
    case PROP_STATUS:
      atx_appointment_set_status (self, g_value_get_enum (value));
      break;
    case PROP_NOTES:
      atx_appointment_set_notes (self, g_value_get_string (value));
      break;
    case PROP_IS_VIDEO_CALL:
      atx_appointment_set_is_video_call (self, g_value_get_boolean (value));
      break;
    case PROP_VIDEO_CALL_TYPE:
      atx_appointment_set_video_call_type (self, g_value_get_enum (value));
      break;
    case PROP_VIDEO_CALL_ROOM_NAME:
      atx_appointment_set_video_call_room_name (self, g_value_get_string (value));
      break;
    case PROP_VIDEO_CALL_URL:
      atx_appointment_set_video_call_url (self, g_value_get_string (value));
      break;
    case PROP_VIDEO_CALL_JWT:
      atx_appointment_set_video_call_jwt (self, g_value_get_string (value));
      break;
    case PROP_VIDEO_CALL_JWT_EXPIRES_AT:
      atx_appointment_set_video_call_jwt_expires_at (self, g_value_get_boxed (value));
      break;
    case PROP_CALL_LOG:
      atx_appointment_set_call_log (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atx_appointment_class_init (AtxAppointmentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags rw = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = atx_appointment_finalize;
  object_class->constructed = atx_appointment_constructed;
  object_class->get_property = atx_appointment_get_property;
  object_class->set_property = atx_appointment_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, "", rw);
  properties[PROP_CLIENT_NAME] = g_param_spec_string ("client-name", NULL, NULL, "", rw);
  properties[PROP_CLIENT_EMAIL] = g_param_spec_string ("client-email", NULL, NULL, "", rw);
  properties[PROP_START] = g_param_spec_boxed ("start", NULL, NULL, G_TYPE_DATE_TIME, rw);
  properties[PROP_END] = g_param_spec_boxed ("end", NULL, NULL, G_TYPE_DATE_TIME, rw);
  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, ATX_TYPE_APPOINTMENT_STATUS,
                       ATX_APPOINTMENT_STATUS_SCHEDULED, rw);
  properties[PROP_NOTES] = g_param_spec_string ("notes", NULL, NULL, "", rw);
  properties[PROP_IS_VIDEO_CALL] = g_param_spec_boolean ("is-video-call", NULL, NULL, FALSE, rw);
  properties[PROP_VIDEO_CALL_TYPE] =
    g_param_spec_enum ("video-call-type", NULL, NULL, ATX_TYPE_CALL_TYPE, ATX_CALL_TYPE_VIDEO, rw);
  properties[PROP_VIDEO_CALL_ROOM_NAME] =
    g_param_spec_string ("video-call-room-name", NULL, NULL, NULL, rw);
  properties[PROP_VIDEO_CALL_URL] = g_param_spec_string ("video-call-url", NULL, NULL, NULL, rw);
  properties[PROP_VIDEO_CALL_JWT] = g_param_spec_string ("video-call-jwt", NULL, NULL, NULL, rw);
  properties[PROP_VIDEO_CALL_JWT_EXPIRES_AT] =
    g_param_spec_boxed ("video-call-jwt-expires-at", NULL, NULL, G_TYPE_DATE_TIME, rw);
  properties[PROP_CALL_LOG] = g_param_spec_boxed ("call-log", NULL, NULL, JSON_TYPE_ARRAY, rw);
  properties[PROP_CREATED_AT] = g_param_spec_boxed ("created-at", NULL, NULL, G_TYPE_DATE_TIME, ro);
  properties[PROP_UPDATED_AT] = g_param_spec_boxed ("updated-at", NULL, NULL, G_TYPE_DATE_TIME, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
atx_appointment_init (AtxAppointment *self)
{
  self->status = ATX_APPOINTMENT_STATUS_SCHEDULED;
  self->video_call_type = ATX_CALL_TYPE_VIDEO;
  self->call_log = json_array_new ();
  self->video_call_jwt_expires_at.parsed = TRUE;
  self->created_at.parsed = TRUE;
  self->updated_at.parsed = TRUE;
}

AtxAppointment *
atx_appointment_new (void)
{
  return g_object_new (ATX_TYPE_APPOINTMENT, NULL);
}

/* ---------------------------------------------------------------- JSON in */

static JsonArray *array_deep_copy (JsonArray *array);

/* Reads a string member that may be absent or null. FALSE: wrong type. */
static gboolean
read_string (JsonObject  *object,
             Member       member,
             char       **out)
{
  JsonNode *node = json_object_get_member (object, member_names[member]);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;

  g_free (*out);
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

/* A time member parsed later: only its type is checked now. */
static gboolean
check_lazy_time (JsonObject *object,
                 Member      member,
                 TimeField  *field)
{
  JsonNode *node = json_object_get_member (object, member_names[member]);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return FALSE;

  field->parsed = FALSE;
  return TRUE;
}

static gboolean
set_field_error (GError **error,
                 Member   member)
{
  g_set_error (error, ATX_APPOINTMENT_ERROR, ATX_APPOINTMENT_ERROR_INVALID_FIELD,
               _("The member “%s” has the wrong type"), member_names[member]);
  return FALSE;
}

static gboolean
read_members (AtxAppointment  *self,
              JsonObject      *object,
              GError         **error)
{
  JsonNode *node;
  const char *text;

  /* id */
  node = json_object_get_member (object, "id");
  if (node == NULL || JSON_NODE_HOLDS_NULL (node) ||
      (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING &&
       *json_node_get_string (node) == '\0'))
    {
      g_set_error_literal (error, ATX_APPOINTMENT_ERROR, ATX_APPOINTMENT_ERROR_MISSING_ID,
                           _("The appointment has no id"));
      return FALSE;
    }
  if (!read_string (object, MEMBER_ID, &self->id))
    return set_field_error (error, MEMBER_ID);

  if (!read_string (object, MEMBER_TITLE, &self->title))
    return set_field_error (error, MEMBER_TITLE);
  if (!read_string (object, MEMBER_CLIENT_NAME, &self->client_name))
    return set_field_error (error, MEMBER_CLIENT_NAME);
  if (!read_string (object, MEMBER_CLIENT_EMAIL, &self->client_email))
    return set_field_error (error, MEMBER_CLIENT_EMAIL);
  if (!read_string (object, MEMBER_NOTES, &self->notes))
    return set_field_error (error, MEMBER_NOTES);

  /* start and end are needed at once: for validation and sorting. */
  for (Member m = MEMBER_START; m <= MEMBER_END; m++)
    {
      GDateTime **slot = m == MEMBER_START ? &self->start : &self->end;

      node = json_object_get_member (object, member_names[m]);
      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        continue; /* reported by validation */
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        return set_field_error (error, m);

      text = json_node_get_string (node);
      *slot = parse_time (text);
      if (*slot == NULL)
        {
          g_set_error (error, ATX_APPOINTMENT_ERROR, ATX_APPOINTMENT_ERROR_INVALID_TIME,
                       _("The time “%s” of “%s” is not an ISO 8601 time with an offset"),
                       text, member_names[m]);
          return FALSE;
        }
    }

  node = json_object_get_member (object, "status");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        return set_field_error (error, MEMBER_STATUS);
      text = json_node_get_string (node);
      if (!atx_appointment_status_from_string (text, &self->status))
        {
          g_set_error (error, ATX_APPOINTMENT_ERROR, ATX_APPOINTMENT_ERROR_INVALID_STATUS,
                       _("Unknown status “%s”"), text);
          return FALSE;
        }
    }

  node = json_object_get_member (object, "isVideoCall");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        return set_field_error (error, MEMBER_IS_VIDEO_CALL);
      self->is_video_call = json_node_get_boolean (node);
    }

  node = json_object_get_member (object, "videoCallType");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        return set_field_error (error, MEMBER_VIDEO_CALL_TYPE);
      text = json_node_get_string (node);
      if (!atx_call_type_from_string (text, &self->video_call_type))
        {
          g_set_error (error, ATX_APPOINTMENT_ERROR, ATX_APPOINTMENT_ERROR_INVALID_CALL_TYPE,
                       _("Unknown call type “%s”"), text);
          return FALSE;
        }
    }

  if (!read_string (object, MEMBER_VIDEO_CALL_ROOM_NAME, &self->video_call_room_name))
    return set_field_error (error, MEMBER_VIDEO_CALL_ROOM_NAME);
  if (!read_string (object, MEMBER_VIDEO_CALL_URL, &self->video_call_url))
    return set_field_error (error, MEMBER_VIDEO_CALL_URL);
  if (!read_string (object, MEMBER_VIDEO_CALL_JWT, &self->video_call_jwt))
    return set_field_error (error, MEMBER_VIDEO_CALL_JWT);
  if (!check_lazy_time (object, MEMBER_VIDEO_CALL_JWT_EXPIRES_AT, &self->video_call_jwt_expires_at))
    return set_field_error (error, MEMBER_VIDEO_CALL_JWT_EXPIRES_AT);
  if (!check_lazy_time (object, MEMBER_CREATED_AT, &self->created_at))
    return set_field_error (error, MEMBER_CREATED_AT);
  if (!check_lazy_time (object, MEMBER_UPDATED_AT, &self->updated_at))
    return set_field_error (error, MEMBER_UPDATED_AT);

  node = json_object_get_member (object, "callLog");
  if (node != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      if (!JSON_NODE_HOLDS_ARRAY (node))
        return set_field_error (error, MEMBER_CALL_LOG);
      /* Shared with source on purpose: callLog is always written from this
       * field, so in-place additions by the call log writer are kept. */
      g_clear_pointer (&self->call_log, json_array_unref);
      if (json_array_is_immutable (json_node_get_array (node)))
        self->call_log = array_deep_copy (json_node_get_array (node));
      else
        self->call_log = json_array_ref (json_node_get_array (node));
    }

  return TRUE;
}

AtxAppointment *
atx_appointment_new_from_json (JsonObject  *object,
                               GError     **error)
{
  g_autoptr(AtxAppointment) self = NULL;

  g_return_val_if_fail (object != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* Bypass constructed()'s "new appointment" defaults with a placeholder id. */
  self = g_object_new (ATX_TYPE_APPOINTMENT, "id", "-", NULL);
  g_clear_pointer (&self->id, g_free);
  self->source = json_object_ref (object);
  self->changed = 0;

  if (!read_members (self, object, error))
    return NULL;
  if (!atx_appointment_validate (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

/* ---------------------------------------------------------------- JSON out */

static int
member_from_name (const char *name)
{
  for (guint i = 0; i < N_MEMBERS; i++)
    if (strcmp (member_names[i], name) == 0)
      return i;
  return -1;
}

static void
add_time (JsonObject *object,
          const char *name,
          GDateTime  *value)
{
  g_autofree char *text = NULL;

  if (value == NULL)
    return;
  text = format_time (value);
  json_object_set_string_member (object, name, text);
}

static void
add_current_member (AtxAppointment *self,
                    JsonObject     *object,
                    Member          member)
{
  const char *name = member_names[member];
  gboolean video = self->is_video_call;

  switch (member)
    {
    case MEMBER_ID:
      json_object_set_string_member (object, name, self->id);
      break;
    case MEMBER_TITLE:
      json_object_set_string_member (object, name, atx_appointment_get_title (self));
      break;
    case MEMBER_CLIENT_NAME:
      json_object_set_string_member (object, name, atx_appointment_get_client_name (self));
      break;
    case MEMBER_CLIENT_EMAIL:
      json_object_set_string_member (object, name, atx_appointment_get_client_email (self));
      break;
    case MEMBER_NOTES:
      json_object_set_string_member (object, name, atx_appointment_get_notes (self));
      break;
    case MEMBER_START:
      add_time (object, name, self->start);
      break;
    case MEMBER_END:
      add_time (object, name, self->end);
      break;
    case MEMBER_STATUS:
      json_object_set_string_member (object, name, atx_appointment_status_to_string (self->status));
      break;
    case MEMBER_IS_VIDEO_CALL:
      json_object_set_boolean_member (object, name, self->is_video_call);
      break;
    case MEMBER_VIDEO_CALL_TYPE:
      if (video)
        json_object_set_string_member (object, name, atx_call_type_to_string (self->video_call_type));
      break;
    case MEMBER_VIDEO_CALL_ROOM_NAME:
      if (video && self->video_call_room_name != NULL)
        json_object_set_string_member (object, name, self->video_call_room_name);
      break;
    case MEMBER_VIDEO_CALL_URL:
      if (video && self->video_call_url != NULL)
        json_object_set_string_member (object, name, self->video_call_url);
      break;
    case MEMBER_VIDEO_CALL_JWT:
      if (video && self->video_call_jwt != NULL)
        json_object_set_string_member (object, name, self->video_call_jwt);
      break;
    case MEMBER_VIDEO_CALL_JWT_EXPIRES_AT:
      if (video)
        add_time (object, name, atx_appointment_get_video_call_jwt_expires_at (self));
      break;
    case MEMBER_CALL_LOG:
      {
        JsonNode *node = json_node_new (JSON_NODE_ARRAY);

        json_node_take_array (node, json_array_ref (self->call_log));
        json_object_set_member (object, name, node);
      }
      break;
    case MEMBER_CREATED_AT:
      add_time (object, name, atx_appointment_get_created_at (self));
      break;
    case MEMBER_UPDATED_AT:
      add_time (object, name, atx_appointment_get_updated_at (self));
      break;
    case N_MEMBERS:
    default:
      g_assert_not_reached ();
    }
}

JsonObject *
atx_appointment_to_json (AtxAppointment *self)
{
  g_autoptr(JsonObject) object = NULL;
  guint written = 0;

  g_return_val_if_fail (ATX_IS_APPOINTMENT (self), NULL);

  object = json_object_new ();

  /* Members of the source first, in their order: unknown and unchanged
   * ones exactly as read, changed ones from the fields (or dropped). */
  if (self->source != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *node;

      json_object_iter_init_ordered (&iter, self->source);
      while (json_object_iter_next_ordered (&iter, &name, &node))
        {
          int member = member_from_name (name);

          if (member < 0)
            {
              json_object_set_member (object, name, json_node_copy (node));
              continue;
            }

          written |= BIT (member);
          if (member == MEMBER_CALL_LOG && JSON_NODE_HOLDS_NULL (node) &&
              (self->changed & BIT (member)) == 0 && json_array_get_length (self->call_log) == 0)
            json_object_set_member (object, name, json_node_copy (node));
          else if (member == MEMBER_CALL_LOG || (self->changed & BIT (member)) != 0)
            add_current_member (self, object, member);
          else
            json_object_set_member (object, name, json_node_copy (node));
        }
    }

  for (guint m = 0; m < N_MEMBERS; m++)
    {
      if ((written & BIT (m)) != 0)
        continue;
      if ((self->changed & BIT (m)) != 0 ||
          (m == MEMBER_CALL_LOG && json_array_get_length (self->call_log) > 0))
        add_current_member (self, object, m);
    }

  return g_steal_pointer (&object);
}

JsonNode *
atx_appointment_serialize (AtxAppointment *self)
{
  JsonNode *node;
  JsonNode *call_log;

  g_return_val_if_fail (ATX_IS_APPOINTMENT (self), NULL);

  node = json_node_new (JSON_NODE_OBJECT);

  /* Unchanged, and the call log is still the array read with it (edited in
   * place or not, it is the one in source): source is the exact output. */
  if (self->source != NULL && self->changed == 0)
    {
      call_log = json_object_get_member (self->source, "callLog");
      if ((call_log != NULL && JSON_NODE_HOLDS_ARRAY (call_log) &&
           json_node_get_array (call_log) == self->call_log) ||
          ((call_log == NULL || JSON_NODE_HOLDS_NULL (call_log)) &&
           json_array_get_length (self->call_log) == 0))
        {
          json_node_set_object (node, self->source);
          return node;
        }
    }

  json_node_take_object (node, atx_appointment_to_json (self));
  return node;
}

/* json_node_copy() shares objects and arrays; this does not. */
static JsonNode *
node_deep_copy (JsonNode *node)
{
  JsonNode *copy;

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *object = json_object_new ();
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        json_object_iter_init_ordered (&iter, json_node_get_object (node));
        while (json_object_iter_next_ordered (&iter, &name, &member))
          json_object_set_member (object, name, node_deep_copy (member));
        copy = json_node_new (JSON_NODE_OBJECT);
        json_node_take_object (copy, object);
        return copy;
      }
    case JSON_NODE_ARRAY:
      copy = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (copy, array_deep_copy (json_node_get_array (node)));
      return copy;
    case JSON_NODE_VALUE:
    case JSON_NODE_NULL:
    default:
      return json_node_copy (node);
    }
}

static JsonArray *
array_deep_copy (JsonArray *array)
{
  guint n = json_array_get_length (array);
  JsonArray *copy = json_array_sized_new (n);

  for (guint i = 0; i < n; i++)
    json_array_add_element (copy, node_deep_copy (json_array_get_element (array, i)));
  return copy;
}

AtxAppointment *
atx_appointment_copy (AtxAppointment *self)
{
  AtxAppointment *copy;

  g_return_val_if_fail (ATX_IS_APPOINTMENT (self), NULL);

  copy = g_object_new (ATX_TYPE_APPOINTMENT, "id", self->id, NULL);
  copy->title = g_strdup (self->title);
  copy->client_name = g_strdup (self->client_name);
  copy->client_email = g_strdup (self->client_email);
  copy->notes = g_strdup (self->notes);
  copy->start = self->start ? g_date_time_ref (self->start) : NULL;
  copy->end = self->end ? g_date_time_ref (self->end) : NULL;
  copy->status = self->status;
  copy->is_video_call = self->is_video_call;
  copy->video_call_type = self->video_call_type;
  copy->video_call_room_name = g_strdup (self->video_call_room_name);
  copy->video_call_url = g_strdup (self->video_call_url);
  copy->video_call_jwt = g_strdup (self->video_call_jwt);

  copy->video_call_jwt_expires_at = self->video_call_jwt_expires_at;
  if (copy->video_call_jwt_expires_at.value != NULL)
    g_date_time_ref (copy->video_call_jwt_expires_at.value);
  copy->created_at = self->created_at;
  if (copy->created_at.value != NULL)
    g_date_time_ref (copy->created_at.value);
  copy->updated_at = self->updated_at;
  if (copy->updated_at.value != NULL)
    g_date_time_ref (copy->updated_at.value);

  /* Deep: the copy's call log must not change with the original's. */
  g_clear_pointer (&copy->call_log, json_array_unref);
  copy->call_log = array_deep_copy (self->call_log);

  /* The source is never modified, so it can be shared. */
  copy->source = self->source ? json_object_ref (self->source) : NULL;
  copy->changed = self->changed;

  return copy;
}

/* ---------------------------------------------------------------- checks */

gboolean
atx_appointment_validate (AtxAppointment  *self,
                          GError         **error)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->id == NULL || *self->id == '\0')
    {
      g_set_error_literal (error, ATX_APPOINTMENT_ERROR, ATX_APPOINTMENT_ERROR_MISSING_ID,
                           _("The appointment has no id"));
      return FALSE;
    }

  {
    g_autofree char *title = g_strstrip (g_strdup (self->title ? self->title : ""));

    if (*title == '\0')
      {
        g_set_error_literal (error, ATX_APPOINTMENT_ERROR, ATX_APPOINTMENT_ERROR_TITLE_REQUIRED,
                             _("A title is required"));
        return FALSE;
      }
  }

  if (self->start == NULL || self->end == NULL)
    {
      g_set_error_literal (error, ATX_APPOINTMENT_ERROR, ATX_APPOINTMENT_ERROR_INVALID_TIME,
                           self->start == NULL ? _("The start time is missing")
                                               : _("The end time is missing"));
      return FALSE;
    }

  if (g_date_time_compare (self->end, self->start) <= 0)
    {
      g_set_error_literal (error, ATX_APPOINTMENT_ERROR, ATX_APPOINTMENT_ERROR_END_BEFORE_START,
                           _("The end must be after the start"));
      return FALSE;
    }

  if ((guint) self->status > ATX_APPOINTMENT_STATUS_NO_SHOW)
    {
      g_set_error_literal (error, ATX_APPOINTMENT_ERROR, ATX_APPOINTMENT_ERROR_INVALID_STATUS,
                           _("Unknown status"));
      return FALSE;
    }

  if ((guint) self->video_call_type > ATX_CALL_TYPE_AUDIO)
    {
      g_set_error_literal (error, ATX_APPOINTMENT_ERROR, ATX_APPOINTMENT_ERROR_INVALID_CALL_TYPE,
                           _("Unknown call type"));
      return FALSE;
    }

  return TRUE;
}

gboolean
atx_appointment_overlaps (AtxAppointment *self,
                          GDateTime      *from,
                          GDateTime      *to)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT (self), FALSE);
  g_return_val_if_fail (from != NULL, FALSE);
  g_return_val_if_fail (to != NULL, FALSE);

  if (self->start == NULL || self->end == NULL)
    return FALSE;

  return g_date_time_compare (self->start, to) < 0 &&
         g_date_time_compare (self->end, from) > 0;
}

int
atx_appointment_compare (AtxAppointment *a,
                         AtxAppointment *b)
{
  int cmp;

  g_return_val_if_fail (ATX_IS_APPOINTMENT (a), 0);
  g_return_val_if_fail (ATX_IS_APPOINTMENT (b), 0);

  if (a == b)
    return 0;

  if (a->start != NULL && b->start != NULL)
    cmp = g_date_time_compare (a->start, b->start);
  else
    cmp = (a->start != NULL) - (b->start != NULL);
  if (cmp != 0)
    return cmp;

  return g_strcmp0 (a->id, b->id);
}

/* ---------------------------------------------------------------- accessors */

static void
mark_changed (AtxAppointment *self,
              Member          member,
              guint           prop_id)
{
  self->changed |= BIT (member);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

/* Text members: NULL and "" are the same value. */
static void
set_text (AtxAppointment *self,
          char          **slot,
          const char     *value,
          Member          member,
          guint           prop_id)
{
  if (g_strcmp0 (*slot ? *slot : "", value ? value : "") == 0)
    return;

  g_free (*slot);
  *slot = g_strdup (value ? value : "");
  mark_changed (self, member, prop_id);
}

/* Optional members: NULL (and "") means absent. */
static void
set_optional_text (AtxAppointment *self,
                   char          **slot,
                   const char     *value,
                   Member          member,
                   guint           prop_id)
{
  if (value != NULL && *value == '\0')
    value = NULL;
  if (g_strcmp0 (*slot, value) == 0)
    return;

  g_free (*slot);
  *slot = g_strdup (value);
  mark_changed (self, member, prop_id);
}

static void
set_time (AtxAppointment *self,
          GDateTime     **slot,
          GDateTime      *value,
          Member          member,
          guint           prop_id)
{
  if (times_equal (*slot, value))
    return;

  g_clear_pointer (slot, g_date_time_unref);
  *slot = value ? g_date_time_ref (value) : NULL;
  mark_changed (self, member, prop_id);
}

const char *
atx_appointment_get_id (AtxAppointment *self)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT (self), NULL);
  return self->id;
}

const char *
atx_appointment_get_title (AtxAppointment *self)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT (self), NULL);
  return self->title ? self->title : "";
}

void
atx_appointment_set_title (AtxAppointment *self,
                           const char     *title)
{
  g_return_if_fail (ATX_IS_APPOINTMENT (self));
  set_text (self, &self->title, title, MEMBER_TITLE, PROP_TITLE);
}

const char *
atx_appointment_get_client_name (AtxAppointment *self)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT (self), NULL);
  return self->client_name ? self->client_name : "";
}

void
atx_appointment_set_client_name (AtxAppointment *self,
                                 const char     *client_name)
{
  g_return_if_fail (ATX_IS_APPOINTMENT (self));
  set_text (self, &self->client_name, client_name, MEMBER_CLIENT_NAME, PROP_CLIENT_NAME);
}

const char *
atx_appointment_get_client_email (AtxAppointment *self)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT (self), NULL);
  return self->client_email ? self->client_email : "";
}

void
atx_appointment_set_client_email (AtxAppointment *self,
                                  const char     *client_email)
{
  g_return_if_fail (ATX_IS_APPOINTMENT (self));
  set_text (self, &self->client_email, client_email, MEMBER_CLIENT_EMAIL, PROP_CLIENT_EMAIL);
}

GDateTime *
atx_appointment_get_start (AtxAppointment *self)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT (self), NULL);
  return self->start;
}

void
atx_appointment_set_start (AtxAppointment *self,
                           GDateTime      *start)
{
  g_return_if_fail (ATX_IS_APPOINTMENT (self));
  set_time (self, &self->start, start, MEMBER_START, PROP_START);
}

GDateTime *
atx_appointment_get_end (AtxAppointment *self)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT (self), NULL);
  return self->end;
}

void
atx_appointment_set_end (AtxAppointment *self,
                         GDateTime      *end)
{
  g_return_if_fail (ATX_IS_APPOINTMENT (self));
  set_time (self, &self->end, end, MEMBER_END, PROP_END);
}

AtxAppointmentStatus
atx_appointment_get_status (AtxAppointment *self)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT (self), ATX_APPOINTMENT_STATUS_SCHEDULED);
  return self->status;
}

void
atx_appointment_set_status (AtxAppointment       *self,
                            AtxAppointmentStatus  status)
{
  g_return_if_fail (ATX_IS_APPOINTMENT (self));
  g_return_if_fail ((guint) status <= ATX_APPOINTMENT_STATUS_NO_SHOW);

  if (self->status == status)
    return;
  self->status = status;
  mark_changed (self, MEMBER_STATUS, PROP_STATUS);
}

const char *
atx_appointment_get_notes (AtxAppointment *self)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT (self), NULL);
  return self->notes ? self->notes : "";
}

void
atx_appointment_set_notes (AtxAppointment *self,
                           const char     *notes)
{
  g_return_if_fail (ATX_IS_APPOINTMENT (self));
  set_text (self, &self->notes, notes, MEMBER_NOTES, PROP_NOTES);
}

gboolean
atx_appointment_get_is_video_call (AtxAppointment *self)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT (self), FALSE);
  return self->is_video_call;
}

void
atx_appointment_set_is_video_call (AtxAppointment *self,
                                   gboolean        is_video_call)
{
  g_return_if_fail (ATX_IS_APPOINTMENT (self));

  is_video_call = !!is_video_call;
  if (self->is_video_call == is_video_call)
    return;

  g_object_freeze_notify (G_OBJECT (self));

  self->is_video_call = is_video_call;
  mark_changed (self, MEMBER_IS_VIDEO_CALL, PROP_IS_VIDEO_CALL);

  if (is_video_call)
    {
      /* Written from now on, even when left at its default. */
      self->changed |= BIT (MEMBER_VIDEO_CALL_TYPE);
    }
  else
    {
      /* Switch off: every video member goes away (absent in JSON). */
      self->changed |= VIDEO_MEMBERS;
      if (self->video_call_type != ATX_CALL_TYPE_VIDEO)
        {
          self->video_call_type = ATX_CALL_TYPE_VIDEO;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIDEO_CALL_TYPE]);
        }
      set_optional_text (self, &self->video_call_room_name, NULL,
                         MEMBER_VIDEO_CALL_ROOM_NAME, PROP_VIDEO_CALL_ROOM_NAME);
      set_optional_text (self, &self->video_call_url, NULL,
                         MEMBER_VIDEO_CALL_URL, PROP_VIDEO_CALL_URL);
      set_optional_text (self, &self->video_call_jwt, NULL,
                         MEMBER_VIDEO_CALL_JWT, PROP_VIDEO_CALL_JWT);
      atx_appointment_set_video_call_jwt_expires_at (self, NULL);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

AtxCallType
atx_appointment_get_video_call_type (AtxAppointment *self)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT (self), ATX_CALL_TYPE_VIDEO);
  return self->video_call_type;
}

void
atx_appointment_set_video_call_type (AtxAppointment *self,
                                     AtxCallType     type)
{
  g_return_if_fail (ATX_IS_APPOINTMENT (self));
  g_return_if_fail ((guint) type <= ATX_CALL_TYPE_AUDIO);

  if (self->video_call_type == type)
    return;
  self->video_call_type = type;
  mark_changed (self, MEMBER_VIDEO_CALL_TYPE, PROP_VIDEO_CALL_TYPE);
}

const char *
atx_appointment_get_video_call_room_name (AtxAppointment *self)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT (self), NULL);
  return self->video_call_room_name;
}

void
atx_appointment_set_video_call_room_name (AtxAppointment *self,
                                          const char     *room_name)
{
  g_return_if_fail (ATX_IS_APPOINTMENT (self));
  set_optional_text (self, &self->video_call_room_name, room_name,
                     MEMBER_VIDEO_CALL_ROOM_NAME, PROP_VIDEO_CALL_ROOM_NAME);
}

const char *
atx_appointment_get_video_call_url (AtxAppointment *self)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT (self), NULL);
  return self->video_call_url;
}

void
atx_appointment_set_video_call_url (AtxAppointment *self,
                                    const char     *url)
{
  g_return_if_fail (ATX_IS_APPOINTMENT (self));
  set_optional_text (self, &self->video_call_url, url,
                     MEMBER_VIDEO_CALL_URL, PROP_VIDEO_CALL_URL);
}

const char *
atx_appointment_get_video_call_jwt (AtxAppointment *self)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT (self), NULL);
  return self->video_call_jwt;
}

void
atx_appointment_set_video_call_jwt (AtxAppointment *self,
                                    const char     *jwt)
{
  g_return_if_fail (ATX_IS_APPOINTMENT (self));
  set_optional_text (self, &self->video_call_jwt, jwt,
                     MEMBER_VIDEO_CALL_JWT, PROP_VIDEO_CALL_JWT);
}

GDateTime *
atx_appointment_get_video_call_jwt_expires_at (AtxAppointment *self)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT (self), NULL);
  return time_field_get (self, &self->video_call_jwt_expires_at, MEMBER_VIDEO_CALL_JWT_EXPIRES_AT);
}

void
atx_appointment_set_video_call_jwt_expires_at (AtxAppointment *self,
                                               GDateTime      *expires_at)
{
  g_return_if_fail (ATX_IS_APPOINTMENT (self));

  time_field_get (self, &self->video_call_jwt_expires_at, MEMBER_VIDEO_CALL_JWT_EXPIRES_AT);
  set_time (self, &self->video_call_jwt_expires_at.value, expires_at,
            MEMBER_VIDEO_CALL_JWT_EXPIRES_AT, PROP_VIDEO_CALL_JWT_EXPIRES_AT);
}

JsonArray *
atx_appointment_get_call_log (AtxAppointment *self)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT (self), NULL);
  return self->call_log;
}

void
atx_appointment_set_call_log (AtxAppointment *self,
                              JsonArray      *call_log)
{
  g_return_if_fail (ATX_IS_APPOINTMENT (self));

  /* The same array again: it was edited in place, which is a change. */
  if (call_log != NULL && call_log != self->call_log)
    {
      g_autoptr(JsonNode) a = json_node_new (JSON_NODE_ARRAY);
      g_autoptr(JsonNode) b = json_node_new (JSON_NODE_ARRAY);

      json_node_set_array (a, self->call_log);
      json_node_set_array (b, call_log);
      if (json_node_equal (a, b))
        return;
    }
  else if (call_log == NULL && json_array_get_length (self->call_log) == 0)
    return;

  if (call_log != self->call_log)
    {
      g_clear_pointer (&self->call_log, json_array_unref);
      self->call_log = call_log ? json_array_ref (call_log) : json_array_new ();
    }
  mark_changed (self, MEMBER_CALL_LOG, PROP_CALL_LOG);
}

GDateTime *
atx_appointment_get_created_at (AtxAppointment *self)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT (self), NULL);
  return time_field_get (self, &self->created_at, MEMBER_CREATED_AT);
}

GDateTime *
atx_appointment_get_updated_at (AtxAppointment *self)
{
  g_return_val_if_fail (ATX_IS_APPOINTMENT (self), NULL);
  return time_field_get (self, &self->updated_at, MEMBER_UPDATED_AT);
}

void
atx_appointment_touch (AtxAppointment *self)
{
  g_autoptr(GDateTime) now = NULL;

  g_return_if_fail (ATX_IS_APPOINTMENT (self));

  now = now_in_seconds ();
  time_field_get (self, &self->updated_at, MEMBER_UPDATED_AT);
  set_time (self, &self->updated_at.value, now, MEMBER_UPDATED_AT, PROP_UPDATED_AT);
}

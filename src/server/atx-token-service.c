/* atx-token-service.c — request validation and token minting for the
 * token backend's three API calls.
 */
#define G_LOG_DOMAIN "atx-token-service"

#include "config.h"

#include "atx-token-service.h"

#include <string.h>
#include <time.h>

#include "core/atx-jwt.h"
#include "core/atx-room-name.h"

G_DEFINE_QUARK (atx-token-service-error-quark, atx_token_service_error)

static const struct {
  const char *code;
  guint       status;
} error_table[] = {
  [ATX_TOKEN_SERVICE_ERROR_INVALID_JSON] = { "invalid-json", 400 },
  [ATX_TOKEN_SERVICE_ERROR_MISSING_FIELD] = { "missing-field", 400 },
  [ATX_TOKEN_SERVICE_ERROR_INVALID_FIELD] = { "invalid-field", 400 },
  [ATX_TOKEN_SERVICE_ERROR_FIELD_TOO_LONG] = { "field-too-long", 400 },
  [ATX_TOKEN_SERVICE_ERROR_INVALID_ROOM] = { "invalid-room", 400 },
  [ATX_TOKEN_SERVICE_ERROR_FORBIDDEN] = { "forbidden", 403 },
  [ATX_TOKEN_SERVICE_ERROR_INTERNAL] = { "internal", 500 },
};

const char *
atx_token_service_error_to_code (AtxTokenServiceError code)
{
  if ((guint) code >= G_N_ELEMENTS (error_table))
    return "internal";
  return error_table[code].code;
}

guint
atx_token_service_error_to_status (AtxTokenServiceError code)
{
  if ((guint) code >= G_N_ELEMENTS (error_table))
    return 500;
  return error_table[code].status;
}

struct _AtxTokenService {
  GObject          parent_instance;

  AtxServerConfig *config;
  const guint8    *key;
  gsize            key_len;
  char            *join_url_prefix; /* "<scheme>://<domain>/" */
  AtxJwtExpectations expect;
};

G_DEFINE_FINAL_TYPE (AtxTokenService, atx_token_service, G_TYPE_OBJECT)

static void
atx_token_service_finalize (GObject *object)
{
  AtxTokenService *self = ATX_TOKEN_SERVICE (object);

  g_clear_pointer (&self->join_url_prefix, g_free);
  g_clear_object (&self->config);

  G_OBJECT_CLASS (atx_token_service_parent_class)->finalize (object);
}

static void
atx_token_service_class_init (AtxTokenServiceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = atx_token_service_finalize;
}

static void
atx_token_service_init (AtxTokenService *self)
{
}

AtxTokenService *
atx_token_service_new (AtxServerConfig *config)
{
  AtxTokenService *self;
  const char *domain;

  g_return_val_if_fail (ATX_IS_SERVER_CONFIG (config), NULL);

  self = g_object_new (ATX_TYPE_TOKEN_SERVICE, NULL);
  self->config = g_object_ref (config);
  self->key = g_bytes_get_data (atx_server_config_get_secret (config), &self->key_len);
  domain = atx_server_config_get_domain (config);
  self->join_url_prefix = g_strdup_printf ("%s://%s/",
                                           atx_jitsi_domain_is_loopback (domain) ? "http" : "https",
                                           domain);
  self->expect.issuer = atx_server_config_get_app_id (config);
  self->expect.audience = atx_server_config_get_audience (config);
  self->expect.subject = domain;
  self->expect.room = NULL;
  return self;
}

/* ---- request readers ---- */

static JsonObject *
request_object (JsonNode  *request,
                GError   **error)
{
  if (request == NULL || !JSON_NODE_HOLDS_OBJECT (request))
    {
      g_set_error_literal (error, ATX_TOKEN_SERVICE_ERROR, ATX_TOKEN_SERVICE_ERROR_INVALID_JSON,
                           "The request body must be a JSON object");
      return NULL;
    }
  return json_node_get_object (request);
}

/* Reads a string member. Absent (or null, for optional members) gives NULL. */
static gboolean
read_string (JsonObject  *obj,
             const char  *prefix,
             const char  *field,
             gboolean     required,
             gsize        max_len,
             const char **out,
             GError     **error)
{
  JsonNode *node = json_object_get_member (obj, field);
  const char *value;

  *out = NULL;
  if (node == NULL || (!required && JSON_NODE_HOLDS_NULL (node)))
    {
      if (required)
        {
          g_set_error (error, ATX_TOKEN_SERVICE_ERROR, ATX_TOKEN_SERVICE_ERROR_MISSING_FIELD,
                       "%s%s is required", prefix, field);
          return FALSE;
        }
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, ATX_TOKEN_SERVICE_ERROR, ATX_TOKEN_SERVICE_ERROR_INVALID_FIELD,
                   "%s%s must be a string", prefix, field);
      return FALSE;
    }
  value = json_node_get_string (node);
  if (max_len > 0 && strlen (value) > max_len)
    {
      g_set_error (error, ATX_TOKEN_SERVICE_ERROR, ATX_TOKEN_SERVICE_ERROR_FIELD_TOO_LONG,
                   "%s%s is longer than %" G_GSIZE_FORMAT " bytes", prefix, field, max_len);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

static gboolean
read_bool (JsonObject  *obj,
           const char  *prefix,
           const char  *field,
           gboolean    *out,
           GError     **error)
{
  JsonNode *node = json_object_get_member (obj, field);

  if (node == NULL)
    {
      g_set_error (error, ATX_TOKEN_SERVICE_ERROR, ATX_TOKEN_SERVICE_ERROR_MISSING_FIELD,
                   "%s%s is required", prefix, field);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      g_set_error (error, ATX_TOKEN_SERVICE_ERROR, ATX_TOKEN_SERVICE_ERROR_INVALID_FIELD,
                   "%s%s must be true or false", prefix, field);
      return FALSE;
    }
  *out = json_node_get_boolean (node);
  return TRUE;
}

static gboolean
all_digits (const char *p,
            int         n)
{
  for (int i = 0; i < n; i++)
    if (!g_ascii_isdigit (p[i]))
      return FALSE;
  return TRUE;
}

/* RFC 3339 date-time with a mandatory offset: YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM).
 * GDateTime accepts more ISO 8601 shapes than that; the contract does not. */
static gboolean
is_rfc3339 (const char *s)
{
  const char *p = s;

  if (strlen (s) < 20 || !all_digits (p, 4) || p[4] != '-' || !all_digits (p + 5, 2) ||
      p[7] != '-' || !all_digits (p + 8, 2) || (p[10] != 'T' && p[10] != 't') ||
      !all_digits (p + 11, 2) || p[13] != ':' || !all_digits (p + 14, 2) ||
      p[16] != ':' || !all_digits (p + 17, 2))
    return FALSE;
  p += 19;
  if (*p == '.')
    {
      p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      while (g_ascii_isdigit (*p))
        p++;
    }
  if ((*p == 'Z' || *p == 'z') && p[1] == '\0')
    return TRUE;
  return (*p == '+' || *p == '-') && all_digits (p + 1, 2) && p[3] == ':' &&
         all_digits (p + 4, 2) && p[6] == '\0';
}

static gboolean
read_time (JsonObject  *obj,
           const char  *field,
           gboolean    *present,
           gint64      *out,
           GError     **error)
{
  g_autoptr(GDateTime) dt = NULL;
  const char *value;

  if (!read_string (obj, "", field, FALSE, 0, &value, error))
    return FALSE;
  *present = value != NULL;
  if (value == NULL)
    return TRUE;

  /* An over-long time is just not a time: invalid-field, not field-too-long. */
  if (strlen (value) <= 64 && is_rfc3339 (value))
    dt = g_date_time_new_from_iso8601 (value, NULL);
  if (dt == NULL)
    {
      g_set_error (error, ATX_TOKEN_SERVICE_ERROR, ATX_TOKEN_SERVICE_ERROR_INVALID_FIELD,
                   "%s must be an RFC 3339 date-time with an offset, "
                   "e.g. 2026-11-24T15:00:00+01:00", field);
      return FALSE;
    }
  *out = g_date_time_to_unix (dt);
  return TRUE;
}

static gboolean
read_room (JsonObject  *obj,
           gboolean     required,
           const char **out,
           GError     **error)
{
  if (!read_string (obj, "", "roomName", required, 0, out, error))
    return FALSE;
  if (*out != NULL && !atx_room_name_is_valid (*out))
    {
      g_set_error (error, ATX_TOKEN_SERVICE_ERROR, ATX_TOKEN_SERVICE_ERROR_INVALID_ROOM,
                   "roomName must be 1 to %d characters of a-z, 0-9 and -",
                   ATX_ROOM_NAME_MAX_LENGTH);
      return FALSE;
    }
  return TRUE;
}

/* notBefore/expiresAt of DESIGN.md: a past notBefore is clamped to now − 60 s;
 * expiresAt must be later than now and notBefore and at most max-lifetime
 * after the later of the two; without it the token lives `lifetime`. */
static gboolean
read_window (AtxTokenService  *self,
             JsonObject       *obj,
             gint64            now,
             gint64           *out_nbf,
             gint64           *out_exp,
             GError          **error)
{
  gboolean has_not_before = FALSE, has_expires_at = FALSE;
  gint64 not_before = 0, expires_at = 0, start;
  gint64 max_lifetime = atx_server_config_get_max_lifetime (self->config);

  if (!read_time (obj, "notBefore", &has_not_before, &not_before, error) ||
      !read_time (obj, "expiresAt", &has_expires_at, &expires_at, error))
    return FALSE;

  start = has_not_before ? MAX (not_before, now) : now;
  *out_nbf = has_not_before ? MAX (not_before, now - 60) : now - 60;

  if (!has_expires_at)
    {
      *out_exp = start + atx_server_config_get_lifetime (self->config);
      return TRUE;
    }
  if (expires_at <= now)
    {
      g_set_error_literal (error, ATX_TOKEN_SERVICE_ERROR, ATX_TOKEN_SERVICE_ERROR_INVALID_FIELD,
                           "expiresAt must be in the future");
      return FALSE;
    }
  if (has_not_before && expires_at <= not_before)
    {
      g_set_error_literal (error, ATX_TOKEN_SERVICE_ERROR, ATX_TOKEN_SERVICE_ERROR_INVALID_FIELD,
                           "expiresAt must be later than notBefore");
      return FALSE;
    }
  if (expires_at - start > max_lifetime)
    {
      g_set_error (error, ATX_TOKEN_SERVICE_ERROR, ATX_TOKEN_SERVICE_ERROR_INVALID_FIELD,
                   "expiresAt may be at most %" G_GINT64_FORMAT " seconds after "
                   "the later of now and notBefore", max_lifetime);
      return FALSE;
    }
  *out_exp = expires_at;
  return TRUE;
}

typedef struct {
  const char *user_name;
  const char *user_email;
  const char *user_id;
  gboolean    moderator;
} Participant;

static gboolean
read_participant (JsonObject   *obj,
                  const char   *prefix,
                  Participant  *out,
                  GError      **error)
{
  return read_string (obj, prefix, "userName", TRUE, ATX_TOKEN_SERVICE_MAX_FIELD_LENGTH, &out->user_name, error) &&
         read_string (obj, prefix, "userEmail", TRUE, ATX_TOKEN_SERVICE_MAX_FIELD_LENGTH, &out->user_email, error) &&
         read_string (obj, prefix, "userId", TRUE, ATX_TOKEN_SERVICE_MAX_FIELD_LENGTH, &out->user_id, error) &&
         read_bool (obj, prefix, "isModerator", &out->moderator, error);
}

/* ---- answers ---- */

static void
format_utc (gint64 t,
            char   buf[32])
{
  struct tm tm;
  time_t tt = (time_t) t;

  if (gmtime_r (&tt, &tm) == NULL || strftime (buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
    g_strlcpy (buf, "1970-01-01T00:00:00Z", 32);
}

static char *
sign (AtxTokenService    *self,
      const char         *room,
      const Participant  *p,
      gint64              now,
      gint64              nbf,
      gint64              exp,
      GError            **error)
{
  AtxJwtSignParams params = {
    .issuer = self->expect.issuer,
    .audience = self->expect.audience,
    .subject = self->expect.subject,
    .room = room,
    .user_id = p->user_id,
    .user_name = p->user_name,
    .user_email = p->user_email,
    .moderator = p->moderator,
    .issued_at = now,
    .not_before = nbf,
    .expires_at = exp,
  };
  char *token = atx_jwt_sign (&params, self->key, self->key_len);

  if (token == NULL)
    g_set_error_literal (error, ATX_TOKEN_SERVICE_ERROR, ATX_TOKEN_SERVICE_ERROR_INTERNAL,
                         "The token could not be signed");
  return token;
}

static gboolean
check_role (AtxApiRole   role,
            gboolean     moderator,
            GError     **error)
{
  if (moderator && role != ATX_API_ROLE_THERAPIST)
    {
      g_set_error_literal (error, ATX_TOKEN_SERVICE_ERROR, ATX_TOKEN_SERVICE_ERROR_FORBIDDEN,
                           "Only therapist keys may request moderator tokens");
      return FALSE;
    }
  return TRUE;
}

JsonNode *
atx_token_service_generate_token (AtxTokenService  *self,
                                  JsonNode         *request,
                                  AtxApiRole        role,
                                  gint64            now,
                                  GError          **error)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *token = NULL;
  g_autofree char *join_url = NULL;
  JsonObject *obj;
  Participant p;
  const char *room;
  gint64 nbf, exp;
  char expires[32];

  g_return_val_if_fail (ATX_IS_TOKEN_SERVICE (self), NULL);

  if ((obj = request_object (request, error)) == NULL ||
      !read_room (obj, TRUE, &room, error) ||
      !read_participant (obj, "", &p, error) ||
      !read_window (self, obj, now, &nbf, &exp, error) ||
      !check_role (role, p.moderator, error))
    return NULL;

  token = sign (self, room, &p, now, nbf, exp, error);
  if (token == NULL)
    return NULL;

  join_url = g_strconcat (self->join_url_prefix, room, NULL);
  format_utc (exp, expires);

  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "token");
  json_builder_add_string_value (builder, token);
  json_builder_set_member_name (builder, "roomName");
  json_builder_add_string_value (builder, room);
  json_builder_set_member_name (builder, "joinUrl");
  json_builder_add_string_value (builder, join_url);
  json_builder_set_member_name (builder, "expiresAt");
  json_builder_add_string_value (builder, expires);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
atx_token_service_create_room (AtxTokenService  *self,
                               JsonNode         *request,
                               AtxApiRole        role,
                               gint64            now,
                               GError          **error)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *generated_room = NULL;
  g_autofree char *join_url = NULL;
  g_autofree Participant *participants = NULL;
  JsonObject *obj;
  JsonNode *list_node;
  JsonArray *list;
  const char *room;
  guint n;
  gint64 nbf, exp;
  char expires[32];

  g_return_val_if_fail (ATX_IS_TOKEN_SERVICE (self), NULL);

  if ((obj = request_object (request, error)) == NULL ||
      !read_room (obj, FALSE, &room, error))
    return NULL;

  list_node = json_object_get_member (obj, "participants");
  if (list_node == NULL)
    {
      g_set_error_literal (error, ATX_TOKEN_SERVICE_ERROR, ATX_TOKEN_SERVICE_ERROR_MISSING_FIELD,
                           "participants is required");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_ARRAY (list_node))
    {
      g_set_error_literal (error, ATX_TOKEN_SERVICE_ERROR, ATX_TOKEN_SERVICE_ERROR_INVALID_FIELD,
                           "participants must be an array");
      return NULL;
    }
  list = json_node_get_array (list_node);
  n = json_array_get_length (list);
  if (n > ATX_TOKEN_SERVICE_MAX_PARTICIPANTS)
    {
      g_set_error (error, ATX_TOKEN_SERVICE_ERROR, ATX_TOKEN_SERVICE_ERROR_INVALID_FIELD,
                   "participants may list at most %d people", ATX_TOKEN_SERVICE_MAX_PARTICIPANTS);
      return NULL;
    }

  participants = g_new0 (Participant, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (list, i);
      char prefix[48];

      g_snprintf (prefix, sizeof prefix, "participants[%u].", i);
      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_set_error (error, ATX_TOKEN_SERVICE_ERROR, ATX_TOKEN_SERVICE_ERROR_INVALID_FIELD,
                       "participants[%u] must be an object", i);
          return NULL;
        }
      if (!read_participant (json_node_get_object (element), prefix, &participants[i], error))
        return NULL;
    }

  if (!read_window (self, obj, now, &nbf, &exp, error))
    return NULL;
  for (guint i = 0; i < n; i++)
    if (!check_role (role, participants[i].moderator, error))
      return NULL;

  if (room == NULL)
    room = generated_room = atx_room_name_generate ();
  join_url = g_strconcat (self->join_url_prefix, room, NULL);
  format_utc (exp, expires);

  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "roomName");
  json_builder_add_string_value (builder, room);
  json_builder_set_member_name (builder, "joinUrl");
  json_builder_add_string_value (builder, join_url);
  json_builder_set_member_name (builder, "tokens");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *token = sign (self, room, &participants[i], now, nbf, exp, error);

      if (token == NULL)
        return NULL;
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "userId");
      json_builder_add_string_value (builder, participants[i].user_id);
      json_builder_set_member_name (builder, "isModerator");
      json_builder_add_boolean_value (builder, participants[i].moderator);
      json_builder_set_member_name (builder, "token");
      json_builder_add_string_value (builder, token);
      json_builder_set_member_name (builder, "joinUrl");
      json_builder_add_string_value (builder, join_url);
      json_builder_set_member_name (builder, "expiresAt");
      json_builder_add_string_value (builder, expires);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
atx_token_service_validate_token (AtxTokenService  *self,
                                  JsonNode         *request,
                                  gint64            now,
                                  GError          **error)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(AtxJwtClaims) claims = NULL;
  g_autoptr(GError) jwt_error = NULL;
  JsonObject *obj;
  const char *token;

  g_return_val_if_fail (ATX_IS_TOKEN_SERVICE (self), NULL);

  if ((obj = request_object (request, error)) == NULL ||
      !read_string (obj, "", "token", TRUE, ATX_JWT_MAX_TOKEN_LENGTH, &token, error))
    return NULL;

  claims = atx_jwt_verify (token, self->key, self->key_len, &self->expect, now, &jwt_error);

  builder = json_builder_new_immutable ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "valid");
  json_builder_add_boolean_value (builder, claims != NULL);
  if (claims != NULL)
    {
      char expires[32];

      format_utc (claims->expires_at, expires);
      json_builder_set_member_name (builder, "roomName");
      json_builder_add_string_value (builder, claims->room);
      json_builder_set_member_name (builder, "isModerator");
      json_builder_add_boolean_value (builder, claims->moderator);
      json_builder_set_member_name (builder, "expiresAt");
      json_builder_add_string_value (builder, expires);
    }
  else
    {
      json_builder_set_member_name (builder, "reason");
      json_builder_add_string_value (builder, atx_jwt_error_to_reason ((AtxJwtError) jwt_error->code));
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

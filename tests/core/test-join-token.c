/* test-join-token.c — which token a join uses: a cached token is reused
 * only when it is a moderator token for the room valid for 5 more minutes
 * (and then no request reaches the backend); otherwise a fresh one is
 * fetched and stored; a failed refresh leaves the stored appointment (and
 * its file) untouched; development mode signs locally and is never a
 * fallback; client invite links carry a participant token for the window.
 */
#define G_LOG_DOMAIN "test-join-token"

#include "config.h"

#include <glib/gstdio.h>

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "core/atx-join-token.h"

#include "../support/atx-fake-token-server.h"

#define WAIT_MS 20000
#define DEV_SECRET "development-secret-0123456789abcdef-xyz"

typedef struct {
  FakeTokenServer     *server;
  AtxTokenClient      *client;
  AtxSettings         *settings;
  AtxAppointmentStore *store;
  char                *dir;
  char                *path;
  GAsyncResult        *result;
} Fixture;

static gint64
now_s (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr(GSettings) gsettings = g_settings_new_with_backend (ATX_SETTINGS_SCHEMA_ID, backend);
  g_autoptr(GError) error = NULL;

  g_unsetenv (ATX_ENV_DEV_MOCK_TOKENS);
  g_unsetenv (ATX_ENV_DEV_JWT_SECRET);
  g_setenv (ATX_ENV_BACKEND_API_KEY, FAKE_API_KEY, TRUE);

  f->server = fake_token_server_new ();
  f->client = atx_token_client_new (NULL, NULL);
  f->settings = atx_settings_new (gsettings);
  atx_settings_set_jitsi_domain (f->settings, FAKE_DOMAIN);
  atx_settings_set_backend_url (f->settings, f->server->url);
  atx_settings_set_user_name (f->settings, "Dr. Test");
  atx_settings_set_user_email (f->settings, "test@example.org");
  atx_settings_set_user_id (f->settings, "therapist-1");

  f->dir = g_dir_make_tmp ("atx-join-token-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "appointments.json", NULL);
  f->store = atx_appointment_store_new (f->path);
  g_assert_true (atx_appointment_store_load (f->store, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *bak = g_strconcat (f->path, ".bak", NULL);

  g_clear_object (&f->result);
  g_assert_true (atx_appointment_store_flush (f->store, NULL));
  g_assert_finalize_object (f->store);
  g_assert_finalize_object (f->client);
  g_assert_finalize_object (f->settings);
  fake_token_server_free (f->server);
  fake_spin (20);

  g_unlink (f->path);
  g_unlink (bak);
  g_assert_cmpint (g_rmdir (f->dir), ==, 0);
  g_free (f->path);
  g_free (f->dir);
  g_unsetenv (ATX_ENV_DEV_MOCK_TOKENS);
  g_unsetenv (ATX_ENV_DEV_JWT_SECRET);
}

/* A video appointment tomorrow, stored and on disk. @jwt may be NULL. */
static AtxAppointment *
add_video_appointment (Fixture    *f,
                       const char *jwt)
{
  g_autoptr(AtxAppointment) appointment = atx_appointment_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) start = g_date_time_add_days (now, 1);
  g_autoptr(GDateTime) end = g_date_time_add_minutes (start, 50);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = atx_settings_build_join_url (f->settings, FAKE_ROOM);

  atx_appointment_set_title (appointment, "Session");
  atx_appointment_set_client_name (appointment, "Alex Doe");
  atx_appointment_set_start (appointment, start);
  atx_appointment_set_end (appointment, end);
  atx_appointment_set_is_video_call (appointment, TRUE);
  atx_appointment_set_video_call_room_name (appointment, FAKE_ROOM);
  atx_appointment_set_video_call_url (appointment, url);
  if (jwt != NULL)
    {
      gint64 exp = 0;
      g_autoptr(GDateTime) expires_at = NULL;

      if (atx_jwt_peek_unverified (jwt, &exp, NULL, NULL, NULL))
        expires_at = g_date_time_new_from_unix_utc (exp);
      atx_appointment_set_video_call_jwt (appointment, jwt);
      atx_appointment_set_video_call_jwt_expires_at (appointment, expires_at);
    }

  g_assert_true (atx_appointment_store_add (f->store, appointment, &error));
  g_assert_no_error (error);
  g_assert_true (atx_appointment_store_flush (f->store, &error));
  g_assert_no_error (error);
  return atx_appointment_store_lookup (f->store, atx_appointment_get_id (appointment));
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static AtxTokenResult *
join (Fixture         *f,
      AtxAppointment  *appointment,
      GError         **error)
{
  g_clear_object (&f->result);
  atx_join_token_get_async (f->store, appointment, f->settings, f->client, NULL,
                            fake_store_result, &f->result);
  fake_wait_for_result (&f->result, WAIT_MS);
  return atx_join_token_get_finish (f->result, error);
}

/* ---- the reuse rule ---- */

static void
test_is_reusable_rule (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_utc (now_s ());
  gint64 t = g_date_time_to_unix (now);
  g_autofree char *hour = fake_sign (FAKE_ROOM, TRUE, t - 60, t + 3600);
  g_autofree char *exactly_5_min = fake_sign (FAKE_ROOM, TRUE, t - 60, t + 300);
  g_autofree char *under_5_min = fake_sign (FAKE_ROOM, TRUE, t - 60, t + 299);
  g_autofree char *expired = fake_sign (FAKE_ROOM, TRUE, t - 7200, t - 1);
  g_autofree char *other_room = fake_sign (FAKE_OTHER_ROOM, TRUE, t - 60, t + 3600);
  g_autofree char *participant = fake_sign (FAKE_ROOM, FALSE, t - 60, t + 3600);

  g_assert_true (atx_join_token_is_reusable (hour, FAKE_ROOM, now));
  g_assert_true (atx_join_token_is_reusable (exactly_5_min, FAKE_ROOM, now));
  g_assert_false (atx_join_token_is_reusable (under_5_min, FAKE_ROOM, now));
  g_assert_false (atx_join_token_is_reusable (expired, FAKE_ROOM, now));
  g_assert_false (atx_join_token_is_reusable (other_room, FAKE_ROOM, now));
  g_assert_false (atx_join_token_is_reusable (participant, FAKE_ROOM, now));
  g_assert_false (atx_join_token_is_reusable ("garbage", FAKE_ROOM, now));
  g_assert_false (atx_join_token_is_reusable ("", FAKE_ROOM, now));
  g_assert_false (atx_join_token_is_reusable (NULL, FAKE_ROOM, now));
  g_assert_false (atx_join_token_is_reusable (hour, NULL, now));
  g_assert_false (atx_join_token_is_reusable (hour, "Not A Room", now));
  /* NULL now: the current time. */
  g_assert_true (atx_join_token_is_reusable (hour, FAKE_ROOM, NULL));
}

/* ---- joining ---- */

static void
test_valid_cached_token_reused (Fixture       *f,
                                gconstpointer  data)
{
  gint64 t = now_s ();
  g_autofree char *cached = fake_sign (FAKE_ROOM, TRUE, t - 60, t + 3600);
  AtxAppointment *appointment = add_video_appointment (f, cached);
  g_autofree char *before = read_file (f->path);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxTokenResult) result = NULL;

  g_assert_true (atx_join_token_appointment_is_reusable (appointment, NULL));
  result = join (f, appointment, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->token, ==, cached);
  g_assert_cmpstr (result->room_name, ==, FAKE_ROOM);
  g_assert_cmpstr (result->join_url, ==, "https://" FAKE_DOMAIN "/" FAKE_ROOM);
  g_assert_cmpint (g_date_time_to_unix (result->expires_at), ==, t + 3600);

  /* No request reached the backend, nothing was written. */
  g_assert_cmpuint (f->server->n_requests, ==, 0);
  g_assert_false (atx_appointment_store_has_unsaved_changes (f->store));
  g_assert_true (atx_appointment_store_flush (f->store, NULL));
  after = read_file (f->path);
  g_assert_cmpstr (before, ==, after);
}

typedef enum {
  CACHE_EXPIRING,
  CACHE_EXPIRED,
  CACHE_WRONG_ROOM,
  CACHE_MISSING,
  CACHE_NOT_A_JWT,
} CacheCase;

static void
test_refreshed_and_stored (Fixture       *f,
                           gconstpointer  data)
{
  CacheCase which = GPOINTER_TO_INT (data);
  gint64 t = now_s ();
  g_autofree char *cached = NULL;
  AtxAppointment *appointment;
  AtxAppointment *stored;
  g_autoptr(AtxAppointmentStore) reloaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxTokenResult) result = NULL;
  g_autoptr(AtxJwtClaims) claims = NULL;
  AtxJwtExpectations expect = { "ataraxia", "jitsi", FAKE_DOMAIN, FAKE_ROOM };
  g_autofree char *id = NULL;

  switch (which)
    {
    case CACHE_EXPIRING: cached = fake_sign (FAKE_ROOM, TRUE, t - 3600, t + 240); break;
    case CACHE_EXPIRED: cached = fake_sign (FAKE_ROOM, TRUE, t - 7200, t - 60); break;
    case CACHE_WRONG_ROOM: cached = fake_sign (FAKE_OTHER_ROOM, TRUE, t - 60, t + 3600); break;
    case CACHE_MISSING: cached = NULL; break;
    case CACHE_NOT_A_JWT: cached = g_strdup ("not.a.jwt"); break;
    default: g_assert_not_reached ();
    }

  appointment = add_video_appointment (f, cached);
  /* A copy: the stored object is replaced when the token is stored. */
  id = g_strdup (atx_appointment_get_id (appointment));
  g_assert_false (atx_join_token_appointment_is_reusable (appointment, NULL));

  result = join (f, appointment, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (f->server->n_requests, ==, 1);
  g_assert_cmpstr (f->server->last_authorization, ==, "Bearer " FAKE_API_KEY);
  g_assert_cmpstr (result->room_name, ==, FAKE_ROOM);
  g_assert_cmpstr (result->join_url, ==, "https://" FAKE_DOMAIN "/" FAKE_ROOM);
  g_assert_cmpstr (result->token, !=, cached);
  claims = atx_jwt_verify (result->token, (const guint8 *) FAKE_SECRET, strlen (FAKE_SECRET),
                           &expect, now_s (), &error);
  g_assert_no_error (error);
  g_assert_true (claims->moderator);

  /* The request was for a moderator, with the therapist's details. */
  {
    JsonObject *sent = json_node_get_object (f->server->last_request);

    g_assert_true (json_object_get_boolean_member (sent, "isModerator"));
    g_assert_cmpstr (json_object_get_string_member (sent, "roomName"), ==, FAKE_ROOM);
    g_assert_cmpstr (json_object_get_string_member (sent, "userName"), ==, "Dr. Test");
  }

  /* Stored in the model… */
  stored = atx_appointment_store_lookup (f->store, id);
  g_assert_cmpstr (atx_appointment_get_video_call_jwt (stored), ==, result->token);
  g_assert_true (g_date_time_equal (atx_appointment_get_video_call_jwt_expires_at (stored),
                                    result->expires_at));

  /* …and on disk. */
  g_assert_true (atx_appointment_store_flush (f->store, &error));
  reloaded = atx_appointment_store_new (f->path);
  g_assert_true (atx_appointment_store_load (reloaded, &error));
  stored = atx_appointment_store_lookup (reloaded, id);
  g_assert_nonnull (stored);
  g_assert_cmpstr (atx_appointment_get_video_call_jwt (stored), ==, result->token);
  g_assert_cmpstr (atx_appointment_get_video_call_room_name (stored), ==, FAKE_ROOM);

  /* A second join now reuses it. */
  g_clear_pointer (&result, atx_token_result_free);
  result = join (f, atx_appointment_store_lookup (f->store, id), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (f->server->n_requests, ==, 1);
}

static void
test_refresh_failure_leaves_appointment (Fixture       *f,
                                         gconstpointer  data)
{
  g_autofree char *cached = fake_sign (FAKE_ROOM, TRUE, now_s () - 7200, now_s () + 60);
  AtxAppointment *appointment = add_video_appointment (f, cached);
  g_autofree char *id = g_strdup (atx_appointment_get_id (appointment));
  g_autofree char *before = read_file (f->path);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxTokenResult) result = NULL;

  f->server->behaviour = FAKE_STATUS;
  f->server->status = 500;
  f->server->raw_body = g_strdup ("{\"error\":\"internal\",\"message\":\"down for maintenance\"}");

  result = join (f, appointment, &error);
  g_assert_null (result);
  g_assert_error (error, ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_SERVER_ERROR);
  g_assert_nonnull (strstr (error->message, "down for maintenance"));
  g_assert_cmpuint (f->server->n_requests, ==, 1);

  g_assert_false (atx_appointment_store_has_unsaved_changes (f->store));
  g_assert_cmpstr (atx_appointment_get_video_call_jwt (atx_appointment_store_lookup (f->store, id)),
                   ==, cached);
  g_assert_true (atx_appointment_store_flush (f->store, NULL));
  after = read_file (f->path);
  g_assert_cmpstr (before, ==, after);
}

static void
test_unreachable_backend_leaves_appointment (Fixture       *f,
                                             gconstpointer  data)
{
  AtxAppointment *appointment = add_video_appointment (f, NULL);
  g_autofree char *before = read_file (f->path);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxTokenResult) result = NULL;

  /* The secret is there, but development mode is off: no mock fallback. */
  g_setenv (ATX_ENV_DEV_JWT_SECRET, DEV_SECRET, TRUE);
  f->server->behaviour = FAKE_HANG;
  atx_token_client_set_timeout (f->client, 1);

  result = join (f, appointment, &error);
  g_assert_null (result);
  g_assert_error (error, ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_TIMEOUT);
  g_assert_true (atx_appointment_store_flush (f->store, NULL));
  after = read_file (f->path);
  g_assert_cmpstr (before, ==, after);
}

static void
test_token_server_for_another_jitsi (Fixture       *f,
                                     gconstpointer  data)
{
  AtxAppointment *appointment = add_video_appointment (f, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxTokenResult) result = NULL;

  atx_settings_set_jitsi_domain (f->settings, "other.example.org");
  result = join (f, appointment, &error);
  g_assert_null (result);
  g_assert_error (error, ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_BAD_RESPONSE);
  g_assert_nonnull (strstr (error->message, "other.example.org"));
  g_assert_null (atx_appointment_get_video_call_jwt (appointment));
}

static void
test_not_configured (Fixture       *f,
                     gconstpointer  data)
{
  AtxAppointment *appointment = add_video_appointment (f, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxTokenResult) result = NULL;

  atx_settings_set_jitsi_domain (f->settings, "");
  result = join (f, appointment, &error);
  g_assert_error (error, ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_NOT_CONFIGURED);
  g_clear_error (&error);

  atx_settings_set_jitsi_domain (f->settings, FAKE_DOMAIN);
  atx_settings_set_backend_url (f->settings, "http://tokens.example.org");
  result = join (f, appointment, &error);
  g_assert_error (error, ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_INSECURE_URL);
  g_clear_error (&error);

  g_assert_cmpuint (f->server->n_requests, ==, 0);
}

static void
test_non_video_appointment (Fixture       *f,
                            gconstpointer  data)
{
  AtxAppointment *appointment = add_video_appointment (f, NULL);
  g_autoptr(AtxAppointment) plain = atx_appointment_copy (appointment);
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxTokenResult) result = NULL;

  atx_appointment_set_is_video_call (plain, FALSE);
  result = join (f, plain, &error);
  g_assert_null (result);
  g_assert_error (error, ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_INVALID_REQUEST);
  g_assert_cmpuint (f->server->n_requests, ==, 0);
}

static void
test_use_jwt_off_needs_no_token (Fixture       *f,
                                 gconstpointer  data)
{
  AtxAppointment *appointment = add_video_appointment (f, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxTokenResult) result = NULL;

  atx_settings_set_use_jwt (f->settings, FALSE);
  result = join (f, appointment, &error);
  g_assert_no_error (error);
  g_assert_null (result->token);
  g_assert_null (result->expires_at);
  g_assert_cmpstr (result->join_url, ==, "https://" FAKE_DOMAIN "/" FAKE_ROOM);
  g_assert_cmpuint (f->server->n_requests, ==, 0);
}

/* ---- development mode ---- */

static void
test_dev_mode_signs_locally (Fixture       *f,
                             gconstpointer  data)
{
  AtxAppointment *appointment = add_video_appointment (f, NULL);
  g_autofree char *id = g_strdup (atx_appointment_get_id (appointment));
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxTokenResult) result = NULL;
  g_autoptr(AtxTokenResult) again = NULL;
  g_autoptr(AtxJwtClaims) claims = NULL;
  AtxJwtExpectations expect = { "ataraxia", "jitsi", FAKE_DOMAIN, FAKE_ROOM };
  gint64 t = now_s ();

  g_setenv (ATX_ENV_DEV_MOCK_TOKENS, "1", TRUE);
  g_setenv (ATX_ENV_DEV_JWT_SECRET, DEV_SECRET, TRUE);

  result = join (f, appointment, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (f->server->n_requests, ==, 0);

  claims = atx_jwt_verify (result->token, (const guint8 *) DEV_SECRET, strlen (DEV_SECRET),
                           &expect, now_s (), &error);
  g_assert_no_error (error);
  g_assert_true (claims->moderator);
  g_assert_cmpstr (claims->user_name, ==, "Dr. Test");
  g_assert_cmpint (claims->expires_at, >=, t + 7200);
  g_assert_cmpint (claims->expires_at, <=, t + 7200 + 5);
  g_assert_cmpint (g_date_time_to_unix (result->expires_at), ==, claims->expires_at);
  g_assert_cmpstr (atx_appointment_get_video_call_jwt (atx_appointment_store_lookup (f->store, id)),
                   ==, result->token);

  /* Reused while valid… */
  again = join (f, atx_appointment_store_lookup (f->store, id), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->token, ==, result->token);
  g_clear_pointer (&again, atx_token_result_free);

  /* …but not once the secret changed (not our signature any more). */
  g_setenv (ATX_ENV_DEV_JWT_SECRET, DEV_SECRET "-rotated", TRUE);
  again = join (f, atx_appointment_store_lookup (f->store, id), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (again->token, !=, result->token);
  g_assert_cmpuint (f->server->n_requests, ==, 0);
}

static void
test_dev_mode_without_secret_is_an_error (Fixture       *f,
                                          gconstpointer  data)
{
  AtxAppointment *appointment = add_video_appointment (f, NULL);
  g_autofree char *before = read_file (f->path);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxTokenResult) result = NULL;

  g_setenv (ATX_ENV_DEV_MOCK_TOKENS, "1", TRUE);
  g_setenv (ATX_ENV_DEV_JWT_SECRET, "too-short", TRUE);

  result = join (f, appointment, &error);
  g_assert_null (result);
  g_assert_error (error, ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_NOT_CONFIGURED);
  g_assert_nonnull (strstr (error->message, ATX_ENV_DEV_JWT_SECRET));
  /* Neither the backend nor the store was touched. */
  g_assert_cmpuint (f->server->n_requests, ==, 0);
  g_assert_true (atx_appointment_store_flush (f->store, NULL));
  after = read_file (f->path);
  g_assert_cmpstr (before, ==, after);
}

/* ---- ad-hoc and invites ---- */

static void
test_ad_hoc_room_stores_nothing (Fixture       *f,
                                 gconstpointer  data)
{
  AtxAppointment *appointment = add_video_appointment (f, NULL);
  g_autofree char *before = read_file (f->path);
  g_autofree char *after = NULL;
  g_autofree char *room = atx_room_name_generate ();
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxTokenResult) result = NULL;
  g_autofree char *expected_url = g_strconcat ("https://" FAKE_DOMAIN "/", room, NULL);

  (void) appointment;
  atx_join_token_get_for_room_async (f->settings, f->client, room, NULL,
                                     fake_store_result, &f->result);
  fake_wait_for_result (&f->result, WAIT_MS);
  result = atx_join_token_get_for_room_finish (f->result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (result->room_name, ==, room);
  g_assert_cmpstr (result->join_url, ==, expected_url);
  g_assert_cmpuint (f->server->n_requests, ==, 1);

  g_assert_true (atx_appointment_store_flush (f->store, NULL));
  after = read_file (f->path);
  g_assert_cmpstr (before, ==, after);
}

static void
test_invite_link (Fixture       *f,
                  gconstpointer  data)
{
  AtxAppointment *appointment = add_video_appointment (f, NULL);
  g_autofree char *before = read_file (f->path);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxTokenResult) result = NULL;
  g_autoptr(AtxJwtClaims) claims = NULL;
  g_autoptr(GDateTime) nbf = g_date_time_add_minutes (atx_appointment_get_start (appointment), -15);
  g_autoptr(GDateTime) exp = g_date_time_add_hours (atx_appointment_get_end (appointment), 1);
  g_autofree char *expected_link = NULL;
  JsonObject *sent;
  AtxJwtExpectations expect = { "ataraxia", "jitsi", FAKE_DOMAIN, FAKE_ROOM };

  atx_join_token_get_invite_async (appointment, f->settings, f->client, NULL,
                                   fake_store_result, &f->result);
  fake_wait_for_result (&f->result, WAIT_MS);
  result = atx_join_token_get_invite_finish (f->result, &error);
  g_assert_no_error (error);

  expected_link = g_strconcat ("https://" FAKE_DOMAIN "/" FAKE_ROOM "?jwt=", result->token, NULL);
  g_assert_cmpstr (result->join_url, ==, expected_link);
  g_assert_cmpint (g_date_time_to_unix (result->expires_at), ==, g_date_time_to_unix (exp));

  /* Asked for a participant bound to the session window… */
  sent = json_node_get_object (f->server->last_request);
  g_assert_false (json_object_get_boolean_member (sent, "isModerator"));
  {
    g_autoptr(GDateTime) sent_nbf = g_date_time_new_from_iso8601 (json_object_get_string_member (sent, "notBefore"), NULL);
    g_autoptr(GDateTime) sent_exp = g_date_time_new_from_iso8601 (json_object_get_string_member (sent, "expiresAt"), NULL);

    g_assert_cmpint (g_date_time_to_unix (sent_nbf), ==, g_date_time_to_unix (nbf));
    g_assert_cmpint (g_date_time_to_unix (sent_exp), ==, g_date_time_to_unix (exp));
  }
  /* …with no client name in it (a link is no place for health data). */
  g_assert_cmpstr (json_object_get_string_member (sent, "userName"), ==, "");
  g_assert_cmpstr (json_object_get_string_member (sent, "userEmail"), ==, "");
  {
    g_autofree char *sent_text = json_to_string (f->server->last_request, FALSE);
    g_assert_null (strstr (sent_text, "Alex"));
  }

  claims = atx_jwt_verify (result->token, (const guint8 *) FAKE_SECRET, strlen (FAKE_SECRET),
                           &expect, g_date_time_to_unix (nbf) + 60, &error);
  g_assert_no_error (error);
  g_assert_false (claims->moderator);
  g_assert_cmpint (claims->not_before, ==, g_date_time_to_unix (nbf));

  /* Nothing stored. */
  g_assert_true (atx_appointment_store_flush (f->store, NULL));
  after = read_file (f->path);
  g_assert_cmpstr (before, ==, after);
}

static void
test_invite_link_dev_mode (Fixture       *f,
                           gconstpointer  data)
{
  AtxAppointment *appointment = add_video_appointment (f, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxTokenResult) result = NULL;
  g_autoptr(AtxJwtClaims) claims = NULL;
  AtxJwtExpectations expect = { "ataraxia", "jitsi", FAKE_DOMAIN, FAKE_ROOM };
  g_autoptr(GDateTime) nbf = g_date_time_add_minutes (atx_appointment_get_start (appointment), -15);

  g_setenv (ATX_ENV_DEV_MOCK_TOKENS, "1", TRUE);
  g_setenv (ATX_ENV_DEV_JWT_SECRET, DEV_SECRET, TRUE);
  atx_join_token_get_invite_async (appointment, f->settings, NULL, NULL,
                                   fake_store_result, &f->result);
  fake_wait_for_result (&f->result, WAIT_MS);
  result = atx_join_token_get_invite_finish (f->result, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (f->server->n_requests, ==, 0);
  g_assert_true (g_str_has_prefix (result->join_url, "https://" FAKE_DOMAIN "/" FAKE_ROOM "?jwt=ey"));

  claims = atx_jwt_verify (result->token, (const guint8 *) DEV_SECRET, strlen (DEV_SECRET),
                           &expect, g_date_time_to_unix (nbf) + 1, &error);
  g_assert_no_error (error);
  g_assert_false (claims->moderator);
}

static void
test_invite_for_past_appointment (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(AtxAppointment) past = atx_appointment_copy (add_video_appointment (f, NULL));
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) start = g_date_time_add_hours (now, -3);
  g_autoptr(GDateTime) end = g_date_time_add_hours (now, -2);
  g_autoptr(GError) error = NULL;
  g_autoptr(AtxTokenResult) result = NULL;

  atx_appointment_set_start (past, start);
  atx_appointment_set_end (past, end);
  atx_join_token_get_invite_async (past, f->settings, f->client, NULL,
                                   fake_store_result, &f->result);
  fake_wait_for_result (&f->result, WAIT_MS);
  result = atx_join_token_get_invite_finish (f->result, &error);
  g_assert_null (result);
  g_assert_error (error, ATX_TOKEN_ERROR, ATX_TOKEN_ERROR_INVALID_REQUEST);
  g_assert_cmpuint (f->server->n_requests, ==, 0);
}

static void
test_build_invite_link (void)
{
  g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr(GSettings) gsettings = g_settings_new_with_backend (ATX_SETTINGS_SCHEMA_ID, backend);
  g_autoptr(AtxSettings) settings = atx_settings_new (gsettings);
  g_autofree char *link = NULL;
  g_autofree char *local = NULL;

  g_assert_null (atx_join_token_build_invite_link (settings, FAKE_ROOM, "abc.def.ghi"));
  atx_settings_set_jitsi_domain (settings, FAKE_DOMAIN);
  link = atx_join_token_build_invite_link (settings, FAKE_ROOM, "abc.def.ghi");
  g_assert_cmpstr (link, ==, "https://" FAKE_DOMAIN "/" FAKE_ROOM "?jwt=abc.def.ghi");
  g_assert_null (atx_join_token_build_invite_link (settings, FAKE_ROOM, "abc&x=1"));
  g_assert_null (atx_join_token_build_invite_link (settings, FAKE_ROOM, ""));
  g_assert_null (atx_join_token_build_invite_link (settings, "bad room", "abc.def.ghi"));

  atx_settings_set_jitsi_domain (settings, "127.0.0.1:8443");
  local = atx_join_token_build_invite_link (settings, FAKE_ROOM, "a.b.c");
  g_assert_cmpstr (local, ==, "http://127.0.0.1:8443/" FAKE_ROOM "?jwt=a.b.c");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, data, fn) g_test_add (path, Fixture, data, fixture_setup, fn, fixture_teardown)
  g_test_add_func ("/join-token/reuse-rule/moderator-for-room-valid-5-more-minutes", test_is_reusable_rule);
  ADD ("/join-token/join/valid-cached-token-reused-without-request", NULL, test_valid_cached_token_reused);
  ADD ("/join-token/join/expiring-token-refreshed-and-stored", GINT_TO_POINTER (CACHE_EXPIRING), test_refreshed_and_stored);
  ADD ("/join-token/join/expired-token-refreshed-and-stored", GINT_TO_POINTER (CACHE_EXPIRED), test_refreshed_and_stored);
  ADD ("/join-token/join/wrong-room-token-refreshed-and-stored", GINT_TO_POINTER (CACHE_WRONG_ROOM), test_refreshed_and_stored);
  ADD ("/join-token/join/missing-token-fetched-and-stored", GINT_TO_POINTER (CACHE_MISSING), test_refreshed_and_stored);
  ADD ("/join-token/join/unreadable-token-refreshed-and-stored", GINT_TO_POINTER (CACHE_NOT_A_JWT), test_refreshed_and_stored);
  ADD ("/join-token/join/refresh-failure-leaves-appointment-and-file", NULL, test_refresh_failure_leaves_appointment);
  ADD ("/join-token/join/unreachable-backend-is-no-mock-fallback", NULL, test_unreachable_backend_leaves_appointment);
  ADD ("/join-token/join/token-server-for-another-jitsi-is-refused", NULL, test_token_server_for_another_jitsi);
  ADD ("/join-token/join/not-configured", NULL, test_not_configured);
  ADD ("/join-token/join/non-video-appointment", NULL, test_non_video_appointment);
  ADD ("/join-token/join/use-jwt-off-needs-no-token", NULL, test_use_jwt_off_needs_no_token);
  ADD ("/join-token/dev-mode/signs-locally-and-stores", NULL, test_dev_mode_signs_locally);
  ADD ("/join-token/dev-mode/bad-secret-is-an-error-not-a-fallback", NULL, test_dev_mode_without_secret_is_an_error);
  ADD ("/join-token/ad-hoc/fresh-token-nothing-stored", NULL, test_ad_hoc_room_stores_nothing);
  ADD ("/join-token/invite/participant-token-for-the-session-window", NULL, test_invite_link);
  ADD ("/join-token/invite/dev-mode", NULL, test_invite_link_dev_mode);
  ADD ("/join-token/invite/appointment-long-over", NULL, test_invite_for_past_appointment);
#undef ADD
  g_test_add_func ("/join-token/invite/link-format", test_build_invite_link);

  return g_test_run ();
}

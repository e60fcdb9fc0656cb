/* bench-jwt-sign.c — the floor of the token server benchmark: how many HS256
 * tokens per second bare libjwt signs on this machine (one core), and how
 * many atx_jwt_sign() does with the same claims.
 *
 *   bench-jwt-sign [SECONDS]      prints "libjwt <n>/s" and "atx_jwt_sign <n>/s"
 */
#define G_LOG_DOMAIN "bench-jwt-sign"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jwt.h>

#include "core/atx-jwt.h"

static const char secret[] = "5f2b8e6d4f0a1c39577f3a9c1e5b2d40687f3a2b8e6d4f0a1c3957aa55aa55aa";

static const char payload[] =
  "{\"iss\":\"ataraxia\",\"aud\":\"jitsi\",\"sub\":\"meet.example.org\","
  "\"room\":\"ataraxia-bench-room\",\"iat\":1800000000,\"nbf\":1799999940,"
  "\"exp\":1800007200,\"moderator\":true,\"context\":{\"user\":{\"id\":\"user-1\","
  "\"name\":\"Dr. Bench Mark\",\"email\":\"bench@example.org\",\"moderator\":true}}}";

static double
run_libjwt (double seconds)
{
  gint64 start = g_get_monotonic_time ();
  gint64 end = start + (gint64) (seconds * G_USEC_PER_SEC);
  guint64 n = 0;

  while (g_get_monotonic_time () < end)
    {
      for (int i = 0; i < 256; i++)
        {
          jwt_t *jwt = NULL;
          char *token;

          if (jwt_new (&jwt) != 0 ||
              jwt_add_grants_json (jwt, payload) != 0 ||
              jwt_set_alg (jwt, JWT_ALG_HS256, (const unsigned char *) secret, sizeof secret - 1) != 0 ||
              (token = jwt_encode_str (jwt)) == NULL)
            g_error ("libjwt failed");
          free (token);
          jwt_free (jwt);
          n++;
        }
    }
  return (double) n * G_USEC_PER_SEC / (double) (g_get_monotonic_time () - start);
}

static double
run_atx (double seconds)
{
  AtxJwtSignParams params = {
    .issuer = "ataraxia", .audience = "jitsi", .subject = "meet.example.org",
    .room = "ataraxia-bench-room", .user_id = "user-1", .user_name = "Dr. Bench Mark",
    .user_email = "bench@example.org", .moderator = TRUE,
    .issued_at = 1800000000, .not_before = 1799999940, .expires_at = 1800007200,
  };
  gint64 start = g_get_monotonic_time ();
  gint64 end = start + (gint64) (seconds * G_USEC_PER_SEC);
  guint64 n = 0;

  while (g_get_monotonic_time () < end)
    {
      for (int i = 0; i < 256; i++)
        {
          char *token = atx_jwt_sign (&params, (const guint8 *) secret, sizeof secret - 1);

          if (token == NULL)
            g_error ("atx_jwt_sign failed");
          g_free (token);
          n++;
        }
    }
  return (double) n * G_USEC_PER_SEC / (double) (g_get_monotonic_time () - start);
}

int
main (int   argc,
      char *argv[])
{
  double seconds = argc > 1 ? g_ascii_strtod (argv[1], NULL) : 2.0;

  if (seconds <= 0 || seconds > 60)
    seconds = 2.0;
  printf ("libjwt %.0f/s\n", run_libjwt (seconds));
  printf ("atx_jwt_sign %.0f/s\n", run_atx (seconds));
  return 0;
}

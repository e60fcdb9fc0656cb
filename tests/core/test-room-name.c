/* test-room-name.c — opaque room names: shape, randomness, validation. */
#define G_LOG_DOMAIN "test-room-name"

#include "config.h"

#include <string.h>

#include "core/atx-room-name.h"

static void
test_generate_shape (void)
{
  g_autofree char *name = atx_room_name_generate ();
  const char *rest;

  g_assert_true (g_str_has_prefix (name, "ataraxia-"));
  rest = name + strlen ("ataraxia-");
  /* >= 128 bits in base32 is >= 26 characters; we use 160 bits = 32. */
  g_assert_cmpuint (strlen (rest), >=, 26);
  for (const char *p = rest; *p; p++)
    g_assert_true ((*p >= 'a' && *p <= 'z') || (*p >= '2' && *p <= '7'));
  g_assert_true (atx_room_name_is_valid (name));
}

static void
test_generate_unique (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (int i = 0; i < 2000; i++)
    {
      char *name = atx_room_name_generate ();
      g_assert_false (g_hash_table_contains (seen, name));
      g_hash_table_add (seen, name);
    }
}

static void
test_validate (void)
{
  g_autofree char *longest = g_strnfill (128, 'a');
  g_autofree char *too_long = g_strnfill (129, 'a');

  g_assert_true (atx_room_name_is_valid ("ataraxia-abc"));
  g_assert_true (atx_room_name_is_valid ("a"));
  g_assert_true (atx_room_name_is_valid ("0-9"));
  g_assert_true (atx_room_name_is_valid (longest));

  g_assert_false (atx_room_name_is_valid (NULL));
  g_assert_false (atx_room_name_is_valid (""));
  g_assert_false (atx_room_name_is_valid ("*"));
  g_assert_false (atx_room_name_is_valid ("Ataraxia-abc"));
  g_assert_false (atx_room_name_is_valid ("room/other"));
  g_assert_false (atx_room_name_is_valid ("../etc"));
  g_assert_false (atx_room_name_is_valid ("room name"));
  g_assert_false (atx_room_name_is_valid ("room_name"));
  g_assert_false (atx_room_name_is_valid ("räum"));
  g_assert_false (atx_room_name_is_valid ("room?jwt=x"));
  g_assert_false (atx_room_name_is_valid (too_long));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/room-name/generate/prefix-and-lowercase-base32", test_generate_shape);
  g_test_add_func ("/room-name/generate/never-repeats", test_generate_unique);
  g_test_add_func ("/room-name/validate/only-lowercase-digits-dash-up-to-128", test_validate);

  return g_test_run ();
}

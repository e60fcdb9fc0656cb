/* atx-room-name.c — generating and validating opaque room names. */
#define G_LOG_DOMAIN "atx-room-name"

#include "config.h"

#include "atx-room-name.h"

#include <string.h>
#include "atx-random.h"

/* 20 bytes = 160 bits = exactly 32 base32 characters, no padding. */
#define RANDOM_BYTES 20

char *
atx_room_name_generate (void)
{
  static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
  guint8 bytes[RANDOM_BYTES];
  GString *name;
  guint64 acc = 0;
  int bits = 0;

  atx_random_fill (bytes, sizeof bytes);

  name = g_string_sized_new (strlen (ATX_ROOM_NAME_PREFIX) + RANDOM_BYTES * 8 / 5 + 1);
  g_string_append (name, ATX_ROOM_NAME_PREFIX);
  for (gsize i = 0; i < sizeof bytes; i++)
    {
      acc = (acc << 8) | bytes[i];
      bits += 8;
      while (bits >= 5)
        {
          bits -= 5;
          g_string_append_c (name, alphabet[(acc >> bits) & 31]);
        }
    }
  g_assert (bits == 0);

  memset (bytes, 0, sizeof bytes);
  return g_string_free (name, FALSE);
}

gboolean
atx_room_name_is_valid (const char *name)
{
  gsize len = 0;

  if (name == NULL)
    return FALSE;
  for (const char *p = name; *p; p++, len++)
    {
      if (len >= ATX_ROOM_NAME_MAX_LENGTH)
        return FALSE;
      if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
        return FALSE;
    }
  return len > 0;
}

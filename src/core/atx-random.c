/* atx-random.c — see atx-random.h. */
#define G_LOG_DOMAIN "atx-random"

#include "atx-random.h"

#include <errno.h>
#include <sys/random.h>

void
atx_random_fill (guint8 *buf,
                 gsize   len)
{
  gsize done = 0;

  while (done < len)
    {
      ssize_t n = getrandom (buf + done, len - done, 0);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          /* No CSPRNG means no safe secret: never fall back to a weak one. */
          g_error ("getrandom() failed: %s", g_strerror (errno));
        }
      done += (gsize) n;
    }
}

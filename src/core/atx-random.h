/* atx-random.h — bytes from the kernel's CSPRNG (getrandom), for room names
 * and capability secrets. There is no weaker fallback: without a CSPRNG
 * nothing that needs one may be made. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void atx_random_fill (guint8 *buf,
                      gsize   len);

G_END_DECLS

/* atx-room-name.h — opaque Jitsi room names.
 *
 * A room name carries no health data (no appointment id, client name or
 * time): "ataraxia-" followed by 160 random bits from getrandom(), in
 * lowercase base32. Valid names anywhere are [a-z0-9-], 1..128 characters.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ATX_ROOM_NAME_MAX_LENGTH 128
#define ATX_ROOM_NAME_PREFIX "ataraxia-"

char     *atx_room_name_generate (void);
gboolean  atx_room_name_is_valid (const char *name);

G_END_DECLS

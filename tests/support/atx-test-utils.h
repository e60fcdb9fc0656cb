/* atx-test-utils.h — small helpers shared by the tests: temp dirs, bounded
 * main-loop waits, file helpers. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef gboolean (*AtxTestCondition) (gpointer user_data);

/* Iterates the default main context until condition returns TRUE or
 * timeout_ms passes; returns whether the condition was met. */
gboolean atx_test_wait_until (AtxTestCondition condition, gpointer user_data, guint timeout_ms);

/* Iterates the default main context for about ms milliseconds. */
void     atx_test_spin (guint ms);

/* A fresh temp dir (caller frees the string and removes with atx_test_rm_rf). */
char    *atx_test_make_tmp_dir (void);
void     atx_test_rm_rf (const char *path);

/* Writes contents to path, creating parent directories (0700). */
void     atx_test_write_file (const char *path, const char *contents);
char    *atx_test_read_file (const char *path);

G_END_DECLS

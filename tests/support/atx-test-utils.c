/* atx-test-utils.c — see atx-test-utils.h. */
#include "atx-test-utils.h"

#include <glib/gstdio.h>

static gboolean
on_timeout (gpointer user_data)
{
  gboolean *timed_out = user_data;
  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
atx_test_wait_until (AtxTestCondition condition,
                     gpointer         user_data,
                     guint            timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, on_timeout, &timed_out);

  while (!condition (user_data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);

  return condition (user_data);
}

static gboolean
never (gpointer user_data)
{
  return FALSE;
}

void
atx_test_spin (guint ms)
{
  atx_test_wait_until (never, NULL, ms);
}

char *
atx_test_make_tmp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("atx-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
atx_test_rm_rf (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  if (children != NULL)
    {
      while ((info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
        {
          g_autoptr(GFile) child = g_file_get_child (file, g_file_info_get_name (info));
          g_autofree char *child_path = g_file_get_path (child);

          if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
            atx_test_rm_rf (child_path);
          else
            g_unlink (child_path);
          g_object_unref (info);
        }
    }
  g_rmdir (path);
}

void
atx_test_write_file (const char *path,
                     const char *contents)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

char *
atx_test_read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

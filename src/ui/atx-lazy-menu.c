/* atx-lazy-menu.c — see atx-lazy-menu.h. */
#define G_LOG_DOMAIN "atx-lazy-menu"

#include "config.h"

#include "atx-lazy-menu.h"

static void
create_popover (GtkMenuButton *button,
                gpointer       model)
{
  if (gtk_menu_button_get_popover (button) == NULL)
    gtk_menu_button_set_menu_model (button, model);
}

void
atx_lazy_menu_attach (GtkMenuButton *button,
                      GMenuModel    *model)
{
  g_return_if_fail (GTK_IS_MENU_BUTTON (button));
  g_return_if_fail (G_IS_MENU_MODEL (model));

  gtk_menu_button_set_create_popup_func (button, create_popover, model, NULL);
}

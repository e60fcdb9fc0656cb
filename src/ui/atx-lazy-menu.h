/* atx-lazy-menu.h — menu buttons whose popover is built when first opened:
 * a GtkPopoverMenu made at start costs every start for a menu that is
 * rarely opened (bench-startup). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* @model must outlive @button (a template object of the same widget). */
void atx_lazy_menu_attach (GtkMenuButton *button,
                           GMenuModel    *model);

G_END_DECLS

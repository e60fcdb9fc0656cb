/* atx-month-view.h — a month grid: six weeks of day cells, each showing how
 * many appointments the day has. Arrow keys move the selected day, Page
 * Up/Down the month. */
#pragma once

#include <gtk/gtk.h>
#include "core/atx-appointment-store.h"

G_BEGIN_DECLS

#define ATX_TYPE_MONTH_VIEW (atx_month_view_get_type ())
G_DECLARE_FINAL_TYPE (AtxMonthView, atx_month_view, ATX, MONTH_VIEW, GtkWidget)

GtkWidget *atx_month_view_new (void);

void       atx_month_view_set_store (AtxMonthView *self, AtxAppointmentStore *store);

/* The selected day as local midnight (owned by the view). Setting it moves
 * the grid to that month when needed. Notifies "date". */
GDateTime *atx_month_view_get_date (AtxMonthView *self);
void       atx_month_view_set_date (AtxMonthView *self, GDateTime *date);
void       atx_month_view_move_days (AtxMonthView *self, int days);
void       atx_month_view_move_months (AtxMonthView *self, int months);

/* Moves keyboard focus to the selected day's cell. */
void       atx_month_view_focus_selected (AtxMonthView *self);

/* For tests: the number shown on the cell of the given day of the visible
 * grid, or -1 when that day is not visible. */
int        atx_month_view_get_count_for_day (AtxMonthView *self, int year, int month, int day);

/* For tests: whether the camera / phone marks show on that day's cell. */
void       atx_month_view_get_marks_for_day (AtxMonthView *self, int year, int month, int day,
                                             gboolean *out_video, gboolean *out_audio);

/* Signals: ::day-activated () — Enter or double click on a day. */

G_END_DECLS

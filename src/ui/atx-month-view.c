/* atx-month-view.c — month grid of 6×7 day cells.
 *
 * Counts are recomputed with one range query over the visible six weeks
 * whenever the store changes, so a large store costs one pass per change, not
 * one query per cell. Days are calendar days in the local time zone.
 *
 * Each day is one widget (AtxMonthViewDay, a childless GtkButton that draws
 * its day number, count badge and call marks itself) rather than a button
 * holding a box of labels and images: that was seven widgets per cell, ~300
 * for the grid, and their style, layout and snapshot cost a good part of the
 * window's first frame. The button keeps everything users and assistive
 * technologies see: role, label, tooltip, focus, click, CSS states. */
#define G_LOG_DOMAIN "atx-month-view"

#include "config.h"

#include <glib/gi18n.h>
#include <langinfo.h>

#include "atx-month-view.h"

#define N_WEEKS 6
#define N_CELLS (N_WEEKS * 7)

/* One day of the grid. */
#define ATX_TYPE_MONTH_VIEW_DAY (atx_month_view_day_get_type ())
G_DECLARE_FINAL_TYPE (AtxMonthViewDay, atx_month_view_day, ATX, MONTH_VIEW_DAY, GtkButton)

struct _AtxMonthViewDay
{
  GtkButton    parent_instance;

  int          year, month, day;
  int          n_appointments;
  int          n_video;
  int          n_audio;
  gboolean     today;
  gboolean     other_month;
  /* Accessible label, also the tooltip (given on query: setting a
   * tooltip text asks the X server where the pointer is, per cell). */
  char        *description;

  /* Built on first measure or snapshot; they follow font changes by
   * themselves (PangoLayout watches its context). */
  PangoLayout *number_layout;
  PangoLayout *count_layout;
};

G_DEFINE_FINAL_TYPE (AtxMonthViewDay, atx_month_view_day, GTK_TYPE_BUTTON)

/* What style.css used to give the children: a 16 px icon size, 2 px between
 * the marks, a count badge of at least 18 px plus 5 px padding each side. */
#define MARK_SIZE          16
#define MARK_SPACING       2
#define BADGE_MIN_WIDTH    18
#define BADGE_PADDING      5
#define BADGE_RADIUS       9
#define OTHER_MONTH_ALPHA  0.45

static PangoLayout *
day_number_layout (AtxMonthViewDay *self)
{
  if (self->number_layout == NULL)
    {
      char text[16];
      PangoAttrList *attrs = pango_attr_list_new ();

      g_snprintf (text, sizeof text, "%d", self->day);
      self->number_layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
      pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum"));
      if (self->today)
        pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      pango_layout_set_attributes (self->number_layout, attrs);
      pango_attr_list_unref (attrs);
    }
  return self->number_layout;
}

static PangoLayout *
day_count_layout (AtxMonthViewDay *self)
{
  if (self->n_appointments <= 0)
    return NULL;

  if (self->count_layout == NULL)
    {
      char text[16];
      PangoAttrList *attrs = pango_attr_list_new ();

      g_snprintf (text, sizeof text, "%d", self->n_appointments);
      self->count_layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
      /* CSS "font-size: smaller" is the parent size divided by 1.2. */
      pango_attr_list_insert (attrs, pango_attr_scale_new (1 / 1.2));
      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      pango_layout_set_attributes (self->count_layout, attrs);
      pango_attr_list_unref (attrs);
    }
  return self->count_layout;
}

/* The row under the number: count badge, then the video and audio marks. */
static void
day_marks_size (AtxMonthViewDay *self,
                int             *badge_width,
                int             *width,
                int             *height)
{
  PangoLayout *count = day_count_layout (self);
  int n_marks = (self->n_video > 0) + (self->n_audio > 0);
  int n_items = n_marks;

  *badge_width = *width = *height = 0;
  if (count != NULL)
    {
      int text_width, text_height;

      pango_layout_get_pixel_size (count, &text_width, &text_height);
      *badge_width = MAX (text_width, BADGE_MIN_WIDTH) + 2 * BADGE_PADDING;
      *width = *badge_width;
      *height = text_height;
      n_items++;
    }
  if (n_marks > 0)
    {
      *width += n_marks * MARK_SIZE;
      *height = MAX (*height, MARK_SIZE);
    }
  if (n_items > 1)
    *width += (n_items - 1) * MARK_SPACING;
}

static void
atx_month_view_day_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  AtxMonthViewDay *self = ATX_MONTH_VIEW_DAY (widget);
  int number_width, number_height, badge_width, marks_width, marks_height;

  pango_layout_get_pixel_size (day_number_layout (self), &number_width, &number_height);
  day_marks_size (self, &badge_width, &marks_width, &marks_height);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = MAX (number_width, marks_width);
  else
    *minimum = *natural = number_height + marks_height;
}

static void
snapshot_mark (AtxMonthViewDay *self,
               GtkSnapshot     *snapshot,
               const char      *icon_name,
               const GdkRGBA   *color,
               float            x,
               float            y)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (widget));
  g_autoptr(GtkIconPaintable) icon = NULL;

  icon = gtk_icon_theme_lookup_icon (theme, icon_name, NULL, MARK_SIZE,
                                     gtk_widget_get_scale_factor (widget),
                                     gtk_widget_get_direction (widget), 0);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_symbolic_paintable_snapshot_symbolic (GTK_SYMBOLIC_PAINTABLE (icon), snapshot,
                                            MARK_SIZE, MARK_SIZE, color, 1);
  gtk_snapshot_restore (snapshot);
}

static void
atx_month_view_day_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  AtxMonthViewDay *self = ATX_MONTH_VIEW_DAY (widget);
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  gboolean rtl = gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL;
  int width = gtk_widget_get_width (widget);
  PangoLayout *number = day_number_layout (self);
  PangoLayout *count = day_count_layout (self);
  int number_width, number_height, badge_width, marks_width, marks_height;
  GdkRGBA fg, number_color;
  float x, y;

  gtk_style_context_get_color (style, &fg);
  number_color = fg;
  if (self->today && !gtk_style_context_lookup_color (style, "accent_color", &number_color))
    number_color = fg;

  pango_layout_get_pixel_size (number, &number_width, &number_height);
  if (self->other_month)
    gtk_snapshot_push_opacity (snapshot, OTHER_MONTH_ALPHA);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((width - number_width) / 2, 0));
  gtk_snapshot_append_layout (snapshot, number, &number_color);
  gtk_snapshot_restore (snapshot);
  if (self->other_month)
    gtk_snapshot_pop (snapshot);

  day_marks_size (self, &badge_width, &marks_width, &marks_height);
  if (marks_width == 0)
    return;

  /* Laid out like a centred horizontal box: start to end, mirrored in RTL. */
  x = (width - marks_width) / 2;
  y = number_height;
  for (int item = 0; item < 3; item++)
    {
      int item_width;
      float item_x;

      if (item == 0 && count != NULL)
        item_width = badge_width;
      else if ((item == 1 && self->n_video > 0) || (item == 2 && self->n_audio > 0))
        item_width = MARK_SIZE;
      else
        continue;

      item_x = rtl ? width - x - item_width : x;
      if (item == 0)
        {
          GdkRGBA badge_bg, badge_fg;
          GskRoundedRect badge;
          int text_width, text_height;

          if (!gtk_style_context_lookup_color (style, "accent_bg_color", &badge_bg))
            badge_bg = (GdkRGBA) { 0.21, 0.52, 0.89, 1 };
          badge_bg.alpha *= 0.85;
          if (!gtk_style_context_lookup_color (style, "accent_fg_color", &badge_fg))
            badge_fg = (GdkRGBA) { 1, 1, 1, 1 };

          gsk_rounded_rect_init_from_rect (&badge,
                                           &GRAPHENE_RECT_INIT (item_x, y, badge_width, marks_height),
                                           BADGE_RADIUS);
          gsk_rounded_rect_normalize (&badge);
          gtk_snapshot_push_rounded_clip (snapshot, &badge);
          gtk_snapshot_append_color (snapshot, &badge_bg, &badge.bounds);
          gtk_snapshot_pop (snapshot);

          pango_layout_get_pixel_size (count, &text_width, &text_height);
          gtk_snapshot_save (snapshot);
          gtk_snapshot_translate (snapshot,
                                  &GRAPHENE_POINT_INIT (item_x + (badge_width - text_width) / 2,
                                                        y + (marks_height - text_height) / 2));
          gtk_snapshot_append_layout (snapshot, count, &badge_fg);
          gtk_snapshot_restore (snapshot);
        }
      else
        snapshot_mark (self, snapshot,
                       item == 1 ? "camera-video-symbolic" : "call-start-symbolic",
                       &fg, item_x, y + (marks_height - MARK_SIZE) / 2);

      x += item_width + MARK_SPACING;
    }
}

static void
atx_month_view_day_finalize (GObject *object)
{
  AtxMonthViewDay *self = ATX_MONTH_VIEW_DAY (object);

  g_clear_object (&self->number_layout);
  g_clear_object (&self->count_layout);
  g_free (self->description);

  G_OBJECT_CLASS (atx_month_view_day_parent_class)->finalize (object);
}

static gboolean
atx_month_view_day_query_tooltip (GtkWidget  *widget,
                                  int         x,
                                  int         y,
                                  gboolean    keyboard_tooltip,
                                  GtkTooltip *tooltip)
{
  AtxMonthViewDay *self = ATX_MONTH_VIEW_DAY (widget);

  if (self->description == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, self->description);
  return TRUE;
}

static void
atx_month_view_day_class_init (AtxMonthViewDayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = atx_month_view_day_finalize;
  widget_class->measure = atx_month_view_day_measure;
  widget_class->snapshot = atx_month_view_day_snapshot;
  widget_class->query_tooltip = atx_month_view_day_query_tooltip;
}

static void
atx_month_view_day_init (AtxMonthViewDay *self)
{
  /* No child: the widget measures and draws its own content. */
  gtk_widget_set_layout_manager (GTK_WIDGET (self), NULL);
  gtk_widget_add_css_class (GTK_WIDGET (self), "flat");
  gtk_widget_add_css_class (GTK_WIDGET (self), "day");
  gtk_widget_set_vexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
}

/* Sets what the day shows; redraws (and re-measures) only on a change. */
static void
atx_month_view_day_set_day (AtxMonthViewDay *self,
                            int              year,
                            int              month,
                            int              day,
                            gboolean         today,
                            gboolean         other_month)
{
  gboolean number_changed = self->day != day || self->today != today;

  if (self->year == year && self->month == month && !number_changed &&
      self->other_month == other_month)
    return;

  self->year = year;
  self->month = month;
  self->day = day;
  self->today = today;
  self->other_month = other_month;

  if (number_changed)
    {
      g_clear_object (&self->number_layout);
      gtk_widget_queue_resize (GTK_WIDGET (self));
    }
  else
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
atx_month_view_day_set_counts (AtxMonthViewDay *self,
                               int              n_appointments,
                               int              n_video,
                               int              n_audio)
{
  if (self->n_appointments != n_appointments)
    g_clear_object (&self->count_layout);
  self->n_appointments = n_appointments;
  self->n_video = n_video;
  self->n_audio = n_audio;
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

struct _AtxMonthView
{
  GtkWidget            parent_instance;

  GtkWidget           *grid;
  GtkWidget           *weekday_labels[7];
  AtxMonthViewDay     *cells[N_CELLS];

  AtxAppointmentStore *store;
  GDateTime           *date;        /* selected day, local midnight */
  GDateTime           *grid_start;  /* first visible day, local midnight */
  int                  first_weekday; /* 1 = Monday … 7 = Sunday */
};

G_DEFINE_FINAL_TYPE (AtxMonthView, atx_month_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_DATE,
  N_PROPS
};

enum {
  DAY_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static GDateTime *
local_midnight (int year, int month, int day)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  return g_date_time_new (tz, year, month, day, 0, 0, 0);
}

static GDateTime *
add_days_local (GDateTime *date, int days)
{
  /* Calendar arithmetic, then back to midnight: DST-safe. */
  g_autoptr(GDateTime) moved = g_date_time_add_days (date, days);
  return local_midnight (g_date_time_get_year (moved),
                         g_date_time_get_month (moved),
                         g_date_time_get_day_of_month (moved));
}

static int
locale_first_weekday (void)
{
#ifdef __GLIBC__
  /* glibc: _NL_TIME_FIRST_WEEKDAY is 1 = Sunday relative to the week's
   * first day given by _NL_TIME_WEEK_1STDAY (a date; 19971130 = Sunday). */
  union { unsigned int word; char *string; } week_1stday, first_weekday;
  int week_origin;

  week_1stday.string = nl_langinfo (_NL_TIME_WEEK_1STDAY);
  first_weekday.string = nl_langinfo (_NL_TIME_FIRST_WEEKDAY);
  week_origin = week_1stday.word;
  if (week_origin == 19971130)
    week_origin = 0;        /* Sunday */
  else if (week_origin == 19971201)
    week_origin = 1;        /* Monday */
  else
    return 1;

  {
    int first = (week_origin + first_weekday.string[0] - 1) % 7; /* 0 = Sunday */
    return first == 0 ? 7 : first;
  }
#else
  return 1;
#endif
}

/* Accessible label and tooltip of one cell; only called when its
 * count or its day changed (formatting dates for 42 cells is not free). */
static void
update_cell_labels (AtxMonthViewDay *cell)
{
  g_autofree char *accessible = NULL;
  g_autoptr(GDateTime) day = local_midnight (cell->year, cell->month, cell->day);
  g_autofree char *day_text = g_date_time_format (day, _("%A, %-d %B %Y"));

  if (cell->n_appointments == 0)
    accessible = g_strdup_printf (_("%s, no appointments"), day_text);
  else
    accessible = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %d appointment",
                                               "%s, %d appointments", cell->n_appointments),
                                  day_text, cell->n_appointments);
  if (cell->n_video > 0 || cell->n_audio > 0)
    {
      /* Translators: appended to a day's description in the month grid. */
      g_autofree char *calls = g_strdup_printf (_("%s, %d video and %d audio calls"),
                                                accessible, cell->n_video, cell->n_audio);
      g_free (accessible);
      accessible = g_steal_pointer (&calls);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (cell),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
  g_free (cell->description);
  cell->description = g_steal_pointer (&accessible);
}

static void
update_counts (AtxMonthView *self,
               gboolean      days_changed)
{
  g_autoptr(GPtrArray) appointments = NULL;
  int counts[N_CELLS] = { 0 };
  int video[N_CELLS] = { 0 };
  int audio[N_CELLS] = { 0 };

  if (self->store != NULL)
    {
      GDateTime *bounds[N_CELLS + 1];

      /* Day boundaries once per update: local midnights, 23 or 25 hours
       * apart across DST changes. */
      bounds[0] = g_date_time_ref (self->grid_start);
      for (guint c = 1; c <= N_CELLS; c++)
        bounds[c] = add_days_local (bounds[c - 1], 1);

      appointments = atx_appointment_store_query_range (self->store, bounds[0], bounds[N_CELLS]);

      for (guint i = 0; i < appointments->len; i++)
        {
          AtxAppointment *appointment = g_ptr_array_index (appointments, i);
          GDateTime *start = atx_appointment_get_start (appointment);
          GDateTime *end = atx_appointment_get_end (appointment);
          guint lo = 0, hi = N_CELLS;

          /* First day that ends after the start (binary search), then every
           * day the appointment touches. */
          while (lo < hi)
            {
              guint mid = (lo + hi) / 2;
              if (g_date_time_compare (bounds[mid + 1], start) <= 0)
                lo = mid + 1;
              else
                hi = mid;
            }
          gboolean is_call = atx_appointment_get_is_video_call (appointment);
          gboolean is_audio = is_call && atx_appointment_get_video_call_type (appointment) == ATX_CALL_TYPE_AUDIO;

          for (guint c = lo; c < N_CELLS && g_date_time_compare (bounds[c], end) < 0; c++)
            {
              counts[c]++;
              if (is_call)
                (is_audio ? audio : video)[c]++;
            }
        }

      for (guint c = 0; c <= N_CELLS; c++)
        g_date_time_unref (bounds[c]);
    }

  for (guint i = 0; i < N_CELLS; i++)
    {
      AtxMonthViewDay *cell = self->cells[i];

      if (!days_changed && cell->n_appointments == counts[i] &&
          cell->n_video == video[i] && cell->n_audio == audio[i])
        continue;
      atx_month_view_day_set_counts (cell, counts[i], video[i], audio[i]);
      update_cell_labels (cell);
    }
}

static void
update_grid (AtxMonthView *self)
{
  g_autoptr(GDateTime) first_of_month = NULL;
  g_autoptr(GDateTime) today_dt = g_date_time_new_now_local ();
  int offset;
  int month = g_date_time_get_month (self->date);

  first_of_month = local_midnight (g_date_time_get_year (self->date), month, 1);
  offset = (g_date_time_get_day_of_week (first_of_month) - self->first_weekday + 7) % 7;

  g_clear_pointer (&self->grid_start, g_date_time_unref);
  self->grid_start = add_days_local (first_of_month, -offset);

  for (guint i = 0; i < 7; i++)
    {
      g_autoptr(GDateTime) day = add_days_local (self->grid_start, i);
      g_autofree char *abbrev = g_date_time_format (day, "%a");
      g_autofree char *full = g_date_time_format (day, "%A");

      gtk_label_set_label (GTK_LABEL (self->weekday_labels[i]), abbrev);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->weekday_labels[i]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, full, -1);
    }

  for (guint i = 0; i < N_CELLS; i++)
    {
      AtxMonthViewDay *cell = self->cells[i];
      GtkWidget *widget = GTK_WIDGET (cell);
      g_autoptr(GDateTime) day = add_days_local (self->grid_start, i);
      int year = g_date_time_get_year (day);
      int day_month = g_date_time_get_month (day);
      int day_of_month = g_date_time_get_day_of_month (day);
      gboolean today = year == g_date_time_get_year (today_dt) &&
                       day_month == g_date_time_get_month (today_dt) &&
                       day_of_month == g_date_time_get_day_of_month (today_dt);

      atx_month_view_day_set_day (cell, year, day_month, day_of_month, today, day_month != month);

      if (day_month != month)
        gtk_widget_add_css_class (widget, "other-month");
      else
        gtk_widget_remove_css_class (widget, "other-month");

      if (today)
        gtk_widget_add_css_class (widget, "today");
      else
        gtk_widget_remove_css_class (widget, "today");

      if (year == g_date_time_get_year (self->date) &&
          day_month == month &&
          day_of_month == g_date_time_get_day_of_month (self->date))
        {
          gtk_widget_add_css_class (widget, "selected");
          gtk_accessible_update_state (GTK_ACCESSIBLE (widget),
                                       GTK_ACCESSIBLE_STATE_SELECTED, TRUE, -1);
        }
      else
        {
          gtk_widget_remove_css_class (widget, "selected");
          gtk_accessible_update_state (GTK_ACCESSIBLE (widget),
                                       GTK_ACCESSIBLE_STATE_SELECTED, FALSE, -1);
        }
    }

  update_counts (self, TRUE);
}

static AtxMonthViewDay *
selected_cell (AtxMonthView *self)
{
  for (guint i = 0; i < N_CELLS; i++)
    {
      AtxMonthViewDay *cell = self->cells[i];
      if (cell->year == g_date_time_get_year (self->date) &&
          cell->month == g_date_time_get_month (self->date) &&
          cell->day == g_date_time_get_day_of_month (self->date))
        return cell;
    }
  return NULL;
}

void
atx_month_view_focus_selected (AtxMonthView *self)
{
  AtxMonthViewDay *cell;

  g_return_if_fail (ATX_IS_MONTH_VIEW (self));

  cell = selected_cell (self);
  if (cell != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (cell));
}

static void
on_cell_clicked (GtkButton *button,
                 gpointer   user_data)
{
  AtxMonthView *self = ATX_MONTH_VIEW (gtk_widget_get_ancestor (GTK_WIDGET (button), ATX_TYPE_MONTH_VIEW));
  AtxMonthViewDay *cell = ATX_MONTH_VIEW_DAY (button);
  g_autoptr(GDateTime) date = local_midnight (cell->year, cell->month, cell->day);
  gboolean already_selected = g_date_time_equal (date, self->date);

  atx_month_view_set_date (self, date);
  atx_month_view_focus_selected (self);

  if (already_selected)
    g_signal_emit (self, signals[DAY_ACTIVATED], 0);
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                AtxMonthView          *self)
{
  gboolean rtl = gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL;

  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK))
    return GDK_EVENT_PROPAGATE;

  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      atx_month_view_move_days (self, rtl ? 1 : -1);
      break;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      atx_month_view_move_days (self, rtl ? -1 : 1);
      break;
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      atx_month_view_move_days (self, -7);
      break;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      atx_month_view_move_days (self, 7);
      break;
    case GDK_KEY_Page_Up:
    case GDK_KEY_KP_Page_Up:
      atx_month_view_move_months (self, -1);
      break;
    case GDK_KEY_Page_Down:
    case GDK_KEY_KP_Page_Down:
      atx_month_view_move_months (self, 1);
      break;
    case GDK_KEY_Home:
      {
        g_autoptr(GDateTime) first = local_midnight (g_date_time_get_year (self->date),
                                                     g_date_time_get_month (self->date), 1);
        atx_month_view_set_date (self, first);
      }
      break;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
    case GDK_KEY_space:
      g_signal_emit (self, signals[DAY_ACTIVATED], 0);
      return GDK_EVENT_STOP;
    default:
      return GDK_EVENT_PROPAGATE;
    }

  atx_month_view_focus_selected (self);
  return GDK_EVENT_STOP;
}

static void
on_store_items_changed (GListModel   *model,
                        guint         position,
                        guint         removed,
                        guint         added,
                        AtxMonthView *self)
{
  update_counts (self, FALSE);
}

static void
atx_month_view_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  AtxMonthView *self = ATX_MONTH_VIEW (object);

  switch (prop_id)
    {
    case PROP_DATE:
      g_value_set_boxed (value, self->date);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atx_month_view_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  AtxMonthView *self = ATX_MONTH_VIEW (object);

  switch (prop_id)
    {
    case PROP_DATE:
      atx_month_view_set_date (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
atx_month_view_dispose (GObject *object)
{
  AtxMonthView *self = ATX_MONTH_VIEW (object);

  atx_month_view_set_store (self, NULL);
  g_clear_pointer (&self->grid, gtk_widget_unparent);

  G_OBJECT_CLASS (atx_month_view_parent_class)->dispose (object);
}

static void
atx_month_view_finalize (GObject *object)
{
  AtxMonthView *self = ATX_MONTH_VIEW (object);

  g_clear_pointer (&self->date, g_date_time_unref);
  g_clear_pointer (&self->grid_start, g_date_time_unref);

  G_OBJECT_CLASS (atx_month_view_parent_class)->finalize (object);
}

static void
atx_month_view_class_init (AtxMonthViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = atx_month_view_get_property;
  object_class->set_property = atx_month_view_set_property;
  object_class->dispose = atx_month_view_dispose;
  object_class->finalize = atx_month_view_finalize;

  properties[PROP_DATE] =
    g_param_spec_boxed ("date", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[DAY_ACTIVATED] =
    g_signal_new ("day-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "monthview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GRID);
}

static void
atx_month_view_init (AtxMonthView *self)
{
  GtkEventController *keys;

  self->first_weekday = locale_first_weekday ();
  self->grid = gtk_grid_new ();
  gtk_grid_set_row_homogeneous (GTK_GRID (self->grid), FALSE);
  gtk_grid_set_column_homogeneous (GTK_GRID (self->grid), TRUE);
  gtk_grid_set_row_spacing (GTK_GRID (self->grid), 2);
  gtk_grid_set_column_spacing (GTK_GRID (self->grid), 2);
  gtk_widget_set_parent (self->grid, GTK_WIDGET (self));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Month"), -1);

  for (guint i = 0; i < 7; i++)
    {
      self->weekday_labels[i] = gtk_label_new (NULL);
      gtk_widget_add_css_class (self->weekday_labels[i], "weekday");
      gtk_widget_add_css_class (self->weekday_labels[i], "dim-label");
      gtk_widget_add_css_class (self->weekday_labels[i], "caption-heading");
      gtk_grid_attach (GTK_GRID (self->grid), self->weekday_labels[i], i, 0, 1, 1);
    }

  for (guint i = 0; i < N_CELLS; i++)
    {
      self->cells[i] = g_object_new (ATX_TYPE_MONTH_VIEW_DAY, NULL);
      g_signal_connect (self->cells[i], "clicked", G_CALLBACK (on_cell_clicked), NULL);
      gtk_grid_attach (GTK_GRID (self->grid), GTK_WIDGET (self->cells[i]), i % 7, 1 + i / 7, 1, 1);
    }

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    self->date = local_midnight (g_date_time_get_year (now), g_date_time_get_month (now),
                                 g_date_time_get_day_of_month (now));
  }
  update_grid (self);
}

GtkWidget *
atx_month_view_new (void)
{
  return g_object_new (ATX_TYPE_MONTH_VIEW, NULL);
}

void
atx_month_view_set_store (AtxMonthView        *self,
                          AtxAppointmentStore *store)
{
  g_return_if_fail (ATX_IS_MONTH_VIEW (self));
  g_return_if_fail (store == NULL || ATX_IS_APPOINTMENT_STORE (store));

  if (self->store == store)
    return;

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_func (self->store, on_store_items_changed, self);
  g_set_object (&self->store, store);
  if (store != NULL)
    g_signal_connect_object (store, "items-changed", G_CALLBACK (on_store_items_changed),
                             self, 0);

  update_counts (self, FALSE);
}

GDateTime *
atx_month_view_get_date (AtxMonthView *self)
{
  g_return_val_if_fail (ATX_IS_MONTH_VIEW (self), NULL);
  return self->date;
}

void
atx_month_view_set_date (AtxMonthView *self,
                         GDateTime    *date)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_local ();
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) midnight = NULL;

  g_return_if_fail (ATX_IS_MONTH_VIEW (self));
  g_return_if_fail (date != NULL);

  local = g_date_time_to_timezone (date, tz);
  midnight = local_midnight (g_date_time_get_year (local), g_date_time_get_month (local),
                             g_date_time_get_day_of_month (local));

  if (self->date != NULL && g_date_time_equal (self->date, midnight))
    return;

  g_clear_pointer (&self->date, g_date_time_unref);
  self->date = g_steal_pointer (&midnight);
  update_grid (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATE]);
}

void
atx_month_view_move_days (AtxMonthView *self,
                          int           days)
{
  g_autoptr(GDateTime) date = NULL;

  g_return_if_fail (ATX_IS_MONTH_VIEW (self));

  date = add_days_local (self->date, days);
  atx_month_view_set_date (self, date);
}

void
atx_month_view_move_months (AtxMonthView *self,
                            int           months)
{
  g_autoptr(GDateTime) moved = NULL;

  g_return_if_fail (ATX_IS_MONTH_VIEW (self));

  /* g_date_time_add_months clamps the day (31 Jan + 1 month = 28/29 Feb). */
  moved = g_date_time_add_months (self->date, months);
  atx_month_view_set_date (self, moved);
}

int
atx_month_view_get_count_for_day (AtxMonthView *self,
                                  int           year,
                                  int           month,
                                  int           day)
{
  g_return_val_if_fail (ATX_IS_MONTH_VIEW (self), -1);

  for (guint i = 0; i < N_CELLS; i++)
    {
      AtxMonthViewDay *cell = self->cells[i];
      if (cell->year == year && cell->month == month && cell->day == day)
        return cell->n_appointments;
    }
  return -1;
}

void
atx_month_view_get_marks_for_day (AtxMonthView *self,
                                  int           year,
                                  int           month,
                                  int           day,
                                  gboolean     *out_video,
                                  gboolean     *out_audio)
{
  g_return_if_fail (ATX_IS_MONTH_VIEW (self));

  *out_video = *out_audio = FALSE;
  for (guint i = 0; i < N_CELLS; i++)
    {
      AtxMonthViewDay *cell = self->cells[i];
      if (cell->year == year && cell->month == month && cell->day == day)
        {
          *out_video = cell->n_video > 0;
          *out_audio = cell->n_audio > 0;
        }
    }
}

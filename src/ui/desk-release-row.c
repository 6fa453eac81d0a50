/* desk-release-row.c — one release in the list: its headline on up to two
 * lines, where it came from, in which language and when, and badges for
 * what the editor must see at a glance
 *
 * The list makes its rows from desk-release-list-item.ui through a
 * GtkBuilderListItemFactory; each row's "release" is bound to its item.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "desk-language.h"
#include "desk-release-row.h"
#include "desk-source.h"
#include "desk-window.h"
#include "desk-window-private.h"

struct _DeskReleaseRow
{
  GtkWidget    parent_instance;

  DeskRelease *release;

  GtkWidget   *box;
  GtkLabel    *headline;
  GtkLabel    *meta;
  GtkLabel    *embargo;
  GtkLabel    *verdict_badge;
  GtkLabel    *status_badge;
  GtkWidget   *badges;
};

G_DEFINE_FINAL_TYPE (DeskReleaseRow, desk_release_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_RELEASE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* "5 minutes ago", "yesterday, 14:02", "3 Mar 2025". */
char *
desk_format_received (gint64 usec)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autoptr(GDateTime) when = utc != NULL ? g_date_time_to_local (utc) : NULL;
  GTimeSpan ago;

  if (when == NULL)
    return g_strdup ("");

  ago = g_date_time_difference (now, when);
  if (ago < G_TIME_SPAN_MINUTE)
    return g_strdup (_("just now"));
  if (ago < G_TIME_SPAN_HOUR)
    {
      int minutes = (int) (ago / G_TIME_SPAN_MINUTE);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute ago", "%d minutes ago", minutes), minutes);
    }
  if (g_date_time_get_year (now) == g_date_time_get_year (when) &&
      g_date_time_get_day_of_year (now) == g_date_time_get_day_of_year (when))
    return g_date_time_format (when, _("today, %H:%M"));
  if (ago < 2 * G_TIME_SPAN_DAY && g_date_time_get_day_of_year (now) - g_date_time_get_day_of_year (when) == 1)
    return g_date_time_format (when, _("yesterday, %H:%M"));
  return g_date_time_format (when, "%e %b %Y");
}

static const char *
status_css_class (DeskStatus status)
{
  switch (status)
    {
    case DESK_STATUS_APPROVED:
    case DESK_STATUS_PUBLISHED:
      return "success";
    case DESK_STATUS_CHANGES_REQUESTED:
    case DESK_STATUS_CORRECTED:
      return "warning";
    case DESK_STATUS_REJECTED:
    case DESK_STATUS_WITHDRAWN:
      return "error";
    case DESK_STATUS_NEW:
    case DESK_STATUS_IN_REVIEW:
    default:
      return "accent";
    }
}

static void
set_badge_class (GtkLabel   *label,
                 const char *css_class)
{
  static const char * const classes[] = { "success", "warning", "error", "accent", "sponsored", "third-party" };

  for (gsize i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (label), classes[i]);
  if (css_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (label), css_class);
}

void
desk_status_badge_set (GtkLabel   *label,
                       DeskStatus  status)
{
  set_badge_class (label, status_css_class (status));
  gtk_label_set_text (label, desk_status_get_label (status));
}

/* "Sponsored" or "Third-party", as the editor decided or the detector
 * found; NULL for the newsroom's own kind of copy. */
const char *
desk_verdict_get_label (DeskVerdict verdict)
{
  switch (verdict)
    {
    case DESK_VERDICT_SPONSORED:
      return _("Sponsored");
    case DESK_VERDICT_THIRD_PARTY:
      return _("Third-party");
    case DESK_VERDICT_NONE:
    default:
      return NULL;
    }
}

/* Sponsored copy and third-party copy each have a colour of their own,
 * neither the amber of Changes Requested; no verdict, no badge. */
void
desk_verdict_badge_set (GtkLabel    *label,
                        DeskVerdict  verdict)
{
  const char *text = desk_verdict_get_label (verdict);

  set_badge_class (label, verdict == DESK_VERDICT_SPONSORED ? "sponsored" : "third-party");
  gtk_label_set_text (label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL);
}

/* "Embargoed until 10:00 WIB, 5 Mar" while the embargo holds; the
 * window knows the store. */
static void
update_embargo (DeskReleaseRow *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  DeskStore *store = DESK_IS_WINDOW (root) ? _desk_window_get_store (DESK_WINDOW (root)) : NULL;
  g_autofree char *embargo = store != NULL
                             ? desk_source_describe_embargo (store, desk_release_get_id (self->release))
                             : NULL;

  gtk_label_set_text (self->embargo, embargo != NULL ? embargo : "");
  gtk_widget_set_visible (GTK_WIDGET (self->embargo), embargo != NULL);
}

static void
update_row (DeskReleaseRow *self)
{
  DeskRelease *release = self->release;
  g_autofree char *when = NULL;
  g_autofree char *language = NULL;
  g_autofree char *text = NULL;
  const char *source;
  DeskStatus status;

  if (release == NULL)
    return;

  when = desk_format_received (desk_release_get_received_at (release));
  language = desk_language_get_display_name (desk_release_get_language (release));
  source = desk_release_get_source (release);
  {
    /* "3 copies: SeaPRwire, PR Newswire" when the story came from several
     * wires; the window knows the store. */
    GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
    g_autofree char *copies = DESK_IS_WINDOW (root)
                              ? _desk_window_describe_copies (DESK_WINDOW (root), desk_release_get_id (release))
                              : NULL;

    text = g_strdup_printf ("%s · %s · %s%s%s", source != NULL && *source ? source : _("No wire"), language, when,
                            copies != NULL ? " · " : "", copies != NULL ? copies : "");
  }
  status = desk_release_get_status (release);

  gtk_label_set_text (self->headline, desk_release_get_headline (release));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->headline), desk_release_get_headline (release));
  gtk_label_set_text (self->meta, text);
  desk_verdict_badge_set (self->verdict_badge, desk_release_get_effective_verdict (release));
  /* Releases nobody has opened yet stand out as unread mail does: their
   * headline is bold; a "New" badge on every Inbox row would say nothing. */
  desk_status_badge_set (self->status_badge, status);
  gtk_widget_set_visible (GTK_WIDGET (self->status_badge), status != DESK_STATUS_NEW);
  gtk_widget_set_visible (self->badges, gtk_widget_get_visible (GTK_WIDGET (self->status_badge)) ||
                                        gtk_widget_get_visible (GTK_WIDGET (self->verdict_badge)));
  if (status == DESK_STATUS_NEW)
    gtk_widget_add_css_class (self->box, "new");
  else
    gtk_widget_remove_css_class (self->box, "new");
  update_embargo (self);
}

DeskRelease *
desk_release_row_get_release (DeskReleaseRow *self)
{
  g_return_val_if_fail (DESK_IS_RELEASE_ROW (self), NULL);

  return self->release;
}

void
desk_release_row_set_release (DeskReleaseRow *self,
                              DeskRelease    *release)
{
  g_return_if_fail (DESK_IS_RELEASE_ROW (self));

  if (!g_set_object (&self->release, release))
    return;
  update_row (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RELEASE]);
}

static void
desk_release_row_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  DeskReleaseRow *self = DESK_RELEASE_ROW (object);

  switch (prop_id)
    {
    case PROP_RELEASE:
      g_value_set_object (value, self->release);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_release_row_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  DeskReleaseRow *self = DESK_RELEASE_ROW (object);

  switch (prop_id)
    {
    case PROP_RELEASE:
      desk_release_row_set_release (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
desk_release_row_dispose (GObject *object)
{
  DeskReleaseRow *self = DESK_RELEASE_ROW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), DESK_TYPE_RELEASE_ROW);
  g_clear_object (&self->release);

  G_OBJECT_CLASS (desk_release_row_parent_class)->dispose (object);
}

static void
desk_release_row_class_init (DeskReleaseRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = desk_release_row_dispose;
  object_class->get_property = desk_release_row_get_property;
  object_class->set_property = desk_release_row_set_property;

  properties[PROP_RELEASE] =
    g_param_spec_object ("release", NULL, NULL, DESK_TYPE_RELEASE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/copydesk/Copydesk/desk-release-row.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, DeskReleaseRow, box);
  gtk_widget_class_bind_template_child (widget_class, DeskReleaseRow, headline);
  gtk_widget_class_bind_template_child (widget_class, DeskReleaseRow, meta);
  gtk_widget_class_bind_template_child (widget_class, DeskReleaseRow, embargo);
  gtk_widget_class_bind_template_child (widget_class, DeskReleaseRow, verdict_badge);
  gtk_widget_class_bind_template_child (widget_class, DeskReleaseRow, status_badge);
  gtk_widget_class_bind_template_child (widget_class, DeskReleaseRow, badges);
}

static void
desk_release_row_init (DeskReleaseRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* desk-test-ui.c — what the in-process window tests share
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "desk-test-ui.h"
#include "desk-test-util.h"

/* GTK 4.8 sometimes draws a scrolled window's scrollbar in a frame after
 * its adjustment changed and before the scrollbar was given its place
 * again, and says "Trying to snapshot GtkGizmo … without a current
 * allocation" (seen about once in ten runs of Clean Up under load, on a
 * review pane's scrollbar trough; deferring the panes' scrolling in step
 * out of the frame did not stop it).  It is GTK's own bookkeeping: the
 * next frame draws the scrollbar in its place.  That one message is not
 * fatal in the window tests; every other message goes to GLib's writer,
 * which aborts on warnings as g_test_init() set it to.  (GTK logs
 * structured messages, which g_test_log_set_fatal_handler() never sees.) */
static GLogWriterOutput
write_unless_gtk_snapshot_race (GLogLevelFlags   log_level,
                                const GLogField *fields,
                                gsize            n_fields,
                                gpointer         user_data)
{
  const char *domain = NULL;
  const char *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0 && fields[i].length < 0)
        domain = fields[i].value;
      else if (g_strcmp0 (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0)
        message = fields[i].value;
    }
  if ((log_level & G_LOG_LEVEL_WARNING) != 0 && g_strcmp0 (domain, "Gtk") == 0 && message != NULL &&
      g_str_has_prefix (message, "Trying to snapshot GtkGizmo") &&
      strstr (message, "without a current allocation") != NULL)
    {
      g_test_message ("ignored GTK 4.8's \"%s\"", message);
      return G_LOG_WRITER_HANDLED;
    }
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

void
desk_test_window_fixture_set_up (DeskTestWindowFixture *fixture,
                                 gconstpointer          data)
{
  g_autoptr(GError) error = NULL;

  static gsize writer_set = 0;

  if (g_once_init_enter (&writer_set))
    {
      g_log_set_writer_func (write_unless_gtk_snapshot_race, NULL, NULL);
      g_once_init_leave (&writer_set, 1);
    }

  fixture->dir = g_dir_make_tmp ("copydesk-ui-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->db_path = g_build_filename (fixture->dir, "desk.db", NULL);
  fixture->store = desk_store_open (fixture->db_path, &error);
  g_assert_no_error (error);
}

void
desk_test_window_fixture_tear_down (DeskTestWindowFixture *fixture,
                                    gconstpointer          data)
{
  if (fixture->window != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&fixture->store);

  desk_test_remove_tree (fixture->dir);
  g_free (fixture->db_path);
  g_free (fixture->dir);
}

/* Runs the main loop for @ms milliseconds. */
void
desk_test_ui_spin (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (5000);
    }
}

/* The texts an editor can read below @widget: mapped labels and the
 * labels of mapped buttons. */
static void
collect_texts (GtkWidget *widget,
               GPtrArray *texts)
{
  if (gtk_widget_get_mapped (widget))
    {
      if (GTK_IS_LABEL (widget))
        g_ptr_array_add (texts, g_strdup (gtk_label_get_text (GTK_LABEL (widget))));
      else if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL)
        g_ptr_array_add (texts, g_strdup (gtk_button_get_label (GTK_BUTTON (widget))));
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_texts (child, texts);
}

/* Whether @text, whole, is on screen below @widget now. */
gboolean
desk_test_ui_shows (GtkWidget  *widget,
                    const char *text)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);

  collect_texts (widget, texts);
  for (guint i = 0; i < texts->len; i++)
    if (g_str_equal (g_ptr_array_index (texts, i), text))
      return TRUE;
  return FALSE;
}

static GtkButton *
find_button (GtkWidget  *widget,
             const char *label)
{
  if (gtk_widget_get_mapped (widget) && GTK_IS_BUTTON (widget) &&
      g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return GTK_BUTTON (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkButton *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Clicks the mapped button labelled @label (mnemonic included, e.g.
 * "_Undo") below @widget, as an editor would; FALSE when there is none. */
gboolean
desk_test_ui_click_button (GtkWidget  *widget,
                           const char *label)
{
  GtkButton *button = find_button (widget, label);

  if (button == NULL || !gtk_widget_is_sensitive (GTK_WIDGET (button)))
    return FALSE;
  g_signal_emit_by_name (button, "clicked");
  return TRUE;
}

/* Lets GTK lay out and draw until @text is on screen, or gives up after a
 * generous number of frames (this bounds a hang; it measures nothing). */
gboolean
desk_test_ui_wait_until_shown (GtkWidget  *widget,
                               const char *text)
{
  for (guint i = 0; i < 500; i++)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      if (desk_test_ui_shows (widget, text))
        return TRUE;
      g_usleep (10000);
    }
  g_printerr ("never shown: %s\n", text);
  return FALSE;
}

static void
xdotool_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *done = TRUE;
}

/* Runs xdotool with the arguments up to NULL while this process goes on
 * handling its windows' events; then lets the keys it sent take effect. */
void
desk_test_ui_xdotool (const char *first,
                      ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;
  va_list ap;

  g_ptr_array_add (argv, (gpointer) "xdotool");
  va_start (ap, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_subprocess_wait_async (process, NULL, xdotool_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (g_subprocess_get_successful (process));
  desk_test_ui_spin (200);
}

/* Gives @window the keyboard, as an editor clicking it would: the X
 * server's focus, found by its title. */
void
desk_test_ui_focus_window (GtkWindow *window)
{
  g_autofree char *pattern = g_strdup_printf ("^%s$", gtk_window_get_title (window));

  desk_test_ui_xdotool ("search", "--sync", "--onlyvisible", "--name", pattern, "windowfocus", "--sync", NULL);
}

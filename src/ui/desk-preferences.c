/* desk-preferences.c — the desk's settings: the editor, and where copy is
 * published
 *
 * Targets are rows of the store; their passwords and shared secrets go to
 * the Secret Service (the keyring), never to the database.  Where no
 * Secret Service runs, the window keeps them for as long as it runs, and
 * says so.  A target is edited in place (its id, and so what it published,
 * stays); what a target needs is desk_target_check()'s to say, for the
 * window as for the command line.
 *
 * The window is desk-preferences.ui, the dialog for a target
 * desk-target-dialog.ui; the rows of the targets and the feeds are the
 * store's, made here.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "desk-describe.h"
#include "desk-dialogs.h"
#include "desk-outbox.h"
#include "desk-preferences-private.h"
#include "desk-settings.h"

G_DEFINE_FINAL_TYPE (DeskPreferencesWindow, desk_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void fill_targets   (DeskPreferencesWindow *self);
static void edit_target    (GtkButton             *button,
                            DeskPreferencesWindow *self);

static const char *
kind_label (DeskTargetKind kind)
{
  switch (kind)
    {
    case DESK_TARGET_WORDPRESS: return _("WordPress");
    case DESK_TARGET_WEBHOOK: return _("Webhook");
    case DESK_TARGET_LOCAL_FOLDER:
    default: return _("Local folder");
    }
}

static void
remove_target (GtkButton             *button,
               DeskPreferencesWindow *self)
{
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "target-id"));
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskTarget) target = desk_store_get_target (self->store, id, NULL);

  if (target == NULL || !desk_store_remove_target (self->store, id, &error))
    {
      if (error != NULL)
        adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (error->message));
      return;
    }
  if (target->kind != DESK_TARGET_LOCAL_FOLDER)
    desk_store_clear_target_secret (self->store, target);
  fill_targets (self);
}

static void
fill_targets (DeskPreferencesWindow *self)
{
  g_autoptr(GPtrArray) targets = desk_store_list_targets (self->store, NULL);

  for (guint i = 0; i < self->target_rows->len; i++)
    adw_preferences_group_remove (self->targets_group, g_ptr_array_index (self->target_rows, i));
  g_ptr_array_set_size (self->target_rows, 0);

  for (guint i = 0; targets != NULL && i < targets->len; i++)
    {
      const DeskTarget *target = g_ptr_array_index (targets, i);
      const char *where = desk_target_get_setting (target, target->kind == DESK_TARGET_LOCAL_FOLDER ? "folder" : "url");
      g_autofree char *subtitle = g_strdup_printf ("%s · %s", kind_label (target->kind),
                                                   where != NULL ? where : _("the default folder"));
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *edit = gtk_button_new_from_icon_name ("document-edit-symbolic");
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      /* The desk's own folder by its name in words, not its id. */
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), desk_target_get_display_name (target->name));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, _("Remove This Target"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove This Target"), -1);
      g_object_set_data (G_OBJECT (remove), "target-id", GSIZE_TO_POINTER (target->id));
      g_signal_connect_object (remove, "clicked", G_CALLBACK (remove_target), self, 0);
      gtk_widget_set_valign (edit, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (edit, "flat");
      gtk_widget_set_tooltip_text (edit, _("Edit This Target"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (edit), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Edit This Target"), -1);
      g_object_set_data (G_OBJECT (edit), "target-id", GSIZE_TO_POINTER (target->id));
      g_signal_connect_object (edit, "clicked", G_CALLBACK (edit_target), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), edit);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      adw_preferences_group_add (self->targets_group, row);
      g_ptr_array_add (self->target_rows, row);
    }
}

static JsonObject *
settings_from_fields (DeskTargetKind  kind,
                      const char     *url,
                      const char     *user,
                      const char     *post_status,
                      const char     *folder)
{
  JsonObject *settings = json_object_new ();

  if (kind == DESK_TARGET_LOCAL_FOLDER)
    {
      if (folder != NULL && *folder != '\0')
        json_object_set_string_member (settings, "folder", folder);
    }
  else if (url != NULL && *url != '\0')
    json_object_set_string_member (settings, "url", url);
  if (kind == DESK_TARGET_WORDPRESS)
    {
      if (user != NULL && *user != '\0')
        json_object_set_string_member (settings, "user", user);
      json_object_set_string_member (settings, "status", post_status != NULL ? post_status : "draft");
    }
  return settings;
}

/* Adds a target from what the editor typed; the secret, if any, goes to
 * the keyring. */
gboolean
desk_preferences_add_target (DeskStore       *store,
                             DeskTargetKind   kind,
                             const char      *name,
                             const char      *url,
                             const char      *user,
                             const char      *post_status,
                             const char      *folder,
                             const char      *secret,
                             gboolean        *out_session_only,
                             GError         **error)
{
  g_autoptr(JsonObject) settings = settings_from_fields (kind, url, user, post_status, folder);
  g_autoptr(DeskTarget) target = NULL;
  gint64 id;

  if (out_session_only != NULL)
    *out_session_only = FALSE;
  if (!desk_target_check (kind, name, settings, TRUE, secret, error))
    return FALSE;

  id = desk_store_add_target (store, kind, name, settings, error);
  if (id == 0 || (target = desk_store_get_target (store, id, error)) == NULL)
    return FALSE;
  if (secret != NULL && *secret != '\0' &&
      !desk_store_set_target_secret (store, target, secret, out_session_only, error))
    {
      desk_store_remove_target (store, id, NULL);
      return FALSE;
    }
  return TRUE;
}

/* Changes target @target_id in place from what the editor typed: its
 * address, user, post status or folder, and its secret when @secret is
 * not empty (empty: unchanged). */
gboolean
desk_preferences_edit_target (DeskStore       *store,
                              gint64           target_id,
                              const char      *url,
                              const char      *user,
                              const char      *post_status,
                              const char      *folder,
                              const char      *secret,
                              gboolean        *out_session_only,
                              GError         **error)
{
  g_autoptr(DeskTarget) target = desk_store_get_target (store, target_id, error);
  g_autoptr(JsonObject) changes = NULL;

  if (out_session_only != NULL)
    *out_session_only = FALSE;
  if (target == NULL)
    return FALSE;
  changes = settings_from_fields (target->kind, url, user, post_status, folder);
  /* A field left empty clears its setting; the check says if it may. */
  if (target->kind == DESK_TARGET_LOCAL_FOLDER && !json_object_has_member (changes, "folder"))
    json_object_set_null_member (changes, "folder");
  if (target->kind != DESK_TARGET_LOCAL_FOLDER && !json_object_has_member (changes, "url"))
    json_object_set_null_member (changes, "url");
  if (target->kind == DESK_TARGET_WORDPRESS && !json_object_has_member (changes, "user"))
    json_object_set_null_member (changes, "user");

  if (!desk_store_edit_target (store, target_id, NULL, changes, error))
    return FALSE;
  if (secret != NULL && *secret != '\0' && target->kind != DESK_TARGET_LOCAL_FOLDER)
    return desk_store_set_target_secret (store, target, secret, out_session_only, error);
  return TRUE;
}

typedef struct {
  DeskPreferencesWindow *self;
  DeskTargetKind         kind;
  gint64                 target_id;   /* 0: a new target */
  GtkEditable           *name;
  GtkEditable           *url;
  GtkEditable           *user;
  GtkEditable           *secret;
  GtkEditable           *folder;
  AdwComboRow           *post_status;
} AddRequest;

static void
add_response (AdwMessageDialog *dialog,
              const char       *response,
              AddRequest       *request)
{
  static const char * const statuses[] = { "draft", "pending", "publish" };
  g_autoptr(GError) error = NULL;
  gboolean session_only = FALSE;

  if (g_strcmp0 (response, "add") == 0 || g_strcmp0 (response, "save") == 0)
    {
      DeskPreferencesWindow *self = request->self;
      guint status = request->post_status != NULL ? adw_combo_row_get_selected (request->post_status) : 0;
      gboolean ok;

      if (request->target_id != 0)
        ok = desk_preferences_edit_target (self->store, request->target_id,
                                           request->url ? gtk_editable_get_text (request->url) : NULL,
                                           request->user ? gtk_editable_get_text (request->user) : NULL,
                                           statuses[MIN (status, G_N_ELEMENTS (statuses) - 1)],
                                           request->folder ? gtk_editable_get_text (request->folder) : NULL,
                                           request->secret ? gtk_editable_get_text (request->secret) : NULL,
                                           &session_only, &error);
      else
        ok = desk_preferences_add_target (self->store, request->kind,
                                          gtk_editable_get_text (request->name),
                                          request->url ? gtk_editable_get_text (request->url) : NULL,
                                          request->user ? gtk_editable_get_text (request->user) : NULL,
                                          statuses[MIN (status, G_N_ELEMENTS (statuses) - 1)],
                                          request->folder ? gtk_editable_get_text (request->folder) : NULL,
                                          request->secret ? gtk_editable_get_text (request->secret) : NULL,
                                          &session_only, &error);
      if (!ok)
        adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (error->message));
      else
        {
          if (session_only)
            adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                              adw_toast_new (_("No keyring is running: the password is kept only "
                                                               "while Copydesk runs")));
          fill_targets (self);
        }
    }
  g_object_unref (request->self);
  g_free (request);
}

static void
set_field (GtkEditable      *field,
           const DeskTarget *target,
           const char       *name)
{
  const char *value = target != NULL ? desk_target_get_setting (target, name) : NULL;

  if (value != NULL)
    gtk_editable_set_text (field, value);
}

/* The field, if the target's kind has it. */
static GtkEditable *
shown_field (GtkBuilder *builder,
             const char *id,
             gboolean    shown)
{
  GtkWidget *field = GTK_WIDGET (gtk_builder_get_object (builder, id));

  gtk_widget_set_visible (field, shown);
  return shown ? GTK_EDITABLE (field) : NULL;
}

/* The dialog (desk-target-dialog.ui) that adds a target of @kind, or,
 * given @target, edits it in place: its name stays, and an empty password
 * field keeps the password. */
static void
ask_for_target (DeskPreferencesWindow *self,
                DeskTargetKind         kind,
                const DeskTarget      *target)
{
  g_autoptr(GtkBuilder) builder = desk_builder_new_from_resource ("desk-target-dialog.ui", NULL);
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (gtk_builder_get_object (builder, "dialog"));
  AdwComboRow *post_status = ADW_COMBO_ROW (gtk_builder_get_object (builder, "post_status"));
  AddRequest *request = g_new0 (AddRequest, 1);
  g_autofree char *edit_heading = target != NULL ? g_strdup_printf (_("Edit “%s”"), target->name) : NULL;
  const char *heading = target != NULL ? edit_heading
                        : kind == DESK_TARGET_WORDPRESS ? _("Add a WordPress Site")
                        : kind == DESK_TARGET_WEBHOOK ? _("Add a Webhook")
                                                      : _("Add a Local Folder");
  const char *go = target != NULL ? "save" : "add";

  request->self = g_object_ref (self);
  request->kind = kind;
  request->target_id = target != NULL ? target->id : 0;
  request->name = shown_field (builder, "name", target == NULL);
  request->folder = shown_field (builder, "folder", kind == DESK_TARGET_LOCAL_FOLDER);
  request->url = shown_field (builder, "url", kind != DESK_TARGET_LOCAL_FOLDER);
  request->user = shown_field (builder, "user", kind == DESK_TARGET_WORDPRESS);
  request->secret = shown_field (builder, "secret", kind != DESK_TARGET_LOCAL_FOLDER);
  gtk_widget_set_visible (GTK_WIDGET (post_status), kind == DESK_TARGET_WORDPRESS);
  if (kind == DESK_TARGET_WORDPRESS)
    {
      request->post_status = post_status;
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (request->url), _("Site address"));
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (request->secret), _("Application password"));
    }

  if (target != NULL)
    {
      const char *status = desk_target_get_setting (target, "status");

      if (request->url != NULL)
        set_field (request->url, target, "url");
      if (request->user != NULL)
        set_field (request->user, target, "user");
      if (request->folder != NULL)
        set_field (request->folder, target, "folder");
      adw_combo_row_set_selected (post_status,
                                  g_strcmp0 (status, "pending") == 0 ? 1 : g_strcmp0 (status, "publish") == 0 ? 2 : 0);
    }

  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  adw_message_dialog_set_heading (dialog, heading);
  adw_message_dialog_set_body (dialog, kind == DESK_TARGET_LOCAL_FOLDER ? ""
                               : target != NULL ? _("Leave the password empty to keep the one in your keyring.")
                               : _("The password is kept in your keyring, never in Copydesk’s database."));
  adw_message_dialog_add_response (dialog, go, target != NULL ? _("_Save") : _("_Add"));
  adw_message_dialog_set_response_appearance (dialog, go, ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, go);
  g_signal_connect (dialog, "response", G_CALLBACK (add_response), request);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_wordpress_activated (DeskPreferencesWindow *self)
{
  ask_for_target (self, DESK_TARGET_WORDPRESS, NULL);
}

static void
add_webhook_activated (DeskPreferencesWindow *self)
{
  ask_for_target (self, DESK_TARGET_WEBHOOK, NULL);
}

static void
add_folder_activated (DeskPreferencesWindow *self)
{
  ask_for_target (self, DESK_TARGET_LOCAL_FOLDER, NULL);
}

static void
edit_target (GtkButton             *button,
             DeskPreferencesWindow *self)
{
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "target-id"));
  g_autoptr(DeskTarget) target = desk_store_get_target (self->store, id, NULL);

  if (target != NULL)
    ask_for_target (self, target->kind, target);
}

static void
desk_preferences_window_dispose (GObject *object)
{
  DeskPreferencesWindow *self = DESK_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (object), DESK_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->target_rows, g_ptr_array_unref);
  g_clear_pointer (&self->feed_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (desk_preferences_window_parent_class)->dispose (object);
}

static void
desk_preferences_window_class_init (DeskPreferencesWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = desk_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/copydesk/Copydesk/desk-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, DeskPreferencesWindow, editor_name);
  gtk_widget_class_bind_template_child (widget_class, DeskPreferencesWindow, targets_group);
  gtk_widget_class_bind_template_child (widget_class, DeskPreferencesWindow, editor_group);
  gtk_widget_class_bind_template_child (widget_class, DeskPreferencesWindow, publishing_page);
  gtk_widget_class_bind_template_child (widget_class, DeskPreferencesWindow, sources_page);
  gtk_widget_class_bind_template_child (widget_class, DeskPreferencesWindow, add_wordpress_row);
  gtk_widget_class_bind_template_child (widget_class, DeskPreferencesWindow, add_webhook_row);
  gtk_widget_class_bind_template_child (widget_class, DeskPreferencesWindow, add_folder_row);
  gtk_widget_class_bind_template_callback (widget_class, add_wordpress_activated);
  gtk_widget_class_bind_template_callback (widget_class, add_webhook_activated);
  gtk_widget_class_bind_template_callback (widget_class, add_folder_activated);
  _desk_preferences_class_init_sources (widget_class);
}

static void
desk_preferences_window_init (DeskPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->target_rows = g_ptr_array_new ();
  self->feed_rows = g_ptr_array_new ();
}

GtkWindow *
desk_preferences_window_new (GtkWindow *parent,
                             DeskStore *store)
{
  DeskPreferencesWindow *self = g_object_new (DESK_TYPE_PREFERENCES_WINDOW,
                                              "transient-for", parent,
                                              NULL);

  self->store = g_object_ref (store);
  self->settings = desk_settings_new_if_installed (NULL);

  /* On a team desk the editor is the role logged in, which the server
   * records; targets, feeds, mailboxes and the watched folder are not
   * kept there yet. */
  if (desk_store_is_team_desk (store))
    {
      g_autofree char *role = desk_store_dup_actor (store, NULL);
      const char *not_yet = _("Not on a team desk yet");

      adw_preferences_group_set_description (self->editor_group,
                                             _("On a team desk, the role you log in as is recorded with every "
                                               "revision and decision."));
      gtk_editable_set_text (GTK_EDITABLE (self->editor_name), role != NULL ? role : "");
      gtk_widget_set_sensitive (GTK_WIDGET (self->editor_name), FALSE);
      gtk_widget_set_sensitive (self->publishing_page, FALSE);
      gtk_widget_set_tooltip_text (self->publishing_page, not_yet);
      gtk_widget_set_sensitive (self->sources_page, FALSE);
      gtk_widget_set_tooltip_text (self->sources_page, not_yet);
      return GTK_WINDOW (self);
    }

  /* Without the schema (a build run from its folder), nothing to bind. */
  if (self->settings != NULL)
    g_settings_bind (self->settings, "editor-name", self->editor_name, "text", G_SETTINGS_BIND_DEFAULT);
  else
    gtk_widget_set_visible (GTK_WIDGET (self->editor_name), FALSE);
  _desk_preferences_init_sources (self);
  fill_targets (self);
  _desk_preferences_fill_feeds (self);
  return GTK_WINDOW (self);
}

guint
desk_preferences_window_get_n_targets (DeskPreferencesWindow *self)
{
  g_return_val_if_fail (DESK_IS_PREFERENCES_WINDOW (self), 0);

  return self->target_rows->len;
}

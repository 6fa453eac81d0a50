/* desk-preferences.c — the desk's settings: the editor, and where copy is
 * published
 *
 * Targets are rows of the store; their passwords and shared secrets go to
 * the Secret Service (the keyring), never to the database.  Where no
 * Secret Service runs, the window keeps them for as long as it runs, and
 * says so.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "desk-outbox.h"
#include "desk-preferences.h"
#include "desk-secrets.h"
#include "desk-settings.h"

struct _DeskPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  DeskStore            *store;
  GSettings            *settings;
  AdwPreferencesGroup  *targets_group;
  GPtrArray            *target_rows;
};

G_DEFINE_FINAL_TYPE (DeskPreferencesWindow, desk_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

static void fill_targets (DeskPreferencesWindow *self);

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

  if (!desk_store_remove_target (self->store, id, &error))
    {
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (error->message));
      return;
    }
  desk_secrets_clear (id);
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
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), target->name);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, _("Remove This Target"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Remove This Target"), -1);
      g_object_set_data (G_OBJECT (remove), "target-id", GSIZE_TO_POINTER (target->id));
      g_signal_connect_object (remove, "clicked", G_CALLBACK (remove_target), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      adw_preferences_group_add (self->targets_group, row);
      g_ptr_array_add (self->target_rows, row);
    }
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
  g_autoptr(JsonObject) settings = json_object_new ();
  g_autofree char *label = NULL;
  gint64 id;

  if (out_session_only != NULL)
    *out_session_only = FALSE;
  if (name == NULL || *name == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Give the target a name"));
      return FALSE;
    }
  if (kind != DESK_TARGET_LOCAL_FOLDER && (url == NULL || !g_uri_is_valid (url, G_URI_FLAGS_NONE, NULL)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Give the address in full, such as https://example.org"));
      return FALSE;
    }
  if (kind == DESK_TARGET_WORDPRESS && (user == NULL || *user == '\0'))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, _("Give the WordPress user name"));
      return FALSE;
    }
  if (kind != DESK_TARGET_LOCAL_FOLDER && (secret == NULL || *secret == '\0'))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   kind == DESK_TARGET_WORDPRESS ? _("Give the application password") : _("Give the shared secret"));
      return FALSE;
    }

  if (kind == DESK_TARGET_LOCAL_FOLDER)
    {
      if (folder != NULL && *folder != '\0')
        json_object_set_string_member (settings, "folder", folder);
    }
  else
    json_object_set_string_member (settings, "url", url);
  if (kind == DESK_TARGET_WORDPRESS)
    {
      json_object_set_string_member (settings, "user", user);
      json_object_set_string_member (settings, "status", post_status != NULL ? post_status : "draft");
    }

  id = desk_store_add_target (store, kind, name, settings, error);
  if (id == 0)
    return FALSE;
  if (secret != NULL && *secret != '\0')
    {
      label = g_strdup_printf (_("Copydesk: %s"), name);
      if (!desk_secrets_store (id, label, secret, out_session_only, error))
        {
          desk_store_remove_target (store, id, NULL);
          return FALSE;
        }
    }
  return TRUE;
}

typedef struct {
  DeskPreferencesWindow *self;
  DeskTargetKind         kind;
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

  if (g_strcmp0 (response, "add") == 0)
    {
      DeskPreferencesWindow *self = request->self;
      guint status = request->post_status != NULL ? adw_combo_row_get_selected (request->post_status) : 0;

      if (!desk_preferences_add_target (self->store, request->kind,
                                        gtk_editable_get_text (request->name),
                                        request->url ? gtk_editable_get_text (request->url) : NULL,
                                        request->user ? gtk_editable_get_text (request->user) : NULL,
                                        statuses[MIN (status, G_N_ELEMENTS (statuses) - 1)],
                                        request->folder ? gtk_editable_get_text (request->folder) : NULL,
                                        request->secret ? gtk_editable_get_text (request->secret) : NULL,
                                        &session_only, &error))
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

static GtkEditable *
add_entry (GtkListBox *list,
           const char *title,
           gboolean    password)
{
  GtkWidget *row = password ? adw_password_entry_row_new () : adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_list_box_append (list, row);
  return GTK_EDITABLE (row);
}

static void
ask_for_target (DeskPreferencesWindow *self,
                DeskTargetKind         kind)
{
  AddRequest *request = g_new0 (AddRequest, 1);
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *dialog;
  const char *heading = kind == DESK_TARGET_WORDPRESS ? _("Add a WordPress Site")
                        : kind == DESK_TARGET_WEBHOOK ? _("Add a Webhook")
                                                      : _("Add a Local Folder");

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  request->self = g_object_ref (self);
  request->kind = kind;
  request->name = add_entry (GTK_LIST_BOX (list), _("Name"), FALSE);
  if (kind == DESK_TARGET_LOCAL_FOLDER)
    request->folder = add_entry (GTK_LIST_BOX (list), _("Folder"), FALSE);
  else
    request->url = add_entry (GTK_LIST_BOX (list), kind == DESK_TARGET_WORDPRESS ? _("Site address") : _("URL"), FALSE);
  if (kind == DESK_TARGET_WORDPRESS)
    {
      const char *statuses[] = { _("Draft"), _("Pending review"), _("Published"), NULL };

      request->user = add_entry (GTK_LIST_BOX (list), _("User name"), FALSE);
      request->secret = add_entry (GTK_LIST_BOX (list), _("Application password"), TRUE);
      request->post_status = ADW_COMBO_ROW (adw_combo_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (request->post_status), _("Posts arrive as"));
      adw_combo_row_set_model (request->post_status, G_LIST_MODEL (gtk_string_list_new (statuses)));
      gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (request->post_status));
    }
  else if (kind == DESK_TARGET_WEBHOOK)
    request->secret = add_entry (GTK_LIST_BOX (list), _("Shared secret"), TRUE);

  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading,
                                   kind == DESK_TARGET_LOCAL_FOLDER ? NULL
                                   : _("The password is kept in your keyring, never in Copydesk’s database."));
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), list);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "add", _("_Add"), NULL);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "add");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "add", ADW_RESPONSE_SUGGESTED);
  g_signal_connect (dialog, "response", G_CALLBACK (add_response), request);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_row_activated (AdwActionRow          *row,
                   DeskPreferencesWindow *self)
{
  ask_for_target (self, (DeskTargetKind) GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "kind")));
}

static void
desk_preferences_window_dispose (GObject *object)
{
  DeskPreferencesWindow *self = DESK_PREFERENCES_WINDOW (object);

  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->target_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (desk_preferences_window_parent_class)->dispose (object);
}

static void
desk_preferences_window_class_init (DeskPreferencesWindowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = desk_preferences_window_dispose;
}

static void
desk_preferences_window_init (DeskPreferencesWindow *self)
{
  self->target_rows = g_ptr_array_new ();
}

GtkWindow *
desk_preferences_window_new (GtkWindow *parent,
                             DeskStore *store)
{
  DeskPreferencesWindow *self = g_object_new (DESK_TYPE_PREFERENCES_WINDOW,
                                              "transient-for", parent,
                                              "modal", TRUE,
                                              "search-enabled", FALSE,
                                              NULL);
  GtkWidget *desk_page = adw_preferences_page_new ();
  GtkWidget *editor_group = adw_preferences_group_new ();
  GtkWidget *publish_page = adw_preferences_page_new ();
  GtkWidget *add_group = adw_preferences_group_new ();
  const struct { DeskTargetKind kind; const char *title; const char *subtitle; } kinds[] = {
    { DESK_TARGET_WORDPRESS, N_("WordPress Site"), N_("Posts through the REST API, with an application password") },
    { DESK_TARGET_WEBHOOK, N_("Webhook"), N_("POSTs ninjs JSON, signed with a shared secret") },
    { DESK_TARGET_LOCAL_FOLDER, N_("Local Folder"), N_("Writes each release as a file") },
  };

  self->store = g_object_ref (store);
  self->settings = desk_settings_new_if_installed (NULL);

  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (desk_page), _("Desk"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (desk_page), "document-edit-symbolic");
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (editor_group), _("Editor"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (editor_group),
                                         _("Recorded with every revision and decision. Empty: your name on this computer."));
  if (self->settings != NULL)
    {
      GtkWidget *name = adw_entry_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (name), _("Editor name"));
      g_settings_bind (self->settings, "editor-name", name, "text", G_SETTINGS_BIND_DEFAULT);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (editor_group), name);
    }
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (desk_page), ADW_PREFERENCES_GROUP (editor_group));

  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (publish_page), _("Publishing"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (publish_page), "send-to-symbolic");
  self->targets_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->targets_group, _("Targets"));
  adw_preferences_group_set_description (self->targets_group,
                                         _("Where Publish sends approved copy. Passwords stay in your keyring."));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (publish_page), self->targets_group);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (add_group), _("Add a Target"));
  for (gsize i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(kinds[i].title));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _(kinds[i].subtitle));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("list-add-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      g_object_set_data (G_OBJECT (row), "kind", GINT_TO_POINTER (kinds[i].kind));
      g_signal_connect_object (row, "activated", G_CALLBACK (add_row_activated), self, 0);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (add_group), row);
    }
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (publish_page), ADW_PREFERENCES_GROUP (add_group));

  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (desk_page));
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (publish_page));
  fill_targets (self);
  return GTK_WINDOW (self);
}

guint
desk_preferences_window_get_n_targets (DeskPreferencesWindow *self)
{
  g_return_val_if_fail (DESK_IS_PREFERENCES_WINDOW (self), 0);

  return self->target_rows->len;
}

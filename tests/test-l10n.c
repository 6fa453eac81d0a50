/* test-l10n.c — copydesk-cli speaks Indonesian under LANGUAGE=id
 *
 * Runs the built copydesk-cli and copydesk with the catalogues the build
 * compiled (COPYDESK_LOCALEDIR points at them) and checks what an
 * Indonesian editor reads: the import summary, an error from the core,
 * usage errors and --help.
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <glib/gstdio.h>

#include "desk-test-util.h"

typedef struct {
  char *dir;
  char *db;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("copydesk-l10n-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->db = g_build_filename (fixture->dir, "desk.db", NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  desk_test_remove_tree (fixture->dir);
  g_free (fixture->db);
  g_free (fixture->dir);
}

/* Runs @program in Indonesian with @args (NULL-terminated, without the
 * program). */
static DeskTestRun
run_in_indonesian (Fixture            *fixture,
                   const char         *program,
                   const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  DeskTestRun run = { 0 };

  g_assert_nonnull (program);
  g_ptr_array_add (argv, (char *) program);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  /* C.UTF-8 (not plain C, which ignores LANGUAGE) with LANGUAGE=id is
   * what an Indonesian desktop without generated locales looks like. */
  envp = g_environ_setenv (envp, "LC_ALL", "C.UTF-8", TRUE);
  envp = g_environ_setenv (envp, "LANGUAGE", "id", TRUE);
  envp = g_environ_setenv (envp, "COPYDESK_DB", fixture->db, TRUE);
  /* GTK's one-time allocations in the app are not ours to report (as in
   * the UI tests); copydesk-cli keeps the sanitizer build's leak check. */
  if (g_strcmp0 (program, g_getenv ("COPYDESK_APP")) == 0)
    envp = g_environ_setenv (envp, "ASAN_OPTIONS", "detect_leaks=0", TRUE);

  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                &run.out, &run.err, &run.status, &error);
  g_assert_no_error (error);
  return run;
}

static DeskTestRun
run_cli_in_indonesian (Fixture            *fixture,
                       const char * const *args)
{
  return run_in_indonesian (fixture, g_getenv ("COPYDESK_CLI"), args);
}

static int
exit_status (const DeskTestRun *run)
{
  g_autoptr(GError) error = NULL;

  if (g_spawn_check_wait_status (run->status, &error))
    return 0;
  g_assert_true (g_error_matches (error, G_SPAWN_EXIT_ERROR, error->code));
  return error->code;
}

static void
test_import_summary_is_indonesian (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autofree char *seed = g_test_build_filename (G_TEST_DIST, "fixtures", "seaprwire-id-moskow-konfirmasi.txt", NULL);
  const char *import[] = { "import", seed, NULL };
  g_auto(DeskTestRun) first = run_cli_in_indonesian (fixture, import);
  g_auto(DeskTestRun) again = run_cli_in_indonesian (fixture, import);

  g_assert_cmpint (exit_status (&first), ==, 0);
  g_assert_cmpstr (first.out, ==, "diimpor 1, duplikat 0, gagal 0\n");

  /* The duplicate's reason comes from the core, with a 64-bit number in it. */
  g_assert_cmpint (exit_status (&again), ==, 0);
  g_assert_nonnull (strstr (again.out, "diimpor 0, duplikat 1, gagal 0\n"));
  g_assert_nonnull (strstr (again.out, "duplikat: "));
  g_assert_nonnull (strstr (again.out, ": sudah ada di antrean sebagai #1\n"));
}

static void
test_core_errors_are_indonesian (Fixture       *fixture,
                                 gconstpointer  data)
{
  const char *show[] = { "show", "4242", NULL };
  g_auto(DeskTestRun) run = run_cli_in_indonesian (fixture, show);

  g_assert_cmpint (exit_status (&run), ==, 1);
  g_assert_nonnull (strstr (run.err, "Tidak ada rilis #4242"));
}

static void
test_usage_errors_are_indonesian (Fixture       *fixture,
                                  gconstpointer  data)
{
  const char *unknown[] = { "terbitkan", NULL };
  const char *bad_status[] = { "list", "--status", "sudah", NULL };
  g_auto(DeskTestRun) run = run_cli_in_indonesian (fixture, unknown);
  g_auto(DeskTestRun) status = run_cli_in_indonesian (fixture, bad_status);

  g_assert_cmpint (exit_status (&run), ==, 2);
  g_assert_nonnull (strstr (run.err, "copydesk-cli: perintah “terbitkan” tidak dikenal\n"));
  g_assert_nonnull (strstr (run.err, "Penggunaan: copydesk-cli PERINTAH [OPSI…]"));
  g_assert_nonnull (strstr (run.err, "Impor siaran pers ke dalam antrean"));

  g_assert_cmpint (exit_status (&status), ==, 2);
  g_assert_nonnull (strstr (status.err, "copydesk-cli: status “sudah” tidak dikenal"));
}

static void
test_help_is_indonesian (Fixture       *fixture,
                         gconstpointer  data)
{
  const char *help[] = { "--help", NULL };
  const char *import_help[] = { "import", "--help", NULL };
  g_auto(DeskTestRun) app = run_in_indonesian (fixture, g_getenv ("COPYDESK_APP"), help);
  g_auto(DeskTestRun) cli = run_cli_in_indonesian (fixture, help);
  g_auto(DeskTestRun) import = run_cli_in_indonesian (fixture, import_help);

  /* copydesk --help is answered before any window opens: no display. */
  g_assert_cmpint (exit_status (&app), ==, 0);
  g_assert_nonnull (strstr (app.out, "Buka rilis bernomor ID"));
  g_assert_nonnull (strstr (app.out, "Gunakan basis data di PATH"));

  g_assert_cmpint (exit_status (&cli), ==, 0);
  g_assert_nonnull (strstr (cli.out, "Perintah:"));
  g_assert_nonnull (strstr (cli.out, "Tampilkan rilis, yang terbaru lebih dulu"));

  g_assert_cmpint (exit_status (&import), ==, 0);
  g_assert_nonnull (strstr (import.out, "Impor siaran pers (.txt, .md) ke dalam antrean."));
  g_assert_nonnull (strstr (import.out, "Catat NAMA sebagai penyunting yang bertindak"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/l10n/cli/import-summary-is-indonesian", test_import_summary_is_indonesian);
  ADD ("/l10n/cli/core-errors-are-indonesian", test_core_errors_are_indonesian);
  ADD ("/l10n/cli/usage-errors-are-indonesian", test_usage_errors_are_indonesian);
  ADD ("/l10n/help-is-indonesian", test_help_is_indonesian);

#undef ADD

  return g_test_run ();
}

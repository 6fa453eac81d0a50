/* test-boilerplate.c — boilerplate the desk learns from earlier releases,
 * in a real temporary store
 *
 * Copyright 2026 The Copydesk authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <gio/gio.h>

#include "desk-detector.h"
#include "desk-release.h"
#include "desk-store.h"
#include "desk-test-util.h"

typedef DeskTestStoreFixture Fixture;

/* A release by Acme Robotics through PR Newswire: its story, then an
 * about-paragraph with no heading and this year's figures, which no rule
 * reads as end matter. */
static char *
acme_release (guint n)
{
  static const char * const cities[] = { "Austin", "Denver", "Boston", "Tampa", "Fresno", "Omaha", "Dayton", "Eugene", "Laredo", "Salem" };
  static const char * const things[] = { "forklifts", "conveyors", "sorters", "pickers", "lifts", "drones", "arms", "carts", "scanners", "loaders" };
  const char *city = cities[n % G_N_ELEMENTS (cities)];
  const char *thing = things[n % G_N_ELEMENTS (things)];

  return g_strdup_printf ("Acme Robotics Opens a Plant in %s\n"
                          "%s, March %u, 2025 /PRNewswire/ -- Acme Robotics today opened a plant in %s "
                          "which will build %s.\n"
                          "The plant in %s will employ %u engineers who design %s.\n"
                          "Founded in %u, Acme Robotics builds automation systems for %u warehouses across "
                          "North America and Europe.",
                          city, city, n, city, thing, city, 100 + n, thing, 2000 + n, 900 + n);
}

static const DeskFinding *
finding_with_rule_prefix (GPtrArray  *findings,
                          const char *prefix)
{
  for (guint i = 0; i < findings->len; i++)
    {
      const DeskFinding *f = g_ptr_array_index (findings, i);

      if (g_str_has_prefix (f->rule, prefix))
        return f;
    }
  return NULL;
}

static void
test_paragraph_an_issuer_repeats_is_learned_as_end_matter (Fixture       *fixture,
                                                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 ids[4];

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autofree char *text = acme_release (i + 1);

      ids[i] = desk_test_add_text (fixture->store, text);
    }

  /* The first two have nothing to learn from; the third has seen the
   * paragraph twice, the fourth three times. */
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      g_autoptr(GPtrArray) findings = desk_store_list_findings (fixture->store, ids[i], &error);
      const DeskFinding *learned;

      g_assert_no_error (error);
      learned = finding_with_rule_prefix (findings, "learned-boilerplate-");
      if (i < 2)
        {
          g_assert_null (learned);
          continue;
        }
      g_assert_nonnull (learned);
      g_assert_cmpuint (desk_finding_get_seen_in (learned), ==, i);
      g_assert_true (g_str_has_prefix (learned->evidence, "Founded in"));
      g_assert_cmpint (learned->kind, ==, DESK_FINDING_BOILERPLATE);
    }
  /* One row per paragraph an issuer printed, counted: the
   * about-paragraph, seen in all four. */
  g_assert_cmpint (desk_test_sql_int (fixture->path, "SELECT max (seen) FROM boilerplate_prints"), ==, 4);

  /* The store's clean-up removes it too, and keeps the story. */
  g_assert_true (desk_store_clean_up_release (fixture->store, ids[3], "Ana", NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr(DeskRelease) release = desk_store_get_release (fixture->store, ids[3], &error);

    g_assert_no_error (error);
    g_assert_cmpstr (desk_release_get_edited (release), ==,
                     "Acme Robotics Opens a Plant in Fresno\n"
                     "Fresno, March 4, 2025 -- Acme Robotics today opened a plant in Fresno which will build lifts.\n"
                     "The plant in Fresno will employ 104 engineers who design lifts.");
  }
}

/* Another issuer's release with the same paragraph learns nothing from
 * Acme's, and repeated paragraphs alone never flag a story. */
static void
test_learning_is_per_issuer_and_never_flags_on_its_own (Fixture       *fixture,
                                                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *news =
    "Council Meets Again\n"
    "The Riverside Council met on Tuesday to discuss the bus lanes and the budget for next year.\n"
    "Members voted on three motions and adjourned at ten.\n"
    "The Riverside Council publishes its minutes on its website a week after each meeting, with the votes of each member.";
  gint64 last = 0;

  for (guint i = 1; i <= 3; i++)
    {
      g_autofree char *text = acme_release (i);

      desk_test_add_text (fixture->store, text);
    }

  {
    g_autofree char *other = acme_release (9);
    char *at = strstr (other, "Acme Robotics today");

    /* The same about-paragraph, under Brightline Robotics' story. */
    memcpy (at, "Brightline Co", strlen ("Brightline Co"));
    last = desk_test_add_text (fixture->store, other);
  }
  {
    g_autoptr(GPtrArray) findings = desk_store_list_findings (fixture->store, last, &error);

    g_assert_no_error (error);
    g_assert_null (finding_with_rule_prefix (findings, "learned-boilerplate-"));
  }

  /* A newsroom's story ending on the same paragraph every time. */
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *text = g_strdup_printf ("%s\n%u", news, i);

      last = desk_test_add_text (fixture->store, text);
    }
  {
    g_autoptr(DeskRelease) release = desk_store_get_release (fixture->store, last, &error);

    g_assert_no_error (error);
    g_assert_cmpint (desk_release_get_verdict (release), ==, DESK_VERDICT_NONE);
  }
}

/* The same story sent again, with other figures, teaches nothing: its
 * own news would be taken for boilerplate. */
static void
test_story_sent_again_teaches_nothing (Fixture       *fixture,
                                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 last = 0;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *text = acme_release (4);
      g_autofree char *again = NULL;
      g_autofree char *figure = g_strdup_printf ("employ %u engineers", 300 + i);
      char *at = strstr (text, "employ 104 engineers");

      g_assert_nonnull (at);
      *at = '\0';
      again = g_strconcat (text, figure, at + strlen ("employ 104 engineers"), NULL);
      last = desk_test_add_text (fixture->store, again);
    }
  {
    g_autoptr(GPtrArray) findings = desk_store_list_findings (fixture->store, last, &error);

    g_assert_no_error (error);
    g_assert_null (finding_with_rule_prefix (findings, "learned-boilerplate-"));
  }
}

static void
test_print_ignores_figures_case_and_spacing (void)
{
  const char *a = "Founded in 2011, Acme builds robots for 900 warehouses.";
  const char *b = "FOUNDED in 2012,  Acme builds robots for 1,200 warehouses!";
  const char *c = "Founded in 2011, Acme builds drones for 900 warehouses.";

  g_assert_cmpint (desk_paragraph_print (a, strlen (a)), ==, desk_paragraph_print (b, strlen (b)));
  g_assert_cmpint (desk_paragraph_print (a, strlen (a)), !=, desk_paragraph_print (c, strlen (c)));
  g_assert_cmpint (desk_paragraph_print ("Contact:", 8), ==, 0);
}

/* A store of the schema before learning gains the prints table, and its
 * releases import and learn as in a new one. */
static void
test_schema_11_store_gains_the_prints_table (Fixture       *fixture,
                                            gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "v11.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(DeskStore) old = desk_store_open_at_version (path, 11, &error);
  g_autoptr(DeskStore) store = NULL;
  g_autofree char *text = acme_release (1);

  g_assert_no_error (error);
  desk_test_add_text (old, text);
  g_assert_cmpint (desk_test_sql_int (path, "SELECT count(*) FROM sqlite_master WHERE name = 'boilerplate_prints'"), ==, 0);
  g_clear_object (&old);

  store = desk_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (desk_store_get_schema_version (store), >=, 12);
  g_assert_cmpint (desk_test_sql_int (path, "SELECT count(*) FROM boilerplate_prints"), ==, 0);
  for (guint i = 2; i <= 3; i++)
    {
      g_autofree char *more = acme_release (i);

      desk_test_add_text (store, more);
    }
  g_assert_cmpint (desk_test_sql_int (path, "SELECT max (seen) FROM boilerplate_prints"), ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/boilerplate/print-ignores-figures-case-and-spacing", test_print_ignores_figures_case_and_spacing);
  g_test_add ("/boilerplate/paragraph-an-issuer-repeats-is-end-matter", Fixture, NULL,
              desk_test_store_fixture_set_up, test_paragraph_an_issuer_repeats_is_learned_as_end_matter, desk_test_store_fixture_tear_down);
  g_test_add ("/boilerplate/per-issuer-and-never-flags-alone", Fixture, NULL,
              desk_test_store_fixture_set_up, test_learning_is_per_issuer_and_never_flags_on_its_own, desk_test_store_fixture_tear_down);

  g_test_add ("/boilerplate/story-sent-again-teaches-nothing", Fixture, NULL,
              desk_test_store_fixture_set_up, test_story_sent_again_teaches_nothing, desk_test_store_fixture_tear_down);
  g_test_add ("/boilerplate/schema-11-store-gains-the-prints-table", Fixture, NULL,
              desk_test_store_fixture_set_up, test_schema_11_store_gains_the_prints_table, desk_test_store_fixture_tear_down);

  return g_test_run ();
}

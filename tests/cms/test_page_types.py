"""Editors can only build sensible trees."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from cms.models import (
    NewsIndexPage,
    NewsPage,
    ProjectHomePage,
    StandardPage,
    WorkPackageIndexPage,
    WorkPackagePage,
)
from cms.site_tree import ensure_site_tree


class PageTreeRulesTests(WagtailPageTestCase):
    def test_home_holds_sections_and_plain_pages(self):
        self.assertAllowedSubpageTypes(
            ProjectHomePage, {NewsIndexPage, WorkPackageIndexPage, StandardPage}
        )
        self.assertAllowedParentPageTypes(ProjectHomePage, {Page})

    def test_indexes_go_under_any_page_that_allows_them(self):
        # A host project's own home page (any type without subpage_types) included.
        for index in (NewsIndexPage, WorkPackageIndexPage):
            self.assertAllowedParentPageTypes(index, {Page, ProjectHomePage})

    def test_news_lives_only_in_the_news_index(self):
        self.assertAllowedSubpageTypes(NewsIndexPage, {NewsPage})
        self.assertAllowedParentPageTypes(NewsPage, {NewsIndexPage})
        self.assertAllowedSubpageTypes(NewsPage, set())

    def test_work_packages_hold_parts(self):
        self.assertAllowedSubpageTypes(WorkPackageIndexPage, {WorkPackagePage})
        self.assertAllowedParentPageTypes(
            WorkPackagePage, {WorkPackageIndexPage, WorkPackagePage}
        )
        self.assertAllowedSubpageTypes(WorkPackagePage, {WorkPackagePage})

    def test_standard_pages_nest_under_home(self):
        self.assertAllowedParentPageTypes(StandardPage, {Page, ProjectHomePage, StandardPage})

    def test_a_part_has_no_parts(self):
        tree = ensure_site_tree()
        package = tree.work_packages.add_child(
            instance=WorkPackagePage(title="Work Package 2", number=2)
        )
        part = package.add_child(instance=WorkPackagePage(title="Marketing Strategies"))
        self.assertTrue(WorkPackagePage.can_create_at(tree.work_packages))
        self.assertTrue(WorkPackagePage.can_create_at(package))
        self.assertFalse(WorkPackagePage.can_create_at(part))

    def test_one_news_index_per_home(self):
        tree = ensure_site_tree()
        self.assertFalse(NewsIndexPage.can_create_at(tree.home))
        self.assertFalse(WorkPackageIndexPage.can_create_at(tree.home))
        self.assertTrue(StandardPage.can_create_at(tree.home))

    def test_editor_can_create_a_news_page_in_the_admin(self):
        tree = ensure_site_tree()
        self.login()
        self.assertCanCreate(
            tree.news,
            NewsPage,
            {
                "title": "Kick-off in Riga",
                "slug": "kick-off",
                "date": "2007-06-13",
                "summary": "Partners met.",
                "body": '{"blocks": [{"key": "a", "type": "unstyled", "text": "Hello", '
                '"depth": 0, "inlineStyleRanges": [], "entityRanges": []}], "entityMap": {}}',
                "location": "Riga",
                "tags": "events, riga",
            },
        )

    def test_admin_edit_views_render(self):
        tree = ensure_site_tree()
        self.login()
        package = tree.work_packages.add_child(
            instance=WorkPackagePage(title="WP 2", number=2, legacy_url="http://old.example/?id=1")
        )
        for page in (tree.home, tree.news, tree.work_packages, package):
            response = self.client.get(f"/admin/pages/{page.pk}/edit/")
            self.assertEqual(response.status_code, 200, page)
        # The legacy URL is shown, but read-only.
        response = self.client.get(f"/admin/pages/{package.pk}/edit/")
        self.assertContains(response, "http://old.example/?id=1")
        self.assertNotContains(response, 'name="legacy_url"')


class MilestoneFormTests(WagtailPageTestCase):
    def test_milestone_periods_are_months_in_the_admin(self):
        tree = ensure_site_tree()
        self.login()
        response = self.client.get(
            f"/admin/pages/add/cms/workpackagepage/{tree.work_packages.pk}/"
        )
        # The empty milestone form (from, until) that "Add Milestone" copies.
        self.assertContains(response, 'type="month"', count=2)

    def test_a_month_is_stored_as_its_first_day(self):
        import datetime

        from cms.models.fields import MonthFormField

        field = MonthFormField()
        self.assertEqual(field.clean("2005-07"), datetime.date(2005, 7, 1))
        self.assertEqual(field.clean("2005-07-19"), datetime.date(2005, 7, 1))

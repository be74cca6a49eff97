"""The pages of uptake and coverage (issue 26): zero axe violations in Swedish and English, at 360 px
and 1280 px, no sideways scroll of the page (the coverage table scrolls inside its own region).
A member records her institution's uptake from an output's page, follows it up, and finds it on
her institution's page and in the coverage table."""

import datetime

import pytest
from django.urls import reverse

from .conftest import viewports

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BOTH = ("sv", "en")


@pytest.fixture
def results(world):
    """Two themes, a project of another institution with a report, an uptake of it elsewhere, and a
    round that asks every institution for its uptake."""
    from network.tests.factories import InstitutionFactory
    from projects.models import Uptake
    from projects.tests.factories import OutputFactory, ProjectFactory, RoundFactory, ThemeFactory, UptakeFactory

    theme = ThemeFactory(name_sv="Meritering av samverkan", name_en="Recognising collaboration in careers")
    ThemeFactory(name_sv="Livslångt lärande", name_en="Lifelong learning")
    other = InstitutionFactory(name="Högskolan Väst", short_name="HV", kind="college")
    project = ProjectFactory(theme=theme, title="Samverkansmeriter", lead_institution=other,
                             starts_on=datetime.date(2019, 1, 1), ends_on=datetime.date(2022, 12, 31))  # fmt: skip
    output = OutputFactory(project=project, title="Kriterier för samverkansmeriter", year=2021)
    UptakeFactory(institution=InstitutionFactory(name="Uppsala universitet", short_name="UU"), output=output,
                  level=Uptake.Level.ADOPTED, evidence_url="https://uu.example.se/beslut")  # fmt: skip
    RoundFactory(title="Vårens rapportering", asks_uptake=True)
    return output


@viewports
def test_member_records_follows_up_and_finds_her_institutions_uptake(site, world, results):
    site.login(world.member.user)
    site.goto(results.get_absolute_url())
    assert site.page.get_by_text("Uppsala universitet").first.is_visible()
    site.check("output_with_uptake", languages=BOTH)

    site.goto(reverse("projects:uptake_create_output", kwargs={"output_pk": results.pk}))
    site.check("uptake_form", languages=BOTH)
    site.page.locator("input[name=level][value=changed]").check()
    site.page.locator("textarea[name=description]").fill("Anställningsordningen reviderades.")
    site.page.locator("input[name=starts_on]").fill("2023-09-01")
    site.page.locator("form button[type=submit]").last.click()
    site.page.wait_for_load_state()
    assert site.page.get_by_role("heading", level=1, name="Uptake at Malmö universitet").is_visible()
    site.check("uptake_detail", languages=BOTH)

    site.page.locator(".actions a.secondary").click()
    site.page.wait_for_load_state()
    site.check("uptake_follow_up", languages=BOTH)
    site.page.locator("textarea[name=follow_up]").fill("Används i alla befordringsärenden sedan 2024.")
    site.page.locator("form button[type=submit]").last.click()
    site.page.wait_for_load_state()
    assert site.page.get_by_text("Används i alla befordringsärenden").is_visible()

    site.goto(world.institution.get_absolute_url())
    assert site.page.get_by_text("Kriterier för samverkansmeriter").first.is_visible()
    site.check("institution_with_uptake", languages=BOTH)


@viewports
def test_uptake_list_and_coverage_accessible(site, world, results):
    site.login(world.member.user)
    site.goto(reverse("projects:uptake_list"))
    assert site.page.locator("table").get_by_role("link", name="Uppsala universitet").is_visible()
    site.check("uptake_list", languages=BOTH)
    site.goto(reverse("projects:coverage"))
    table = site.page.locator("table.coverage-table")
    assert table.is_visible()
    assert table.locator("th[scope=row]").first.is_visible()
    site.check("coverage", languages=BOTH)
    site.goto(reverse("projects:coverage") + "?kind=college")
    site.check("coverage_filtered")

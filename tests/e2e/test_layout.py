"""Layout a user notices (issue 18): the main navigation lines up with the logo and the content, the
privacy checkbox sits beside its label, the approval queue's rows are compact; at 360 and 1280 px,
axe clean, screenshots in test-results/screenshots/."""

import pytest
from django.urls import reverse

from .conftest import viewports

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def left(site, selector: str) -> float:
    return site.page.locator(selector).first.bounding_box()["x"]


@viewports
def test_main_navigation_is_aligned_with_logo_and_content(site, world):
    site.login(world.member.user)
    site.goto(reverse("network:member_list"))
    site.check("navigation-aligned", languages=("sv", "en"))
    brand, nav, heading = left(site, ".brand"), left(site, ".main-nav li a"), left(site, "main h1")
    assert abs(nav - brand) <= 1, (brand, nav)
    assert abs(heading - brand) <= 1, (brand, heading)


@viewports
def test_privacy_checkbox_sits_beside_its_label(site):
    site.goto(reverse("account_signup"))
    site.check("signup-privacy")
    box = site.page.locator("input[name=accept_privacy]").bounding_box()
    label = site.page.locator("label[for=id_accept_privacy]").bounding_box()
    assert abs(label["y"] - box["y"]) < box["height"], (box, label)  # the same line
    assert 0 <= label["x"] - (box["x"] + box["width"]) < 24, (box, label)  # right after the box


@viewports
def test_approval_rows_are_compact(site, world, staff_user):
    site.login(staff_user)
    site.goto(reverse("network:approval_list"))
    site.check("approval-list", languages=("sv", "en"))
    row = site.page.get_by_role("row", name="Maria Berg").bounding_box()
    # two lines at 1280 px (choices and the note's label; the note and the button), a few more on a
    # phone; the stacked form was about 160 px and 300 px high
    assert row["height"] < (120 if site.width >= 1280 else 260), row

"""The harness itself: axe really runs and fails with a readable list; sideways scrolling is caught."""

import re

import pytest

from .conftest import PAGES_CHECKED, assert_accessible, assert_no_sideways_scroll

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BAD_PAGE = """<!DOCTYPE html><html><head><title>Bad</title></head><body>
<main><h1>Bad</h1><img src="x.png"><p style="color:#bbb;background:#fff">faint text</p>
<input type="text" name="q"><div style="width:900px">wide</div></main></body></html>"""


def test_assert_accessible_lists_violations_readably(site):
    site.page.set_content(BAD_PAGE)
    with pytest.raises(pytest.fail.Exception) as failure:
        assert_accessible(site.page)
    message = str(failure.value)
    for rule in ("html-has-lang", "image-alt", "color-contrast", "label"):
        assert f"- {rule} (" in message, message
    assert "img" in message  # the target selector of the offending element
    assert PAGES_CHECKED.pop()[3] >= 4  # (and the deliberately bad page leaves the record)


@pytest.mark.parametrize("width", [360], ids=["phone"], indirect=True)
def test_sideways_scroll_is_caught(site):
    site.page.set_content(BAD_PAGE)
    with pytest.raises(pytest.fail.Exception, match="scrolls sideways"):
        assert_no_sideways_scroll(site.page)


@pytest.mark.parametrize("width", [360], ids=["phone"], indirect=True)
def test_breadcrumb_on_a_detail_page_accessible(site, world):
    """The breadcrumb include inside our layout, as a detail page uses it, passes axe at 360 px."""
    from django.template import engines
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = world.member.user
    html = (
        engines["django"]
        .from_string(
            '{% extends "base.html" %}{% block breadcrumb %}{% include "includes/_breadcrumb.html" with '
            'section_label="Institutionerna" section_url="/network/institutions/" parent_label=long '
            'parent_url="/x/" current="Ett dokument med ett mycket långt namn som måste radbrytas" %}{% endblock %}'
            "{% block content %}<h1>Dokument</h1>{% endblock %}"
        )
        .render({"long": "Kungliga Tekniska högskolan, Skolan för industriell teknik och management"}, request)
    )
    site.goto("/")
    site.page.set_content(html)
    assert site.page.get_by_role("navigation", name=re.compile("Breadcrumb|Brödsmulor")).is_visible()
    site.check("breadcrumb", label="(includes/_breadcrumb.html in base.html)")

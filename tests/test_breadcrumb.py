"""The breadcrumb include: a labelled nav landmark, an ordered list from Home down, the current page
marked and not a link; both ways of calling it (template-only, and `crumbs` from the view)."""

import re

from django.template import engines
from django.test import RequestFactory
from django.utils import translation

TEMPLATE_ONLY = (
    '{% load i18n %}{% include "includes/_breadcrumb.html" with section_label=_("Meetings") '
    'section_url="/meetings/" parent_label="Spring 2027" parent_url="/meetings/1/" current="Agenda" %}'
)
FROM_VIEW = '{% include "includes/_breadcrumb.html" with crumbs=crumbs current=current %}'


def render(source: str, **context) -> str:
    request = RequestFactory().get("/")
    with translation.override("en"):
        return engines["django"].from_string(source).render(context, request)


def items(html: str) -> list[str]:
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", li)).strip() for li in re.findall(r"<li>(.*?)</li>", html, re.S)]


def test_breadcrumb_template_only_lists_home_section_parent_and_current():
    html = render(TEMPLATE_ONLY)
    assert '<nav class="breadcrumb" aria-label="Breadcrumb">' in html
    assert "<ol" in html
    assert items(html) == ["Home", "Meetings", "Spring 2027", "Agenda"]
    assert '<a href="/meetings/1/">Spring 2027</a>' in html
    assert '<span aria-current="page">Agenda</span>' in html
    assert 'href="/meetings/1/">Agenda' not in html


def test_breadcrumb_from_view_crumbs_in_order():
    html = render(FROM_VIEW, crumbs=[("Projects", "/projects/"), ("Open data", "/projects/7/")], current="Report 2027")
    assert items(html) == ["Home", "Projects", "Open data", "Report 2027"]
    assert html.count('aria-current="page"') == 1


def test_breadcrumb_escapes_labels():
    html = render(FROM_VIEW, crumbs=[("<b>x</b>", "/x/")], current="<script>")
    assert "<script>" not in html and "&lt;script&gt;" in html

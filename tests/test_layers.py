"""The apps stand in layers (STYLE.md): network is the base, meetings builds on it, projects on both,
and kloss_site composes them. Layers are true in every form:
- nothing imports upward, and no app imports the project package: a module-level or function-level
  import alike;
- no model refers to a model of an app above it (a foreign key, one-to-one or many-to-many, by import
  or by a "app.Model" string alike);
- no migration depends on a migration of an app above it (the graph Django migrates by);
- the templates of an app name no template and no URL of an app above it: a page that shows parts
  of several apps is composed from above (network/panels.py, a block filled by an upper template,
  or context from the upper view)."""

import ast
import re
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from kloss_site.navigation import LINKS

ROOT = Path(__file__).resolve().parents[1]
# The packages an app's product code may not import (its tests may: they run the whole site).
FORBIDDEN = {
    "network": ("kloss_site", "meetings", "projects"),
    "meetings": ("kloss_site", "projects"),
    "projects": ("kloss_site",),
}
TEMPLATE_TAG = re.compile(r"{%.*?%}", re.S)
# The layers from the bottom up; kloss_site composes them all.
RANK = {"network": 0, "meetings": 1, "projects": 2, "kloss_site": 3}
NAV_LINK = re.compile(r"\bnav\.(\w+)")
URL_TAG = re.compile(r"""{%\s*url\s+["']([\w-]+)(?::[\w-]+)?["']""")


def product_modules(app: str) -> list[Path]:
    return sorted(
        path
        for path in (ROOT / app).rglob("*.py")
        if not {"tests", "migrations"} & set(path.relative_to(ROOT / app).parts)
    )


def imported_modules(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
    return found


@pytest.mark.parametrize("app", sorted(FORBIDDEN))
def test_app_imports_nothing_above_it(app):
    wrong = [
        f"{path.relative_to(ROOT)}:{line} imports {module}"
        for path in product_modules(app)
        for line, module in imported_modules(path)
        if module.split(".")[0] in FORBIDDEN[app]
    ]
    assert product_modules(app), f"no modules found under {app}/"
    assert not wrong, "\n".join(wrong)


def test_network_templates_name_no_upper_app_template():
    templates = sorted((ROOT / "templates" / "network").rglob("*.html"))
    wrong = [
        f"{path.relative_to(ROOT)}: {tag}"
        for path in templates
        for tag in TEMPLATE_TAG.findall(path.read_text())
        if re.search(r"""["'](meetings|projects)/""", tag)
    ]
    assert templates
    assert not wrong, "\n".join(wrong)


def test_upper_apps_fill_the_network_pages_in_order():
    from network.panels import panels

    assert panels("institution_detail") == [
        "meetings/includes/_institution_hosting.html",
        "projects/includes/_institution_projects.html",
        "projects/includes/_institution_uptake.html",
    ]
    assert panels("member_detail") == ["projects/includes/_member_projects.html"]
    assert panels("participation") == ["projects/includes/_participation_dashboard_link.html"]


@pytest.mark.django_db
def test_institution_and_member_pages_show_the_upper_apps_parts(member_client, member):
    institution_page = member_client.get(member.institution.get_absolute_url()).content.decode()
    assert 'id="hosting-heading"' in institution_page and 'id="institution-projects"' in institution_page
    assert institution_page.index('id="hosting-heading"') < institution_page.index('id="institution-projects"')
    assert 'id="member-projects"' in member_client.get(member.get_absolute_url()).content.decode()


def test_no_model_refers_to_an_upper_app_model():
    from django.apps import apps

    checked, wrong = 0, []
    for model in apps.get_models(include_auto_created=True):  # history models and m2m tables too
        app = model._meta.app_label
        if app not in RANK:
            continue
        for field in [*model._meta.local_fields, *model._meta.local_many_to_many]:
            if not field.is_relation:
                continue
            checked += 1
            target = field.related_model._meta.app_label
            if RANK.get(target, -1) > RANK[app]:
                wrong.append(f"{model._meta.label}.{field.name} -> {field.related_model._meta.label}")
    assert checked > 50  # the relations were read (a positive control)
    assert not wrong, "\n".join(wrong)


def test_no_migration_depends_on_an_upper_app_migration():
    from django.db.migrations.loader import MigrationLoader

    graph = MigrationLoader(None, ignore_no_migrations=True).graph  # what `migrate` follows, from the files
    edges = [
        (child, parent)
        for child in graph.nodes
        if child[0] in RANK
        for parent in graph.node_map[child].parents
        if parent[0] in RANK and parent[0] != child[0]
    ]
    wrong = [
        f"{child[0]}.{child[1]} depends on {parent[0]}.{parent[1]}"
        for child, parent in edges
        if RANK[parent[0]] > RANK[child[0]]
    ]
    assert any(parent[0] == "meetings" and child[0] == "projects" for child, parent in edges)  # downward: seen
    assert not wrong, "\n".join(wrong)


def _site_url_names() -> set[str]:
    from kloss_site import urls

    return {pattern.name for pattern in urls.urlpatterns if getattr(pattern, "name", None)}


@pytest.mark.parametrize("app", ["network", "meetings", "projects"])
def test_templates_name_no_upper_app_url(app):
    upper = {name for name, rank in RANK.items() if rank > RANK[app]} | _site_url_names()  # 'home', ...
    templates = sorted((ROOT / "templates" / app).rglob("*.html"))
    named = [
        (path, tag, URL_TAG.search(tag).group(1))
        for path in templates
        for tag in TEMPLATE_TAG.findall(path.read_text())
        if URL_TAG.search(tag)
    ]
    # The header's links read through `nav` (kloss_site/navigation.py) name URLs too.
    named += [
        (path, link.group(0), LINKS[link.group(1)].partition(":")[0])
        for path in templates
        for link in NAV_LINK.finditer(path.read_text())
        if link.group(1) != "section"
    ]
    wrong = [f"{path.relative_to(ROOT)}: {tag}" for path, tag, name in named if name in upper]
    assert any(name == app for _, _, name in named)  # its own URLs were found (a positive control)
    assert not wrong, "\n".join(wrong)


def test_nav_links_are_checked_like_url_tags():
    """A lower template cannot hide an upper app's URL behind `nav`: every link the check reads maps to
    its URL's name (the test above), and an unknown one fails loudly here instead of reading as ""."""
    for path in (ROOT / "templates").rglob("*.html"):
        for link in NAV_LINK.finditer(path.read_text()):
            assert link.group(1) in {*LINKS, "section"}, (
                f"{path.relative_to(ROOT)}: {link.group(0)} is not in kloss_site/navigation.py"
            )
    assert NAV_LINK.findall('<a href="{{ nav.meetings }}"> {% include "x" with section_url=nav.projects %}') == [
        "meetings",
        "projects",
    ]


@pytest.mark.django_db
def test_participation_page_leads_back_to_the_dashboard(member_client):
    page = member_client.get(reverse("meetings:participation")).content.decode()
    assert 'id="participation-heading"' in page
    assert f'href="{reverse("projects:dashboard")}"' in page  # filled in by projects (network/panels.py)


@pytest.mark.django_db
def test_host_compose_page_sits_under_the_meetings_and_the_secretariat_page_under_messages(staff_client):
    from meetings.tests.factories import ScheduledMeetingFactory, host_contact_of

    meeting = ScheduledMeetingFactory()
    host = Client()
    host.force_login(host_contact_of(meeting).user)
    breadcrumb = host.get(reverse("meetings:meeting_message", args=[meeting.pk])).content.decode()
    breadcrumb = breadcrumb.split('class="breadcrumb"')[1].split("</nav>")[0]
    assert f'href="{reverse("meetings:meeting_list")}"' in breadcrumb
    assert f'href="{meeting.get_absolute_url()}"' in breadcrumb
    secretariat = staff_client.get(reverse("network:message_create")).content.decode()
    secretariat = secretariat.split('class="breadcrumb"')[1].split("</nav>")[0]
    assert f'href="{reverse("network:message_list")}"' in secretariat

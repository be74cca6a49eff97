"""The apps stand in layers (STYLE.md): network is the base, meetings builds on it, projects on both,
and kloss_site composes them. Nothing imports upward, and no app imports the project package: a
module-level or function-level import alike. The base's templates name no upper app's templates: a
page that shows parts of several apps is composed from above (see network's institution page)."""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
# The packages an app's product code may not import (its tests may: they run the whole site).
FORBIDDEN = {
    "network": ("kloss_site", "meetings", "projects"),
    "meetings": ("kloss_site", "projects"),
    "projects": ("kloss_site",),
}
TEMPLATE_TAG = re.compile(r"{%.*?%}", re.S)


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
    ]
    assert panels("member_detail") == ["projects/includes/_member_projects.html"]


@pytest.mark.django_db
def test_institution_and_member_pages_show_the_upper_apps_parts(member_client, member):
    institution_page = member_client.get(member.institution.get_absolute_url()).content.decode()
    assert 'id="hosting-heading"' in institution_page and 'id="institution-projects"' in institution_page
    assert institution_page.index('id="hosting-heading"') < institution_page.index('id="institution-projects"')
    assert 'id="member-projects"' in member_client.get(member.get_absolute_url()).content.decode()

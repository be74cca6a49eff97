"""Themes moved from projects/ down to meetings/ (meetings 0003_decisions_actions_attendance_themes,
projects 0007_theme_moved_to_meetings): a database keeps every theme and every link to one.

Two kinds of database arrive at projects 0007, and each is built here by migrating the test
database back and forth with Django's own executor:
- one that applied the old meetings 0003 (themes in `projects_theme`, decisions and actions pointing
  there): built with the loader that ignores replacements, as the previous code migrated;
- one from before decisions existed (projects 0002 and meetings 0002 applied, themes in
  `projects_theme`): it runs the replacement, which creates `meetings_theme`, and 0007 copies.
Both end with the same table: ids, names in Swedish order, timestamps, the meeting that chose each
theme, every project's, decision's and action's theme, the indexes and a sequence that continues.
"""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

from network.tests.factories import InstitutionFactory

# Migrations run outside a test's transaction; migrating back and forth takes 20 s a test on SQLite.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

BEFORE_DECISIONS = [("meetings", "0002_rotation_attendance_documents"), ("projects", "0002_performance_indexes")]
POINTING = ("meetings_decision", "meetings_action", "projects_project")  # the tables with a theme_id
BEFORE_MOVE = [("meetings", "0004_meeting_kinds_online"), ("projects", "0006_theme_round_updated_at")]


def migrate(targets, *, as_before: bool = False):
    """Migrate to `targets`; `as_before`: as the previous code did, the replaced meetings 0003 run
    instead of its replacement. Returns the models of that state."""
    executor = MigrationExecutor(connection)
    if as_before:
        executor.loader = MigrationLoader(connection, replace_migrations=False)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationLoader(connection).graph.leaf_nodes()


@pytest.fixture
def back_to_latest():
    """Whatever happens, the next test finds the database as `migrate` leaves it."""
    yield
    migrate(latest())


def themes_and_links(apps, theme_app: str, *, updated_at: bool = True) -> dict:
    """`updated_at`: themes have one from projects 0006 on."""
    theme = apps.get_model(theme_app, "Theme")
    fields = ["pk", "name_sv", "status", "created_at", *(["updated_at"] if updated_at else []), "chosen_at"]
    return {
        "themes": list(theme.objects.order_by("pk").values_list(*fields)),
        "in swedish order": list(theme.objects.order_by("name_sv").values_list("name_sv", flat=True)),
        "projects": list(apps.get_model("projects", "Project").objects.order_by("pk").values_list("pk", "theme")),
    }


def decisions_and_actions(apps) -> dict:
    return {
        name: list(apps.get_model("meetings", name).objects.order_by("pk").values_list("pk", "theme"))
        for name in ("Decision", "Action", "HistoricalDecision")
    }


def seed_themes(apps, theme_app: str) -> dict:
    """Three themes (a gap in the ids where one was deleted), a meeting that chose one, two projects."""
    institution = InstitutionFactory()
    meeting = apps.get_model("meetings", "Meeting").objects.create(year=2101, season="spring", host_id=institution.pk)
    theme = apps.get_model(theme_app, "Theme")
    make = lambda name, **more: theme.objects.create(name_sv=name, name_en=name, **more)  # noqa: E731
    first = make("Ändrade villkor", status="accepted", chosen_at=meeting)
    gone = make("Borttaget")
    second, third = make("Zeta", status="accepted"), make("Arbetsliv")
    gone_pk = gone.pk
    gone.delete()
    project = apps.get_model("projects", "Project")
    for title, chosen in (("Ett", first), ("Två", third)):
        project.objects.create(
            title=title,
            summary="-",
            theme=chosen,
            lead_institution_id=institution.pk,
            starts_on=datetime.date(2026, 1, 1),
        )
    return {"meeting": meeting, "themes": (first, second, third), "deleted": gone_pk, "institution": institution}


def seed_decisions(apps, seeded: dict) -> None:
    first, second, _ = seeded["themes"]
    decision = apps.get_model("meetings", "Decision").objects.create(
        meeting=seeded["meeting"], text_sv="Vi beslutar", theme_id=first.pk
    )
    apps.get_model("meetings", "Decision").objects.create(meeting=seeded["meeting"], text_sv="Utan tema")
    apps.get_model("meetings", "Action").objects.create(
        meeting=seeded["meeting"],
        text="Gör det",
        owner_institution_id=seeded["institution"].pk,
        due_on=datetime.date(2026, 6, 1),
        theme_id=second.pk,
    )
    apps.get_model("meetings", "HistoricalDecision").objects.create(
        id=decision.pk,
        meeting_id=decision.meeting_id,
        text_sv=decision.text_sv,
        created_at=decision.created_at,
        theme_id=first.pk,
        history_date=timezone.now(),
        history_type="+",
    )


def theme_table_shape() -> dict:
    """What the database knows of the themes table and who points to it, names aside."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        constraints = connection.introspection.get_constraints(cursor, "meetings_theme").values()
        description = connection.introspection.get_table_description(cursor, "meetings_theme")
        pointing = {table: connection.introspection.get_relations(cursor, table).get("theme_id") for table in POINTING}
    return {
        "old table left": "projects_theme" in tables,
        "unique": sorted(c["columns"] for c in constraints if c["unique"] and not c["primary_key"]),
        "indexed": sorted(c["columns"] for c in constraints if c["index"] and not c["unique"] and c["columns"]),
        "foreign keys": sorted((c["columns"], c["foreign_key"]) for c in constraints if c["foreign_key"]),
        "collation of name_sv": next(f.collation for f in description if f.name == "name_sv"),
        "pointing here": pointing,
    }


EXPECTED_SHAPE = {
    "old table left": False,
    "unique": [["name_sv"]],
    "foreign keys": [(["chosen_at_id"], ("meetings_meeting", "id")), (["proposed_by_id"], ("network_user", "id"))],
    "collation of name_sv": "swedish",
    "pointing here": dict.fromkeys(POINTING, ("id", "meetings_theme")),
}


def assert_moved(before: dict, before_decisions: dict | None, seeded: dict, *, updated_at: bool = True) -> None:
    apps = migrate(latest())
    assert themes_and_links(apps, "meetings", updated_at=updated_at) == before
    assert before["in swedish order"] == ["Arbetsliv", "Zeta", "Ändrade villkor"]  # Ä after Z: the collation
    if before_decisions is not None:
        assert decisions_and_actions(apps) == before_decisions
        assert [theme for _, theme in before_decisions["Decision"]] == [seeded["themes"][0].pk, None]
    shape = theme_table_shape()
    assert shape["indexed"] in (
        [["chosen_at_id"], ["proposed_by_id"]],
        [["chosen_at_id"], ["name_sv"], ["proposed_by_id"]],
    )
    assert {key: shape[key] for key in EXPECTED_SHAPE} == EXPECTED_SHAPE
    new = apps.get_model("meetings", "Theme").objects.create(name_sv="Nytt", name_en="New")
    assert new.pk > seeded["deleted"]  # the ids go on past every id given out before the move
    new.delete()


def test_database_that_applied_the_old_migrations_keeps_every_theme_and_link(back_to_latest):
    migrate(BEFORE_DECISIONS)
    apps = migrate(BEFORE_MOVE, as_before=True)
    with connection.cursor() as cursor:  # the old shape: the decisions point into projects' table
        assert connection.introspection.get_relations(cursor, "meetings_decision")["theme_id"][1] == "projects_theme"
        assert "meetings_theme" not in connection.introspection.table_names(cursor)
    seeded = seed_themes(apps, "projects")
    seed_decisions(apps, seeded)
    before, before_decisions = themes_and_links(apps, "projects"), decisions_and_actions(apps)
    assert len(before["themes"]) == 3 and len(before_decisions["Action"]) == 1

    assert_moved(before, before_decisions, seeded)

    # And back (the old table made again, the projects pointing there), and forward once more.
    apps = migrate(BEFORE_MOVE)
    assert themes_and_links(apps, "projects") == before
    assert_moved(before, before_decisions, seeded)


def test_database_from_before_decisions_keeps_every_theme_and_link(back_to_latest):
    apps = migrate(BEFORE_DECISIONS)
    seeded = seed_themes(apps, "projects")
    before = themes_and_links(apps, "projects", updated_at=False)

    assert_moved(before, None, seeded, updated_at=False)

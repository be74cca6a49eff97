"""No cached fragment can go stale unnoticed: the table of what each write touches (`declare` in
each app's fragments.py) is checked against what each fragment really reads.

Every page of the URL x role matrix (kloss_site/tests/test_url_matrix.py) is opened by every role
that may open it, with every fragment built afresh, on a world where each kind of row exists. While
a fragment is being built (`network.cache.building()`) every row it loads is recorded (model
instances, `post_init`). Then for each row read: the namespaces a change of that row bumps
(`cache.namespaces_of(row)`) must meet the namespaces of the fragment's key, or a change of the
row would leave the fragment showing the old row until it expires. A table a build reads whole
without loading its rows (a count or a sum without WHERE) is checked for each of its rows; a filtered
count is not seen (its rows are unknown here). Rows that never change in place are exempt below,
each with its reason."""

import datetime
import re
from collections import defaultdict

import pytest
from django.apps import apps
from django.db import connection
from django.db.models.signals import post_init
from django.urls import reverse
from django.utils import timezone

from kloss_site.tests.test_url_matrix import all_cases, login_as, make_role_users, matrix_modules
from meetings.models import Decision, HostDecline, Theme
from network import cache
from network.models import Member
from network.tests.factories import InstitutionFactory, LeadershipTermFactory, SteeringGroupSeatFactory
from projects.tests.factories import OutputFactory, ProjectFactory

pytestmark = pytest.mark.django_db

# Tables a fragment may read although no declared change of their rows reaches it, each with why.
EXEMPT: dict[str, str] = {
    # A project's institutions are changed only by the project's services and its admin form, which
    # call `changed(project)` (its institutions' pages, the lists, the dashboard).
    "projects.Project_institutions": "written with its project",
}
# Fragments built only from rows the view read before: their key must hold what a change of those
# rows bumps (`{}`: the object of the fragment's own parameter).
BUILT_FROM = {
    "meeting_head": {"meeting:{}", "institutions"},  # the meeting and its host, read on every request
    "project_head": {"project:{}", "themes", "institutions"},  # row:project_page, checked above
}

TABLE = re.compile(r'(?:FROM|JOIN)\s+"?(\w+)"?', re.IGNORECASE)


def label(model) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def populate(world: dict) -> None:
    """What the matrix's world lacks: a network lead at another institution (the page of the
    members' institution says who leads the network), a lead before it at the members' own, the
    members' institution in a project of another theme, a steering-group seat, a decision on a
    theme, an institution that declined to host."""
    other = InstitutionFactory()
    today = timezone.localdate()
    LeadershipTermFactory(institution=other, starts_on=today - datetime.timedelta(days=30), ends_on=None)
    LeadershipTermFactory(
        institution=world["institution"],
        starts_on=today - datetime.timedelta(days=400),
        ends_on=today - datetime.timedelta(days=31),
    )
    theme = Theme.objects.create(name_sv="Livslångt lärande", name_en="Lifelong learning", status=Theme.Status.ACCEPTED)
    project = ProjectFactory(lead_institution=other, theme=theme)
    project.institutions.add(world["institution"])
    OutputFactory(project=project)
    SteeringGroupSeatFactory(member=Member.objects.get(user=world["member"]))
    Decision.objects.create(meeting=world["meeting"], text_sv="Temat antas.", theme=theme)
    HostDecline.objects.create(meeting=world["meeting"], institution=other)


@pytest.fixture
def world(db):
    institution = InstitutionFactory()
    world = {"institution": institution, **make_role_users(institution)}
    for module in matrix_modules():
        module.build(world)
    populate(world)
    return world


class Reads:
    """While fragments are built: per (fragment name, its key's namespaces) the rows loaded
    (model, pk) and the tables its SQL reads."""

    def __init__(self):
        self.rows: dict[tuple[str, frozenset[str]], set] = defaultdict(set)
        self.tables: dict[tuple[str, frozenset[str]], set] = defaultdict(set)  # read whole
        self.built: set[str] = set()
        self.models = {model._meta.db_table: model for model in apps.get_models(include_auto_created=True)}

    def loaded(self, sender, instance, **kwargs):
        if instance.pk is not None:
            for built in cache.building():
                self.rows[built].add((sender, instance.pk))

    def sql(self, execute, sql, params, many, context):
        for built in cache.building():
            self.built.add(built[0])
            if not re.search(r"\bWHERE\b", sql, re.IGNORECASE):
                self.tables[built] |= {self.models[t] for t in TABLE.findall(sql) if t in self.models}
        return execute(sql, params, many, context)


@pytest.fixture
def reads():
    recorded = Reads()
    post_init.connect(recorded.loaded, weak=False, dispatch_uid="test_cache_staleness")
    try:
        with connection.execute_wrapper(recorded.sql):
            yield recorded
    finally:
        post_init.disconnect(dispatch_uid="test_cache_staleness")


def open_every_page(client, world) -> None:
    for name, kwargs, expected in all_cases(world):
        url = reverse(name, kwargs=kwargs)
        for role, status in expected.items():
            if status != 200:
                continue
            login_as(client, world, role)
            cache.clear_all()  # every fragment is built again, and its reads are seen
            assert client.get(url).status_code == 200, (url, role)


def same_object(fragment) -> set[str]:
    return {re.sub(r"\{\w+\}", "{}", pattern) for pattern in fragment.depends}


def stale_reads(reads: Reads) -> set[tuple[str, str, str]]:
    stale = set()
    for built, namespaces in {**reads.tables, **reads.rows}.items():
        name, namespaces = built
        read = set(reads.rows[built])
        # A table read whole without its rows loaded: every row of it counts.
        for model in reads.tables[built] - {model for model, _ in read}:
            read |= {(model, pk) for pk in model._base_manager.values_list("pk", flat=True)}
        for model, pk in read:
            if label(model) in EXEMPT:
                continue
            row = model._base_manager.filter(pk=pk).first()
            if row is None:
                continue
            try:
                touched = cache.namespaces_of(row)
            except LookupError:
                stale.add((name, label(model), "no declaration"))
                continue
            if not touched & namespaces:
                stale.add((name, label(model), f"touches {sorted(touched)}"))
    return stale


def test_every_fragment_depends_on_what_it_reads(client, world, reads, settings):
    settings.CACHE_FRAGMENTS = True
    open_every_page(client, world)

    built = reads.built | {name for name, _ in reads.rows}
    declared = {name for name in cache.FRAGMENTS if not name.startswith("test:")}  # the tests' own: not pages
    assert declared - set(BUILT_FROM) <= built, declared - set(BUILT_FROM) - built
    assert BUILT_FROM["project_head"] == same_object(cache.FRAGMENTS["row:project_page"])
    for name, needed in BUILT_FROM.items():
        assert needed <= same_object(cache.FRAGMENTS[name]), name

    stale = stale_reads(reads)
    assert not stale, "fragments that a change of a row they show leaves stale:\n" + "\n".join(
        f"  {name}: {model} ({why})" for name, model, why in sorted(stale)
    )

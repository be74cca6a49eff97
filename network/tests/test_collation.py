"""Swedish order (A-Z, then Å, Ä, Ö) and accent-free search, on the database the tests run on.

PostgreSQL: the ICU collation `swedish` and unaccent() (migration 0008). SQLite: the same names,
registered per connection (network/language/collation.py). These tests run on both: CI runs them on
PostgreSQL; `DATABASE_URL= pytest network/tests/test_collation.py` runs them on SQLite.
"""

import re

import pytest
from django.db import connection
from django.urls import reverse

from network import selectors
from network.language import swedish
from network.models import Institution
from network.tests.factories import InstitutionFactory, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db

SWEDISH_ORDER = ["Andersson", "Zetterlund", "Åberg", "Ärlig", "Öberg"]


def test_python_key_sorts_a_to_z_then_a_ring_a_umlaut_o_umlaut():
    shuffled = ["Öberg", "ärlig", "Åberg", "Zetterlund", "andersson", "Éklund", "Ek"]
    assert sorted(shuffled, key=swedish.sort_key) == [
        "andersson",
        "Ek",
        "Éklund",
        "Zetterlund",
        "Åberg",
        "ärlig",
        "Öberg",
    ]
    assert swedish.unaccent("Örebro Åsa Linné") == "Orebro Asa Linne"


def test_directory_sorts_surnames_in_swedish_order(member_client, member):
    institution = member.institution
    for last in reversed(SWEDISH_ORDER):
        MemberFactory(user=UserFactory(first_name="Test", last_name=last), institution=institution)
    names = [m.user.last_name for m in selectors.member_directory() if m.user.first_name == "Test"]
    assert names == SWEDISH_ORDER, connection.vendor
    page = member_client.get(reverse("network:member_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    shown = [name for name in re.findall(r"Test (\w+)", page) if name in SWEDISH_ORDER]
    assert shown == SWEDISH_ORDER


def test_institutions_list_in_swedish_order(member_client):
    for name in ["Örebro universitet", "Ängelholms högskola", "Åbo akademi", "Växjö högskola", "Uppsala universitet"]:
        InstitutionFactory(name=name)
    names = [n for n in Institution.objects.values_list("name", flat=True) if not n.startswith("Högskolan nr")]
    assert names == [
        "Uppsala universitet",
        "Växjö högskola",
        "Åbo akademi",
        "Ängelholms högskola",
        "Örebro universitet",
    ]


def test_directory_search_ignores_accents(member_client, member):
    orebro = InstitutionFactory(name="Örebro universitet", short_name="ORU")
    MemberFactory(user=UserFactory(first_name="Åsa", last_name="Öhman"), institution=orebro)
    MemberFactory(user=UserFactory(first_name="Lena", last_name="Berg"))

    def found(query):
        page = member_client.get(reverse("network:member_list"), {"q": query}, HTTP_ACCEPT_LANGUAGE="en")
        assert page.status_code == 200
        return page.content.decode()

    assert "Öhman" in found("Orebro")  # the institution, without its accent
    assert "Öhman" in found("örebro")
    assert "Öhman" in found("asa ohman")  # names, too
    assert "Öhman" in found("ORU")
    assert "Berg" not in found("Orebro")
    assert "Lena Berg" in found("Berg")  # the search that leaves her out finds somebody
    assert "Öhman" not in found("Berg")

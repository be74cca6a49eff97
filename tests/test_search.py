"""Every search box of the site finds Swedish words whatever their case, on SQLite and PostgreSQL alike
(SQLite's LIKE folds ASCII only): "översätt" finds "Översätt", "ÖVERSÄTT" finds "översätt". The
directory also ignores accents, as before: "orebro" finds "Örebro". The lookup is `uicontains`
(network/language/collation.py); CI runs this file on PostgreSQL, `make test` on SQLite."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from meetings import services as meeting_services
from meetings.models import Meeting
from meetings.tests.factories import ScheduledMeetingFactory, in_days
from network.tests.factories import InstitutionFactory, MemberFactory, StaffUserFactory, UserFactory
from projects.tests.factories import OutputFactory

pytestmark = pytest.mark.django_db

CONTROL = "Boka lokal"  # a row no query here matches: the search filtered, it did not list everything


def _held_meeting() -> Meeting:
    return ScheduledMeetingFactory(
        status=Meeting.Status.HELD, starts_at=in_days(-10), ends_at=in_days(-9, 15), registration_deadline=None
    )


def _action(text: str) -> None:
    meeting_services.action_record(
        meeting=_held_meeting(),
        by=StaffUserFactory(),
        text=text,
        owner_member=MemberFactory(),
        due_on=timezone.localdate() + datetime.timedelta(days=30),
    )


def _decision(text: str) -> None:
    meeting_services.decision_record(meeting=_held_meeting(), by=None, text_sv=text)


def _output(text: str) -> None:
    OutputFactory(title=text)


def _member(text: str) -> None:
    MemberFactory(user=UserFactory(first_name="Test", last_name=text))


def _institution(text: str) -> None:
    MemberFactory(user=UserFactory(first_name="Test", last_name="Lind"), institution=InstitutionFactory(name=text))


SEARCHES = {
    "action register": ("meetings:action_register", _action),
    "decision register": ("meetings:decision_register", _decision),
    "results catalogue": ("projects:output_list", _output),
    "directory": ("network:member_list", _member),
}

CASES = [
    ("Översätt rapporten", "översätt"),
    ("översätt rapporten", "ÖVERSÄTT"),
    ("Ärende på Åland", "ärende åland"),
]


@pytest.mark.parametrize("stored, query", CASES)
@pytest.mark.parametrize("search", SEARCHES)
def test_search_matches_swedish_letters_in_any_case(search, stored, query, member_client):
    url_name, create = SEARCHES[search]
    create(stored)
    create(CONTROL)
    response = member_client.get(reverse(url_name), {"q": query}, HTTP_ACCEPT_LANGUAGE="en")
    page = response.content.decode()
    assert response.status_code == 200
    assert stored in page, (search, query)
    assert CONTROL not in page
    everything = member_client.get(reverse(url_name), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert CONTROL in everything  # the control row is one the page would show


def test_directory_still_ignores_accents(member_client):
    _institution("Örebro universitet")
    _member(CONTROL)
    response = member_client.get(reverse("network:member_list"), {"q": "orebro"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Lind" in page and CONTROL not in page


ADMIN_SEARCHES = {
    "actions": ("admin:meetings_action_changelist", _action),
    "decisions": ("admin:meetings_decision_changelist", _decision),
    "results": ("admin:projects_output_changelist", _output),
    "members": ("admin:network_member_changelist", _member),
    "institutions": ("admin:network_institution_changelist", lambda text: InstitutionFactory(name=text)),
}


@pytest.mark.parametrize("search", ADMIN_SEARCHES)
def test_admin_search_matches_swedish_letters_in_any_case(search, staff_client):
    url_name, create = ADMIN_SEARCHES[search]
    create("Översätt rapporten")
    create(CONTROL)
    for query in ("översätt", "ÖVERSÄTT"):
        response = staff_client.get(reverse(url_name), {"q": query}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        page = response.content.decode()
        assert "Översätt rapporten" in page and CONTROL not in page, (search, query)
    assert CONTROL in staff_client.get(reverse(url_name), HTTP_ACCEPT_LANGUAGE="en").content.decode()

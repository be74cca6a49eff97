"""Report reminders for project participants: 14 days before the round's deadline and the day after
it, once, in each recipient's language; and overdue reports in the secretariat's digest."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from network.models import Delivery
from network.outbox.worker import delivery_send, reminders_sweep
from network.tests.factories import MemberFactory
from projects.models import Project, Report
from projects.tests.factories import ParticipationFactory, ProjectFactory, ReportFactory, RoundFactory

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")
HOUR = datetime.timedelta(hours=1)
DEADLINE = datetime.date(2027, 3, 20)  # March: "mars" in Swedish
DUE = datetime.datetime(2027, 3, 6, 8, 0, tzinfo=STOCKHOLM)  # 14 days before, 08:00
OVERDUE = datetime.datetime(2027, 3, 21, 8, 0, tzinfo=STOCKHOLM)  # the day after, 08:00


def sweep(kind: str, moment: datetime.datetime) -> dict:
    with time_machine.travel(moment, tick=False):
        result = reminders_sweep(only=[kind])
        outcomes = {Delivery.objects.get(pk=pk).to_address: delivery_send(delivery_id=pk) for pk in result.ids}
    return {"created": result.created, **outcomes}


@pytest.fixture
def world():
    project = ProjectFactory(title="Samverkansprojektet", ends_on=datetime.date(2029, 12, 31))
    coordinator = ParticipationFactory(project=project, is_coordinator=True, member=MemberFactory(language="sv"))
    participant = ParticipationFactory(project=project, member=MemberFactory(language="en"))
    ParticipationFactory(project=ProjectFactory(status=Project.Status.COMPLETED))  # owes nothing
    MemberFactory()  # in no project
    round_ = RoundFactory(title="Vårens rapportering", deadline=DEADLINE)
    return project, coordinator.member, participant.member, round_


def test_report_due_in_14_days_to_coordinators_and_participants(world, mailoutbox):
    project, coordinator, participant, _round = world
    assert sweep("project_report_due", DUE - HOUR)["created"] == 0
    assert sweep("project_report_due", DUE + HOUR) == {
        "created": 2,
        coordinator.email: "sent",
        participant.email: "sent",
    }
    subjects = {m.to[0]: m.subject for m in mailoutbox}
    assert "20 mars" in subjects[coordinator.email]
    assert subjects[participant.email] == "[KLOSS-Net] Report due on 20 March: Samverkansprojektet"
    message = next(m for m in mailoutbox if m.to == [participant.email])
    assert project.get_absolute_url() in message.body and message.alternatives[0][1] == "text/html"
    assert sweep("project_report_due", DUE + 2 * HOUR)["created"] == 0


def test_report_overdue_the_day_after_the_deadline_unless_submitted(world, mailoutbox):
    project, coordinator, participant, round_ = world
    assert sweep("project_report_overdue", OVERDUE - HOUR)["created"] == 0
    with time_machine.travel(OVERDUE + HOUR, tick=False):
        ids = reminders_sweep(only=["project_report_overdue"]).ids
    assert len(ids) == 2
    ReportFactory(round=round_, project=project, state=Report.State.SUBMITTED, submitted_at=timezone.now())
    assert [delivery_send(delivery_id=pk) for pk in ids] == ["skipped", "skipped"]
    assert mailoutbox == []


def test_report_overdue_honours_the_opt_out(world, mailoutbox):
    _project, coordinator, participant, _round = world
    participant.optional_reminders = False
    participant.save()
    outcome = sweep("project_report_overdue", OVERDUE + HOUR)
    assert outcome == {"created": 2, coordinator.email: "sent", participant.email: "skipped"}
    assert "Rapport försenad sedan 20 mars" in mailoutbox[0].subject


def test_digest_lists_the_overdue_reports(world, mailoutbox, settings):
    settings.SECRETARIAT_EMAILS = ["sekretariat@kloss-net.se"]
    monday = datetime.datetime(2027, 3, 22, 7, 5, tzinfo=STOCKHOLM)
    assert sweep("digest", monday)["created"] == 1
    (message,) = mailoutbox
    assert "Samverkansprojektet – Vårens rapportering" in message.body
    assert "Samverkansprojektet" in message.alternatives[0][0]

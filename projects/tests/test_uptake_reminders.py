"""A reporting round that asks every institution for its uptake (issue 26): the question when it
opens and a reminder 7 days before its deadline, to the contacts of every member institution (not
only project participants) that has not answered; each once, in the reader's language."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from network.models import Delivery, Member
from network.outbox.worker import delivery_send, reminders_sweep
from network.tests.factories import ApplicantFactory, InstitutionFactory, MemberFactory
from projects import services
from projects.models import Uptake
from projects.tests.factories import OutputFactory, RoundFactory

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")
HOUR = datetime.timedelta(hours=1)
OPENED = datetime.datetime(2027, 2, 15, 10, 0, tzinfo=STOCKHOLM)
DEADLINE = datetime.date(2027, 3, 20)
DUE = datetime.datetime(2027, 3, 13, 8, 0, tzinfo=STOCKHOLM)  # 7 days before, 08:00


def sweep(kind: str, moment: datetime.datetime) -> dict:
    with time_machine.travel(moment, tick=False):
        result = reminders_sweep(only=[kind])
        outcomes = {Delivery.objects.get(pk=pk).to_address: delivery_send(delivery_id=pk) for pk in result.ids}
    return {"created": result.created, **outcomes}


@pytest.fixture
def world():
    """Two member institutions with a contact each (one reads Swedish, one English; neither takes part
    in any project), a second contact of the first, an applicant, an institution that left."""
    uu = InstitutionFactory(name="Uppsala universitet")
    mdh = InstitutionFactory(name="Mälardalens universitet")
    sv = MemberFactory(institution=uu, language="sv")
    colleague = MemberFactory(institution=uu, language="sv")
    en = MemberFactory(institution=mdh, language="en")
    ApplicantFactory(institution=uu)
    MemberFactory(institution=InstitutionFactory(left_on=datetime.date(2020, 1, 1)), status=Member.Status.APPROVED)
    with time_machine.travel(OPENED, tick=False):
        round_ = RoundFactory(title="Vårens rapportering", deadline=DEADLINE, asks_uptake=True)
        RoundFactory(title="Bara rapporter", deadline=DEADLINE)  # does not ask for uptake
    return round_, sv, colleague, en


def test_the_question_goes_to_every_institutions_contacts_once_when_the_round_opens(world, mailoutbox):
    round_, sv, colleague, en = world
    assert sweep("project_uptake_request", OPENED - HOUR)["created"] == 0
    assert sweep("project_uptake_request", OPENED + HOUR) == {
        "created": 3,
        sv.email: "sent",
        colleague.email: "sent",
        en.email: "sent",
    }
    subjects = {m.to[0]: m.subject for m in mailoutbox}
    assert subjects[en.email] == (
        "[KLOSS-Net] What has your institution done with the network's results? (by 20 March)"
    )
    assert "20 mars" in subjects[sv.email] and "network's results" not in subjects[sv.email]
    english = next(m for m in mailoutbox if m.to == [en.email])
    assert "Mälardalens universitet" in english.body and "/projects/uptake/" in english.body
    assert english.alternatives[0][1] == "text/html"
    assert sweep("project_uptake_request", OPENED + 2 * HOUR)["created"] == 0  # sent once


def test_the_reminder_goes_only_to_institutions_that_have_not_answered(world, mailoutbox):
    round_, sv, colleague, en = world
    with time_machine.travel(OPENED + 24 * HOUR, tick=False):
        uptake = services.uptake_create(
            by=sv.user,
            institution=sv.institution,
            project=OutputFactory().project,
            level=Uptake.Level.INFORMED,
            description="Presenterat för rektors ledningsråd.",
            starts_on=datetime.date(2027, 2, 1),
        )
    assert uptake.round == round_
    assert sweep("project_uptake_due", DUE - HOUR)["created"] == 0
    assert sweep("project_uptake_due", DUE + HOUR) == {"created": 1, en.email: "sent"}
    assert mailoutbox[0].subject == "[KLOSS-Net] Reminder: your institution's uptake of the results, by 20 March"
    assert sweep("project_uptake_due", DUE + 2 * HOUR)["created"] == 0


def test_a_reminder_not_yet_sent_is_skipped_once_the_institution_answers(world, mailoutbox):
    round_, sv, colleague, en = world
    with time_machine.travel(DUE + HOUR, tick=False):
        ids = reminders_sweep(only=["project_uptake_due"]).ids
    assert len(ids) == 3
    with time_machine.travel(DUE + 2 * HOUR, tick=False):
        services.uptake_create(
            by=en.user,
            institution=en.institution,
            project=OutputFactory().project,
            level=Uptake.Level.ADOPTED,
            description="Införd i utbildningsstrategin.",
            starts_on=datetime.date(2027, 1, 1),
        )
        outcomes = {Delivery.objects.get(pk=pk).to_address: delivery_send(delivery_id=pk) for pk in ids}
    assert outcomes == {sv.email: "sent", colleague.email: "sent", en.email: "skipped"}


def test_no_question_after_the_deadline_or_from_a_round_that_does_not_ask(world, mailoutbox):
    round_, *_ = world
    assert sweep("project_uptake_request", datetime.datetime(2027, 3, 21, 9, tzinfo=STOCKHOLM))["created"] == 0
    round_.asks_uptake = False
    round_.save()
    assert sweep("project_uptake_request", OPENED + HOUR)["created"] == 0
    assert mailoutbox == []


def test_the_reminder_honours_the_opt_out_but_the_question_does_not(world, mailoutbox):
    round_, sv, colleague, en = world
    en.optional_reminders = False
    en.save()
    assert sweep("project_uptake_request", OPENED + HOUR)[en.email] == "sent"
    assert sweep("project_uptake_due", DUE + HOUR)[en.email] == "skipped"

import datetime

import pytest
from django.utils import timezone

import meetings.demo
from meetings.models import Meeting, Theme
from network import demo as network_demo
from network.models import Institution, Member
from projects import demo, selectors, services
from projects.models import Output, Participation, Project, Report, ReportingRound

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    network_demo.seed()
    meetings.demo.seed()
    demo.seed()


def test_demo_seed_covers_every_institution_and_type_idempotently(seeded):
    counts = (Theme.objects.count(), Project.objects.count(), Report.objects.count(), Output.objects.count())
    demo.seed()
    assert (Theme.objects.count(), Project.objects.count(), Report.objects.count(), Output.objects.count()) == counts
    assert Theme.objects.accepted().count() == 18  # the K3 programme's themes
    assert Theme.objects.filter(status=Theme.Status.PROPOSED).count() == 1  # one for the network to decide
    uncovered = Institution.objects.current_members().exclude(projects__isnull=False)
    assert not uncovered.exists()
    assert set(Output.objects.values_list("type", flat=True)) == set(Output.Type.values)
    assert Report.objects.filter(state=Report.State.SUBMITTED).count() > 10


def test_demo_is_true_to_the_networks_history(seeded):
    today = timezone.localdate()
    # (Slots not yet scheduled have no start; SQLite sorts those first, PostgreSQL last.)
    first_meeting = Meeting.objects.exclude(starts_at=None).order_by("starts_at").first()
    # The themes were chosen at a meeting: the first one, at KTH on 8 March 2017.
    assert set(Theme.objects.accepted().values_list("chosen_at", flat=True)) == {first_meeting.pk}
    assert first_meeting.host.short_name == "KTH"
    # No output is dated before its project started, nor after today.
    for output in Output.objects.select_related("project"):
        assert output.project.starts_on.year <= output.year <= today.year, output
    # AkUt, the spin-out, came out of the earlier project on spin-outs.
    spin_out = Output.objects.select_related("project", "spin_out").get(type=Output.Type.SPIN_OUT)
    assert spin_out.spin_out.title == "AkUt"
    assert spin_out.project.starts_on < spin_out.spin_out.starts_on
    assert all(p.starts_on < today for p in Project.objects.all())


def test_demo_has_a_reporting_round_open_today_for_the_next_meeting(seeded):
    today = timezone.localdate()
    past = ReportingRound.objects.filter(deadline__lt=today)
    assert past.count() == 2
    assert all(r.meeting.starts_at.date() < today for r in past)
    [open_round] = ReportingRound.objects.filter(deadline__gte=today)
    assert timezone.localtime(open_round.opened_at).date() == today
    assert open_round.meeting.starts_at.date() > today
    assert open_round.deadline <= open_round.meeting.starts_at.date()
    # The documented coordinator login owes a report in it and can write it at once.
    anders = Member.objects.get(user__email="anders.ek@ju.example.org")
    participations = list(Participation.objects.filter(member=anders, is_coordinator=True).select_related("project"))
    owed = [o for o in selectors.reports_owed_by(participations) if o.round == open_round]
    assert owed
    report = services.report_start(round=open_round, project=owed[0].project, by=anders.user)
    assert anders.user.has_perm("projects.edit_report", report)
    assert anders.user.has_perm("projects.submit_report", report)


def test_seed_logins_name_the_next_meetings_host_contact(seeded):
    [(email, role)] = meetings.demo.demo_logins()
    assert email.startswith("sofia.lindqvist@") and email.endswith(".example.org")
    assert Member.objects.get(user__email=email).institution == Meeting.objects.get(status="scheduled").host
    assert datetime.date.today().year - 1 <= Meeting.objects.get(status="scheduled").year


def test_demo_uptake_is_true_to_the_networks_history(seeded):
    """Institutions took up the first programme's shared results, most without taking part in the
    project; never before the result existed, never in the future; the demo is idempotent."""
    from projects.coverage import TAKEN_UP, coverage
    from projects.models import Uptake

    today = timezone.localdate()
    count = Uptake.objects.count()
    demo.seed()
    assert Uptake.objects.count() == count >= 12
    assert set(Uptake.objects.values_list("level", flat=True)) == set(Uptake.Level.values)
    outsiders = 0
    for uptake in Uptake.objects.select_related("project", "output"):
        assert uptake.project.starts_on <= uptake.starts_on < today, uptake
        if uptake.output:
            assert uptake.output.year <= uptake.starts_on.year, uptake
        if uptake.followed_up_on:
            assert uptake.starts_on <= uptake.followed_up_on <= today
        outsiders += not uptake.project.institutions.filter(pk=uptake.institution_id).exists()
    assert outsiders > count / 2
    assert Uptake.objects.exclude(evidence_file="").exists() and Uptake.objects.exclude(evidence_url="").exists()
    # The last past round and the open one ask every institution; records made before the past
    # round's deadline answered it.
    asking = ReportingRound.objects.filter(asks_uptake=True)
    assert asking.filter(deadline__gte=today).count() == 1 and asking.filter(deadline__lt=today).count() == 1
    assert Uptake.objects.filter(round__isnull=False).exists()
    table = coverage()
    assert any(cell.state == TAKEN_UP for row in table.rows for cell in row.cells)
    assert table.gaps > 0  # the gaps are there to see

import pytest

from meetings.models import Meeting
from network import demo as network_demo
from network.models import Institution
from projects import demo
from projects.models import Output, Project, Report, ReportingRound, Theme

pytestmark = pytest.mark.django_db


def test_demo_seed_covers_every_institution_and_type_idempotently():
    network_demo.seed()
    demo.seed()
    counts = (Theme.objects.count(), Project.objects.count(), Report.objects.count(), Output.objects.count())
    demo.seed()
    assert (Theme.objects.count(), Project.objects.count(), Report.objects.count(), Output.objects.count()) == counts
    assert Theme.objects.count() == 18
    uncovered = Institution.objects.current_members().exclude(projects__isnull=False)
    assert not uncovered.exists()
    assert set(Output.objects.values_list("type", flat=True)) == set(Output.Type.values)
    spin_out = Output.objects.get(type=Output.Type.SPIN_OUT)
    assert spin_out.spin_out.title == "AkUt"
    assert ReportingRound.objects.count() == 2
    assert Meeting.objects.filter(reporting_rounds__isnull=False).distinct().count() == 2
    assert Report.objects.filter(state=Report.State.SUBMITTED).count() > 10

import datetime

import factory
from django.utils import timezone

from meetings.tests.factories import ThemeFactory  # the model lives in meetings/ (projects build on it)
from network.tests.factories import InstitutionFactory, MemberFactory
from projects.models import Output, Participation, Project, Report, ReportingRound, Uptake


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    theme = factory.SubFactory(ThemeFactory)
    title = factory.Sequence(lambda n: f"Projekt {n}")
    summary = "Ett gemensamt utvecklingsprojekt."
    lead_institution = factory.SubFactory(InstitutionFactory)
    starts_on = datetime.date(2025, 1, 1)
    ends_on = datetime.date(2027, 12, 31)
    status = Project.Status.ACTIVE

    @factory.post_generation
    def institutions(self, create, extracted, **kwargs):
        if create:
            self.institutions.add(self.lead_institution, *(extracted or []))


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    project = factory.SubFactory(ProjectFactory)
    member = factory.SubFactory(MemberFactory)
    is_coordinator = False


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportingRound

    title = factory.Sequence(lambda n: f"Rapportering {n}")
    deadline = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=14))


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    round = factory.SubFactory(RoundFactory)
    project = factory.SubFactory(ProjectFactory)
    progress = "Vi har genomfört två workshoppar."


class OutputFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Output

    project = factory.SubFactory(ProjectFactory)
    type = Output.Type.REPORT
    title = factory.Sequence(lambda n: f"Resultat {n}")
    authors = "Anna Lind, Maria Berg"
    year = 2025


class UptakeFactory(factory.django.DjangoModelFactory):
    """An institution's uptake of an output (give `output=None, project=...` for a project as a whole)."""

    class Meta:
        model = Uptake

    institution = factory.SubFactory(InstitutionFactory)
    output = factory.SubFactory(OutputFactory)
    project = factory.LazyAttribute(lambda uptake: uptake.output.project if uptake.output else ProjectFactory())
    level = Uptake.Level.ADOPTED
    description = "Modellen används nu i vår egen samverkansstrategi."
    responsible = "Samverkanskontoret"
    starts_on = datetime.date(2025, 9, 1)

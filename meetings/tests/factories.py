import datetime
import zoneinfo

import factory
from django.utils import timezone

from meetings.models import AgendaItem, Attendance, Meeting, MeetingDocument, Theme
from network.tests.factories import InstitutionFactory, MemberFactory

STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")


def in_days(days: int, hour: int = 10) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return datetime.datetime(day.year, day.month, day.day, hour, 0, tzinfo=STOCKHOLM)


def winter_day_ahead(years: int = 5) -> datetime.date:
    """10 March a few years from now: always in the future, and always in Stockholm's winter time
    (CET, UTC+1; summer time begins on the last Sunday of March), for tests that check a UTC offset."""
    return datetime.date(timezone.localdate().year + years, 3, 10)


class MeetingFactory(factory.django.DjangoModelFactory):
    """A proposed slot in a far-off year unless told otherwise (years never collide)."""

    class Meta:
        model = Meeting

    year = factory.Sequence(lambda n: 2100 + n)
    season = Meeting.Season.SPRING
    host = factory.SubFactory(InstitutionFactory)
    status = Meeting.Status.PROPOSED


class ScheduledMeetingFactory(MeetingFactory):
    status = Meeting.Status.SCHEDULED
    starts_at = factory.LazyFunction(lambda: in_days(30))
    ends_at = factory.LazyFunction(lambda: in_days(31, 15))
    registration_deadline = factory.LazyFunction(lambda: in_days(20))
    venue = "Aula Magna"
    address = "Universitetsvägen 10\nStockholm"


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    meeting = factory.SubFactory(ScheduledMeetingFactory)
    member = factory.SubFactory(MemberFactory)
    status = Attendance.Status.ATTENDING
    responded_at = factory.LazyFunction(timezone.now)


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(ScheduledMeetingFactory)
    title = factory.Sequence(lambda n: f"Punkt {n}")


class MeetingDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingDocument

    meeting = factory.SubFactory(ScheduledMeetingFactory)
    kind = MeetingDocument.Kind.AGENDA
    title = "Dagordning"
    file = factory.django.FileField(filename="agenda.txt", data=b"Dagordning\n")
    original_name = "agenda.txt"
    content_type = "text/plain"
    size = 11


def host_contact_of(meeting: Meeting):
    """An approved member of the meeting's host institution."""
    return MemberFactory(institution=meeting.host)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    name_sv = factory.Sequence(lambda n: f"Tema {n}")
    name_en = factory.Sequence(lambda n: f"Theme {n}")
    status = Theme.Status.ACCEPTED
    is_active = True

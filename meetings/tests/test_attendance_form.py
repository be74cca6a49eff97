"""Who was there: a choice that is no 64-bit integer is refused by the form, on both databases (the
form fuzzer found SQLite raising OverflowError on `pk__in=[9223372036854775808]`: a server error)."""

import pytest

from meetings.forms import AttendanceMarkForm
from meetings.tests.factories import AttendanceFactory, ScheduledMeetingFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("field", ["present", "others"])
@pytest.mark.parametrize("value", ["9223372036854775808", "-9223372036854775809", "1e3", "x"])
def test_a_choice_out_of_range_is_an_error_of_the_field(field, value):
    meeting = ScheduledMeetingFactory()
    AttendanceFactory(meeting=meeting)
    form = AttendanceMarkForm(data={field: [value]}, meeting=meeting)
    assert not form.is_valid()
    assert field in form.errors


def test_a_real_choice_is_accepted():
    meeting = ScheduledMeetingFactory()
    attendance = AttendanceFactory(meeting=meeting)
    form = AttendanceMarkForm(data={"present": [str(attendance.member.pk)]}, meeting=meeting)
    assert form.is_valid(), form.errors
    assert list(form.cleaned_data["present"]) == [attendance.member]

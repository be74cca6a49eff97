"""The demo is true to the README: the logins it documents hold the roles it says they hold."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

import network.demo
from network.models import SteeringGroupSeat

pytestmark = pytest.mark.django_db

README = Path(settings.BASE_DIR) / "README.md"


def readme_logins() -> dict[str, str]:
    """The README's table of demo logins: email -> role."""
    rows = re.findall(r"^\| ([\w.-]+@[\w.-]+) \| (.+) \|$", README.read_text(), flags=re.MULTILINE)
    return dict(rows)


def test_readme_steering_group_logins_have_a_current_seat_since_the_year_it_says():
    network.demo.seed()
    network.demo.seed()  # a second run changes nothing and keeps the seats true
    logins = readme_logins()
    today = timezone.localdate()
    on_the_group = {email: role for email, role in logins.items() if "steering group" in role}
    assert "anna.lind@kth.example.org" in on_the_group and "erik.johansson@liu.example.org" in on_the_group
    for email, role in on_the_group.items():
        seats = list(SteeringGroupSeat.objects.filter(member__user__email=email).order_by("starts_on"))
        current = SteeringGroupSeat.objects.current().filter(member__user__email=email)
        assert current.exists(), f"{email} ({role}) has no current seat"
        if "chair" in role:
            assert current.filter(role=SteeringGroupSeat.Role.CHAIR).exists(), email
        since = re.search(r"since (\d{4})", role)
        if since:
            assert seats[0].starts_on.year == int(since.group(1)), email
            # Without a break from then to today: each seat begins by the day after the one before ends.
            for before, after in zip(seats, seats[1:], strict=False):
                assert before.ends_on is not None and after.starts_on <= before.ends_on + datetime.timedelta(days=1)
            assert seats[-1].ends_on is None or seats[-1].ends_on >= today

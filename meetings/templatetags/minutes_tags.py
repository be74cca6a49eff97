"""The meeting page's minutes panel (templates/meetings/minutes/_meeting_minutes.html)."""

from django import template
from django.utils import timezone

from ..minutes.models import Minutes

register = template.Library()


@register.simple_tag
def minutes_for(meeting):
    """The meeting's minutes, or None: one query, and none for a meeting yet to start (minutes are
    written once it has started: the page of a coming meeting costs what it did)."""
    if meeting.starts_at is None or meeting.starts_at > timezone.now():
        return None
    try:
        return meeting.site_minutes  # loaded with the meeting on its page (MeetingDetailView), else read now
    except Minutes.DoesNotExist:
        return None

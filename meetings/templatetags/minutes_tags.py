"""The meeting page's minutes panel (templates/meetings/minutes/_meeting_minutes.html)."""

from django import template

from ..minutes import selectors

register = template.Library()


@register.simple_tag
def minutes_for(meeting):
    """The meeting's minutes, or None (one query)."""
    return selectors.minutes_of(meeting)

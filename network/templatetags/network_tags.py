from django import template

from network import selectors

register = template.Library()


@register.simple_tag
def current_lead():
    """The institution leading the network today (a LeadershipTerm), for the home page."""
    return selectors.current_lead()

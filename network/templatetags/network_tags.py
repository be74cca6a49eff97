from django import template

from network import selectors
from network.federation.metadata import PROBLEMS

register = template.Library()


@register.simple_tag
def current_lead():
    """The institution leading the network today (a LeadershipTerm), for the home page."""
    return selectors.current_lead()


@register.filter
def federation_problem(code: str) -> str:
    """A federation problem's code in the reader's words (network/federation/metadata.py PROBLEMS)."""
    return str(PROBLEMS.get(code, code))

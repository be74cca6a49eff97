"""Template tags for the partials that network pages include (institution and member pages)."""

from django import template

from .. import selectors

register = template.Library()


@register.simple_tag
def projects_of_institution(institution):
    return list(selectors.projects_of_institution(institution))


@register.simple_tag
def projects_of_member(member):
    return list(selectors.projects_of_member(member))


@register.simple_tag
def uptakes_of_institution(institution):
    return list(selectors.uptakes_of_institution(institution))

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from .. import selectors

register = template.Library()


@register.simple_tag
def meetings_hosted_by(institution):
    """The institution page's hosting history: the same page for every member (one fragment), so
    only the meetings every member may see (no steering-group meeting)."""
    return list(selectors.meetings_hosted_by(institution))


@register.simple_tag
def participation_cells(present: list[bool]):
    """One row's cells of the participation register ("Was every institution at the table?"): a
    check mark or a dash, each with its word for screen readers. Built here, not by a template loop
    per cell: the register has a cell per member institution and meeting, the dashboard's largest part."""
    cells = {
        True: format_html(
            '<td><span aria-hidden="true">✓</span><span class="visually-hidden">{}</span></td>', gettext("present")
        ),
        False: format_html(
            '<td><span aria-hidden="true">–</span><span class="visually-hidden">{}</span></td>', gettext("absent")
        ),
    }
    return mark_safe("".join(cells[bool(p)] for p in present))  # the cells are escaped above

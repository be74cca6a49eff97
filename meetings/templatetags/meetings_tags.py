from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from network.language import dates

from .. import selectors

register = template.Library()


@register.simple_tag
def action_due(action) -> str:
    """An action's deadline as a clause: ", due 12 March 2027", ", due by Autumn 2027", or nothing.

    A tag, not an included template: a plain-text email writes it inside brackets on one line, and an
    included file's last newline would break that line before the ")"."""
    if action.due_on:
        return ", " + gettext("due %(date)s") % {"date": dates.day(action.due_on)}
    if action.due_meeting_id:
        return ", " + gettext("due by %(meeting)s") % {"meeting": action.due_meeting.display_title}
    return ""


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

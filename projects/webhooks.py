"""The projects app's webhook events (network/webhooks/events.py), emitted by projects/services.py:

- output.added   a project recorded a new output (a report, an article, an event, a spin-out …).

Outputs are seen by every member (projects/views.py: MemberRequiredMixin, "network.view_intranet"),
so every subscription to the event receives them.
"""

from __future__ import annotations

import rules
from django.utils.translation import gettext_lazy as _

from network.webhooks.events import absolute, moment, webhook_event

from .models import Output


def _may_see_output(output: Output, reader) -> bool:
    return rules.has_perm("network.view_intranet", reader)


@webhook_event("output.added", label=_("A project adds an output"), visible=_may_see_output)
def output_added(output: Output, reader) -> dict:
    project = output.project
    return {
        "output": {
            "id": output.pk,
            "type": output.type,
            "title": output.title,
            "authors": output.authors,
            "year": output.year,
            "doi": output.doi,
            "isbn": output.isbn,
            "link": output.url,
            "added_at": moment(output.created_at),
            "url": absolute(output.get_absolute_url()),
        },
        "project": {
            "id": project.pk,
            "title": project.title,
            "lead_institution_id": project.lead_institution_id,
            "url": absolute(project.get_absolute_url()),
        },
    }

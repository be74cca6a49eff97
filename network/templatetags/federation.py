"""The list of universities one can sign in with (network/federation/), for the login and signup pages."""

import logging

from django import template
from django.db import DatabaseError

from network.models import Institution

register = template.Library()
logger = logging.getLogger(__name__)


@register.inclusion_tag("network/federation/_choose.html", takes_context=True)
def federation_choice(context, process="login"):
    """Nothing at all until at least one member institution has an identity provider."""
    request = context.get("request")
    try:
        institutions = list(
            Institution.objects.current_members()
            .filter(identity_provider__isnull=False)
            .only("name", "slug", "short_name")
            .order_by("name")
        )
    except DatabaseError:  # the password form must still render (it needs no query until posted)
        logger.exception("federation: the list of universities could not be read")
        institutions = []
    return {
        "institutions": institutions,
        "process": process,
        "next": request.GET.get("next", "") if request is not None else "",
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }

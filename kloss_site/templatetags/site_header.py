"""`{% site_header %}`: the header of every page (templates/includes/_site_header.html).

Rendering it took about a millisecond a page (eleven URL reversals, the language switcher, a dozen
translations), a fifth of a warm page's time. What it shows depends on a handful of inputs (the
language, whether she is signed in, a member, staff; the section she is in), so each combination is
rendered once per process and kept in memory; what is hers alone is filled into holes on every
request: the CSRF token (a new mask each time, as `{% csrf_token %}` gives), her name and the page
the language switcher returns to. Nothing is kept across processes and nothing of one request is
kept for another: the memory holds only the holes' markers. Its key names every input the template
reads, so it is never stale; it is bounded (MAX_KEPT) and emptied when it is full.
"""

from dataclasses import dataclass

from django import template
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

from network.models import Member

register = template.Library()

TEMPLATE = "includes/_site_header.html"
MAX_KEPT = 512  # combinations: 2 languages x a few roles x the sections; far fewer in practice

# Markers from Unicode's private use area: autoescaping leaves them as they are and no text of the
# site contains them.
CSRF_HOLE = "\ue000csrf\ue000"
NAME_HOLE = "\ue000name\ue000"
NEXT_HOLE = "\ue000next\ue000"


@dataclass(frozen=True)
class _Inputs:
    language: str
    authenticated: bool
    has_profile: bool  # an approved member or an applicant: "My profile"
    staff: bool
    is_intranet_member: bool
    app: str
    url_name: str
    is_home: bool
    urlconf: str | None
    script_prefix: str


_kept: dict[_Inputs, str] = {}


def _inputs(context, request, user) -> _Inputs:
    match = getattr(request, "resolver_match", None)
    authenticated = bool(user is not None and user.is_authenticated)
    member = getattr(user, "member", None) if authenticated else None
    app = (match.app_name if match else "") or ""
    url_name = (match.url_name if match else "") or ""
    return _Inputs(
        language=translation.get_language() or "",
        authenticated=authenticated,
        has_profile=getattr(member, "status", None) in (Member.Status.APPROVED, Member.Status.APPLICANT),
        staff=authenticated and user.is_staff,
        is_intranet_member=bool(context.get("is_intranet_member")),
        app=app,
        url_name=url_name,
        is_home=not app and url_name == "home",
        urlconf=str(get_urlconf()) if get_urlconf() else None,
        script_prefix=get_script_prefix(),
    )


def render_header(inputs: _Inputs) -> str:
    """The header for these inputs, with the holes' markers in place of what is per request."""
    return render_to_string(
        TEMPLATE,
        {
            **{name: getattr(inputs, name) for name in inputs.__dataclass_fields__},
            "csrf_token": CSRF_HOLE,
            "display_name": NAME_HOLE,
            "switcher_next": NEXT_HOLE,
        },
    )


@register.simple_tag(takes_context=True)
def site_header(context):
    request = context.get("request")
    user = context.get("user")
    if request is None:  # rendered outside a request: nothing to fill in, nothing to keep
        return render_to_string(TEMPLATE, context.flatten())
    inputs = _inputs(context, request, user)
    html = _kept.get(inputs)
    if html is None:
        html = render_header(inputs)
        if len(_kept) >= MAX_KEPT:
            _kept.clear()
        _kept[inputs] = html
    name = (user.get_full_name() or user.email) if inputs.authenticated else ""
    # The template's output, with the filled-in values escaped here.
    return mark_safe(
        html.replace(CSRF_HOLE, get_token(request))
        .replace(NAME_HOLE, escape(name))
        .replace(NEXT_HOLE, escape(request.get_full_path()))
    )

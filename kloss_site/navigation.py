"""The site's navigation: the links of the header, the footer and the breadcrumbs, and the section a
page belongs to (which main link is marked `aria-current`).

A context processor gives every template `nav`, a dictionary filled as the template reads it:
`{{ nav.meetings }}` reverses `meetings:meeting_list` the first time a template of this request
asks and keeps it for the rest of the request, so the header, the breadcrumb and the page share one
reversal of each link, and a template that shows none (the benchmark's floor, an API answer)
reverses nothing. Nothing is kept across requests. The section is decided here, from the request's
resolved URL, instead of by six comparisons in the header.

It lives in kloss_site because it names every app's URLs (the apps stand in layers: network's
templates do not name the meetings or projects URLs; only templates of the app that owns a URL or
of the site use `nav.<link>`).
"""

from django.urls import reverse

# The name a template reads -> the URL's name.
LINKS = {
    "home": "home",
    "landing": "landing",
    "privacy": "network:privacy_notice",
    "profile": "network:profile_edit",
    "approvals": "network:approval_list",
    "messages": "network:message_list",
    "network": "network:member_list",
    "meetings": "meetings:meeting_list",
    "projects": "projects:project_list",
    "results": "projects:output_list",
    "admin": "admin:index",
    "logout": "account_logout",
    "set_language": "set_language",
}


def section(match) -> str:
    """The main link the page belongs to: home, network, meetings, projects, results, or none."""
    if match is None:
        return ""
    if match.url_name == "output_list":
        return "results"
    if match.app_name in ("network", "meetings", "projects"):
        return match.app_name
    if not match.app_name and match.url_name == "home":
        return "home"
    return ""


class Navigation(dict):
    """`nav.<link>` for the LINKS above and `nav.section`, each computed when first read."""

    def __init__(self, request):
        super().__init__()
        self.request = request

    def __missing__(self, name: str) -> str:
        if name == "section":
            value = section(getattr(self.request, "resolver_match", None))
        elif name in LINKS:
            value = reverse(LINKS[name])
        else:
            raise KeyError(name)
        self[name] = value
        return value


def navigation(request):
    return {"nav": Navigation(request)}

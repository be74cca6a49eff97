"""The site's error pages, in its layout and the visitor's language (templates/400.html ... 500.html).

- 403 and 404: Django's own handlers render 403.html and 404.html with the request (her navigation);
- 400: Django renders 400.html without the request; `bad_request` gives it the request too;
- 500: Django's handler renders 500.html without the request and so without a query (the database may
  be what failed): the template asks nothing of it;
- 405: `require_POST` and `View.http_method_not_allowed` answer with an empty body;
  `MethodNotAllowedPageMiddleware` puts the site's page into it (the Allow header stays);
- a refused CSRF check (settings.CSRF_FAILURE_VIEW): `csrf_failure`, 403 with what to do.
"""

from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme


def _same_site_referer(request) -> str:
    referer = request.headers.get("referer", "")
    if referer and url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure()):
        return referer
    return ""


def bad_request(request, exception=None):
    """400 (a SuspiciousOperation), with her navigation like every other page."""
    return render(request, "400.html", status=400)


def csrf_failure(request, reason=""):
    """A form sent without a valid CSRF token (an old tab, a new login in another tab, blocked
    cookies): 403 in the site's layout, with the way back to the form. `reason` is for the log only."""
    return render(request, "403_csrf.html", {"back": _same_site_referer(request)}, status=403)


class MethodNotAllowedPageMiddleware:
    """A 405 with an empty body (Django's HttpResponseNotAllowed) gets the site's page; its Allow
    header is kept. A 405 that already says something is left as it is."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or response.streaming or response.content:
            return response
        page = render(request, "405.html", {"back": _same_site_referer(request)}, status=405)
        if response.has_header("Allow"):
            page["Allow"] = response["Allow"]
        return page

"""Access: the admin's login, staff rights behind a second factor, private pages not stored by
caches, and request bodies refused by size before they are read."""

from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.middleware import get_user
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _

from . import mfa
from .rules import is_staff_with_mfa


def staff_has_mfa(user) -> bool:
    """TOTP is set up for this account (whether or not this session used it: see network/mfa.py)."""
    return mfa.has_totp(user)


def second_factor_redirect(request, next_url: str, message: str):
    """To allauth's TOTP set-up, or (TOTP set up, but not used in this session) to its TOTP check;
    both come back to `next_url`."""
    user = request.user
    if mfa.has_totp(user):
        messages.warning(request, _("Please confirm with a code from your authenticator app first."))
        target = reverse("mfa_reauthenticate")
    else:
        messages.warning(request, message)
        target = reverse("mfa_activate_totp")
    return redirect(target + "?" + urlencode({"next": next_url}))


class AdminMFAMiddleware:
    """- the admin's own login form has no rate limit: send it to allauth's login instead;
    - staff without a second factor in this session are sent to complete one before any admin page
      opens (the same predicate as every staff right on the site)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        admin_root = reverse("admin:index")
        if request.path.startswith(admin_root):
            if request.path == reverse("admin:login"):
                target = request.GET.get("next") or admin_root
                return redirect(reverse("account_login") + "?" + urlencode({"next": target}))
            user = request.user
            if user.is_authenticated and user.is_staff and not is_staff_with_mfa(user):
                return second_factor_redirect(
                    request,
                    request.path,
                    _("The administration requires two-factor authentication. Please set it up first."),
                )
        return self.get_response(request)


class StaffMFAMiddleware:
    """Staff rights are decided by the predicate `network.rules.is_staff_with_mfa`, which needs to
    know whether this session completed a second factor: the request's user is given that answer
    (lazily, network/mfa.py). When a view refuses a staff account that has not completed one (403,
    or 404 for what she may not see), she is sent to complete it and then back: no list of paths,
    so every staff view, present or future, gets the rule from its predicate."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.user = SimpleLazyObject(partial(self._user, request))
        return self.get_response(request)

    @staticmethod
    def _user(request):
        user = get_user(request)  # AuthenticationMiddleware's user, cached on the request
        if user.is_authenticated and user.is_staff:
            mfa.attach_session_state(request, user)
        return user

    def process_exception(self, request, exception):
        if not isinstance(exception, (PermissionDenied, Http404)):
            return None
        user = request.user
        if not user.is_authenticated or not getattr(user, mfa.MISSED, False):
            return None  # not refused for want of a second factor
        if request.method in ("GET", "HEAD"):
            back = request.get_full_path()
        else:  # an action (POST): back to the page it was sent from
            referer = request.headers.get("referer", "")
            safe = url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure())
            back = referer if referer and safe else reverse("home")
        return second_factor_redirect(
            request, back, _("Staff tasks require two-factor authentication. Please set it up first.")
        )


class PrivateCacheMiddleware:
    """A response to a signed-in user is hers alone: no shared cache (a proxy) may keep it and no
    browser cache may store it (`private, no-store`). A view that chose private caching itself (the
    calendar feed: `private, max-age=...`) keeps its header."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            chosen = response.get("Cache-Control", "")
            if "private" not in [part.strip() for part in chosen.split(",")]:
                response["Cache-Control"] = "private, no-store"
        return response


class RequestSizeLimitMiddleware:
    """A request body larger than MAX_REQUEST_SIZE (a file of MAX_UPLOAD_SIZE and the form's fields)
    is refused with 413 from its Content-Length, before anything reads it: a 25 MB upload is not
    received, stored in a temporary file and only then rejected by the form. The size a file may
    have is still checked by the forms (a smaller request with a file just over MAX_UPLOAD_SIZE)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_SIZE:
            return self._too_large(request)
        return self.get_response(request)

    @staticmethod
    def _too_large(request):
        # Sessions, the user and the language are not known yet this early: a page of its own, in
        # the language the browser asks for.
        with translation.override(translation.get_language_from_request(request)):
            return RequestSizeLimitMiddleware._too_large_page(request)

    @staticmethod
    def _too_large_page(request):
        limit_mb = settings.MAX_UPLOAD_SIZE // (1024 * 1024)
        message = _("The file is too large: at most %(size)s MB can be uploaded at a time.") % {"size": limit_mb}
        referer = request.headers.get("referer", "")
        back = referer if url_has_allowed_host_and_scheme(referer, {request.get_host()}, request.is_secure()) else ""
        body = render_to_string("413.html", {"message": message, "back": back, "lang": translation.get_language()})
        return HttpResponse(body, status=413)

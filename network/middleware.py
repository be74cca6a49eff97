"""The admin is reached only through allauth's login (rate-limited) and only with a second factor."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _


def staff_has_mfa(user) -> bool:
    from allauth.mfa.models import Authenticator  # allauth's table of second factors

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class AdminMFAMiddleware:
    """- the admin's own login form has no rate limit: send it to allauth's login instead;
    - staff without a TOTP authenticator are sent to set one up before any admin page opens."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        admin_root = reverse("admin:index")
        if request.path.startswith(admin_root):
            if request.path == reverse("admin:login"):
                target = request.GET.get("next") or admin_root
                return redirect(reverse("account_login") + "?" + urlencode({"next": target}))
            user = request.user
            if user.is_authenticated and user.is_staff and not staff_has_mfa(user):
                messages.warning(
                    request, _("The administration requires two-factor authentication. Please set it up first.")
                )
                return redirect(reverse("mfa_activate_totp") + "?" + urlencode({"next": request.path}))
        return self.get_response(request)

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.urls import reverse

from . import services
from .rules import is_applicant


class AccountAdapter(DefaultAccountAdapter):
    """Signup is open; approval by the secretariat gates the intranet (see network.services).

    The two membership moments are hooked here, explicitly, instead of signals: `save_user` creates
    the (unverified) Member, `confirm_email` makes her an applicant and tells the secretariat.
    """

    def is_open_for_signup(self, request) -> bool:
        return True

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        data = form.cleaned_data
        services.member_register(
            user=user,
            institution=data["institution"],
            title=data["title"],
            role=data.get("role") or "other",
            language=getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
            privacy_version=settings.PRIVACY_NOTICE_VERSION if data.get("accept_privacy") else "",
        )
        return user

    def confirm_email(self, request, email_address) -> bool:
        confirmed = super().confirm_email(request, email_address)
        if confirmed:
            services.member_mark_verified(user=email_address.user)
        return confirmed

    def get_login_redirect_url(self, request) -> str:
        if is_applicant(request.user):
            return reverse("network:application_status")
        return super().get_login_redirect_url(request)

import datetime

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.urls import reverse
from django.utils import timezone

from network.outbox.mail import mail_enqueue_message

from . import services
from .rules import is_applicant


class AccountAdapter(DefaultAccountAdapter):
    """Signup is open; approval by the secretariat gates the intranet (see network.services).

    The two membership moments are hooked here, explicitly, instead of signals: `save_user` creates
    the (unverified) Member, `confirm_email` makes her an applicant and tells the secretariat.
    allauth's emails (address verification, password reset, ...) go through the outbox like every
    other: `send_mail` renders them in the request's language and queues them (network/outbox/mail.py).
    """

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render allauth's message now (its links need the request) and queue it; nothing is sent here.

        Side effects: one Delivery row (kind `account_<name>`), handed to the worker after commit.
        """
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request), **context}
        message = self.render_mail(template_prefix, email, ctx)
        name = template_prefix.rsplit("/", 1)[-1]
        now = timezone.now()
        user = context.get("user")
        # Unique per moment: asking twice for a reset link sends twice, as without the outbox.
        subject = f"network.user:{user.pk}" if getattr(user, "pk", None) else "account"
        mail_enqueue_message(
            kind=f"account_{name}"[:60],
            message=message,
            object_key=f"{subject}@{now:%Y-%m-%dT%H:%M:%S.%f}",
            obj=user if getattr(user, "pk", None) else None,
            # Its link expires (confirmation, reset): a message this old is not worth sending.
            expires_at=now + datetime.timedelta(days=settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS),
        )

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

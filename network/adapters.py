import datetime

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.core import context as allauth_context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.urls import reverse
from django.utils import timezone

from network.federation import identity
from network.federation import saml as federation_saml
from network.federation import views as federation_views
from network.outbox.mail import mail_enqueue_message

from . import mfa, services
from .models import Member, User
from .rules import is_applicant

DEPARTED = (Member.Status.LEFT, Member.Status.REJECTED)


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

    def get_signup_redirect_url(self, request) -> str:
        # A university login signs a new applicant up and in at once: where any login of hers goes.
        return self.get_login_redirect_url(request)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Signing in with a university account (SWAMID, network/federation/).

    allauth's SAML apps are generated per request from the verified federation metadata (`list_apps`);
    `pre_social_login` decides who she is once allauth has verified the response: refused (a page in
    her language, logged, nothing created), linked to the member whose verified address it is, or a
    new applicant at the provider's institution (`save_user`).
    """

    def list_apps(self, request, provider=None, client_id=None):
        if provider not in (None, federation_saml.PROVIDER) or client_id not in (None, federation_saml.SLUG):
            return []
        app = federation_saml.app_for_request(request)
        return [app] if app is not None else []

    def is_open_for_signup(self, request, sociallogin) -> bool:
        return True

    def is_auto_signup_allowed(self, request, sociallogin) -> bool:
        return True

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None) -> None:
        """python3-saml refused the response (signature, validity, audience, ...): logged, allauth's page shown."""
        reasons = (extra_context or {}).get("saml_last_error_reason") or error or exception
        federation_views.logger.warning("federated login refused: %s", reasons)

    def _refuse(self, request, code: str):
        raise ImmediateHttpResponse(federation_views.refused(request, code))

    def pre_social_login(self, request, sociallogin) -> None:
        saml_response = getattr(request, "federation_response", "")
        idp = federation_saml.provider_by_entity_id(federation_saml.response_issuer(saml_response))
        if idp is None:
            self._refuse(request, "unknown_idp")
        try:
            found = identity.identity_check(idp=idp, attributes=sociallogin.account.extra_data)
        except identity.Refused as refusal:
            self._refuse(request, refusal.code)
        if sociallogin.account.uid != found.uid:
            self._refuse(request, "no_identifier")
        request.federation_identity = found
        sociallogin.email_addresses = (
            [EmailAddress(email=found.email, verified=found.email_verified, primary=True)] if found.email else []
        )
        user = sociallogin.user if sociallogin.is_existing else None
        if user is None and sociallogin.state.get("process") == "connect" and request.user.is_authenticated:
            user = request.user
        if user is None and found.email:
            owner = User.objects.filter(emailaddress__email__iexact=found.email).first()
            if owner is None:
                owner = User.objects.filter(email__iexact=found.email).first()
            if owner is not None:
                verified_match = EmailAddress.objects.filter(user=owner, email__iexact=found.email, verified=True)
                if not (found.email_verified and verified_match.exists()):
                    self._refuse(request, "address_taken")
                user = owner
        if user is not None:
            member = getattr(user, "member", None)
            if not user.is_active or (member is not None and member.status in DEPARTED):
                self._refuse(request, "departed")
            sociallogin.email_addresses = []  # an existing account keeps the addresses it has
            if not sociallogin.is_existing and sociallogin.state.get("process") != "connect":
                sociallogin.connect(request, user)  # linked, never duplicated
        # Her university's MFA counts as this session's second factor (network/mfa.py) only when asserted.
        request.session[mfa.FEDERATED_SESSION_KEY] = found.uid if identity.asserts_mfa(saml_response) else ""

    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        found = getattr(request, "federation_identity", None)
        if found is not None:
            user.email = found.email
        return user

    def save_user(self, request, sociallogin, form=None):
        """A new person: her account, and her Member row at the provider's institution; an applicant at
        once when her address is verified (the secretariat is told), else once she confirms it."""
        user = super().save_user(request, sociallogin, form=form)
        found = request.federation_identity
        user.member = services.member_register(  # and the user's cached "no member yet" forgotten
            user=user,
            institution=found.institution,
            title="",
            language=getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
            # The choice of university says that signing in accepts the privacy notice (login.html).
            privacy_version=settings.PRIVACY_NOTICE_VERSION,
        )
        if found.email_verified:
            services.member_mark_verified(user=user)
        return user

"""The webhook subscriptions in the backoffice: issue one (its secret shown once), rotate the secret,
send a test event, pause and resume; each subscription's recent calls (the calls themselves are rows of
the outbox's Deliveries, with its "send again")."""

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from network.models import WebhookSubscription

from . import services
from .addresses import url_check
from .events import event_choices

RECENT = 10


class WebhookSubscriptionForm(forms.ModelForm):
    url = forms.URLField(
        label=_("address"),
        max_length=500,
        assume_scheme="https",
        help_text=_("https:// address of the receiving system."),
    )
    events = forms.MultipleChoiceField(
        label=_("events"), widget=forms.CheckboxSelectMultiple, choices=event_choices, required=True
    )

    class Meta:
        model = WebhookSubscription
        fields = ["name", "institution", "url", "events", "contact_email", "language"]

    def clean_url(self) -> str:
        url = self.cleaned_data["url"].strip()
        url_check(url)  # https, public addresses only: a ValidationError with its reason
        return url


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    form = WebhookSubscriptionForm
    list_display = ["name", "institution_shown", "url", "events_shown", "status", "failing_since", "created_at"]
    list_filter = ["status", "institution"]
    search_fields = ["name", "url", "contact_email", "institution__name"]
    list_select_related = ["institution"]
    readonly_fields = [
        "secret_shown", "previous_secret_until", "status", "paused_at", "paused_reason", "failing_since",
        "recent_deliveries", "created_by", "created_at", "updated_at",
    ]  # fmt: skip
    actions = ["resume", "pause", "rotate_secret", "send_test_event"]

    def get_fieldsets(self, request, obj=None):
        main = (None, {"fields": ["name", "institution", "url", "events", "contact_email", "language"]})
        if obj is None:
            return [main]
        return [main, (_("State"), {"fields": self.readonly_fields})]

    @admin.display(description=_("institution"), ordering="institution__name")
    def institution_shown(self, obj: WebhookSubscription) -> str:
        return obj.institution.name if obj.institution_id else _("The network")

    @admin.display(description=_("events"))
    def events_shown(self, obj: WebhookSubscription) -> str:
        return ", ".join(obj.events)

    @admin.display(description=_("signing secret"))
    def secret_shown(self, obj: WebhookSubscription) -> str:
        # Shown whole once, when it is made (a message); afterwards only its end, to tell two apart.
        return f"whsec_…{obj.secret[-4:]}"

    @admin.display(description=_("recent calls"))
    def recent_deliveries(self, obj: WebhookSubscription) -> str:
        rows = obj.deliveries.order_by("-created_at", "-pk")[:RECENT]
        listed = format_html_join(
            "",
            '<tr><td><a href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>',
            (
                (
                    reverse("admin:network_delivery_change", args=[row.pk]),
                    row.kind.removeprefix(services.KIND_PREFIX),
                    row.get_status_display(),
                    row.attempts,
                    row.sent_at or row.created_at,
                    Truncator(row.last_error).chars(120),
                )
                for row in rows
            ),
        )
        everything = reverse("admin:network_delivery_changelist") + f"?webhook={obj.pk}"
        return format_html(
            '<table><thead><tr><th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th>'
            '<th scope="col">{}</th><th scope="col">{}</th><th scope="col">{}</th></tr></thead><tbody>{}</tbody>'
            '</table><p><a href="{}">{}</a></p>',
            _("call"), _("event"), _("status"), _("attempts"), _("time"), _("last error"),
            listed,
            everything,
            _("All calls of this subscription"),
        )  # fmt: skip

    def save_model(self, request, obj, form, change):
        created = obj.pk is None
        services.subscription_save(subscription=obj, by=request.user)
        if created:
            self._show_secret(request, obj)

    def _show_secret(self, request, obj: WebhookSubscription) -> None:
        self.message_user(
            request,
            _(
                "The signing secret of “%(name)s” is shown only now: %(secret)s — give it to the receiving "
                "system (it verifies each call's webhook-signature with it)."
            )
            % {"name": obj.name, "secret": obj.secret},
            messages.WARNING,
        )

    @admin.action(description=_("Resume (and send what it missed)"), permissions=["change"])
    def resume(self, request, queryset):
        resumed = queued = 0
        for subscription in queryset.filter(status=WebhookSubscription.Status.PAUSED):
            queued += services.subscription_resume(subscription=subscription, by=request.user)
            resumed += 1
        self.message_user(
            request,
            ngettext(
                "%(n)d subscription resumed; %(queued)d calls handed to the worker.",
                "%(n)d subscriptions resumed; %(queued)d calls handed to the worker.",
                resumed,
            )
            % {"n": resumed, "queued": queued},
        )

    @admin.action(description=_("Pause"), permissions=["change"])
    def pause(self, request, queryset):
        for subscription in queryset:
            services.subscription_pause(
                subscription=subscription, by=request.user, reason=_("Paused by %(who)s.") % {"who": request.user}
            )
        self.message_user(request, _("Paused. What happens meanwhile is sent when it is resumed."))

    @admin.action(description=_("New signing secret (shown once)"), permissions=["change"])
    def rotate_secret(self, request, queryset):
        for subscription in queryset:
            services.subscription_secret_rotate(subscription=subscription, by=request.user)
            self._show_secret(request, subscription)

    @admin.action(description=_("Send a test event"), permissions=["change"])
    def send_test_event(self, request, queryset):
        for subscription in queryset:
            services.webhook_ping(subscription=subscription, by=request.user)
        url = reverse("admin:network_delivery_changelist") + f"?kind={services.kind_of_event(services.PING)}"
        self.message_user(
            request,
            format_html('{} <a href="{}">{}</a>', _("Test event sent."), url, _("See how it went in Deliveries.")),
        )

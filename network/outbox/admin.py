"""The delivery log in the backoffice: what was sent, what waits, what failed — and "send again".

Every email of the site is a row here (network/outbox/mail.py), and every webhook call (kind
"webhook:<event>", to a subscription: network/webhooks/). A failed row is listed first, with the
mail server's answer; the secretariat fixes the address (the member's, or the row's own address
for a bare one) and sends it again. While mail has been failing for a while, a banner says so
(network/outbox/health.py).
"""

from django.contrib import admin, messages
from django.db.models import Case, IntegerField, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from network.models import Delivery
from network.outbox.health import outbox_trouble
from network.outbox.worker import delivery_requeue, delivery_send

# What delivery_send returns, in the staff member's language ("send now" reports each outcome).
SEND_OUTCOMES = {
    "sent": pgettext_lazy("delivery outcome", "sent"),
    "skipped": pgettext_lazy("delivery outcome", "skipped"),
    "failed": pgettext_lazy("delivery outcome", "failed"),
    "gone": pgettext_lazy("delivery outcome", "gone"),
}


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "object_key", "to", "status", "attempts", "error", "due_at"]
    list_filter = ["status", "kind", ("due_at", admin.DateFieldListFilter), ("sent_at", admin.DateFieldListFilter)]
    search_fields = ["kind", "object_key", "recipient_email", "recipient__user__email", "webhook__url"]
    list_select_related = ["recipient__user", "webhook"]
    date_hierarchy = "due_at"
    raw_id_fields = ["recipient"]
    readonly_fields = [
        "kind", "object_key", "content_type", "object_id", "recipient", "recipient_email", "webhook", "due_at",
        "expires_at",
        "status", "attempts", "failing_since", "created_at", "queued_at", "claimed_at", "sent_at", "last_error",
        "context", "context_shown",
    ]  # fmt: skip
    actions = ["send_again", "send_now"]

    @admin.display(description=_("to"), ordering="recipient_email")
    def to(self, obj: Delivery) -> str:
        if obj.webhook_id is not None:
            url = reverse("admin:network_webhooksubscription_change", args=[obj.webhook_id])
            return format_html('<a href="{}">{}</a>', url, obj.webhook.url)
        if obj.recipient_id is None:
            return obj.recipient_email
        url = reverse("admin:network_member_change", args=[obj.recipient_id])
        return format_html('<a href="{}">{}</a>', url, obj.recipient.user.email)

    @admin.display(description=_("last error"))
    def error(self, obj: Delivery) -> str:
        return Truncator(obj.last_error).chars(120)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        # A bare address that bounced can be corrected here, then sent again; a member's is her profile's.
        if obj is not None and obj.status == Delivery.Status.FAILED and obj.recipient_id is None:
            fields.remove("recipient_email")
        return fields

    def get_fields(self, request, obj=None):
        fields = [f for f in self.readonly_fields if f not in ("context", "context_shown")]
        # A stored message (allauth's) may hold a one-time link: staff see its subject, not its text.
        return [*fields, "context_shown"]

    @admin.display(description=_("context"))
    def context_shown(self, obj: Delivery) -> dict:
        stored = dict(obj.context)
        if isinstance(stored.get("_message"), dict):
            stored["_message"] = {"subject": stored["_message"].get("subject", "")}
        return stored

    def has_add_permission(self, request):
        return False  # rows are made by the sweep, never by hand

    def get_ordering(self, request):
        # Failed on top: they are the ones that need a person.
        failed_first = Case(
            When(status=Delivery.Status.FAILED, then=Value(0)), default=Value(1), output_field=IntegerField()
        )
        return [failed_first.asc(), "-due_at", "-pk"]

    def changelist_view(self, request, extra_context=None):
        counts = Delivery.objects.counts()
        due_now = Delivery.objects.filter(status=Delivery.Status.QUEUED, due_at__lte=timezone.now()).count()
        extra_context = {
            **(extra_context or {}),
            "delivery_counts": counts,
            "delivery_due": due_now,
            # Shown while mail is failing, even when the notice to the secretariat cannot be mailed.
            "outbox_trouble": outbox_trouble(),
        }
        return super().changelist_view(request, extra_context=extra_context)

    @admin.action(description=_("Send again (through the worker)"), permissions=["change"])
    def send_again(self, request, queryset):
        n = delivery_requeue(deliveries=queryset)
        self.message_user(
            request, ngettext("%d delivery handed to the worker.", "%d deliveries handed to the worker.", n) % n
        )

    @admin.action(description=_("Send now (from this request)"), permissions=["change"])
    def send_now(self, request, queryset):
        # For when the worker is down: queue the rows (without a broker message) and send each here.
        ids = list(queryset.values_list("pk", flat=True)[:100])
        Delivery.objects.filter(pk__in=ids).update(
            status=Delivery.Status.QUEUED, attempts=0, failing_since=None, last_error=""
        )
        outcomes = {}
        for pk in ids:
            try:
                outcome = delivery_send(delivery_id=pk)
            except Exception as exc:  # noqa: BLE001 - reported to the admin, the row keeps its error
                outcome = _("error: %(error)s") % {"error": exc}
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        level = messages.SUCCESS if set(outcomes) <= {"sent"} else messages.WARNING
        counted = sorted(outcomes.items(), key=lambda kv: str(kv[0]))
        said = ", ".join(f"{SEND_OUTCOMES.get(k, k)}: {v}" for k, v in counted)
        self.message_user(request, said, level)

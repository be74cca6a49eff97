"""Messages to members in the backoffice: read-mostly (they are written and sent from the site,
network:message_create), each with its recipients and their deliveries' status."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from network.messages import messaging
from network.models import Message, MessageRecipient


class MessageRecipientInline(admin.TabularInline):
    model = MessageRecipient
    fields = ["member", "language", "delivery_status", "delivery_sent_at", "delivery"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("member__user", "delivery")

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("delivery status"))
    def delivery_status(self, obj):
        return obj.delivery.get_status_display() if obj.delivery_id else "–"

    @admin.display(description=_("sent"))
    def delivery_sent_at(self, obj):
        return obj.delivery.sent_at if obj.delivery_id and obj.delivery.sent_at else "–"


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["subject_sv", "created_by", "sent_at", "recipient_count", "has_english"]
    list_filter = [("sent_at", admin.DateFieldListFilter)]
    search_fields = [
        "subject_sv__uicontains",
        "subject_en__uicontains",
        "body_sv__uicontains",
        "body_en__uicontains",
        "created_by__email",
    ]
    list_select_related = ["created_by"]
    date_hierarchy = "sent_at"
    fields = [
        "subject_sv", "body_sv", "subject_en", "body_en", "created_by", "created_at", "sent_at",
        "recipients_chosen_by", "filters", "scope_type", "scope_id", "token",
    ]  # fmt: skip
    readonly_fields = fields
    inlines = [MessageRecipientInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(recipient_count=Count("recipients"))

    def has_add_permission(self, request):
        return False  # written, previewed and sent on the site, never by hand here

    def has_change_permission(self, request, obj=None):
        return False  # what was sent stays as it was sent

    @admin.display(description=_("recipients"), ordering="recipient_count")
    def recipient_count(self, obj):
        return obj.recipient_count

    @admin.display(description=_("in English"), boolean=True)
    def has_english(self, obj):
        return obj.has_english

    @admin.display(description=_("recipients chosen by"))
    def recipients_chosen_by(self, obj):
        return "; ".join(
            messaging.message_describe_filters(filters=obj.filters, scope=messaging.message_scope_object(obj))
        )

"""Messages to members: compose (with a live recipient count), preview, send, and the record.

One compose view serves the secretariat (any filtered set) and, subclassed with a scope by an app
above (meetings.views.MeetingMessageView), a host writing to her meeting's people. The steps are
POSTs of one form: "preview" shows the email in both languages and its recipients, "send" records
it and hands it to the outbox, "edit" goes back to the form with what was written.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.generic import DetailView, FormView, ListView
from rules.contrib.views import PermissionRequiredMixin

from network.messages import messaging
from network.messages.forms import MessageForm
from network.models import Delivery, Message, MessageRecipient


class MessageComposeView(FormView):
    """Write to members. Subclasses set `get_scope()` (an object whose people may be written to)."""

    form_class = MessageForm
    template_name = "network/message_form.html"
    preview_template_name = "network/message_preview.html"
    count_template_name = "network/includes/_message_count.html"

    def get_scope(self):
        return None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not messaging.may_write(request.user, self.get_scope()):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "scope": self.get_scope()}

    def get(self, request, *args, **kwargs):
        if request.GET.get("count"):
            return self.count(request)
        return super().get(request, *args, **kwargs)

    def count(self, request):
        """The live recipient count (as the filters change): the filters of the query string."""
        form = self.get_form_class()(data=request.GET, scope=self.get_scope())
        return TemplateResponse(request, self.count_template_name, self.count_context(form))

    def count_context(self, form) -> dict:
        """How many the form's filters reach, and who they match but leave out."""
        filters = form.counted_filters()
        if filters is None:
            return {"count_unknown": True}
        count, excluded = messaging.message_reach(filters=filters, scope=form.scope)
        return {"count": count, "excluded": excluded}

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        valid = form.is_valid()
        step = messaging.message_compose_step(
            action=request.POST.get("action", "preview"),
            valid=valid,
            token=form.cleaned_data.get("token") if valid else None,
        )
        if step is messaging.ComposeStep.SEND:
            return self.send(form)
        if step is messaging.ComposeStep.PREVIEW:
            return self.preview(form)
        return self.render_to_response(self.get_context_data(form=form))

    def preview(self, form, *, changed: bool = False):
        draft = messaging.message_draft(
            by=self.request.user,
            filters=form.filter_data(),
            scope=form.scope,
            token=form.cleaned_data.get("token"),
            **form.text(),
        )
        # The preview's form: what was written, hidden, with the token and the count "Send" checks.
        data = form.data.copy()
        data["token"], data["expected"] = str(draft.token), str(len(draft.recipients))
        hidden = self.get_form_class()(data=data, scope=form.scope)
        return TemplateResponse(
            self.request,
            self.preview_template_name,
            self.get_context_data(
                form=hidden,
                recipients=draft.recipients,
                excluded=draft.excluded,
                filter_lines=draft.filter_lines,
                previews=draft.previews,
                changed=changed,
            ),
        )

    def send(self, form):
        try:
            message, created = messaging.message_send(
                by=self.request.user,
                token=form.cleaned_data["token"],
                expected=form.cleaned_data.get("expected"),
                filters=form.filter_data(),
                scope=form.scope,
                **form.text(),
            )
        except messaging.RecipientsChanged:
            return self.preview(form, changed=True)
        except messaging.MessagingError as error:
            form.add_error(None, error.message)
            return self.render_to_response(self.get_context_data(form=form))
        if created:
            n = message.recipients.count()
            messages.success(
                self.request,
                ngettext(
                    "The message is on its way to %(n)d member.",
                    "The message is on its way to %(n)d members.",
                    n,
                )
                % {"n": n},
            )
            bad = messaging.message_bad_addresses(message=message)
            if bad:  # the others are on their way; these wait for a corrected address
                messages.warning(
                    self.request,
                    ngettext(
                        "%(n)d member gets nothing: her address is not an email address (%(who)s). Correct it "
                        "in her profile, then send her delivery again under Deliveries in the administration.",
                        "%(n)d members get nothing: their addresses are not email addresses (%(who)s). Correct "
                        "them in their profiles, then send their deliveries again under Deliveries in the "
                        "administration.",
                        len(bad),
                    )
                    % {"n": len(bad), "who": ", ".join(f"{m.full_name} <{m.email}>" for m in bad)},
                )
        else:
            messages.info(self.request, _("This message had already been sent; it was not sent again."))
        if not self.request.user.has_perm("network.view_message", message):
            raise Http404  # somebody else's token: nothing to show her
        return redirect(message)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(scope=self.get_scope(), **kwargs)
        if "recipients" not in context:  # the form page shows the count; the preview lists them all
            context.update(self.count_context(context["form"]))
        return context


class MessageListView(PermissionRequiredMixin, ListView):
    """The secretariat's record of every message sent, newest first, 25 a page."""

    permission_required = "network.message_members"
    template_name = "network/message_list.html"
    context_object_name = "sent_messages"
    paginate_by = 25

    def get_queryset(self):
        return messaging.message_list()


class MessageDetailView(DetailView):
    """A message as it was sent: text, filters, and each recipient's delivery (50 a page)."""

    template_name = "network/message_detail.html"
    context_object_name = "sent_message"
    recipients_per_page = 50

    def get_object(self, queryset=None):
        message = get_object_or_404(Message.objects.select_related("created_by", "scope_type"), pk=self.kwargs["pk"])
        if not self.request.user.has_perm("network.view_message", message):
            raise Http404
        return message

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        message = self.object
        scope = messaging.message_scope_object(message)
        recipients = MessageRecipient.objects.filter(message=message).select_related(
            "member__user", "member__institution", "delivery"
        )
        ordered = recipients.order_by("member__institution__name", "member__user__last_name", "pk")
        page = Paginator(ordered, self.recipients_per_page)
        statuses = dict(
            Delivery.objects.filter(message_recipient__message=message)
            .order_by()
            .values_list("status")
            .annotate(n=Count("pk"))
        )
        counts = [(label, statuses.get(value, 0)) for value, label in Delivery.Status.choices]
        return super().get_context_data(
            filter_lines=messaging.message_describe_filters(filters=message.filters, scope=scope),
            scope=scope,
            recipients_page=page.get_page(self.request.GET.get("page")),
            delivery_counts=[(label, n) for label, n in counts if n],
            # From the recipients, not the deliveries: the retention job may have removed old deliveries.
            **MessageRecipient.objects.filter(message=message).aggregate(
                total=Count("pk"), english_count=Count("pk", filter=Q(language="en"))
            ),
            **kwargs,
        )

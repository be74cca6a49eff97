"""The minutes' pages: permission -> form -> service -> message -> redirect (as meetings/views.py).
Whoever may not see what a URL names gets 404 (a draft, a steering-group meeting's minutes)."""

from __future__ import annotations

import difflib

import rules
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from meetings.decision_views import _AfterTheGate
from meetings.forms import ActionForm, DecisionForm
from meetings.models import Meeting, Minutes, MinutesItem
from meetings.services import MeetingError
from network.mixins import MemberRequiredMixin

from . import exports, selectors, services
from .forms import CirculateForm, CommentForm, MinutesEditForm


def _steering(request) -> bool:
    return rules.has_perm("meetings.view_steering_meetings", request.user)


class MeetingMinutesMixin(MemberRequiredMixin, _AfterTheGate):
    """The meeting of the URL and its minutes; 404 unless the user has `permission` on the minutes."""

    permission = "meetings.view_minutes"

    def check(self) -> None:
        meeting = get_object_or_404(Meeting.objects.select_related("host"), pk=self.kwargs["pk"])
        if not self.request.user.has_perm("meetings.view_meeting", meeting):
            raise Http404
        minutes = Minutes.objects.filter(meeting=meeting).first()
        if minutes is None or not self.request.user.has_perm(self.permission, minutes):
            raise Http404
        minutes.meeting = meeting
        self.meeting, self.minutes = meeting, minutes

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.meeting, minutes=self.minutes, **kwargs)

    def done(self, message: str, url: str | None = None):
        messages.success(self.request, message)
        return HttpResponseRedirect(url or self.minutes.get_absolute_url())

    def refused(self, error: MeetingError, form=None):
        if form is not None:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.error(self.request, error.message)
        return HttpResponseRedirect(self.minutes.get_absolute_url())


class MinutesDetailView(MeetingMinutesMixin, TemplateView):
    template_name = "meetings/minutes/minutes_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        with_comments = user.has_perm("meetings.view_minutes_comments", self.minutes)
        return super().get_context_data(
            document=selectors.minutes_document(self.minutes, comments=with_comments),
            with_comments=with_comments,
            deadline_passed=selectors.deadline_passed(self.minutes, timezone.now()),
            **kwargs,
        )


class MinutesStartView(MemberRequiredMixin, _AfterTheGate, View):
    """Start the minutes of a meeting (POST): the draft, an item per agenda item."""

    def check(self) -> None:
        self.meeting = get_object_or_404(Meeting.objects.select_related("host"), pk=self.kwargs["pk"])
        if not self.request.user.has_perm("meetings.write_minutes", self.meeting):
            raise Http404

    def post(self, request, pk):
        try:
            services.minutes_start(meeting=self.meeting, by=request.user)
        except MeetingError as error:
            messages.error(request, error.message)
            return HttpResponseRedirect(self.meeting.get_absolute_url())
        return HttpResponseRedirect(reverse("meetings:minutes_edit", kwargs={"pk": pk}))


class MinutesEditView(MeetingMinutesMixin, FormView):
    permission = "meetings.edit_minutes"
    template_name = "meetings/minutes/minutes_form.html"
    form_class = MinutesEditForm
    extra_context = {"heading": gettext_lazy("Write the minutes")}

    def get_form_kwargs(self):
        self.items = list(self.minutes.items.order_by("position", "pk"))
        return {**super().get_form_kwargs(), "items": self.items}

    def get_initial(self):
        return {"introduction": self.minutes.introduction} | {f"item_{i.pk}": i.text for i in self.items}

    def form_valid(self, form):
        try:
            services.minutes_edit(
                minutes=self.minutes,
                by=self.request.user,
                introduction=form.cleaned_data["introduction"],
                texts=form.texts(),
            )
        except MeetingError as error:
            return self.refused(error, form)
        return self.done(_("The minutes are saved."))


class MinutesCirculateView(MeetingMinutesMixin, FormView):
    permission = "meetings.circulate_minutes"
    template_name = "meetings/minutes/minutes_form.html"
    form_class = CirculateForm
    extra_context = {"heading": gettext_lazy("Circulate the minutes for comments")}

    def get_initial(self):
        return {"comment_deadline": self.minutes.comment_deadline or CirculateForm.default_deadline()}

    def form_valid(self, form):
        try:
            services.minutes_circulate(
                minutes=self.minutes, by=self.request.user, deadline=form.cleaned_data["comment_deadline"]
            )
        except MeetingError as error:
            return self.refused(error, form)
        return self.done(_("The minutes are circulated: the participants are emailed."))


class MinutesCommentView(MeetingMinutesMixin, FormView):
    permission = "meetings.comment_minutes"
    template_name = "meetings/minutes/minutes_form.html"
    form_class = CommentForm
    extra_context = {"heading": gettext_lazy("Comment on the minutes")}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "minutes": self.minutes}

    def get_initial(self):
        item = self.request.GET.get("item", "")
        return {"item": int(item)} if item.isdigit() else {}

    def form_valid(self, form):
        try:
            services.minutes_comment(
                minutes=self.minutes,
                by=self.request.user,
                text=form.cleaned_data["text"],
                item=form.cleaned_data["item"],
            )
        except MeetingError as error:
            return self.refused(error, form)
        return self.done(_("Thank you: your comment is recorded under its item, for whoever writes the minutes."))


class MinutesStatusView(MeetingMinutesMixin, View):
    """Approve or publish (POST `action`)."""

    def post(self, request, pk):
        action = request.POST.get("action")
        steps = {
            "approve": ("meetings.approve_minutes", services.minutes_approve, _("The minutes are approved.")),
            "publish": (
                "meetings.publish_site_minutes",
                services.minutes_publish,
                _("The minutes are published: the participants are emailed."),
            ),
        }
        if action not in steps:
            raise Http404
        permission, service, message = steps[action]
        if not request.user.has_perm(permission, self.minutes):
            return self.refused(MeetingError(_("This cannot be done with the minutes now.")))
        try:
            service(minutes=self.minutes, by=request.user)
        except MeetingError as error:
            return self.refused(error)
        return self.done(message)


class _InPlaceMixin(MeetingMinutesMixin):
    """A decision or an action recorded under an item of the minutes (the meetings' forms)."""

    permission = "meetings.edit_minutes"
    template_name = "meetings/minutes/minutes_form.html"

    def check(self) -> None:
        super().check()
        self.item = get_object_or_404(
            MinutesItem.objects.select_related("agenda_item"),
            pk=self.kwargs["item_pk"],
            minutes=self.minutes,
            agenda_item__isnull=False,
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(item=self.item, **kwargs)


def decision_anchor(item: MinutesItem) -> str:
    return f"minutes-item-{item.pk}"


class MinutesDecisionCreateView(_InPlaceMixin, FormView):
    form_class = DecisionForm
    extra_context = {"heading": gettext_lazy("Record a decision")}

    def form_valid(self, form):
        try:
            services.minutes_decision_record(
                minutes=self.minutes, item=self.item, by=self.request.user, **form.cleaned_data
            )
        except MeetingError as error:
            return self.refused(error, form)
        return self.done(
            _("The decision is recorded."), f"{self.minutes.get_absolute_url()}#{decision_anchor(self.item)}"
        )


class MinutesActionCreateView(_InPlaceMixin, FormView):
    form_class = ActionForm
    extra_context = {"heading": gettext_lazy("Record an action")}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "meeting": self.meeting}

    def form_valid(self, form):
        try:
            services.minutes_action_record(
                minutes=self.minutes, item=self.item, by=self.request.user, **form.cleaned_data
            )
        except MeetingError as error:
            return self.refused(error, form)
        return self.done(
            _("The action is recorded."), f"{self.minutes.get_absolute_url()}#{decision_anchor(self.item)}"
        )


class MinutesVersionsMixin(MeetingMinutesMixin):
    """Every version for who writes the minutes; those from the circulation on for the participants."""

    permission = "meetings.view_minutes_versions"

    def versions(self):
        versions = selectors.versions_of(self.minutes)
        if not self.request.user.has_perm("meetings.view_minutes_drafts", self.minutes):
            versions = versions.exclude(status=Minutes.Status.DRAFT)
        return versions


class MinutesVersionListView(MinutesVersionsMixin, TemplateView):
    template_name = "meetings/minutes/minutes_versions.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(versions=list(self.versions()), **kwargs)


class MinutesVersionView(MinutesVersionsMixin, TemplateView):
    """A version's text, and what changed from the version before it (that the reader may see)."""

    template_name = "meetings/minutes/minutes_version.html"

    def get_context_data(self, **kwargs):
        visible = self.versions()
        version = visible.filter(number=self.kwargs["number"]).defer(None).first()
        if version is None:
            raise Http404
        previous = visible.filter(number__lt=version.number).defer(None).first()
        return super().get_context_data(
            version=version, previous=previous, diff=_diff(previous.text, version.text) if previous else [], **kwargs
        )


def _diff(old: str, new: str) -> list[tuple[str, str]]:
    """Lines as (kind, text): "same", "added" or "removed" (a changed line is removed, then added)."""
    rows = []
    for line in difflib.ndiff(old.splitlines(), new.splitlines()):
        code, text = line[:2], line[2:]
        if code == "  ":
            rows.append(("same", text))
        elif code == "- ":
            rows.append(("removed", text))
        elif code == "+ ":
            rows.append(("added", text))
    return rows


class MinutesPDFView(MeetingMinutesMixin, View):
    def get(self, request, pk):
        document = selectors.minutes_document(self.minutes)
        title = _("Minutes of %(meeting)s") % {"meeting": self.meeting.display_title}
        body = exports.minutes_pdf([document], title=title)
        return exports.pdf_response(body, filename=f"minutes-{self.meeting.year}-{self.meeting.season}-{pk}.pdf")


class MinutesDecisionsCSVView(MeetingMinutesMixin, View):
    def get(self, request, pk):
        return exports.decisions_csv(
            selectors.meeting_decisions(self.meeting),
            filename=f"decisions-{self.meeting.year}-{self.meeting.season}-{pk}",
        )


# --- A year's series ------------------------------------------------------------------------------


class MinutesIndexView(MemberRequiredMixin, TemplateView):
    """The years that have published minutes."""

    template_name = "meetings/minutes/minutes_index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(years=selectors.series_years(steering=_steering(self.request)), **kwargs)


class _SeriesMixin(MemberRequiredMixin):
    def documents(self):
        return selectors.series_documents(self.kwargs["year"], steering=_steering(self.request))


class MinutesSeriesView(_SeriesMixin, TemplateView):
    """A year's published minutes, one after the other (the compilation of a series)."""

    template_name = "meetings/minutes/minutes_series.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            documents=self.documents(),
            years=selectors.series_years(steering=_steering(self.request)),
            **kwargs,
        )


class MinutesSeriesPDFView(_SeriesMixin, View):
    def get(self, request, year):
        title = _("Minutes of KLOSS-Net %(year)s") % {"year": year}
        body = exports.minutes_pdf(self.documents(), title=title, empty=_("No minutes are published for this year."))
        return exports.pdf_response(body, filename=f"minutes-{year}.pdf")


class MinutesSeriesCSVView(MemberRequiredMixin, View):
    def get(self, request, year):
        return exports.decisions_csv(
            selectors.series_decisions(year, steering=_steering(request)), filename=f"decisions-{year}"
        )

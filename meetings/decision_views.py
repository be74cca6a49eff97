"""Decisions and actions: recorded on a meeting's page, followed up in the register and by owners.

permission -> form -> service -> message -> redirect, as in views.py (kept apart from the meeting
views so that their guards and these can change independently).
"""

import rules
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import FormView
from django_filters.views import FilterView
from import_export.formats.base_formats import CSV, XLSX

from network.exports import dataset_response
from network.mixins import CachedListMixin, MemberRequiredMixin

from . import selectors, services
from .filters import ActionFilter, DecisionFilter
from .forms import ActionForm, ActionStatusForm, AttendanceMarkForm, DecisionForm
from .fragments import ACTION_REGISTER, DECISION_REGISTER
from .models import Action, Attendance, Decision, Meeting
from .resources import ActionResource, DecisionResource
from .services import MeetingError


def steering_for(request) -> bool:
    """Does the register show steering-group meetings' decisions and actions (its seats, staff)?"""
    return rules.has_perm("meetings.view_steering_meetings", request.user)


class _AfterTheGate:
    """Runs `check()` once MemberRequiredMixin has let the user in (before it, an applicant would
    get a 404 instead of her "waiting for approval" page)."""

    def check(self) -> None:
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        self.check()
        return super().dispatch(request, *args, **kwargs)


class RecorderMixin(MemberRequiredMixin, _AfterTheGate):
    """The meeting of the URL; 404 to anyone who may not record its decisions and actions."""

    template_name = "meetings/meeting_form.html"
    permission = "meetings.record_decisions"

    def get_meeting(self) -> Meeting:
        if not hasattr(self, "_meeting"):
            meeting = get_object_or_404(Meeting.objects.select_related("host"), pk=self.kwargs["pk"])
            user = self.request.user
            if not (user.has_perm("meetings.view_meeting", meeting) and user.has_perm(self.permission, meeting)):
                raise Http404
            self._meeting = meeting
        return self._meeting

    def check(self) -> None:
        self.get_meeting()

    def get_context_data(self, **kwargs):
        return super().get_context_data(meeting=self.get_meeting(), **kwargs)

    def done(self, message: str, anchor: str = "decisions"):
        messages.success(self.request, message)
        return HttpResponseRedirect(f"{self.get_meeting().get_absolute_url()}#{anchor}")

    def refused(self, error: MeetingError, form):
        form.add_error(None, error.message)
        return self.form_invalid(form)


class DecisionCreateView(RecorderMixin, FormView):
    form_class = DecisionForm
    extra_context = {"heading": gettext_lazy("Record a decision")}

    def form_valid(self, form):
        try:
            services.decision_record(meeting=self.get_meeting(), by=self.request.user, **form.cleaned_data)
        except MeetingError as error:
            return self.refused(error, form)
        return self.done(_("The decision is recorded."))


class DecisionEditView(RecorderMixin, FormView):
    form_class = DecisionForm
    template_name = "meetings/decision_form.html"
    extra_context = {"heading": gettext_lazy("Edit the decision")}

    def get_decision(self) -> Decision:
        return get_object_or_404(Decision, pk=self.kwargs["decision_pk"], meeting=self.get_meeting())

    def get_initial(self):
        decision = self.get_decision()
        return {"text_sv": decision.text_sv, "text_en": decision.text_en, "theme": decision.theme_id}

    def post(self, request, *args, **kwargs):
        if "delete" in request.POST:
            services.decision_delete(decision=self.get_decision(), by=request.user)
            return self.done(_("The decision is removed."))
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.decision_update(decision=self.get_decision(), by=self.request.user, **form.cleaned_data)
        except MeetingError as error:
            return self.refused(error, form)
        return self.done(_("The decision is saved."))


class ActionCreateView(RecorderMixin, FormView):
    form_class = ActionForm
    extra_context = {"heading": gettext_lazy("Record an action")}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "meeting": self.get_meeting()}

    def form_valid(self, form):
        try:
            services.action_record(meeting=self.get_meeting(), by=self.request.user, **form.cleaned_data)
        except MeetingError as error:
            return self.refused(error, form)
        return self.done(_("The action is recorded."), anchor="actions")


class ActionEditView(RecorderMixin, FormView):
    form_class = ActionForm
    extra_context = {"heading": gettext_lazy("Edit the action")}

    def get_action(self) -> Action:
        return get_object_or_404(Action, pk=self.kwargs["action_pk"], meeting=self.get_meeting())

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "meeting": self.get_meeting()}

    def get_initial(self):
        action = self.get_action()
        return {
            "text": action.text,
            "owner_member": action.owner_member_id,
            "owner_institution": action.owner_institution_id,
            "due_meeting": action.due_meeting_id,
            "due_on": action.due_on,
            "decision": action.decision_id,
            "theme": action.theme_id,
        }

    def form_valid(self, form):
        try:
            services.action_update(action=self.get_action(), by=self.request.user, **form.cleaned_data)
        except MeetingError as error:
            return self.refused(error, form)
        return self.done(_("The action is saved."), anchor="actions")


class ActionStatusView(MemberRequiredMixin, _AfterTheGate, FormView):
    """Done, dropped or open again, with a short outcome: the owner or whoever may record."""

    form_class = ActionStatusForm
    template_name = "meetings/action_status.html"

    def check(self) -> None:
        self.action = get_object_or_404(
            Action.objects.select_related("meeting__host", "owner_member__user", "owner_institution"),
            pk=self.kwargs["pk"],
        )
        if not self.request.user.has_perm("meetings.update_action", self.action):
            raise Http404

    def get_initial(self):
        return {"status": self.action.status, "outcome": self.action.outcome}

    def get_context_data(self, **kwargs):
        return super().get_context_data(action=self.action, **kwargs)

    def form_valid(self, form):
        try:
            services.action_set_status(action=self.action, by=self.request.user, **form.cleaned_data)
        except MeetingError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("The action is updated."))
        # From her home page ("your open actions") back there; otherwise to the action on its meeting.
        came_from_home = self.request.POST.get("from") == "home"
        return HttpResponseRedirect(reverse("home") if came_from_home else self.action.get_absolute_url())


class ActionRegisterView(MemberRequiredMixin, CachedListMixin, FilterView):
    """Every action across meetings, filtered; the same for every member, so kept as a fragment
    until meetings, institutions or themes change."""

    fragment = ACTION_REGISTER
    template_name = "meetings/action_register.html"
    filterset_class = ActionFilter
    context_object_name = "actions"
    paginate_by = 25

    def get_queryset(self):
        return selectors.action_register(steering=steering_for(self.request))

    def fragment_variant(self) -> str:
        return f"steering={steering_for(self.request)}"


class DecisionRegisterView(MemberRequiredMixin, CachedListMixin, FilterView):
    fragment = DECISION_REGISTER
    template_name = "meetings/decision_register.html"
    filterset_class = DecisionFilter
    context_object_name = "decisions"
    paginate_by = 25

    def get_queryset(self):
        return selectors.decision_register(steering=steering_for(self.request))

    def fragment_variant(self) -> str:
        return f"steering={steering_for(self.request)}"


class _ExportView(MemberRequiredMixin, View):
    """The register (with the same filters) as CSV or Excel."""

    formats = {"csv": CSV, "xlsx": XLSX}
    filterset_class: type
    resource_class: type
    filename: str

    def queryset(self):
        raise NotImplementedError

    def get(self, request):
        kind = request.GET.get("format", "csv")
        if kind not in self.formats:
            raise Http404
        filterset = self.filterset_class(request.GET, queryset=self.queryset(), request=request)
        queryset = filterset.qs if filterset.is_valid() else self.queryset().none()
        return dataset_response(
            resource=self.resource_class(), queryset=queryset, format_=self.formats[kind](), filename=self.filename
        )


class ActionExportView(_ExportView):
    filterset_class = ActionFilter
    resource_class = ActionResource
    filename = "kloss-actions"

    def queryset(self):
        return selectors.action_register(steering=steering_for(self.request))


class DecisionExportView(_ExportView):
    filterset_class = DecisionFilter
    resource_class = DecisionResource
    filename = "kloss-decisions"

    def queryset(self):
        return selectors.decision_register(steering=steering_for(self.request))


class AttendanceMarkView(RecorderMixin, FormView):
    """After the meeting, the host contacts or the secretariat mark who actually came."""

    form_class = AttendanceMarkForm
    permission = "meetings.host_meeting"
    extra_context = {"heading": gettext_lazy("Who was there")}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "meeting": self.get_meeting()}

    def get_initial(self):
        attendances = self.get_meeting().attendances.all()
        marked = any(a.attended is not None for a in attendances)
        if marked:
            return {"present": [a.member_id for a in attendances if a.attended]}
        return {"present": [a.member_id for a in attendances if a.status == Attendance.Status.ATTENDING]}

    def form_valid(self, form):
        present = [*form.cleaned_data["present"], *form.cleaned_data["others"]]
        try:
            count = services.attendance_mark(meeting=self.get_meeting(), by=self.request.user, present=present)
        except MeetingError as error:
            return self.refused(error, form)
        messages.success(
            self.request,
            ngettext("Noted: %(n)d person was there.", "Noted: %(n)d people were there.", count) % {"n": count},
        )
        return HttpResponseRedirect(self.get_meeting().get_absolute_url())

"""permission -> form -> service -> message -> redirect."""

import hashlib

import rules
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import quote_etag
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView
from django.views.generic.detail import SingleObjectMixin

from network import cache
from network.exports import csv_response
from network.filenames import safe_download_name
from network.messages.views import MessageComposeView
from network.mixins import CachedListMixin, MemberRequiredMixin
from network.models import Member
from network.panels import panels
from network.rules import is_staff_with_mfa

from . import selectors, services
from .forms import AgendaItemForm, AttendanceForm, DocumentForm, HostingForm, ScheduleForm, StandInForm
from .fragments import (
    CALENDAR_FEED,
    MEETING_AGENDA,
    MEETING_ANSWER,
    MEETING_DECISIONS,
    MEETING_HEAD,
    MEETING_LIST,
    MEETING_PEOPLE,
)
from .ics import meetings_calendar
from .models import AgendaItem, Attendance, Meeting, MeetingDocument
from .services import MeetingError


def _member(user) -> Member | None:
    return getattr(user, "member", None)


class MeetingListView(MemberRequiredMixin, CachedListMixin, ListView):
    """The coming meetings, then the past ones, newest first, 10 a page (all of them since 2017 made a
    phone's page 5,700 px high). The same for every member: kept as a fragment until a meeting or an
    institution changes (and for ten minutes at most, as meetings pass from coming to past with the clock)."""

    fragment = MEETING_LIST
    template_name = "meetings/meeting_list.html"
    context_object_name = "past"
    paginate_by = 10

    def steering(self) -> bool:
        """Steering-group meetings are listed for its seats and the secretariat (a fragment of theirs)."""
        return rules.has_perm("meetings.view_steering_meetings", self.request.user)

    def fragment_variant(self) -> str:
        return f"steering={self.steering()}"

    def get_queryset(self):
        return selectors.meetings_past(steering=self.steering())

    def get_context_data(self, **kwargs):
        steering = self.steering()
        # Called by the template, only to build the fragment.
        return super().get_context_data(upcoming=lambda: selectors.meetings_upcoming(steering=steering), **kwargs)


class RotationPlanView(MemberRequiredMixin, ListView):
    template_name = "meetings/rotation_plan.html"
    context_object_name = "meetings"

    def get_queryset(self):
        return selectors.rotation_plan_page()


class ParticipationView(MemberRequiredMixin, TemplateView):
    """Was every institution at the table? The full register (member institutions x the last six
    network meetings held); the dashboard shows its summary and links here. Seen by every member,
    as the dashboard is."""

    template_name = "meetings/participation.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            register=selectors.participation_register(),
            panels=panels("participation"),  # what the apps above add (network/panels.py)
            **kwargs,
        )


class MeetingDetailView(MemberRequiredMixin, DetailView):
    """A meeting. What is the same for every member (facts, agenda, documents, who is coming) is kept
    as fragments until meetings or institutions change; her answer and the host's tools are live.
    The lists are read lazily, in the template, only to build a fragment."""

    template_name = "meetings/meeting_detail.html"
    context_object_name = "meeting"

    def get_object(self, queryset=None):
        # Read on every request, never from a cache shared by requests: its kind and host are what
        # the permission checks read (network/cache/). One query, by its primary key (no ORDER BY:
        # the model's default ordering would be compiled and sent for one row), with its minutes
        # (their state decides who reads them: the live minutes panel asks no query of its own). The
        # host institution is shown in the head fragment only: read when that is built, not joined
        # into every request (a third table in the join cost the warm page more than the read).
        meeting = next(
            iter(Meeting.objects.select_related("site_minutes").filter(pk=self.kwargs["pk"]).order_by()[:1]), None
        )
        if meeting is None or not self.request.user.has_perm("meetings.view_meeting", meeting):
            raise Http404
        return meeting

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.object
        member = _member(self.request.user)
        # The fragments' versions in one round trip (meetings/fragments.py).
        parts = [
            f.namespaces(meeting=meeting.pk) for f in (MEETING_HEAD, MEETING_AGENDA, MEETING_DECISIONS, MEETING_PEOPLE)
        ]
        if member is not None:
            parts.append(MEETING_ANSWER.namespaces(meeting=meeting.pk, member=member.pk))
        cache.prefetch(*(name for names in parts for name in names))
        context["can_host"] = self.request.user.has_perm("meetings.host_meeting", meeting)
        # Her answer is a fragment of her own (key: member and whether registration is open now).
        context["my_attendance"] = (
            (lambda: Attendance.objects.filter(meeting=meeting, member=member).order_by().first()) if member else None
        )
        context["registration_open"] = services.registration_open(meeting)
        context["member"] = member
        # After the meeting, her answer and who is coming say what happened, not what is to come.
        context["has_been_held"] = meeting.status in selectors.HELD_STATUSES
        # Callables: the template calls them only when it builds the fragment.
        context["who_is_coming"] = lambda: selectors.who_is_coming(meeting)
        # Decisions and actions (decision_views.py): live for whoever may record them, else a fragment.
        context["can_record"] = self.request.user.has_perm("meetings.record_decisions", meeting)
        context["decisions"] = lambda: selectors.decisions_of(meeting)
        context["actions"] = lambda: selectors.actions_of(meeting)
        context["follow_up"] = lambda: selectors.actions_to_follow_up(meeting)
        return context


class MeetingObjectMixin(MemberRequiredMixin, SingleObjectMixin):
    """The meeting of the URL; `host_only` views answer 404 to anyone who may not host it."""

    model = Meeting
    host_only = False
    pk_url_kwarg = "pk"

    def get_meeting(self) -> Meeting:
        if not hasattr(self, "_meeting"):
            meeting = get_object_or_404(Meeting.objects.select_related("host"), pk=self.kwargs["pk"])
            if not self.request.user.has_perm("meetings.view_meeting", meeting):
                raise Http404
            if self.host_only and not self.request.user.has_perm("meetings.host_meeting", meeting):
                raise Http404
            self._meeting = self.object = meeting
        return self._meeting

    def get_object(self, queryset=None):
        return self.get_meeting()

    def get_context_data(self, **kwargs):
        kwargs.setdefault("meeting", self.get_meeting())
        return super().get_context_data(**kwargs)

    def done(self, message: str):
        messages.success(self.request, message)
        return HttpResponseRedirect(self.get_meeting().get_absolute_url())

    def refused(self, error: MeetingError, form=None):
        messages.error(self.request, error.message)
        if form is not None:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        return HttpResponseRedirect(self.get_meeting().get_absolute_url())


class MeetingFormView(MeetingObjectMixin, FormView):
    def get(self, request, *args, **kwargs):
        self.get_meeting()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.get_meeting()
        return super().post(request, *args, **kwargs)


class MeetingScheduleView(MeetingFormView):
    host_only = True
    form_class = ScheduleForm
    template_name = "meetings/meeting_form.html"
    extra_context = {"heading": gettext_lazy("Schedule the meeting")}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        # A copy: a refused form must not leave half-applied values on the meeting shown again.
        kwargs["instance"] = Meeting.objects.get(pk=self.get_meeting().pk)
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.meeting_schedule(
                meeting=self.get_meeting(),
                by=self.request.user,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                venue=data["venue"],
                format=data["format"],
                video_link=data["video_link"],
                address=data["address"],
                registration_deadline=data["registration_deadline"],
                capacity=data["capacity"],
                practical_information=data["practical_information"],
                title=data["title"],
            )
        except MeetingError as error:
            return self.refused(error, form)
        return self.done(_("The meeting is scheduled."))


class HostingView(MeetingFormView):
    host_only = True
    form_class = HostingForm
    template_name = "meetings/meeting_form.html"
    extra_context = {"heading": gettext_lazy("Hosting the meeting")}

    def form_valid(self, form):
        meeting = self.get_meeting()
        try:
            if form.cleaned_data["decision"] == HostingForm.ACCEPT:
                services.meeting_accept_hosting(meeting=meeting, by=self.request.user)
                return self.done(_("Thank you: your institution hosts this meeting. Now schedule it."))
            services.meeting_decline_hosting(meeting=meeting, by=self.request.user, reason=form.cleaned_data["reason"])
        except MeetingError as error:
            return self.refused(error, form)
        messages.success(self.request, _("Noted: your institution does not host this meeting."))
        return HttpResponseRedirect(reverse("meetings:meeting_list"))


class AgendaItemCreateView(MeetingFormView):
    host_only = True
    form_class = AgendaItemForm
    template_name = "meetings/meeting_form.html"
    extra_context = {"heading": gettext_lazy("Add an agenda item")}

    def form_valid(self, form):
        try:
            services.agenda_item_add(meeting=self.get_meeting(), by=self.request.user, **form.cleaned_data)
        except MeetingError as error:
            return self.refused(error, form)
        return self.done(_("The agenda item is added."))


class AgendaItemDeleteView(MeetingObjectMixin, View):
    host_only = True

    def post(self, request, pk, item_pk):
        item = get_object_or_404(AgendaItem, pk=item_pk, meeting=self.get_meeting())
        try:
            services.agenda_item_delete(item=item, by=request.user)
        except MeetingError as error:
            return self.refused(error)
        return self.done(_("The agenda item is removed."))


class MeetingStatusView(MeetingObjectMixin, View):
    """Mark held or cancel (POST `action`)."""

    host_only = True

    def post(self, request, pk):
        meeting = self.get_meeting()
        action = request.POST.get("action")
        try:
            if action == "held":
                services.meeting_mark_held(meeting=meeting, by=request.user)
                return self.done(_("The meeting is marked as held."))
            if action == "cancel":
                services.meeting_cancel(meeting=meeting, by=request.user)
                return self.done(_("The meeting is cancelled."))
            if action == "publish_minutes":
                services.meeting_publish_minutes(meeting=meeting, by=request.user)
                return self.done(_("The minutes are published."))
        except MeetingError as error:
            return self.refused(error)
        raise Http404


class InPersonMixin:
    """Pages of a member's own (her answer, her stand-in, her calendar feed): staff without a
    Member row have none (they change answers in the admin) and get 404. Staff without a second
    factor are refused by the member gate instead, and sent to complete it."""

    def dispatch(self, request, *args, **kwargs):
        if _member(request.user) is None and is_staff_with_mfa(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class AttendanceView(InPersonMixin, MeetingFormView):
    form_class = AttendanceForm
    template_name = "meetings/meeting_form.html"
    extra_context = {"heading": gettext_lazy("Your answer")}

    def get_initial(self):
        attendance = Attendance.objects.filter(meeting=self.get_meeting(), member=_member(self.request.user)).first()
        if attendance is None:
            return {}
        return {
            "attending": "no" if attendance.status == Attendance.Status.NOT_ATTENDING else "yes",
            "dietary_needs": attendance.dietary_needs,
            "remarks": attendance.remarks,
        }

    def form_valid(self, form):
        try:
            attendance = services.attendance_respond(
                meeting=self.get_meeting(), member=_member(self.request.user), by=self.request.user, **form.cleaned_data
            )
        except MeetingError as error:
            return self.refused(error, form)
        texts = {
            Attendance.Status.ATTENDING: _("You are registered for the meeting."),
            Attendance.Status.WAITING: _("The meeting is full: you are on the waiting list."),
            Attendance.Status.NOT_ATTENDING: _("Noted: you will not attend."),
        }
        return self.done(texts[attendance.status])


class StandInView(InPersonMixin, MeetingFormView):
    form_class = StandInForm
    template_name = "meetings/meeting_form.html"
    extra_context = {"heading": gettext_lazy("Send a stand-in")}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "member": _member(self.request.user)}

    def form_valid(self, form):
        stand_in = form.cleaned_data["stand_in"]
        try:
            services.attendance_send_stand_in(
                meeting=self.get_meeting(), member=_member(self.request.user), stand_in=stand_in, by=self.request.user
            )
        except MeetingError as error:
            return self.refused(error, form)
        return self.done(_("%(person)s is registered as your stand-in.") % {"person": stand_in})


class ParticipantListView(MeetingObjectMixin, TemplateView):
    host_only = True
    template_name = "meetings/participant_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(participants=selectors.participants(self.get_meeting()), **kwargs)


class ParticipantCSVView(MeetingObjectMixin, View):
    host_only = True

    def get(self, request, pk):
        meeting = self.get_meeting()
        return csv_response(
            filename=f"participants-{meeting.year}-{meeting.season}.csv",
            header=[
                _("Name"),
                _("Email"),
                _("Institution"),
                _("Answer"),
                _("Dietary needs"),
                _("Remarks"),
                _("Stand-in for"),
            ],
            rows=(
                [
                    row.member.full_name,
                    row.member.email,
                    row.member.institution.name if row.member.institution else "",
                    row.get_status_display(),
                    row.dietary_needs,
                    row.remarks,
                    row.stand_in_for.full_name if row.stand_in_for else "",
                ]
                for row in selectors.participants(meeting)
            ),
        )


class DocumentUploadView(MeetingFormView):
    host_only = True
    form_class = DocumentForm
    template_name = "meetings/meeting_form.html"
    extra_context = {"heading": gettext_lazy("Upload a document")}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.document_upload(
                meeting=self.get_meeting(),
                by=self.request.user,
                kind=data["kind"],
                title=data["title"],
                uploaded_file=data["file"],
                publish_minutes=data["publish_minutes"],
            )
        except MeetingError as error:
            return self.refused(error, form)
        return self.done(_("The document is uploaded."))


class DocumentDownloadView(MemberRequiredMixin, View):
    """Documents are never served from a public URL: members only, always as an attachment."""

    def get(self, request, pk):
        document = get_object_or_404(MeetingDocument.objects.select_related("meeting"), pk=pk)
        if not request.user.has_perm("meetings.view_meeting", document.meeting):
            raise Http404  # a steering-group meeting's documents: its seats and the secretariat only
        try:
            handle = document.file.open("rb")
        except FileNotFoundError as error:
            raise Http404 from error
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=safe_download_name(document.original_name),
            content_type=document.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        return response


class MeetingICSView(MemberRequiredMixin, View):
    def get(self, request, pk):
        meeting = get_object_or_404(Meeting.objects.select_related("host"), pk=pk)
        if not meeting.starts_at or not request.user.has_perm("meetings.view_meeting", meeting):
            raise Http404
        body = meetings_calendar([meeting], name=f"KLOSS-Net {meeting}")
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="kloss-net-{meeting.year}-{meeting.season}.ics"'
        return response


class CalendarFeedView(View):
    """A member's private feed: the token is the only credential (calendar apps cannot log in)."""

    def get(self, request, token):
        member = Member.objects.active().filter(calendar_token=token).select_related("user", "institution").first()
        if member is None:
            raise Http404
        # The feed is the same for every member (the token only admits her), but for the steering
        # group's seats, whose feed has its meetings too: built once per change of meetings or
        # institutions and kept in the cache with its ETag.
        steering = rules.has_perm("meetings.view_steering_meetings", member.user)
        etag, body = CALENDAR_FEED.cached(lambda: _calendar_feed(steering=steering), steering)
        not_modified = get_conditional_response(request, etag=etag)
        if not_modified is not None:
            return not_modified
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Cache-Control"] = "private, max-age=900"
        response["ETag"] = etag
        return response


def _calendar_feed(*, steering: bool = False) -> tuple[str, bytes]:
    """The feed's body and ETag: the meetings of the last two years and every one to come
    (selectors.calendar_meetings), one query, whatever the length of the network's history."""
    body = meetings_calendar(selectors.calendar_meetings(steering=steering), name="KLOSS-Net")
    return quote_etag(hashlib.sha256(body).hexdigest()[:32]), body


class CalendarSettingsView(InPersonMixin, MemberRequiredMixin, TemplateView):
    """The member's feed URL, and a button that revokes it by making a new one."""

    template_name = "meetings/calendar.html"

    def get_context_data(self, **kwargs):
        member = _member(self.request.user)
        feed = self.request.build_absolute_uri(
            reverse("meetings:calendar_feed", kwargs={"token": member.calendar_token})
        )
        # webcal:// asks the calendar app to subscribe (on http:// too, e.g. a development site).
        webcal = "webcal://" + feed.split("://", 1)[1]
        return super().get_context_data(feed_url=feed, webcal_url=webcal, feed_years=selectors.FEED_YEARS, **kwargs)

    def post(self, request):
        services.calendar_token_regenerate(member=_member(request.user))
        messages.success(request, _("You have a new calendar address; the old one no longer works."))
        return HttpResponseRedirect(reverse("meetings:calendar"))


class MeetingMessageView(MeetingObjectMixin, MessageComposeView):
    """A host contact writes to her meeting's people: network's compose view, limited to the meeting
    (the scope registered in meetings/messaging.py). Anyone who may not host the meeting gets 404."""

    host_only = True
    template_name = "meetings/message_form.html"  # network's page, with the meetings in its breadcrumb

    def get_scope(self):
        return self.get_meeting()

"""Date polls: propose times (the organisers), answer (the invited), see the results and close
(the organisers). permission -> form -> service -> message -> redirect."""

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from network.language.dates import moment
from network.mixins import MemberRequiredMixin

from ..models import Meeting
from ..services import MeetingError
from ..views import MeetingFormView
from . import selectors, services
from .forms import AnswerForm, CloseForm, DatePollForm
from .models import DatePoll


class DatePollCreateView(MeetingFormView):
    """A host contact, the secretariat or (for its meetings) the steering group's chair proposes times."""

    form_class = DatePollForm
    template_name = "meetings/polls/date_poll_form.html"
    extra_context = {"heading": gettext_lazy("Propose dates")}

    def get_meeting(self) -> Meeting:
        meeting = super().get_meeting()
        if not self.request.user.has_perm("meetings.propose_dates", meeting):
            raise Http404
        return meeting

    def open_poll(self) -> DatePoll | None:
        if not hasattr(self, "_open_poll"):
            self._open_poll = selectors.open_poll_of(self.get_meeting())
        return self._open_poll

    def get_context_data(self, **kwargs):
        return super().get_context_data(open_poll=self.open_poll(), **kwargs)

    def post(self, request, *args, **kwargs):
        poll = self.open_poll()
        if poll is not None:  # one poll at a time: the page offers no form then
            messages.error(request, _("This meeting already has an open date poll."))
            return HttpResponseRedirect(poll.get_absolute_url())
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            poll = services.date_poll_open(
                meeting=self.get_meeting(),
                by=self.request.user,
                slots=data["slots"],
                answers_until=data["answers_until"],
                note=data["note"],
            )
        except MeetingError as error:
            return self.refused(error, form)
        messages.success(self.request, _("The date poll is open: the invited are asked to answer."))
        return HttpResponseRedirect(poll.get_absolute_url())


class PollMixin(MemberRequiredMixin):
    """The poll of the URL, with its meeting: 404 for whoever may not see the meeting."""

    def get_poll(self) -> DatePoll:
        if not hasattr(self, "_poll"):
            poll = get_object_or_404(DatePoll.objects.select_related("meeting__host"), pk=self.kwargs["pk"])
            if not self.request.user.has_perm("meetings.view_date_poll", poll):
                raise Http404
            self._poll = poll
            self._slots = selectors.poll_slots(poll)
        return self._poll

    def get_slots(self):
        self.get_poll()
        return self._slots

    def get_context_data(self, **kwargs):
        poll = self.get_poll()
        return super().get_context_data(poll=poll, meeting=poll.meeting, slots=self.get_slots(), **kwargs)


class DatePollView(PollMixin, FormView):
    """The poll: her answers (a group of radio buttons per time), and for the organisers the results."""

    template_name = "meetings/polls/date_poll_detail.html"
    form_class = AnswerForm

    def member(self):
        return getattr(self.request.user, "member", None)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["slots"] = self.get_slots()
        kwargs["initial_answers"] = self.my_answers()
        return kwargs

    def my_answers(self) -> dict[int, str]:
        if not hasattr(self, "_mine"):
            self._mine = selectors.answers_of(self.get_poll(), self.member())
        return self._mine

    def get_context_data(self, **kwargs):
        poll = self.get_poll()
        user = self.request.user
        can_answer = user.has_perm("meetings.answer_date_poll", poll) and selectors.answering_open(poll)
        can_see_results = user.has_perm("meetings.view_date_poll_results", poll)
        mine = self.my_answers()
        return super().get_context_data(
            can_answer=can_answer,
            can_close=user.has_perm("meetings.close_date_poll", poll),
            my_answers=[(slot, selectors.choice_label(mine.get(slot.pk))) for slot in self.get_slots()] if mine else [],
            results=selectors.poll_results(poll, self.get_slots()) if can_see_results else None,
            answering_open=selectors.answering_open(poll),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        poll = self.get_poll()
        refusal = None
        if not poll.is_open:
            refusal = _("This date poll is closed: answers can no longer be changed.")
        elif not request.user.has_perm("meetings.answer_date_poll", poll):
            refusal = _("Only those invited to the meeting answer its date poll.")
        elif poll.meeting.status != Meeting.Status.CONFIRMED:
            refusal = _("The meeting's date is set: this date poll takes no more answers.")
        elif not selectors.answering_open(poll):
            refusal = _("The last day to answer this date poll has passed.")
        if refusal:  # the page offers no form then: say why, on the poll's page
            messages.error(request, refusal)
            return HttpResponseRedirect(poll.get_absolute_url())
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        member = self.member()
        try:
            if member is None:
                raise MeetingError(_("Only those invited to the meeting answer its date poll."))
            services.date_poll_answer(poll=self.get_poll(), member=member, by=self.request.user, answers=form.answers())
        except MeetingError as error:
            messages.error(self.request, error.message)
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("Thank you: your answer is saved. You can change it until the poll closes."))
        return HttpResponseRedirect(self.get_poll().get_absolute_url())


class DatePollCloseView(PollMixin, FormView):
    """Choose the time: the meeting is scheduled and the invitations with the .ics go out."""

    template_name = "meetings/polls/date_poll_close.html"
    form_class = CloseForm

    def get_poll(self) -> DatePoll:
        poll = super().get_poll()
        if not self.request.user.has_perm("meetings.close_date_poll", poll):
            raise Http404
        return poll

    def get_results(self):
        if not hasattr(self, "_results"):
            self._results = selectors.poll_results(self.get_poll(), self.get_slots())
        return self._results

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        labels = []
        for result in self.get_results().slots:
            counts = _("%(yes)s yes, %(maybe)s if need be, %(no)s no") % {
                "yes": result.yes,
                "maybe": result.if_need_be,
                "no": result.no,
            }
            labels.append((str(result.slot.pk), f"{result.slot} ({counts})"))
        kwargs["choices"] = labels
        return kwargs

    def get_initial(self):
        meeting = self.get_poll().meeting
        best = self.get_results().best
        return {
            "slot": str(best[0].slot.pk) if len(best) == 1 else None,
            "format": meeting.format,
            "venue": meeting.venue,
            "address": meeting.address,
            "video_link": meeting.video_link,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(results=self.get_results(), **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        poll = self.get_poll()
        slot = next(s for s in self.get_slots() if str(s.pk) == data["slot"])
        try:
            meeting = services.date_poll_close(
                poll=poll,
                by=self.request.user,
                slot=slot,
                venue=data["venue"],
                address=data["address"],
                format=data["format"],
                video_link=data["video_link"],
                registration_deadline=data["registration_deadline"],
            )
        except MeetingError as error:
            messages.error(self.request, error.message)
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The meeting is set for %(when)s: the invitations with the calendar file are on their way.")
            % {"when": moment(meeting.starts_at)},
        )
        return HttpResponseRedirect(meeting.get_absolute_url())

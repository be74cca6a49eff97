import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, resolve_url
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView, TemplateView, UpdateView, View
from django_filters.views import FilterView
from rules.contrib.views import PermissionRequiredMixin

from . import selectors, services
from .filters import MemberFilter
from .forms import ConfirmLeaveForm, ConfirmPasswordForm, DecisionForm, ProfileForm
from .fragments import DIRECTORY, INSTITUTION_ROW
from .mixins import CachedListMixin, MemberRequiredMixin
from .models import Institution, Member
from .panels import panels


class ApplicationStatusView(LoginRequiredMixin, TemplateView):
    """What an applicant sees: her application is waiting for approval (or was decided)."""

    template_name = "network/application_status.html"

    def get_context_data(self, **kwargs):
        # The intranet's start page belongs to the site above this app: named by the settings, not here.
        return super().get_context_data(home_url=resolve_url(settings.LOGIN_REDIRECT_URL), **kwargs)


class PrivacyNoticeView(TemplateView):
    """Public: the privacy notice every member accepts at signup."""

    template_name = "network/privacy_notice.html"

    def get_context_data(self, **kwargs):
        # The retention periods the nightly job applies (kloss_site/retention.py), in days and months.
        retention = {key: {"days": days, "months": round(days / 30.44)} for key, days in settings.RETENTION.items()}
        return {
            **super().get_context_data(**kwargs),
            "version": settings.PRIVACY_NOTICE_VERSION,
            "retention": retention,
        }


class InstitutionListView(MemberRequiredMixin, ListView):
    template_name = "network/institution_list.html"
    context_object_name = "institutions"

    def get_queryset(self):
        return selectors.institution_list()


class InstitutionDetailView(MemberRequiredMixin, DetailView):
    """An institution: leadership, representatives, meetings hosted, projects. The same for every
    member: kept as a fragment; its parts are read (lazily, in the template) only to build it."""

    template_name = "network/institution_detail.html"
    context_object_name = "institution"

    def get_object(self, queryset=None):
        institution = INSTITUTION_ROW.cached_row(Institution.objects.all(), slug=self.kwargs["slug"])
        if institution is None:
            raise Http404
        return institution

    def get_context_data(self, **kwargs):
        institution = self.object
        return super().get_context_data(
            # Callables: the template calls them only when it builds the fragment.
            representatives=lambda: selectors.member_directory().filter(institution=institution),
            terms=lambda: institution.leadership_terms.order_by("-starts_on"),
            current_lead=selectors.current_lead,
            panels=panels("institution_detail"),  # what the apps above show here (network/panels.py)
            **kwargs,
        )


class MemberListView(MemberRequiredMixin, CachedListMixin, FilterView):
    """The directory: every approved member, filterable, 25 a page; the same for every member, so
    kept as a fragment until a member or an institution changes."""

    fragment = DIRECTORY
    template_name = "network/member_list.html"
    context_object_name = "members"
    filterset_class = MemberFilter
    paginate_by = 25

    def get_queryset(self):
        return selectors.member_directory()


class MemberDetailView(MemberRequiredMixin, DetailView):
    template_name = "network/member_detail.html"
    context_object_name = "member"

    def get_queryset(self):
        # Anyone not active (applicant, rejected, left, deleted) answers 404.
        return selectors.visible_members().prefetch_related("steering_seats")

    def get_context_data(self, **kwargs):
        # What the apps above show on a profile (network/panels.py).
        return super().get_context_data(panels=panels("member_detail"), **kwargs)


class SteeringGroupView(MemberRequiredMixin, ListView):
    template_name = "network/steering_group.html"
    context_object_name = "seats"

    def get_queryset(self):
        return selectors.current_steering_group()


class OwnMemberMixin(LoginRequiredMixin):
    def get_member(self) -> Member:
        member = Member.objects.select_related("user", "institution").filter(user=self.request.user).first()
        if member is None:
            raise Http404
        return member


class ProfileEditView(OwnMemberMixin, PermissionRequiredMixin, UpdateView):
    """A member (or applicant) edits her own profile; `status`, `is_staff` and the rest are not fields."""

    permission_required = "network.edit_own_profile"
    template_name = "network/profile_form.html"
    form_class = ProfileForm

    def get_object(self, queryset=None):
        return self.get_member()

    def form_valid(self, form):
        try:
            services.member_update_profile(member=self.object, **form.cleaned_data)
        except services.MembershipError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("Your profile has been saved."))
        if self.object.status == Member.Status.APPROVED:
            return redirect(self.object.get_absolute_url())
        return redirect("network:application_status")


class MemberLeaveView(OwnMemberMixin, PermissionRequiredMixin, FormView):
    permission_required = "network.leave_network"
    template_name = "network/member_leave.html"
    form_class = ConfirmLeaveForm

    def get_permission_object(self):
        # Someone without a Member row (staff) has no membership to leave: 404.
        return self.get_member()

    def form_valid(self, form):
        try:
            services.member_leave(member=self.get_member())
        except services.MembershipError as error:
            messages.error(self.request, str(error))
            return redirect("home")
        logout(self.request)
        messages.success(self.request, _("You have left the network. Thank you for your time with us."))
        return redirect("landing")


class DataExportView(LoginRequiredMixin, View):
    """GDPR: all data about the logged-in person, as a JSON download."""

    def get(self, request, *args, **kwargs):
        data = selectors.member_personal_data(request.user)
        data["exported_at"] = timezone.now().isoformat()
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="kloss-net-my-data.json"'
        return response


class AccountDeleteView(LoginRequiredMixin, FormView):
    """GDPR: delete her account (personal data erased; history kept without her name)."""

    template_name = "network/account_delete.html"
    form_class = ConfirmPasswordForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        user = self.request.user
        logout(self.request)
        services.account_delete(user=user)
        messages.success(self.request, _("Your account has been deleted."))
        return redirect("landing")


class ApprovalListView(PermissionRequiredMixin, TemplateView):
    """The secretariat's queue; a domain of no member institution is flagged."""

    permission_required = "network.view_applications"
    template_name = "network/approval_list.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "applicants": selectors.approval_queue(), "form": DecisionForm()}


class ApprovalDecideView(PermissionRequiredMixin, FormView):
    permission_required = "network.view_applications"
    form_class = DecisionForm
    http_method_names = ["post"]

    def form_valid(self, form):
        member = get_object_or_404(Member.objects.applicants().select_related("user"), pk=self.kwargs["pk"])
        service = services.member_approve if form.cleaned_data["decision"] == "approve" else services.member_reject
        try:
            service(member=member, by=self.request.user, note=form.cleaned_data["note"])
        except services.MembershipError as error:
            messages.error(self.request, str(error))
        else:
            messages.success(
                self.request, _("%(name)s: decision saved; the email is on its way.") % {"name": member.full_name}
            )
        return redirect("network:approval_list")

    def form_invalid(self, form):
        messages.error(self.request, _("Choose approve or reject."))
        return redirect("network:approval_list")

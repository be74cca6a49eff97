from django.contrib.auth.mixins import LoginRequiredMixin
from django.views.generic import DetailView, ListView, TemplateView

from .mixins import MemberRequiredMixin
from .models import Institution, Member


class ApplicationStatusView(LoginRequiredMixin, TemplateView):
    """What an applicant sees: her application is waiting for approval (or was decided)."""

    template_name = "network/application_status.html"


class InstitutionListView(MemberRequiredMixin, ListView):
    template_name = "network/institution_list.html"
    context_object_name = "institutions"

    def get_queryset(self):
        return Institution.objects.current_members()


class InstitutionDetailView(MemberRequiredMixin, DetailView):
    template_name = "network/institution_detail.html"
    context_object_name = "institution"
    queryset = Institution.objects.all()


class MemberListView(MemberRequiredMixin, ListView):
    template_name = "network/member_list.html"
    context_object_name = "members"
    paginate_by = 50

    def get_queryset(self):
        return Member.objects.active().select_related("user", "institution")


class MemberDetailView(MemberRequiredMixin, DetailView):
    template_name = "network/member_detail.html"
    context_object_name = "member"

    def get_queryset(self):
        return Member.objects.active().select_related("user", "institution")

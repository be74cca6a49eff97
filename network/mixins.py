"""The gate in front of every intranet page."""

from django.contrib.auth.mixins import AccessMixin
from django.shortcuts import redirect

from .rules import is_active_member, is_applicant


class MemberRequiredMixin(AccessMixin):
    """Anonymous -> login; applicant -> the "waiting for approval" page; anyone else not an
    approved member of a current member institution -> 403. Staff always pass."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return self.handle_no_permission()
        if not is_active_member(user):
            if is_applicant(user):
                return redirect("network:application_status")
            self.raise_exception = True
            return self.handle_no_permission()
        return super().dispatch(request, *args, **kwargs)

"""Authentication backends: Django's and allauth's, loading the signed-in user with her membership.

Every page asks whether the user is an active member (the navigation, the permission rules), which
reads `user.member` and `member.institution`. The three rows are loaded in one joined query, and kept
in the cache under the network's generation (network/cache.py): any save of a user, member or
institution (a password, the staff flag, an approval, an institution leaving) gives a new generation,
so the next request reads the rows again. A login's `last_login` is the one field that may be stale.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import backends, get_user_model

from . import cache


class UserWithMembershipMixin:
    def get_user(self, user_id):
        users = get_user_model()._default_manager.select_related("member__institution")
        user = cache.cached_row("auth_user", users, data=(cache.NETWORK,), pk=user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(UserWithMembershipMixin, backends.ModelBackend):
    pass


class AuthenticationBackend(UserWithMembershipMixin, AllauthBackend):
    pass

"""Authentication backends: Django's and allauth's, loading the signed-in user with her membership.

Every page asks whether the user is an active member (the navigation, the permission rules), which
reads `user.member` and `member.institution`. The three rows are loaded in one joined query, once per
request (AuthenticationMiddleware keeps the user on the request). They are permission inputs (the
password hash, the staff flag, her status, her institution's membership): never kept in the cache
across requests, so a revoked right or a changed password is refused on the very next request.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import backends, get_user_model
from django.core.exceptions import ValidationError


def user_queryset(user_model=None):
    """The user with her member row and its institution, in one query."""
    user_model = user_model or get_user_model()
    return user_model._default_manager.select_related("member__institution")


def load_user(user_id):
    """The user whose primary key is `user_id` (as the session keeps it), with `member` and
    `member.institution` loaded, or None."""
    user_model = get_user_model()
    try:
        pk = user_model._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    # One row by its primary key: no ORDER BY (a slice keeps the model's default ordering, which
    # would be compiled and sent on every request; first() would order by the key).
    return next(iter(user_queryset(user_model).filter(pk=pk).order_by()[:1]), None)


class UserWithMembershipMixin:
    def get_user(self, user_id):
        user = load_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(UserWithMembershipMixin, backends.ModelBackend):
    pass


class AuthenticationBackend(UserWithMembershipMixin, AllauthBackend):
    pass

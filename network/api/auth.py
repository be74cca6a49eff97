"""Who a token is: `Authorization: Bearer <token>` makes the request's user an `ApiViewer`, which the
apps' rules predicates (network/rules.py, meetings/rules.py, projects/rules.py) judge exactly as an
ordinary member of the token's institution: approved, active while the institution is a member of
the network, no seat on the steering group, no staff rights. A network token (no institution) is an
ordinary member of no institution in particular. So a token sees what such a member sees, never
more: the steering group's matters stay hidden and nothing of staff's is ever shown.

The scope narrows that further (read public: base.py's `members_only` endpoints and the fields the
serializers mark as members-only are left out); it never widens it."""

import rules
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .models import ApiToken, token_hash
from .services import api_token_touch


class TokenMember:
    """The member the predicates see behind a token. Her id matches no row (ids start at 1): she holds
    no seat on the steering group, participates in no project, owns no action herself."""

    pk = 0
    id = 0
    status = "approved"  # Member.Status.APPROVED

    def __init__(self, token: ApiToken, user: "ApiViewer"):
        self.user = user
        self.institution = token.institution
        self.institution_id = token.institution_id

    @property
    def is_active_member(self) -> bool:
        """As Member.is_active_member: while her institution is a member of the network (a network
        token: always, until it expires or is revoked)."""
        return self.institution is None or self.institution.is_member


class ApiViewer:
    """The request's user for a token (duck-typed as Django's users are by the predicates)."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    # Matches no row, not even a NULL (None == None would be): a predicate comparing a row's user
    # with hers (a message's writer whose account was deleted, her own profile) is never true.
    pk = 0
    id = 0

    def __init__(self, token: ApiToken):
        self.token = token
        self.member = TokenMember(token, self)

    def __str__(self) -> str:
        return str(self.token)

    def has_perm(self, perm: str, obj=None) -> bool:
        return rules.has_perm(perm, self, obj)

    def get_username(self) -> str:
        return str(self.token)


def sees_members_only(request) -> bool:
    """May the request read what only members read? A token with that scope, or a signed-in member
    (her session: the predicates decide the rest)."""
    if isinstance(request.auth, ApiToken):
        return request.auth.sees_members_only
    return True


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer kloss_...`. A wrong, expired or revoked token is refused (401) even when
    the request also has a session: a script must know its token no longer works."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Give the token after the word Bearer, without spaces."))
        try:
            secret = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("The token is not valid.")) from None
        token = ApiToken.objects.select_related("institution").filter(key_hash=token_hash(secret)).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("The token is not valid."))
        if token.is_revoked:
            raise exceptions.AuthenticationFailed(_("The token has been revoked."))
        if not token.is_usable():
            raise exceptions.AuthenticationFailed(_("The token has expired."))
        api_token_touch(token=token)
        return ApiViewer(token), token

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'

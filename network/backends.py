"""Authentication backends: Django's and allauth's, loading the signed-in user with her membership.

Every page asks whether the user is an active member (the navigation, the permission rules), which
reads `user.member` and `member.institution`. The three rows are loaded in one joined query, once per
request (AuthenticationMiddleware keeps the user on the request). They are permission inputs (the
password hash, the staff flag, her status, her institution's membership): never kept in the cache
across requests, so a revoked right or a changed password is refused on the very next request.

That query runs on every request, so it is compiled once per database connection (`_Plan`), not
once per request: the ORM spent longer turning the queryset into its 36-column SQL than the
database spent running it (`bench/user_query.py` measures both). The rows are turned into objects
by the ORM's own machinery, exactly as the queryset would.
"""

import weakref
from dataclasses import dataclass
from typing import Any

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import backends, get_user_model
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.models.query import get_related_populators

# The placeholder the plan is compiled with; each request binds the user's id in its place.
_PROBE = 0


def user_queryset(user_model=None):
    """The user with her member row and its institution, in one query."""
    user_model = user_model or get_user_model()
    return user_model._default_manager.select_related("member__institution")


@dataclass(frozen=True)
class _Plan:
    sql: str
    compiler: Any  # for its converters, bound to this connection
    converters: dict
    init_list: list[str]
    start: int
    end: int
    populators: list


# One plan per connection object (each thread has its own): its SQL is that database's dialect.
_plans: "weakref.WeakKeyDictionary[Any, _Plan | None]" = weakref.WeakKeyDictionary()


def _plan(user_model, db: str) -> _Plan | None:
    connection = connections[db]
    if connection in _plans:
        return _plans[connection]
    compiler = user_queryset(user_model).using(db).filter(pk=_PROBE)[:1].query.get_compiler(using=db)
    sql, params = compiler.as_sql()
    plan = None
    if list(params) == [_PROBE]:  # else the ORM compiles it on every request, as before
        select, klass_info = compiler.select, compiler.klass_info
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        plan = _Plan(
            sql=sql,
            compiler=compiler,
            converters=compiler.get_converters([column for column, _, _ in select]),
            init_list=[column[0].target.attname for column in select[start:end]],
            start=start,
            end=end,
            populators=get_related_populators(klass_info, select, db),
        )
    _plans[connection] = plan
    return plan


def load_user(user_id):
    """The user whose primary key is `user_id` (as the session keeps it), with `member` and
    `member.institution` loaded, or None: what `user_queryset().filter(pk=user_id).first()` gives,
    without compiling the query again."""
    user_model = get_user_model()
    try:
        pk = user_model._meta.pk.to_python(user_id)
    except ValidationError:
        return None
    db = router.db_for_read(user_model)
    plan = _plan(user_model, db)
    if plan is None:
        return next(iter(user_queryset(user_model).filter(pk=pk)[:1]), None)
    with connections[db].cursor() as cursor:
        cursor.execute(plan.sql, [pk])
        row = cursor.fetchone()
    if row is None:
        return None
    if plan.converters:
        row = next(iter(plan.compiler.apply_converters([row], plan.converters)))
    user = user_model.from_db(db, plan.init_list, row[plan.start : plan.end])
    for populator in plan.populators:
        populator.populate(row, user)
    return user


class UserWithMembershipMixin:
    def get_user(self, user_id):
        user = load_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class ModelBackend(UserWithMembershipMixin, backends.ModelBackend):
    pass


class AuthenticationBackend(UserWithMembershipMixin, AllauthBackend):
    pass

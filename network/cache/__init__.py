"""Cached page fragments and reads that are never stale after a change: *namespaces with versions*.

A namespace names a piece of data that pages show: one object (`meeting:12`, `project:5`,
`member:7`, `institution:3`) or a list (`meetings`, `directory`, `catalogue`, `dashboard`, ...). Each
has a version, a short random string kept in the cache. Every cached entry is declared once, as a
`Fragment` (name, the namespaces it depends on, its lifetime) in its app's `fragments.py`; its key is
built from the versions of those namespaces, so a change of one of them makes the old entry
unreachable (it is never read again and expires on its own).

What a change of a model touches is declared once too, next to the fragments (`declare`): a
function from the changed row to the namespaces it shows in. The service that writes calls
`changed(row)` (as pretix's services clear their per-object caches), and so do the admin
(`InvalidatingAdminMixin`) and the commands that write; no model signal is involved. `clear_all()`
gives every namespace a new version at once (seed and demo data, a restore).

Permission inputs (the user row, the staff flag, steering-group seats, participations) are never
kept here across requests: `per_request` memoises them for one request only.

Every key has a lifetime: fragments FRAGMENT_SECONDS unless declared otherwise (what changes with the
clock, such as a meeting passing from upcoming to past, is bounded by it), versions VERSION_SECONDS.
Every entry also holds the day it was built for: one built yesterday is built again, so what
changes with the date (a meeting over at midnight, a new half-year, a round's deadline) shows from
the first request of the day, while the keys stay the same across midnight. A lost version
(evicted, Redis restarted) only means a new version: the fragments that depend on it are built
again. With `settings.CACHE_FRAGMENTS` off everything is built on every request (to measure what
the cache pays for: bench/run.py).

The room: this module (the namespaces, `Fragment`, `declare`, `changed`), `admin.py` (the admin forgets
what it changes, through the same declarations); each app declares its own fragments in its
`fragments.py`, and the template tag `{% fragment %}` lives in `network/templatetags/fragments.py`
(Django finds template tags per app). May import: Django and `network.models`; never an upper app.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from asgiref.local import Local
from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.http import urlencode

# The longest a cached fragment or figure lives unless its declaration says otherwise. Changes of
# data show at once (a new version); this bounds what changes with the clock.
FRAGMENT_SECONDS = 600
# A version outlives every fragment built under it; when it expires the fragments are built again.
VERSION_SECONDS = 24 * 3600

# Part of every key: `clear_all()` gives it a new version.
SITE = "site"


def enabled() -> bool:
    return getattr(settings, "CACHE_FRAGMENTS", True)


def _version_key(namespace: str) -> str:
    # "generation" as before: bench/run.py forgets `*:generation:*` to measure cold pages.
    return f"generation:v2:{namespace}"


# Within one request the versions are read once (and a page's keys agree with each other), and the
# permission inputs are memoised (`per_request`). Outside requests (Celery tasks, commands, tests
# that call services) versions are read every time and nothing is memoised.
_request = Local()


def _request_started(**_kwargs) -> None:
    _request.versions = {}
    _request.memo = {}
    _request.entries = {}


def _request_finished(**_kwargs) -> None:
    _request.versions = None
    _request.memo = None
    _request.entries = None


request_started.connect(_request_started, dispatch_uid="cache_versions_request_started")
request_finished.connect(_request_finished, dispatch_uid="cache_versions_request_finished")


def per_request(key: Any, build: Callable[[], Any]) -> Any:
    """`build()` once per request under `key` (a permission input: read fresh by every request, so
    a revoked right is refused at once); outside a request, every time."""
    memo = getattr(_request, "memo", None)
    if memo is None:
        return build()
    if key not in memo:
        memo[key] = build()
    return memo[key]


def stamp(*namespaces: str) -> str:
    """The current versions of `namespaces` (and of SITE), joined: one cache round trip per request
    for all the namespaces a page needs when they exist."""
    memo = getattr(_request, "versions", None)
    keys = [_version_key(name) for name in (SITE, *namespaces)]
    found = {key: memo[key] for key in keys if key in memo} if memo is not None else {}
    wanted = [key for key in keys if key not in found]
    if wanted:
        found.update(cache.get_many(wanted))
        missing = [key for key in wanted if key not in found]
        if missing:
            for key in missing:
                cache.add(key, uuid.uuid4().hex[:10], timeout=VERSION_SECONDS)  # the first to add wins
            found.update(cache.get_many(missing))
        if memo is not None:
            memo.update((key, found[key]) for key in wanted if key in found)
    return "-".join(str(found.get(key, "0")) for key in keys)


def prefetch(*namespaces: str) -> None:
    """Read these versions now, in the one round trip of `stamp` (a page that needs several)."""
    stamp(*namespaces)


def bump(*namespaces: str) -> None:
    """Give these namespaces a new version now and again when the transaction commits (a reader in
    between could store what it read before the commit under the new version)."""
    keys = sorted({_version_key(name) for name in namespaces})
    if not keys:
        return
    memo = getattr(_request, "versions", None)

    def forget():
        cache.delete_many(keys)
        if memo is not None:
            for key in keys:
                memo.pop(key, None)

    forget()
    transaction.on_commit(forget)


def clear_all() -> None:
    """Every cached fragment is built again (seed data, demo data, a restore): a new SITE version."""
    bump(SITE)


# --- What a change touches, declared once per model ----------------------------------------------

Touches = Callable[[Any, frozenset[str] | None], Iterable[str]]
_changes: dict[type, Touches] = {}


def declare(model: type, touches: Touches) -> None:
    """`touches(row, fields)` names the namespaces a change of `row` shows in; `fields` are the
    fields the write changed, or None for a new, deleted or wholly saved row."""
    _changes[model] = touches


def namespaces_of(row: Any, *, fields: Iterable[str] | None = None) -> set[str]:
    touches = next((_changes[cls] for cls in type(row).__mro__ if cls in _changes), None)
    if touches is None:
        raise LookupError(f"No cache declaration for {type(row).__name__} (network/cache/: declare)")
    return {name for name in touches(row, None if fields is None else frozenset(fields)) if name}


def changed(*rows: Any, fields: Iterable[str] | None = None) -> None:
    """The rows were created, changed (`fields`, when known) or deleted: bump what they show in.
    Call it from the service that writes, inside its transaction."""
    names: set[str] = set()
    for row in rows:
        names |= namespaces_of(row, fields=fields)
    bump(*names)


def is_declared(model: type) -> bool:
    return any(cls in _changes for cls in model.__mro__)


# --- Fragments, declared once per app -------------------------------------------------------------

FRAGMENTS: dict[str, Fragment] = {}

# The fragments being built now, innermost last: (name, the namespaces its key holds). What a
# build reads is what the entry shows, so a test can check it against the declarations
# (tests/test_cache_staleness.py).
_building: ContextVar[tuple[tuple[str, frozenset[str]], ...]] = ContextVar("fragments_building", default=())


def building() -> tuple[tuple[str, frozenset[str]], ...]:
    return _building.get()


@dataclass(frozen=True)
class Fragment:
    """A cached piece of a page (or a cached read): `depends` are namespace patterns filled from the
    keyword parameters (`"meeting:{meeting}"` with meeting=12), `seconds` its lifetime. The key also
    holds the language, the parameters and any `parts` (what tells apart its readers); its entry the
    day it was built for (`read`, `store`)."""

    name: str
    depends: tuple[str, ...]
    seconds: int = FRAGMENT_SECONDS

    def __post_init__(self):
        FRAGMENTS[self.name] = self

    def namespaces(self, **params: Any) -> list[str]:
        return [pattern.format(**params) for pattern in self.depends]

    @contextmanager
    def build(self, **params: Any) -> Iterator[None]:
        """Around the build of an entry (see `building`)."""
        token = _building.set((*_building.get(), (self.name, frozenset([SITE, *self.namespaces(**params)]))))
        try:
            yield
        finally:
            _building.reset(token)

    def key(self, *parts: Any, **params: Any) -> str:
        language = translation.get_language() or settings.LANGUAGE_CODE
        named = [f"{name}={params[name]}" for name in sorted(params)]
        return ":".join(
            [
                "frag:v4",  # v4: entries hold (day, value)
                self.name,
                stamp(*self.namespaces(**params)),
                language,
                *named,
                *map(str, parts),
            ]
        )

    def cached(self, build: Callable[[], Any], *parts: Any, **params: Any) -> Any:
        """`build()` from the cache; built and stored on a miss. Any value may be kept, None included."""
        if not enabled():
            return build()
        cache_key = self.key(*parts, **params)
        found, value = read(cache_key)
        if not found:
            day = today()
            with self.build(**params):
                value = build()
            store(cache_key, value, day=day, seconds=self.seconds)
        return value

    def cached_row(self, queryset, **lookup):
        """The row of `queryset` matching `lookup` (pk=..., slug=...), or None, from the cache."""
        parts = [f"{field}={value}" for field, value in sorted(lookup.items())]
        params = {name: value for name, value in lookup.items() if "{" + name + "}" in "".join(self.depends)}
        return self.cached(lambda: queryset.filter(**lookup).first(), *parts, **params)

    def choices(self, build: Callable[[], list]) -> Callable[[], list]:
        """A callable for a ChoiceField's `choices`: (value, label) pairs from the cache instead of a
        query and hundreds of model instances on every page."""
        return lambda: self.cached(build)


def today() -> str:
    return timezone.localdate().isoformat()


def read_ahead(keys: Iterable[str]) -> None:
    """Fetch the entries under `keys` in one round trip, for the `read`s of this request that follow
    (a page's fragments: network/templatetags/fragments.py). Outside a request, nothing."""
    entries = getattr(_request, "entries", None)
    wanted = [key for key in dict.fromkeys(keys) if entries is not None and key not in entries]
    if wanted:
        found = cache.get_many(wanted)
        entries.update((key, found.get(key)) for key in wanted)


def read(key: str) -> tuple[bool, Any]:
    """(found, value) of the entry under `key`: not found when missing or built on another day."""
    entries = getattr(_request, "entries", None)
    # Read ahead in this request (`read_ahead`): taken once, so a later read asks the cache again.
    entry = entries.pop(key) if entries and key in entries else cache.get(key)
    if entry is None or entry[0] != today():
        return False, None
    return True, entry[1]


def store(key: str, value: Any, *, day: str, seconds: int) -> None:
    """Keep `value` under `key` as built for `day` (`today()` when its build began)."""
    cache.set(key, (day, value), seconds)


def fragment(name: str | Fragment) -> Fragment:
    return name if isinstance(name, Fragment) else FRAGMENTS[name]


def query_key(request, *, without: Iterable[str] = ()) -> str:
    """The request's query string in a canonical order: the same filters give the same key."""
    items = sorted((name, sorted(values)) for name, values in request.GET.lists() if name not in without)
    return urlencode(items, doseq=True)


class CachedCountPaginator(Paginator):
    """A paginator whose `count` (a query over every matching row) is kept under `count_key`."""

    def __init__(self, *args, count_key: str, seconds: int = FRAGMENT_SECONDS, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_key = count_key
        self.seconds = seconds

    @cached_property
    def count(self) -> int:
        if not enabled():
            return super().count
        found, value = read(self.count_key)
        if not found:
            day = today()
            value = super().count
            store(self.count_key, value, day=day, seconds=self.seconds)
        return value

"""Cached reads and page fragments that are never stale after a change: *generations*.

Each app names the models its pages show (`watch`, called in its AppConfig.ready). Every save or
delete of one of them — from a view, the admin, a shell or a Celery task — gives that data set a new
generation, and every cache key is built from the generations of the data it shows: after a change
no reader finds the old entry again (it is never read and expires on its own). Writes that bypass
model signals (`QuerySet.update`, `bulk_create`) call `touch` themselves. (Signals here are not
business logic, which the house style keeps out of them: they only forget cache entries, and they
are what makes an edit in the admin or a shell count as much as one through a service.)

What changes with the clock rather than with data (upcoming meetings, current terms) is bounded by
the date in every key and by FRAGMENT_SECONDS.

The generations live in the default cache (Redis in production, shared by every process); a lost
generation (Redis restarted, key evicted) only means a new one: fragments are built again.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import Any

from asgiref.local import Local
from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone, translation
from django.utils.functional import cached_property
from django.utils.http import urlencode

# The data sets. A page's key names those whose rows it shows.
NETWORK = "network"  # institutions, members and their accounts, leadership terms, steering group
MEETINGS = "meetings"  # meetings, agendas, documents, answers
PROJECTS = "projects"  # themes, projects, participants, partners, links, rounds, reports, outputs
ALL = (NETWORK, MEETINGS, PROJECTS)

# The longest a cached fragment or figure lives. Changes of data show at once (a new generation);
# this bounds what changes with the clock, such as a meeting passing from upcoming to past.
FRAGMENT_SECONDS = 600


def _key(name: str) -> str:
    return f"generation:v1:{name}"


# Within one request the generations are read once (and a page's keys agree with each other).
# Outside requests (Celery tasks, commands) they are read every time.
_request = Local()


def _request_started(**_kwargs) -> None:
    _request.generations = {}


def _request_finished(**_kwargs) -> None:
    _request.generations = None


request_started.connect(_request_started, dispatch_uid="generations_request_started")
request_finished.connect(_request_finished, dispatch_uid="generations_request_finished")


def generation(*names: str) -> str:
    """The current generation of each data set, joined: one cache round trip when they exist."""
    memo = getattr(_request, "generations", None)
    keys = [_key(name) for name in names]
    found = {key: memo[key] for key in keys if key in memo} if memo is not None else {}
    wanted = [key for key in keys if key not in found]
    if wanted:
        found.update(cache.get_many(wanted))
        missing = [key for key in wanted if key not in found]
        if missing:
            for key in missing:
                cache.add(key, uuid.uuid4().hex[:12], timeout=None)  # the first process to add wins
            found.update(cache.get_many(missing))
        if memo is not None:
            memo.update((key, found[key]) for key in wanted if key in found)
    return "-".join(str(found.get(key, "0")) for key in keys)


def touch(*names: str) -> None:
    """Give these data sets a new generation now and again when the transaction commits (a reader
    in between could store what it read before the commit under the new generation)."""
    keys = [_key(name) for name in names]
    memo = getattr(_request, "generations", None)

    def forget():
        cache.delete_many(keys)
        if memo is not None:
            for key in keys:
                memo.pop(key, None)

    forget()
    transaction.on_commit(forget)


def watch(name: str, *models, ignore_fields: Iterable[str] = ()) -> None:
    """Touch `name` whenever a row of one of `models` (or one of their many-to-many links) is saved
    or deleted. A save that only writes `ignore_fields` (a login's `last_login`) changes nothing shown."""
    ignored = frozenset(ignore_fields)

    def saved(sender, update_fields=None, **_kwargs):
        if update_fields and ignored and set(update_fields) <= ignored:
            return
        touch(name)

    def deleted(sender, **_kwargs):
        touch(name)

    def linked(sender, action=None, **_kwargs):
        if action in ("post_add", "post_remove", "post_clear"):
            touch(name)

    for model in models:
        uid = f"generation:{name}:{model._meta.label}"
        post_save.connect(saved, sender=model, dispatch_uid=f"{uid}:save", weak=False)
        post_delete.connect(deleted, sender=model, dispatch_uid=f"{uid}:delete", weak=False)
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                linked, sender=field.remote_field.through, dispatch_uid=f"{uid}:{field.name}", weak=False
            )


def key(name: str, *parts: Any, data: Iterable[str] = ALL, stamp: str | None = None) -> str:
    """A cache key for `name` that changes with the generations of `data`, the active language and
    the date (Stockholm), and with `parts` (the page's own arguments). `stamp` is a `generation()`
    of `data` already read (several keys of one request: one round trip)."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    stamp = generation(*data) if stamp is None else stamp
    return ":".join(["v2", name, stamp, language, timezone.localdate().isoformat(), *map(str, parts)])


def cached(name: str, build: Callable[[], Any], *parts: Any, data: Iterable[str] = ALL, seconds: int | None = None):
    """`build()` from the cache under `key(name, *parts, data=data)`; built and stored on a miss.
    Any value may be kept, None included (stored in a 1-tuple: a miss is a missing key)."""
    cache_key = key(name, *parts, data=data)
    entry = cache.get(cache_key)
    if entry is None:
        entry = (build(),)
        cache.set(cache_key, entry, FRAGMENT_SECONDS if seconds is None else seconds)
    return entry[0]


def cached_row(name: str, queryset, *, data: Iterable[str], **lookup):
    """The row of `queryset` (its select_related included) matching `lookup` (pk=..., slug=...),
    or None, kept under the generations of `data`: a page's own object without a query while
    nothing it shows has changed."""
    parts = [f"{field}={value}" for field, value in sorted(lookup.items())]
    return cached(f"row:{name}", lambda: queryset.filter(**lookup).first(), *parts, data=data)


def cached_choices(name: str, build: Callable[[], list], *, data: Iterable[str] = (NETWORK,)) -> Callable[[], list]:
    """A callable for a ChoiceField's `choices`: a list of (value, label) from the cache instead of a
    query and hundreds of model instances on every page (350 institutions at K=10, bench/run.py)."""
    data = tuple(data)

    def choices() -> list:
        return cached(f"choices:{name}", build, data=data)

    return choices


def query_key(request, *, without: Iterable[str] = ()) -> str:
    """The request's query string in a canonical order: the same filters give the same key."""
    items = sorted((name, sorted(values)) for name, values in request.GET.lists() if name not in without)
    return urlencode(items, doseq=True)


class CachedCountPaginator(Paginator):
    """A paginator whose `count` (a query over every matching row) is kept under `count_key`."""

    def __init__(self, *args, count_key: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self) -> int:
        value = cache.get(self.count_key)
        if value is None:
            value = super().count
            cache.set(self.count_key, value, FRAGMENT_SECONDS)
        return value

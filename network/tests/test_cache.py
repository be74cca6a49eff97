"""Namespaces with versions (network/cache/): a bump makes every entry that depends on the
namespace unreachable, entries and versions expire, permission inputs live for one request only,
and every write path is declared (models) and wired (admin)."""

import datetime

import pytest
import time_machine
from django.apps import apps
from django.contrib import admin
from django.core.cache import cache as django_cache
from django.core.signals import request_finished, request_started
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from network import cache
from network.cache.admin import InvalidatingAdminMixin
from network.models import Member
from network.tests.factories import MemberFactory
from tests.support.services import require_service

pytestmark = pytest.mark.django_db

TEST_FRAGMENT = cache.Fragment("test:fragment", ("test:{thing}", "test-list"), seconds=30)


def test_a_bump_changes_the_stamp_of_that_namespace_only():
    before = cache.stamp("test:1"), cache.stamp("test:2")
    assert (cache.stamp("test:1"), cache.stamp("test:2")) == before  # stable while nothing changes
    cache.bump("test:1")
    assert cache.stamp("test:1") != before[0]
    assert cache.stamp("test:2") == before[1]


def test_clear_all_changes_every_stamp():
    before = cache.stamp("test:1")
    cache.clear_all()
    assert cache.stamp("test:1") != before


def test_bump_forgets_again_when_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        cache.bump("test:1")
        during = cache.stamp("test:1")  # what a reader sees before the commit
    for callback in callbacks:
        callback()
    assert cache.stamp("test:1") != during


def test_fragment_keys_follow_params_parts_and_language():
    with translation.override("sv"):
        sv = TEST_FRAGMENT.key(thing=1)
    with translation.override("en"):
        en = TEST_FRAGMENT.key(thing=1)
        other = TEST_FRAGMENT.key(thing=2)
        part = TEST_FRAGMENT.key("x", thing=1)
    assert len({sv, en, other, part}) == 4
    key = TEST_FRAGMENT.key(thing=1)
    cache.bump("test:2")
    assert TEST_FRAGMENT.key(thing=1) == key  # another object's change
    cache.bump("test-list")
    assert TEST_FRAGMENT.key(thing=1) != key


def test_an_entry_built_before_midnight_is_built_again_after_it_under_the_same_key():
    """The key holds no date (a test or a page across midnight sees the same keys); the entry holds
    the day it was built for, and yesterday's is built again."""
    today = timezone.localtime().replace(hour=23, minute=59, second=59, microsecond=0)
    calls = []

    def build():
        calls.append(timezone.localdate())
        return timezone.localdate()

    with time_machine.travel(today, tick=False):
        key = TEST_FRAGMENT.key(thing=1)
        assert TEST_FRAGMENT.cached(build, thing=1) == today.date()
        assert TEST_FRAGMENT.cached(build, thing=1) == today.date()  # kept
    with time_machine.travel(today + datetime.timedelta(seconds=2), tick=False):
        assert TEST_FRAGMENT.key(thing=1) == key
        assert TEST_FRAGMENT.cached(build, thing=1) == today.date() + datetime.timedelta(days=1)
    assert len(calls) == 2


def test_cached_keeps_none_and_builds_once():
    calls = []

    def build():
        calls.append(1)
        return None

    assert TEST_FRAGMENT.cached(build, thing=1) is None
    assert TEST_FRAGMENT.cached(build, thing=1) is None
    assert len(calls) == 1


def test_the_template_tag_reads_the_declaration():
    template = Template('{% load fragments %}{% fragment "test:fragment" thing=n %}{{ value }}{% endfragment %}')
    assert template.render(Context({"n": 1, "value": "first"})) == "first"
    assert template.render(Context({"n": 1, "value": "second"})) == "first"  # from the cache
    assert template.render(Context({"n": 2, "value": "second"})) == "second"  # another object
    cache.bump("test:1")
    assert template.render(Context({"n": 1, "value": "third"})) == "third"


def test_with_the_cache_switched_off_everything_is_built(settings):
    settings.CACHE_FRAGMENTS = False
    template = Template('{% load fragments %}{% fragment "test:fragment" thing=1 %}{{ value }}{% endfragment %}')
    assert template.render(Context({"value": "first"})) == "first"
    assert template.render(Context({"value": "second"})) == "second"
    assert TEST_FRAGMENT.cached(lambda: "a", thing=1) == "a"
    assert TEST_FRAGMENT.cached(lambda: "b", thing=1) == "b"


def test_cached_count_paginator_counts_once_per_version():
    MemberFactory.create_batch(3)
    key = TEST_FRAGMENT.key("count", thing=1)
    with CaptureQueriesContext(connection) as first:
        assert cache.CachedCountPaginator(Member.objects.all(), 25, count_key=key).count == 3
    with CaptureQueriesContext(connection) as second:
        assert cache.CachedCountPaginator(Member.objects.all(), 25, count_key=key).count == 3
    assert (len(first), len(second)) == (1, 0)


def test_versions_survive_a_lost_cache():
    """Redis restarted (it keeps nothing on disk): a new version, nothing stale."""
    before = cache.stamp("test:1")
    django_cache.delete(cache._version_key("test:1"))  # not clear(): parallel tests share the Redis
    assert cache.stamp("test:1") != before


def _ttl(key: str) -> int | None:
    """Seconds left for `key`, or None when the backend cannot tell (no Redis here)."""
    if not hasattr(django_cache, "ttl"):  # django-redis's public ttl(); the database cache has none
        return None
    return django_cache.ttl(key)


@pytest.mark.redis  # the database cache cannot tell a key's lifetime
def test_every_key_expires_and_versions_outlive_fragments():
    TEST_FRAGMENT.cached(lambda: "x", thing=1)
    version_ttl = _ttl(cache._version_key("test:1"))
    fragment_ttl = _ttl(TEST_FRAGMENT.key(thing=1))
    if version_ttl is None:
        require_service("Redis", "the cache backend cannot tell a key's lifetime (REDIS_URL is not set)")
    assert 0 < fragment_ttl <= TEST_FRAGMENT.seconds
    assert TEST_FRAGMENT.seconds < version_ttl <= cache.VERSION_SECONDS
    assert all(f.seconds < cache.VERSION_SECONDS for f in cache.FRAGMENTS.values())


def test_permission_inputs_live_for_one_request():
    calls = []

    def build():
        calls.append(1)
        return len(calls)

    request_started.send(sender=None)
    try:
        assert cache.per_request("seats", build) == 1
        assert cache.per_request("seats", build) == 1  # memoised within the request
    finally:
        request_finished.send(sender=None)
    request_started.send(sender=None)
    try:
        assert cache.per_request("seats", build) == 2  # read again by the next request
    finally:
        request_finished.send(sender=None)
    assert cache.per_request("seats", build) == 3  # outside a request: every time


def test_every_model_the_admin_edits_with_cached_pages_forgets_them():
    """An admin edit is a write path too: the admin of every declared model uses the mixin."""
    declared = [model for model in apps.get_models() if admin.site.is_registered(model) and cache.is_declared(model)]
    assert len(declared) >= 15
    missing = [m.__name__ for m in declared if not isinstance(admin.site.get_model_admin(m), InvalidatingAdminMixin)]
    assert missing == []

"""Generations (network/cache.py): every change of a watched row gives its data set a new
generation, so no cached page or figure outlives the data it shows."""

import pytest
from django.core.cache import cache as django_cache
from django.utils import timezone, translation

from network import cache
from network.models import Member
from network.tests.factories import InstitutionFactory, MemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_saving_a_watched_row_gives_a_new_generation():
    member = MemberFactory()
    before = cache.generation(cache.NETWORK)
    assert cache.generation(cache.NETWORK) == before  # stable while nothing changes
    member.title = "Prorektor"
    member.save()
    assert cache.generation(cache.NETWORK) != before


def test_deleting_a_watched_row_gives_a_new_generation():
    institution = InstitutionFactory()
    before = cache.generation(cache.NETWORK)
    institution.delete()
    assert cache.generation(cache.NETWORK) != before


def test_a_login_changes_no_generation():
    user = UserFactory()
    before = cache.generation(cache.NETWORK)
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    assert cache.generation(cache.NETWORK) == before
    user.first_name = "Ny"
    user.save(update_fields=["first_name"])
    assert cache.generation(cache.NETWORK) != before


def test_data_sets_are_independent():
    from meetings.tests.factories import MeetingFactory

    network, projects = cache.generation(cache.NETWORK), cache.generation(cache.PROJECTS)
    MeetingFactory(host=None)
    assert cache.generation(cache.NETWORK) == network
    assert cache.generation(cache.PROJECTS) == projects


def test_many_to_many_links_give_a_new_generation():
    from projects.tests.factories import ProjectFactory

    project = ProjectFactory()
    before = cache.generation(cache.PROJECTS)
    project.institutions.add(InstitutionFactory())
    assert cache.generation(cache.PROJECTS) != before


def test_touch_forgets_again_when_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        cache.touch(cache.MEETINGS)
        during = cache.generation(cache.MEETINGS)  # what a reader sees before the commit
    for callback in callbacks:
        callback()
    assert cache.generation(cache.MEETINGS) != during


def test_cached_keeps_none_and_builds_once():
    calls = []

    def build():
        calls.append(1)
        return None

    assert cache.cached("test:none", build, data=(cache.NETWORK,)) is None
    assert cache.cached("test:none", build, data=(cache.NETWORK,)) is None
    assert len(calls) == 1


def test_keys_differ_by_language_date_and_parts():
    with translation.override("sv"):
        sv = cache.key("page", 1, data=(cache.NETWORK,))
    with translation.override("en"):
        en = cache.key("page", 1, data=(cache.NETWORK,))
        other = cache.key("page", 2, data=(cache.NETWORK,))
    assert len({sv, en, other}) == 3
    assert timezone.localdate().isoformat() in sv


def test_cached_count_paginator_counts_once_per_generation():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    MemberFactory.create_batch(3)
    key = cache.key("test:count", data=(cache.NETWORK,))
    with CaptureQueriesContext(connection) as first:
        assert cache.CachedCountPaginator(Member.objects.all(), 25, count_key=key).count == 3
    with CaptureQueriesContext(connection) as second:
        assert cache.CachedCountPaginator(Member.objects.all(), 25, count_key=key).count == 3
    assert (len(first), len(second)) == (1, 0)


def test_generations_survive_a_lost_cache():
    """Redis restarted (it keeps nothing on disk): a new generation, nothing stale."""
    before = cache.generation(cache.NETWORK)
    django_cache.delete(cache._key(cache.NETWORK))  # not clear(): parallel tests share the Redis
    assert cache.generation(cache.NETWORK) != before

"""What the minutes touch in the cache (network/cache/). Their own pages and the meeting page's
minutes panel are never cached (they differ by who reads them); the next meeting's agenda (a
fragment) links to them from its item "approval of the minutes", made with `cache.changed(item)`.
Nothing of the minutes that the link shows ever changes, so their services bump nothing."""

from network import cache

from ..models import Minutes


def _minutes(minutes: Minutes, fields):
    yield from (f"meeting:{pk}:agenda" for pk in minutes.approval_items.values_list("meeting_id", flat=True))


cache.declare(Minutes, _minutes)

"""What the home page keeps in the cache (network/cache/; the namespaces are declared by the apps'
`fragments.py`)."""

from network import cache

# The next meeting and her answer to it: until she answers an invitation (`answers:<member>`), the
# meetings change or her rights do (`member:<member>`: a seat on the steering group shows its
# meetings). A minute at most: the next meeting changes with the clock. Apart from her other panels,
# so that her answer, the write members make most, rebuilds only this.
HOME_NEXT_MEETING = cache.Fragment(
    "home_next_meeting", ("member:{member}", "answers:{member}", "meetings", "institutions"), seconds=60
)
# Her other panels: her institution's hosting, her and her institution's open actions, her projects
# and the reports they owe. A minute at most: the reports owed change with the clock.
HOME_PERSONAL = cache.Fragment(
    "home_personal",
    ("member:{member}", "institution:{institution}:actions", "meetings", "rounds", "institutions", "themes"),
    seconds=60,
)
# For staff (with their second factor): what waits for the secretariat; the same for all of them.
# `institutions`: the page's panels (`home`, lazy) are read while it is built, the coming meetings
# with their hosts among them (tests/test_cache_staleness.py sees those reads as its own).
HOME_STAFF = cache.Fragment("home_staff", ("secretariat", "meetings", "institutions"), seconds=60)
# The same for everyone: recent results (from the catalogue: their projects and themes), the
# network's lead, the steering group.
HOME_SHARED = cache.Fragment("home_shared", ("home", "catalogue", "themes", "people", "institutions"))
# The coming meetings (a handful of rows); the next meeting is chosen from them per reader.
HOME_UPCOMING = cache.Fragment("home:upcoming", ("meetings", "institutions"), seconds=60)

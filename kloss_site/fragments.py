"""What the home page keeps in the cache (network/cache.py; the namespaces are declared by the apps'
`fragments.py`)."""

from network import cache

# Her own panels: her answer and the next meeting, her projects and the reports they owe, her and
# her institution's open actions. A minute at most: the next meeting and the reports owed change
# with the clock.
HOME_PERSONAL = cache.Fragment(
    "home_personal", ("member:{member}", "institution:{institution}:actions", "meetings", "rounds"), seconds=60
)
# For staff (with their second factor): what waits for the secretariat; the same for all of them.
HOME_STAFF = cache.Fragment("home_staff", ("secretariat", "meetings"), seconds=60)
# The same for everyone: recent results, the network's lead, the steering group.
HOME_SHARED = cache.Fragment("home_shared", ("home", "people", "institutions"))
# The coming meetings (a handful of rows); the next meeting is chosen from them per reader.
HOME_UPCOMING = cache.Fragment("home:upcoming", ("meetings", "institutions"), seconds=60)

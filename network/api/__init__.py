"""The read-only REST API's base layer (/api/v1/, composed in kloss_site/api.py).

Here: the tokens (models.py, services.py), who a token is to the rules predicates (auth.py), the
permission, throttle, pagination and caching every endpoint shares (base.py), and the network's own
endpoint (institutions: views.py). The meetings and projects apps keep their endpoints in their own
`api/` packages and build on base.py; this package imports neither of them.
"""

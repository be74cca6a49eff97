"""The network app, the base layer: institutions, members and how we reach them. It imports no
other app of ours (tests/test_layers.py checks it).

Membership is the app's own modules: `models.py` (institutions, members, leadership terms, seats),
`services.py` (every write), `selectors.py`, `rules.py` (permissions as predicates), `forms.py`,
`views.py`, `admin.py`, `adapters.py` (allauth's account and social-account adapters), `backends.py`,
`mfa.py` and `middleware.py` (access: staff need a second factor), `notices.py` (what the network
mails), `audit.py` (the audit trail).

Rooms for what the whole site leans on, each a subpackage whose docstring says what it holds and
what it may import:
- `outbox/`    every email: the delivery rows, queueing, the worker's send path, its admin.
- `messages/`  messages to members, written by the secretariat or a host.
- `cache/`     cached fragments and the namespaces that keep them fresh.
- `language/`  Swedish order and search, dates, form and allauth wording.
- `federation/` university login through SWAMID: verified federation metadata, the one service
                provider, who a federated person is here.
- `federation/` signing in with a university account (SWAMID): the federation's verified metadata,
                the one service provider, who she is; the offline test and development providers.

Beside them: `panels.py` (parts of network pages the upper apps fill), `fragments.py` (what the
network's pages cache), `exports.py` (every spreadsheet), `uploads.py` (what a file really is),
`reference.py` (the 35 member institutions), `demo.py`, `tasks.py` (Celery's tasks of the outbox).
"""

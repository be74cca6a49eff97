"""The federation: signing in with a university account through SWAMID (SAML, via allauth's provider).

- `models.py`    `IdentityProvider`, what the federation's verified metadata says about a member
                 institution's identity provider (entity ID, sign-on endpoint, signing certificates,
                 the scopes it may assert), and `FederationState`, the last refresh and its problem.
- `metadata.py`  fetching the federation's metadata, verifying its signature and validity, and
                 `federation_refresh()`, which updates the providers (the beat task and the
                 management command `federation_refresh` call it); a problem is told once.
- `saml.py`      the one service provider: its entity ID, its endpoints, and the allauth SAML app
                 generated for each identity provider from the stored data (never a database row).
- `identity.py`  who she is: the asserted attributes, whether the address and scope belong to the
                 institution, affiliation, the REFEDS MFA profile.
- `views.py`     the service provider's metadata, the choice of university, the refusal page, and the
                 development-only identity provider (DEBUG only).

May import: Django, allauth, python3-saml, `network.models`, `network.services`,
`network.outbox.mail` and `network.language`. The account adapters (network/adapters.py) and the
login templates use it; nothing here imports views or forms of the network app.
"""

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Signup is open; approval by the secretariat gates the intranet (see network.services)."""

    def is_open_for_signup(self, request) -> bool:
        return True

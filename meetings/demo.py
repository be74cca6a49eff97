"""Demo data of the meetings app (idempotent); called by `manage.py seed_demo` after the network's."""


def seed() -> None:
    """Filled in by the meetings issue."""

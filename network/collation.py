"""Swedish order and accent-free search in the database (the rules themselves: network/swedish.py).

- PostgreSQL: the ICU collation `swedish` (locale sv-SE) and the `unaccent` extension, both created
  by migration network/0008. Names are stored with `db_collation=SWEDISH`, so ORDER BY, the indexes
  on them and unique checks all follow Swedish order; `Unaccent()` is PostgreSQL's unaccent().
- SQLite: the same names, registered on every new connection (network/apps.py): the collation
  `swedish` is network.swedish.compare, and `unaccent()` is network.swedish.unaccent. Ordering is the
  same as on PostgreSQL for Swedish names; what SQLite cannot do is use the collation in LIKE (its
  LIKE folds ASCII case only), which is why searches compare unaccented, lower-cased text.
"""

import sqlite3
from pathlib import Path

from django.db.models import CharField, Func

from . import swedish

SWEDISH = "swedish"


class Unaccent(Func):
    """unaccent(text): "Örebro" -> "Orebro" (PostgreSQL's extension; a registered function on SQLite)."""

    function = "unaccent"
    output_field = CharField()


def register_sqlite(sender, connection, **kwargs) -> None:
    """connection_created receiver: give a new SQLite connection the collation and the function."""
    if connection.vendor != "sqlite":
        return
    register_on(connection.connection)


def register_on(raw: sqlite3.Connection) -> None:
    """Give a DB-API SQLite connection what our schema needs: an index or a column declared with the
    collation cannot even be counted without it ("no such collation sequence: swedish")."""
    raw.create_collation(SWEDISH, swedish.compare)
    raw.create_function("unaccent", 1, swedish.unaccent, deterministic=True)


def sqlite_connect(path: str | Path) -> sqlite3.Connection:
    """Open a site database file outside Django (a backup's copy, a restored file) as Django would."""
    raw = sqlite3.connect(path)
    register_on(raw)
    return raw

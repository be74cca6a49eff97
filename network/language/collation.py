"""Swedish order and accent-free search in the database (the rules themselves: network/language/swedish.py).

- PostgreSQL: the ICU collation `swedish` (locale sv-SE) and the `unaccent` extension, both created
  by migration network/0008. Names are stored with `db_collation=SWEDISH`, so ORDER BY, the indexes
  on them and unique checks all follow Swedish order; `Unaccent()` is PostgreSQL's unaccent().
- SQLite: the same names, registered on every new connection (network/apps.py): the collation
  `swedish` is network.language.swedish.compare, and `unaccent()` is network.language.swedish.unaccent. Ordering is the
  same as on PostgreSQL for Swedish names; what SQLite cannot do is use the collation in LIKE (its
  LIKE folds ASCII case only), which is why searches compare unaccented, lower-cased text.

Every search of the site (directory, catalogue, registers, the admin's search boxes) matches with the
lookup `uicontains` below: icontains whose case folding knows every letter, Å Ä Ö included, on both
databases (Django's icontains folds ASCII only on SQLite, and on PostgreSQL only as far as the
database's locale goes).
"""

import sqlite3
from pathlib import Path

from django.db.models import CharField, Func, TextField
from django.db.models.lookups import Contains

from network.language import swedish

SWEDISH = "swedish"


class Unaccent(Func):
    """unaccent(text): "Örebro" -> "Orebro" (PostgreSQL's extension; a registered function on SQLite)."""

    function = "unaccent"
    output_field = CharField()


def _lower(sql: str, connection) -> str:
    # The one place that picks per database how text is lower-cased for a search.
    if connection.vendor == "postgresql":
        return f'LOWER(({sql})::text COLLATE "{SWEDISH}")'  # ICU: every letter, whatever the locale
    if connection.vendor == "sqlite":
        return f"unicode_lower({sql})"  # Python's str.lower, registered below
    return f"LOWER({sql})"


class UnicodeIContains(Contains):
    """`field__uicontains=word`: the field contains the word, in any case of any letter
    ("ÖVERSÄTT" finds "översätt"). Both sides are lower-cased by the same database function."""

    lookup_name = "uicontains"

    def process_lhs(self, compiler, connection, lhs=None):
        sql, params = super().process_lhs(compiler, connection, lhs)
        return _lower(sql, connection), params

    def get_rhs_op(self, connection, rhs):
        return connection.operators[Contains.lookup_name] % _lower(rhs, connection)


def register_lookups() -> None:
    """Called once by network/apps.py: every text field can be searched with `uicontains`."""
    CharField.register_lookup(UnicodeIContains)
    TextField.register_lookup(UnicodeIContains)


def _unicode_lower(text: str | None) -> str | None:
    return None if text is None else text.lower()


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
    raw.create_function("unicode_lower", 1, _unicode_lower, deterministic=True)


def sqlite_connect(path: str | Path) -> sqlite3.Connection:
    """Open a site database file outside Django (a backup's copy, a restored file) as Django would."""
    raw = sqlite3.connect(path)
    register_on(raw)
    return raw

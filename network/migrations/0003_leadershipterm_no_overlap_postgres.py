"""On PostgreSQL, terms may not overlap: an exclusion constraint on the (inclusive) date range.

SQLite has no exclusion constraints; there `leadership_term_create` guards the rule under a lock.
"""

from django.db import migrations

CONSTRAINT = "network_leadershipterm_no_overlap"


def add_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE network_leadershipterm ADD CONSTRAINT {CONSTRAINT} "
        "EXCLUDE USING gist (daterange(starts_on, ends_on, '[]') WITH &&)"
    )


def drop_constraint(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE network_leadershipterm DROP CONSTRAINT IF EXISTS {CONSTRAINT}")


class Migration(migrations.Migration):
    dependencies = [("network", "0002_history_terms_seats")]
    operations = [migrations.RunPython(add_constraint, drop_constraint, elidable=False)]

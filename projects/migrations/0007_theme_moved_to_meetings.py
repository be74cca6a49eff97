"""The themes leave projects/ for meetings/, where they are chosen (meetings.Theme), every row kept.

Two kinds of database arrive here (see meetings 0003_decisions_actions_attendance_themes):
- one that applied the old meetings 0003 has its themes in `projects_theme`, which the decisions,
  actions and projects point to: the table is renamed `meetings_theme` (rows, ids, the collation of
  the Swedish name, its indexes and every foreign key to it are kept; PostgreSQL and SQLite carry
  the references over to the new name);
- a new one already has `meetings_theme` (meetings 0003_..._themes) beside an empty `projects_theme`:
  whatever the old table holds is copied over (ids kept), and the old table dropped.
The projects then point to meetings.Theme. This migration depends on meetings only: downward.

Backwards the old table is created again with the rows copied back (the shape of a new database
before this migration), so the migration can be unapplied and applied again.
"""

from django.core.management.color import no_style
from django.db import migrations, models
import django.db.models.deletion


def _table_exists(schema_editor, table: str) -> bool:
    with schema_editor.connection.cursor() as cursor:
        return table in schema_editor.connection.introspection.table_names(cursor)


def _copy_rows(schema_editor, source, target) -> None:
    """Every row of `source` that `target` lacks (by id), column for column, then the id sequence
    of `target` past the highest id (PostgreSQL; SQLite follows by itself). SQL, not the ORM: the
    ORM would stamp `created_at`/`updated_at` with the time of the copy."""
    quote = schema_editor.quote_name
    columns = ", ".join(quote(field.column) for field in target._meta.concrete_fields)
    source_table, target_table = quote(source._meta.db_table), quote(target._meta.db_table)
    pk = quote(target._meta.pk.column)
    schema_editor.execute(
        f"INSERT INTO {target_table} ({columns}) SELECT {columns} FROM {source_table} "
        f"WHERE {pk} NOT IN (SELECT {pk} FROM {target_table})"
    )
    for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), [target]):
        schema_editor.execute(sql)


def _rename_own_indexes(schema_editor, old_table: str, new_table: str) -> None:
    """A renamed table keeps the names of its indexes and constraints (`projects_theme_...`), which
    say the wrong app and would clash with the old table's, made again backwards: they take the new
    table's prefix. Each database names and renames them its own way."""
    connection, quote = schema_editor.connection, schema_editor.quote_name
    like = old_table.replace("_", "\\_") + "%"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass AND conname LIKE %s",
                [new_table, like],
            )
            constraints = [row[0] for row in cursor.fetchall()]
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexname LIKE %s", [new_table, like])
            indexes = [row[0] for row in cursor.fetchall() if row[0] not in constraints]  # a key's index follows it
            cursor.execute(  # the foreign keys to it, named `..._fk_projects_theme_id` by the tables they belong to
                "SELECT conrelid::regclass::text, conname FROM pg_constraint WHERE confrelid = %s::regclass "
                "AND conname LIKE %s",
                [new_table, "%\\_fk\\_" + like],
            )
            references = cursor.fetchall()
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [new_table])
            sequence = cursor.fetchone()[0]
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND name LIKE %s "
                "ESCAPE '\\' AND sql IS NOT NULL",
                [new_table, like],
            )
            sqlite_indexes = cursor.fetchall()
    renamed = lambda name: new_table + name[len(old_table) :]  # noqa: E731
    if connection.vendor == "postgresql":
        for name in constraints:
            schema_editor.execute(f"ALTER TABLE {quote(new_table)} RENAME CONSTRAINT {quote(name)} TO {quote(renamed(name))}")
        for name in indexes:
            schema_editor.execute(f"ALTER INDEX {quote(name)} RENAME TO {quote(renamed(name))}")
        for table, name in references:
            new_name = name.replace(f"_fk_{old_table}_", f"_fk_{new_table}_")
            schema_editor.execute(f"ALTER TABLE {quote(table)} RENAME CONSTRAINT {quote(name)} TO {quote(new_name)}")
        if sequence:
            schema_editor.execute(f"ALTER SEQUENCE {sequence} RENAME TO {quote(new_table + '_id_seq')}")
    else:  # SQLite renames no index: made again under the new name
        for name, sql in sqlite_indexes:
            schema_editor.execute(f"DROP INDEX {quote(name)}")
            schema_editor.execute(sql.replace(quote(name), quote(renamed(name)), 1))


def themes_to_meetings(apps, schema_editor):
    old, new = apps.get_model("projects", "Theme"), apps.get_model("meetings", "Theme")
    if _table_exists(schema_editor, new._meta.db_table):
        _copy_rows(schema_editor, old, new)  # a new database: normally nothing to copy
    else:
        schema_editor.alter_db_table(old, old._meta.db_table, new._meta.db_table)
        _rename_own_indexes(schema_editor, old._meta.db_table, new._meta.db_table)


def drop_old_table(apps, schema_editor):
    old = apps.get_model("projects", "Theme")
    if _table_exists(schema_editor, old._meta.db_table):  # not renamed away above
        schema_editor.delete_model(old)


def recreate_old_table(apps, schema_editor):
    old, new = apps.get_model("projects", "Theme"), apps.get_model("meetings", "Theme")
    schema_editor.create_model(old)
    _copy_rows(schema_editor, new, old)


class Migration(migrations.Migration):

    dependencies = [
        ('meetings', '0003_decisions_actions_attendance_themes'),
        ('projects', '0006_theme_round_updated_at'),
    ]

    operations = [
        migrations.RunPython(themes_to_meetings, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='project',
            name='theme',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='projects', to='meetings.theme', verbose_name='theme'),
        ),
        migrations.AlterField(
            model_name='historicalproject',
            name='theme',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='meetings.theme', verbose_name='theme'),
        ),
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(drop_old_table, recreate_old_table)],
            state_operations=[migrations.DeleteModel(name='Theme')],
        ),
    ]

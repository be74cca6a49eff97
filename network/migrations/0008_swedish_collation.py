"""Swedish order for names (A-Z, then Å, Ä, Ö) and accent-free search: see network/language/collation.py.

PostgreSQL: an ICU collation `swedish` (sv-SE) and the `unaccent` extension (a trusted extension: the
database owner may create it). SQLite: both are registered on each connection (network/apps.py).
"""

from django.db import migrations, models


def create_collation(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE COLLATION IF NOT EXISTS swedish (provider = icu, locale = 'sv-SE')")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")


def drop_collation(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP COLLATION IF EXISTS swedish")


class Migration(migrations.Migration):

    dependencies = [
        ('network', '0007_member_institutions'),
    ]

    operations = [
        migrations.RunPython(create_collation, drop_collation),
        migrations.AlterField(
            model_name='institution',
            name='name',
            field=models.CharField(db_collation='swedish', max_length=200, unique=True, verbose_name='name'),
        ),
        migrations.AlterField(
            model_name='user',
            name='first_name',
            field=models.CharField(blank=True, db_collation='swedish', max_length=150, verbose_name='first name'),
        ),
        migrations.AlterField(
            model_name='user',
            name='last_name',
            field=models.CharField(blank=True, db_collation='swedish', max_length=150, verbose_name='last name'),
        ),
    ]

"""Reference data: the 35 member institutions and their email domains (signup needs them in production)."""

from django.db import migrations


def load_member_institutions(apps, schema_editor):
    from network import reference

    reference.load(apps.get_model("network", "Institution"), apps.get_model("network", "InstitutionDomain"))


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0006_performance_indexes"),
    ]

    operations = [
        # Not reversed: the rows may have members, meetings and projects by then; unapplying keeps them.
        migrations.RunPython(load_member_institutions, migrations.RunPython.noop),
    ]

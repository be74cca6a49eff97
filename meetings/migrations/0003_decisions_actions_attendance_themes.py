"""Decisions, actions and attendance, with the theme they may concern created here, in this app.

This migration replaces 0003_decisions_actions_attendance, which created the same tables with
their themes in projects/ (the app above) and so depended on projects 0002: an upward dependency,
and a cycle between the two apps. What it changes, and for whom:

- A new database runs this one instead of the old 0003: the themes table is created here, as
  `meetings_theme` in its final shape (the Swedish collation of network 0008 on its name), and the
  decisions and actions point to it. projects 0001 still creates its old `projects_theme`; projects
  0007 moves any rows over and drops it.
- A database that applied the old 0003 counts this one as applied (Django's `replaces`) and keeps its
  tables as they are: projects 0007 renames `projects_theme` to `meetings_theme` there, rows, ids,
  indexes and the foreign keys pointing at it kept.

The old file stays until every database has passed projects 0007; it is then no longer read.
"""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    replaces = [
        ('meetings', '0003_decisions_actions_attendance'),
    ]

    dependencies = [
        ('meetings', '0002_rotation_attendance_documents'),
        ('network', '0006_performance_indexes'),
        ('network', '0008_swedish_collation'),  # creates the collation of the theme's Swedish name
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Theme',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name_sv', models.CharField(db_collation='swedish', max_length=200, unique=True, verbose_name='name (Swedish)')),
                ('name_en', models.CharField(max_length=200, verbose_name='name (English)')),
                ('description_sv', models.TextField(blank=True, verbose_name='description (Swedish)')),
                ('description_en', models.TextField(blank=True, verbose_name='description (English)')),
                ('is_active', models.BooleanField(default=True, verbose_name='active')),
                ('status', models.CharField(choices=[('proposed', 'Proposed'), ('accepted', 'Accepted')], default='proposed', max_length=10, verbose_name='status')),
                ('accepted_at', models.DateTimeField(blank=True, null=True, verbose_name='accepted')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('chosen_at', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='chosen_themes', to='meetings.meeting', verbose_name='chosen at meeting')),
                ('proposed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='proposed by')),
            ],
            options={
                'verbose_name': 'theme',
                'verbose_name_plural': 'themes',
                'ordering': ['name_sv'],
            },
        ),
        migrations.AddField(
            model_name='attendance',
            name='attended',
            field=models.BooleanField(blank=True, null=True, verbose_name='was there'),
        ),
        migrations.AddField(
            model_name='historicalmeeting',
            name='minutes_published_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='minutes published'),
        ),
        migrations.AddField(
            model_name='meeting',
            name='minutes_published_at',
            field=models.DateTimeField(blank=True, editable=False, null=True, verbose_name='minutes published'),
        ),
        migrations.CreateModel(
            name='Decision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='position')),
                ('text_sv', models.TextField(blank=True, verbose_name='decision (Swedish)')),
                ('text_en', models.TextField(blank=True, verbose_name='decision (English)')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='recorded')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='decisions', to='meetings.meeting', verbose_name='meeting')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('theme', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='decisions', to='meetings.theme', verbose_name='theme')),
            ],
            options={
                'verbose_name': 'decision',
                'verbose_name_plural': 'decisions',
                'ordering': ['meeting', 'position', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='Action',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('text', models.TextField(verbose_name='action')),
                ('due_on', models.DateField(blank=True, null=True, verbose_name='due date')),
                ('status', models.CharField(choices=[('open', 'Open'), ('done', 'Done'), ('dropped', 'Dropped')], default='open', max_length=10, verbose_name='status')),
                ('outcome', models.CharField(blank=True, max_length=300, verbose_name='outcome')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='recorded')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='closed')),
                ('due_meeting', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='actions_due', to='meetings.meeting', verbose_name='due by meeting')),
                ('meeting', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='actions', to='meetings.meeting', verbose_name='agreed at')),
                ('owner_institution', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='actions', to='network.institution', verbose_name='owner (institution)')),
                ('owner_member', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='actions', to='network.member', verbose_name='owner (member)')),
                ('recorded_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('theme', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='actions', to='meetings.theme', verbose_name='theme')),
                ('decision', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='actions', to='meetings.decision', verbose_name='decision')),
            ],
            options={
                'verbose_name': 'action',
                'verbose_name_plural': 'actions',
                'ordering': ['meeting', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='HistoricalAction',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('text', models.TextField(verbose_name='action')),
                ('due_on', models.DateField(blank=True, null=True, verbose_name='due date')),
                ('status', models.CharField(choices=[('open', 'Open'), ('done', 'Done'), ('dropped', 'Dropped')], default='open', max_length=10, verbose_name='status')),
                ('outcome', models.CharField(blank=True, max_length=300, verbose_name='outcome')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='recorded')),
                ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='closed')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('decision', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='meetings.decision', verbose_name='decision')),
                ('due_meeting', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='meetings.meeting', verbose_name='due by meeting')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('meeting', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='meetings.meeting', verbose_name='agreed at')),
                ('owner_institution', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='network.institution', verbose_name='owner (institution)')),
                ('owner_member', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='network.member', verbose_name='owner (member)')),
                ('recorded_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('theme', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='meetings.theme', verbose_name='theme')),
            ],
            options={
                'verbose_name': 'historical action',
                'verbose_name_plural': 'historical actions',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalDecision',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='position')),
                ('text_sv', models.TextField(blank=True, verbose_name='decision (Swedish)')),
                ('text_en', models.TextField(blank=True, verbose_name='decision (English)')),
                ('created_at', models.DateTimeField(blank=True, editable=False, verbose_name='recorded')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('meeting', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='meetings.meeting', verbose_name='meeting')),
                ('recorded_by', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('theme', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='meetings.theme', verbose_name='theme')),
            ],
            options={
                'verbose_name': 'historical decision',
                'verbose_name_plural': 'historical decisions',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.AddConstraint(
            model_name='decision',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('text_sv', ''), _negated=True), models.Q(('text_en', ''), _negated=True), _connector='OR'), name='decision_has_text', violation_error_message='Write the decision in Swedish, English or both.'),
        ),
        migrations.AddIndex(
            model_name='action',
            index=models.Index(fields=['status', 'due_on'], name='action_status_due'),
        ),
        migrations.AddConstraint(
            model_name='action',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('owner_institution__isnull', False), ('owner_member__isnull', True)), models.Q(('owner_institution__isnull', True), ('owner_member__isnull', False)), _connector='OR'), name='action_one_owner', violation_error_message='An action has one owner: a member or an institution.'),
        ),
        migrations.AddConstraint(
            model_name='action',
            constraint=models.CheckConstraint(condition=models.Q(('due_meeting__isnull', False), ('due_on__isnull', False), _connector='OR'), name='action_is_due', violation_error_message='Give the meeting or the date the action is due by.'),
        ),
    ]

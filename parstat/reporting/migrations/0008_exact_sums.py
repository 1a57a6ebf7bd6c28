"""The live totals' sums exact on SQLite too (``ExactSum``: the decimal's text there, PostgreSQL's
numeric(34, 4) as before).

Parts SQLite stored before held REAL numbers, 15 significant digits: a larger sum was rounded.
Which ones were cannot be told afterwards, so on SQLite every part is dropped and every report
marked not yet counted: the tables add those reports up from their values (exact, slower) until
``parstat rebuild-totals`` counts them again, or each report's next change does. PostgreSQL's
parts were exact and stay.
"""

from django.db import migrations

import parstat.reporting.models


def uncount_on_sqlite(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    apps.get_model("reporting", "TotalPart").objects.all().delete()
    apps.get_model("reporting", "Report").objects.exclude(totals_group=None).update(
        totals_group=None)


class Migration(migrations.Migration):

    dependencies = [
        ('reporting', '0007_audit_fields'),
    ]

    operations = [
        migrations.AlterField(
            model_name='totalpart',
            name='high',
            field=parstat.reporting.models.ExactSum(decimal_places=4, max_digits=34, null=True),
        ),
        migrations.AlterField(
            model_name='totalpart',
            name='low',
            field=parstat.reporting.models.ExactSum(decimal_places=4, max_digits=34, null=True),
        ),
        migrations.AlterField(
            model_name='totalpart',
            name='total',
            field=parstat.reporting.models.ExactSum(decimal_places=4, max_digits=34, null=True),
        ),
        migrations.RunPython(uncount_on_sqlite, migrations.RunPython.noop),
    ]

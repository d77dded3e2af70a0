"""Load the 国务院办公厅 holiday notices the chinesecalendar package covers (D4)."""

import uuid

from django.db import migrations


def load(apps, schema_editor):
    from zhifa.workdays import seed

    seed.sync(apps.get_model("workdays", "CalendarDay"), apps.get_model("workdays", "CalendarYear"))
    apps.get_model("workdays", "CalendarRevision").objects.update_or_create(
        pk=1, defaults={"token": uuid.uuid4()}
    )


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]

"""Give the Editors and Viewers groups the permissions of the models added since 0003."""

import importlib

from django.db import migrations

roles = importlib.import_module("visits.migrations.0003_editor_and_viewer_groups")


class Migration(migrations.Migration):
    dependencies = [("visits", "0006_source_records")]

    operations = [migrations.RunPython(roles.create_groups, migrations.RunPython.noop)]

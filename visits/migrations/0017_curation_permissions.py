"""Give the Editors and Viewers groups the permissions of the identity models (0015): curation needs them."""

import importlib

from django.db import migrations

roles = importlib.import_module("visits.migrations.0003_editor_and_viewer_groups")


class Migration(migrations.Migration):
    dependencies = [("visits", "0016_index_change_log")]

    operations = [migrations.RunPython(roles.create_groups, migrations.RunPython.noop)]

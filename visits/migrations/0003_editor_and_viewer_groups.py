"""Create the two admin roles: Editors change every record but users; Viewers only read."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = {"Editors": ("add", "change", "delete", "view"), "Viewers": ("view",)}


def create_groups(apps, schema_editor):
    # Permissions are normally created after migrate; make sure they exist now.
    for app_config in apps.get_app_configs():
        original, app_config.models_module = getattr(app_config, "models_module", None), True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = original
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, actions in GROUPS.items():
        group, _ = Group.objects.get_or_create(name=name)
        codenames = [p for p in Permission.objects.filter(content_type__app_label="visits")
                     if p.codename.split("_", 1)[0] in actions]
        group.permissions.set(codenames)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUPS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("visits", "0002_history_and_edit_marks"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]

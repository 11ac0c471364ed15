"""Each report states its visit's host country, so that uniting can derive the visit from its reports alone."""

import django_countries.fields
from django.db import migrations
from django.db.models import OuterRef, Subquery


def copy_host_country(apps, schema_editor):
    Visit = apps.get_model("visits", "Visit")
    VisitReport = apps.get_model("visits", "VisitReport")
    VisitReport.objects.update(
        host_country=Subquery(Visit.objects.filter(pk=OuterRef("visit_id")).values("host_country")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [("visits", "0011_visit_list_order_index")]

    operations = [
        migrations.AddField(
            model_name="visitreport",
            name="host_country",
            field=django_countries.fields.CountryField(max_length=2, null=True),
        ),
        migrations.RunPython(copy_host_country, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="visitreport",
            name="host_country",
            field=django_countries.fields.CountryField(
                help_text="The host country as this article states it.", max_length=2
            ),
        ),
    ]

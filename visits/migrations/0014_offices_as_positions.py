"""Offices are positions: each article entry and record person states an office in the vocabulary, and its country.

Filled from what the rows already say: the office as written, normalised by
visits.offices (a pure module, so safe to call here), and the country the
official had (for records: the visitor's country, the United States for trips).
"""

import django.db.models.deletion
import django_countries.fields
from django.db import migrations, models

from visits.offices import office_slug


def fill_positions(apps, schema_editor):
    ArticleOfficial = apps.get_model("visits", "ArticleOfficial")
    SourceRecordOfficial = apps.get_model("visits", "SourceRecordOfficial")
    entries = list(ArticleOfficial.objects.select_related("official"))
    for entry in entries:
        entry.office_slug = office_slug(entry.role)
        entry.country = entry.official.country
    ArticleOfficial.objects.bulk_update(entries, ["office_slug", "country"], batch_size=1000)
    people = list(SourceRecordOfficial.objects.select_related("record"))
    for person in people:
        person.office_slug = office_slug(person.office)
        person.country = person.record.country if person.record.dataset == "foreign-visits" else "US"
    SourceRecordOfficial.objects.bulk_update(people, ["office_slug", "country"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("visits", "0013_slugs_follow_the_format")]

    operations = [
        migrations.AddField(
            model_name="articleofficial",
            name="office_slug",
            field=models.SlugField(
                blank=True, max_length=200, help_text="The office in the vocabulary of visits.offices."
            ),
        ),
        migrations.AddField(
            model_name="articleofficial",
            name="country",
            field=django_countries.fields.CountryField(default="", max_length=2),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="sourcerecordofficial",
            name="office_slug",
            field=models.SlugField(
                blank=True, max_length=200, help_text="The office in the vocabulary of visits.offices."
            ),
        ),
        migrations.AddField(
            model_name="sourcerecordofficial",
            name="country",
            field=django_countries.fields.CountryField(default="", max_length=2),
            preserve_default=False,
        ),
        migrations.RunPython(fill_positions, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="articleofficial",
            name="country",
            field=django_countries.fields.CountryField(
                help_text="The country whose office it is, as the article says.", max_length=2
            ),
        ),
        migrations.AlterField(
            model_name="sourcerecordofficial",
            name="country",
            field=django_countries.fields.CountryField(
                help_text="The country whose office it is (the traveller's or visitor's).", max_length=2
            ),
        ),
        migrations.AlterField(
            model_name="articleofficial",
            name="role",
            field=models.CharField(help_text="The office as the article writes it.", max_length=200),
        ),
        migrations.AlterField(
            model_name="sourcerecordofficial",
            name="office",
            field=models.CharField(blank=True, help_text="The office as the record writes it.", max_length=200),
        ),
        migrations.AddIndex(
            model_name="articleofficial",
            index=models.Index(fields=["office_slug", "official"], name="article_official_by_office"),
        ),
        migrations.AddIndex(
            model_name="sourcerecordofficial",
            index=models.Index(fields=["office_slug", "official"], name="record_official_by_office"),
        ),
        migrations.CreateModel(
            name="VisitOffice",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("office_slug", models.SlugField(max_length=200)),
                (
                    "visit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="office_links", to="visits.visit"
                    ),
                ),
            ],
            options={
                "ordering": ["visit", "office_slug"],
                "indexes": [models.Index(fields=["office_slug", "visit"], name="visit_office_by_office")],
                "constraints": [models.UniqueConstraint(fields=("visit", "office_slug"), name="visit_office_unique")],
            },
        ),
    ]

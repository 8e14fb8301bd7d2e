"""Seed the support contacts from the project's copy of shared/reference/signposting_uk.csv. The operator edits the
rows afterwards (staff pages or the admin); this runs once."""

import csv
from pathlib import Path

from django.db import migrations

SOURCE = Path(__file__).resolve().parent.parent / "reference_data" / "signposting_uk.csv"


def seed(apps, schema_editor):
    SupportContact = apps.get_model("community", "SupportContact")
    if SupportContact.objects.exists():
        return
    with open(SOURCE, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    SupportContact.objects.bulk_create(
        SupportContact(service=row["service"], contact=row["contact"], when=row["when"], who=row["who"], position=i)
        for i, row in enumerate(rows)
    )


class Migration(migrations.Migration):
    dependencies = [("community", "0003_safety")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

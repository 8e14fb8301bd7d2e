"""Seed the crisis-language phrase list from community/safeguarding_data/crisis_phrases.csv. The operator edits the
list afterwards (moderator pages, API or admin); `manage.py load_crisis_phrases` adds defaults added later."""

import csv
from pathlib import Path

from django.db import migrations

SOURCE = Path(__file__).resolve().parent.parent / "safeguarding_data" / "crisis_phrases.csv"


def seed(apps, schema_editor):
    SafeguardingPhrase = apps.get_model("community", "SafeguardingPhrase")
    with open(SOURCE, newline="", encoding="utf-8") as handle:
        rows = {(row["phrase"].strip(), row["category"].strip()) for row in csv.DictReader(handle) if row["phrase"]}
    existing = set(SafeguardingPhrase.objects.values_list("phrase", "category"))
    SafeguardingPhrase.objects.bulk_create(
        SafeguardingPhrase(phrase=phrase, category=category) for phrase, category in sorted(rows - existing)
    )


class Migration(migrations.Migration):
    dependencies = [("community", "0004_seed_support_contacts")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]

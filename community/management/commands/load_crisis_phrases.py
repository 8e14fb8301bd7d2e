"""Add the default crisis phrases that are missing from the live list. Never changes or deletes the operator's rows."""

from django.core.management.base import BaseCommand

from community.services.safeguarding import crisis_phrases_load_defaults


class Command(BaseCommand):
    help = "Add any default crisis-language phrases missing from the list (the operator's edits are kept)."

    def handle(self, *args, **options):
        added = crisis_phrases_load_defaults()
        self.stdout.write(f"Added {added} default phrase{'s' if added != 1 else ''}.")

"""Print the crisis-language detector's recall, precision and false-alarm rate on the labelled set."""

from pathlib import Path

from django.core.management.base import BaseCommand

from community.safeguarding_data.measure import LABELLED_SET, measure, read_labelled


class Command(BaseCommand):
    help = "Measure the crisis-language detector (the live phrase list) against a labelled set of messages."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(LABELLED_SET), help="CSV with text,label,kind columns.")
        parser.add_argument("--show", action="store_true", help="Also list the missed items and false alarms.")

    def handle(self, *args, **options):
        result = measure(read_labelled(Path(options["file"])))
        self.stdout.write(result.summary())
        if options["show"]:
            for text in result.missed:
                self.stdout.write(f"missed: {text}")
            for text in result.false_alarms:
                self.stdout.write(f"false alarm: {text}")

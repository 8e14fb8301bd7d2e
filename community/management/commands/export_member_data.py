"""Answer a subject access request made by email or post: the same zip a member downloads from "Your data"."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from community.models import User
from community.services.data_export import data_export_for_operator


class Command(BaseCommand):
    help = (
        "Write a zip of everything Here and Now keeps about one person (the same as their own download), for a "
        "subject access request. The member isn't notified; the audit log records it (data.exported_by_operator)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True, help="The person's email address.")
        parser.add_argument("--output", required=True, help="Where to write the zip, e.g. sar-2025-03-01.zip.")
        parser.add_argument(
            "--reason", default="", help="Optional: a reference for the request, kept in the audit log."
        )

    def handle(self, *args, email, output, reason, **options):
        user = User.objects.filter(email__iexact=email.strip(), erased_at__isnull=True).first()
        if user is None:
            raise CommandError(f"Nobody has the email address {email!r}.")
        path = Path(output)
        if path.exists():
            raise CommandError(f"{path} already exists; choose a new file name.")
        try:
            with path.open("xb") as out:
                data_export_for_operator(user=user, out=out, reason=reason)
        except Exception:
            path.unlink(missing_ok=True)
            raise
        self.stdout.write(f"Wrote {path} ({path.stat().st_size} bytes) for {user.display_name}. Send it securely.")

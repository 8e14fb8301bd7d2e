"""Delete what is past its retention period now, or (--dry-run) show what the next run would delete."""

from django.core.management.base import BaseCommand

from community.services.retention import retention_preview, retention_rules, retention_run


class Command(BaseCommand):
    help = (
        "Delete what is past its retention period (the HN_RETENTION_* settings) and log the run. With --dry-run, "
        "show what the next run would delete, rule by rule, and delete nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Show what would be deleted; delete nothing.")

    def handle(self, *args, dry_run: bool = False, **options):
        if dry_run:
            preview = retention_preview()
            self.stdout.write("Dry run: nothing was deleted. The next run would remove:")
            for rule, count in preview:
                self._line(rule, count)
            self.stdout.write(f"Total: {sum(count for _, count in preview)}.")
            return
        run = retention_run()
        self.stdout.write(f"Retention run {run.pk} removed:")
        for rule in retention_rules():
            self._line(rule, run.removed.get(rule.key, 0))
        counts = [count for count in run.removed.values() if isinstance(count, int)]
        self.stdout.write(f"Total: {sum(counts)}.")
        if len(counts) < len(run.removed):
            self.stderr.write("Some rules failed and removed nothing; the log says why. The next run tries again.")

    def _line(self, rule, count) -> None:
        self.stdout.write(f"  {rule.key}: {count} - {rule.describe()}")

"""Retention: delete what we no longer need to keep, on the periods the operator sets (HN_RETENTION_* settings).

Each app's `data_rights/retention.py` lists its `RULES` (found through settings.HN_DATA_RIGHTS_APPS, so community
never imports the other apps): messaging's, then events', then community's. The order matters: messaging's rules
about erased accounts read the ErasedAccount rows that community's last rule deletes.

`retention_preview` counts what each rule would remove now and removes nothing (`manage.py retention --dry-run`);
`retention_run` removes it, each rule in its own transaction, and logs the run as a RetentionRun row (the daily job
in community/tasks.py and `manage.py retention`). Rules never overlap, so a preview's counts are the next run's.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from community.models import RetentionRun
from community.personal_data import data_rights_modules

logger = logging.getLogger(__name__)

# A rule that raised is logged with this instead of a count; the other rules still run.
FAILED = "failed"

_BATCH = 500


@dataclass(frozen=True)
class RetentionRule:
    key: str  # stable: the RetentionRun's key for it
    description: str  # plain words for the dry run; "{days}" is replaced by the value of `period_setting`
    period_setting: str  # the setting (in days) that decides when a row is due
    due: Callable[[datetime], QuerySet]  # the rows due for removal at that moment
    # Removes what is due and returns how many rows it removed; None deletes `due(now)` (with what cascades from
    # it). A rule that erases content instead, or must also delete stored files, gives its own.
    purge: Callable[[datetime], int] | None = None

    @property
    def days(self) -> int:
        return getattr(settings, self.period_setting)

    def describe(self) -> str:
        return self.description.format(days=self.days)

    def remove(self, now: datetime) -> int:
        if self.purge is not None:
            return self.purge(now)
        return delete_in_batches(self.due(now))


def days_before(now: datetime, setting: str) -> datetime:
    """The moment `setting` days before `now`: rows older than this are due."""
    return now - timedelta(days=getattr(settings, setting))


def delete_in_batches(due: QuerySet) -> int:
    """Delete every row of `due` (and what cascades from it) a batch at a time; the number of `due`'s rows deleted."""
    removed = 0
    for pks in pks_in_batches(due):
        due.model.objects.filter(pk__in=pks).delete()
        removed += len(pks)
    return removed


def pks_in_batches(due: QuerySet) -> Iterator[list]:
    """`due`'s primary keys a batch at a time, in order (each batch is read after the one before was purged)."""
    last = None
    while True:
        batch = due if last is None else due.filter(pk__gt=last)
        pks = list(batch.order_by("pk").values_list("pk", flat=True)[:_BATCH])
        if not pks:
            return
        yield pks
        last = pks[-1]


def delete_files_on_commit(storage, names: list[str]) -> None:
    """Delete stored files once the rows that named them are gone for good (a rolled-back purge keeps its files)."""
    names = [name for name in names if name]
    if names:
        transaction.on_commit(lambda: _delete_files(storage, names), robust=True)


def _delete_files(storage, names: list[str]) -> None:
    for name in names:
        try:
            storage.delete(name)
        except Exception:  # the row no longer names it; a leftover file is only disk space
            logger.exception("Retention could not delete the stored file %s", name)


def retention_rules() -> list[RetentionRule]:
    """Every app's rules, in settings.HN_DATA_RIGHTS_APPS order."""
    rules = [rule for module in data_rights_modules("retention") for rule in module.RULES]
    keys = [rule.key for rule in rules]
    if len(keys) != len(set(keys)):
        raise RuntimeError(f"Two retention rules share a key: {sorted(keys)}")
    return rules


def retention_preview(*, now: datetime | None = None) -> list[tuple[RetentionRule, int]]:
    """What the next run would remove: each rule with how many rows are due. Changes nothing."""
    now = now or timezone.now()
    return [(rule, rule.due(now).count()) for rule in retention_rules()]


def retention_run(*, now: datetime | None = None) -> RetentionRun:
    """Remove everything that is due, rule by rule, each in its own transaction (one failing rule is logged and the
    others still run), and record the run with how many rows each rule removed."""
    clock = now or timezone.now()
    started = time.monotonic()
    run = RetentionRun.objects.create(started_at=clock)
    removed: dict[str, int | str] = {}
    for rule in retention_rules():
        try:
            with transaction.atomic():
                removed[rule.key] = rule.remove(clock)
        except Exception:
            logger.exception("Retention rule %s failed; nothing it touched was changed", rule.key)
            removed[rule.key] = FAILED
            continue
        logger.info("Retention rule %s removed %s", rule.key, removed[rule.key])
    run.removed = removed
    run.finished_at = clock + timedelta(seconds=time.monotonic() - started)
    run.save(update_fields=["removed", "finished_at"])
    return run

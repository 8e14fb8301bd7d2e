"""A copy of everything we keep about a person (UK GDPR right of access), as one zip.

- `data_export_request`: a member asks; a background job (community.tasks.build_data_export) makes it. One at a time:
  asking again while one is being made gives back that one. At most REQUESTS_PER_DAY (3) requests in 24 hours.
- `data_export_build`: the job. Writes the zip to the private `exports` storage under an unguessable name, marks it
  ready until HN_EXPORT_LINK_DAYS from now, and tells the member. Safe to run twice.
- `data_export_open`: the member downloads it while the link lasts.
- `data_export_zip_write`: the zip itself, also used by `manage.py export_member_data` for a subject access request
  made by email or post.

The zip holds here-and-now-data.json (one key per section of community.personal_data, in order), README.txt, and
images/ (the member's picture and the pictures they sent in chat).
"""

from __future__ import annotations

import json
import logging
import secrets
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import timedelta
from typing import IO

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage, storages
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from community import permissions
from community.errors import Conflict, Gone, RateLimited
from community.models import DataExport, DataExportStatus, User
from community.personal_data import data_rights_modules, personal_data_sections
from community.selectors.data_exports import export_is_expired
from community.services.audit import audit_record
from community.services.notifications import notify

logger = logging.getLogger(__name__)

DATA_FILE = "here-and-now-data.json"
README_FILE = "README.txt"
REQUESTS_PER_DAY = 3
# A request still "being made" after this long has probably lost its job (the queue was down): asking again queues it
# again. Building is idempotent, so a duplicate job does no harm.
REQUEUE_AFTER = timedelta(minutes=15)


def export_storage():
    return storages["exports"]


# --- asking for a copy ------------------------------------------------------------------------------------------------


def data_export_request(*, actor: User) -> DataExport:
    """Ask for a copy of your data. Returns the export being made (a new one, or the one already on its way).

    Refusals: rate_limited (more than REQUESTS_PER_DAY in 24 hours).
    """
    now = timezone.now()
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=actor.pk).exists()  # one request at a time per person
        pending = DataExport.objects.filter(user_id=actor.pk, status=DataExportStatus.PENDING).first()
        if pending is not None:
            if pending.requested_at <= now - REQUEUE_AFTER:
                _queue_build_on_commit(pending.pk)
            return pending
        recent = list(
            DataExport.objects.filter(user_id=actor.pk, requested_at__gt=now - timedelta(days=1))
            .order_by("requested_at")
            .values_list("requested_at", flat=True)
        )
        if len(recent) >= REQUESTS_PER_DAY:
            wait = recent[0] + timedelta(days=1) - now
            raise RateLimited(
                f"You've asked for {REQUESTS_PER_DAY} copies today. You can ask again tomorrow, and the last one "
                "you made is still here until its link runs out.",
                retry_after=max(int(wait.total_seconds()), 1),
                code="rate_limited",
            )
        export = DataExport.objects.create(user=actor, requested_at=now)
        _queue_build_on_commit(export.pk)
    return export


def _queue_build_on_commit(export_id: int) -> None:
    def queue():
        from community import tasks  # tasks imports this module

        try:
            tasks.build_data_export(export_id)
        except Exception:  # the request is saved; asking again later queues it again (REQUEUE_AFTER)
            logger.exception("Could not queue data export %s", export_id)

    transaction.on_commit(queue)


# --- making it --------------------------------------------------------------------------------------------------------


def data_export_build(*, export_id: int) -> DataExport | None:
    """Make the zip for one export, mark it ready and tell its owner. An export already made (or gone) is left alone.

    The zip is written outside any transaction (it can take a while, and SQLite would hold its write lock); the row
    is then locked and checked again, so two jobs for one export end with one file.
    """
    export = DataExport.objects.select_related("user").filter(pk=export_id).first()
    if export is None or export.status != DataExportStatus.PENDING:
        return export
    storage = export_storage()
    try:
        with tempfile.TemporaryFile() as buffer:
            data_export_zip_write(user=export.user, out=buffer)
            size = buffer.tell()
            buffer.seek(0)
            file_name = storage.save(f"{secrets.token_urlsafe(32)}.zip", File(buffer))
    except Exception:
        logger.exception("Could not make data export %s", export_id)
        return _mark_failed(export_id)

    with transaction.atomic():
        export = DataExport.objects.select_for_update().select_related("user").filter(pk=export_id).first()
        if export is None or export.status != DataExportStatus.PENDING:
            transaction.on_commit(lambda: storage.delete(file_name))
            return export
        now = timezone.now()
        export.status = DataExportStatus.READY
        export.file_name = file_name
        export.size_bytes = size
        export.ready_at = now
        export.expires_at = now + timedelta(days=settings.HN_EXPORT_LINK_DAYS)
        export.save(update_fields=["status", "file_name", "size_bytes", "ready_at", "expires_at"])
        notify(
            user=export.user,
            kind="data_export_ready",
            title="Your copy of your data is ready",
            body=f"You can download it until {timezone.localtime(export.expires_at):%A %-d %B}. After that, the "
            "link stops working and you can ask for a new copy.",
            url=reverse("community:my-data"),
        )
    return export


def _mark_failed(export_id: int) -> DataExport | None:
    with transaction.atomic():
        export = DataExport.objects.select_for_update().filter(pk=export_id).first()
        if export is not None and export.status == DataExportStatus.PENDING:
            export.status = DataExportStatus.FAILED
            export.save(update_fields=["status"])
    return export


def data_export_zip_write(*, user: User, out: IO[bytes]) -> None:
    """Write the zip of everything we keep about `user` to `out`."""
    made_at = timezone.now()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(DATA_FILE, json.dumps(_sections(user), ensure_ascii=False, indent=2))
        archive.writestr(
            README_FILE,
            render_to_string(
                "community/data/README.txt",
                {"person": user, "made_at": timezone.localtime(made_at), "sections": personal_data_sections()},
            ),
        )
        for path, stored_name in _image_files(user):
            try:
                with default_storage.open(stored_name, "rb") as image:
                    archive.writestr(path, image.read())
            except FileNotFoundError:  # the file went (a message deleted meanwhile); the rest of the copy still helps
                logger.warning("Image %s for data export of user %s is missing", stored_name, user.pk)


def _sections(user: User) -> dict:
    """One key per section. A section not in the download says what it is, so the person knows it exists."""
    result = {}
    for section in personal_data_sections():
        entry = {"title": section.title, "what": section.what, "included": section.exporter is not None}
        if section.exporter is not None:
            entry["data"] = section.export(user)
        result[section.key] = entry
    return result


def _image_files(user: User) -> list[tuple[str, str]]:
    found = []
    for module in data_rights_modules("export"):
        files = getattr(module, "files", None)
        if files is not None:
            found.extend(files(user))
    return found


# --- downloading it ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportDownload:
    export: DataExport
    file: File
    filename: str


def data_export_open(*, actor: User, export_id: int) -> ExportDownload:
    """The zip, for its owner only, while the link lasts. The caller closes `file`.

    Refusals: export_not_found (not theirs, or no such export), export_not_ready (being made, or it went wrong),
    export_expired (the link ran out).
    """
    with transaction.atomic():
        export = permissions.access_data_export(user=actor, export_id=export_id, lock=True)
        if export_is_expired(export):
            raise Gone(
                "This download has run out, to keep your data safe. You can ask for a new copy on the Your data page.",
                code="export_expired",
            )
        if export.status != DataExportStatus.READY:
            raise Conflict(
                "This copy isn't ready to download. Have a look at the Your data page to see how it's going.",
                code="export_not_ready",
            )
        try:
            file = export_storage().open(export.file_name, "rb")
        except FileNotFoundError:
            raise Gone(
                "This download isn't there any more. You can ask for a new copy.", code="export_expired"
            ) from None
        export.downloaded_at = timezone.now()
        export.save(update_fields=["downloaded_at"])
    return ExportDownload(export, file, f"here-and-now-data-{timezone.localdate(export.ready_at):%Y-%m-%d}.zip")


# --- for operators ----------------------------------------------------------------------------------------------------


def data_export_for_operator(*, user: User, out: IO[bytes], reason: str = "") -> None:
    """A copy made by an operator (a subject access request by email or post). Audited; the member isn't notified."""
    data_export_zip_write(user=user, out=out)
    audit_record(actor=None, action="data.exported_by_operator", target=user, data={"reason": reason} if reason else {})

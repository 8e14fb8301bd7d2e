"""Reads about a person's own copies of their data, shared by the "Your data" page and the API."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from community.models import DataExport, DataExportStatus, User


def my_data_exports(*, user: User) -> QuerySet[DataExport]:
    """`user`'s exports, newest first."""
    return DataExport.objects.filter(user_id=user.pk).order_by("-requested_at", "-id")


def export_is_expired(export: DataExport, now=None) -> bool:
    """The link has run out (retention later deletes the file and marks it expired)."""
    if export.status == DataExportStatus.EXPIRED:
        return True
    return export.status == DataExportStatus.READY and export.expires_at <= (now or timezone.now())


@dataclass(frozen=True)
class ExportState:
    status: str  # a DataExportStatus value; "expired" once the link has run out
    words: str  # what the page says about it
    downloadable: bool


_WORDS = {
    DataExportStatus.PENDING: "We're making your copy now. It usually takes a few minutes, and we'll send you a "
    "notification when it's ready.",
    DataExportStatus.READY: "Your copy is ready to download.",
    DataExportStatus.FAILED: "Sorry, something went wrong making your copy. It wasn't anything you did. Please ask "
    "for a new one, and if it happens again, tell a member of staff.",
    DataExportStatus.EXPIRED: "The download link for your last copy has run out, to keep your data safe. You can ask "
    "for a new copy whenever you like.",
}


def export_state(export: DataExport, now=None) -> ExportState:
    status = DataExportStatus.EXPIRED if export_is_expired(export, now or timezone.now()) else export.status
    return ExportState(str(status), _WORDS[status], status == DataExportStatus.READY)

"""Privacy and data rights: the community agreement and privacy notice (versioned, with who accepted which), data
exports, the record kept for a while after an account is erased, and the log of each retention run.

docs/privacy.md explains each table: what it holds, why, and for how long.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from community.models import User

__all__ = [
    "DataExport",
    "DataExportStatus",
    "ErasedAccount",
    "PolicyAcceptance",
    "PolicyDocument",
    "PolicyKind",
    "RetentionRun",
]


class PolicyKind(models.TextChoices):
    AGREEMENT = "agreement", "Community agreement"
    PRIVACY = "privacy", "Privacy notice"


class PolicyDocument(models.Model):
    """One published version of the community agreement or the privacy notice. A new version is a new row (the old
    text stays, so we can show what someone agreed to); the newest published version of each kind is the current one.
    """

    kind = models.CharField(max_length=12, choices=PolicyKind.choices)
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=120)
    summary = models.TextField(help_text="A few plain sentences: what changed and what it means for you.")
    body = models.TextField(help_text="The full text: blank lines between paragraphs, '## ' starts a heading.")
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "version"], name="policy_one_row_per_version")]
        ordering = ["kind", "-version"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"


class PolicyAcceptance(models.Model):
    """Who accepted which version, and when."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="policy_acceptances")
    document = models.ForeignKey(PolicyDocument, on_delete=models.PROTECT, related_name="acceptances")
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "document"], name="policy_accepted_once")]
        ordering = ["-accepted_at"]

    def __str__(self) -> str:
        return f"{self.user_id} accepted {self.document}"


class DataExportStatus(models.TextChoices):
    PENDING = "pending", "Being made"
    READY = "ready", "Ready to download"
    FAILED = "failed", "Something went wrong"
    EXPIRED = "expired", "Expired"


class DataExport(models.Model):
    """A member's request for a copy of their data: built by a background job into a zip in the private `exports`
    storage (never under MEDIA_URL), downloadable by its owner until `expires_at`, then deleted by retention."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="data_exports")
    status = models.CharField(max_length=10, choices=DataExportStatus.choices, default=DataExportStatus.PENDING)
    requested_at = models.DateTimeField(default=timezone.now)
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    file_name = models.CharField(max_length=200, blank=True, help_text="Name in the private exports storage.")
    size_bytes = models.PositiveBigIntegerField(null=True, blank=True)
    downloaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self) -> str:
        return f"Export {self.pk} for {self.user_id} ({self.status})"


class ErasedAccount(models.Model):
    """Who an erased account belonged to, kept only while safeguarding or moderation records about them are kept.

    Erasure deletes the person's account. What must stay (their place in attendance counts, and safeguarding and
    moderation records for the retention period) moves to `stand_in`, an anonymous account with no name, email or
    password. This row is the only link from the stand-in back to the person; it exists only when such records
    exist, and retention deletes it, with those records, at `keep_until`.
    """

    stand_in = models.OneToOneField(User, on_delete=models.CASCADE, related_name="erased_account")
    former_user_id = models.PositiveBigIntegerField()
    display_name = models.CharField(max_length=40)
    email = models.EmailField()
    real_name = models.CharField(max_length=120, blank=True)
    erased_at = models.DateTimeField(default=timezone.now)
    erased_by_self = models.BooleanField(default=True)
    keep_until = models.DateTimeField()

    class Meta:
        ordering = ["keep_until"]

    def __str__(self) -> str:
        return f"Erased account (kept until {self.keep_until:%Y-%m-%d})"


class RetentionRun(models.Model):
    """One run of the retention job: when, and how many rows each rule removed ({rule key: count})."""

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    removed = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Retention run {self.started_at:%Y-%m-%d %H:%M}"

"""Community tables: people, invitations, groups, memberships, notifications and the audit log."""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone


class SiteRole(models.TextChoices):
    MEMBER = "member", "Member"
    MODERATOR = "moderator", "Moderator"
    STAFF = "staff", "Staff"
    EVALUATOR = "evaluator", "Evaluator"


class AgeBand(models.TextChoices):
    UNDER_18 = "16_17", "16 or 17"
    ADULT = "18_25", "18 to 25"


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields) -> User:
        if not email:
            raise ValueError("An email address is needed.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        Profile.objects.get_or_create(user=user)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields) -> User:
        fields.setdefault("display_name", email.split("@")[0][:40])
        fields["is_superuser"] = True
        fields["site_role"] = SiteRole.STAFF
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("email address", unique=True)
    display_name = models.CharField(
        max_length=40, help_text="The name other people see. It does not have to be your real name."
    )
    real_name = models.CharField(max_length=120, blank=True, help_text="Only staff can see this.")
    site_role = models.CharField(max_length=12, choices=SiteRole.choices, default=SiteRole.MEMBER)
    is_safeguarding_lead = models.BooleanField(default=False)
    # Set by a moderator's suspension: until then the person can't sign in and every session and socket is ended.
    suspended_until = models.DateTimeField(null=True, blank=True)
    age_band = models.CharField(max_length=5, choices=AgeBand.choices, blank=True)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)
    eligibility_confirmed_at = models.DateTimeField(null=True, blank=True)
    agreement_accepted_at = models.DateTimeField(null=True, blank=True)
    # Set only on the anonymous stand-in an erased account leaves behind (community.models_privacy.ErasedAccount).
    erased_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("display_name"), name="user_display_name_unique_ci"),
        ]
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_staff(self) -> bool:
        """Who may open the Django admin: partnership staff and superusers."""
        return self.is_superuser or self.site_role == SiteRole.STAFF

    @property
    def is_moderator(self) -> bool:
        return self.site_role in (SiteRole.MODERATOR, SiteRole.STAFF)

    @property
    def is_partnership_staff(self) -> bool:
        return self.site_role == SiteRole.STAFF

    @property
    def is_evaluator(self) -> bool:
        return self.site_role == SiteRole.EVALUATOR

    @property
    def is_under_18(self) -> bool:
        return self.age_band == AgeBand.UNDER_18

    @property
    def is_erased(self) -> bool:
        """This row is the anonymous stand-in of an erased account: no name, no email, no way to sign in."""
        return self.erased_at is not None

    @property
    def is_suspended(self) -> bool:
        return self.suspended_until is not None and self.suspended_until > timezone.now()


class ProfileVisibility(models.TextChoices):
    CO_MEMBERS = "co_members", "People in my groups"
    ALL_MEMBERS = "all_members", "Everyone in Here and Now"


class DirectMessagePolicy(models.TextChoices):
    REQUESTS = "requests", "People in my groups can send a request"
    OFF = "off", "Nobody (staff and moderators can still reach me)"


def avatar_upload_to(instance: Profile, filename: str) -> str:
    return f"avatars/{instance.user_id}/{filename}"


class Profile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, primary_key=True, related_name="profile")
    pronouns = models.CharField(max_length=40, blank=True)
    bio = models.TextField(max_length=500, blank=True)
    interests = models.JSONField(default=list, blank=True)
    avatar = models.ImageField(upload_to=avatar_upload_to, blank=True)
    profile_visibility = models.CharField(
        max_length=12, choices=ProfileVisibility.choices, default=ProfileVisibility.CO_MEMBERS
    )
    show_online = models.BooleanField(default=False)
    direct_messages = models.CharField(
        max_length=10, choices=DirectMessagePolicy.choices, default=DirectMessagePolicy.REQUESTS
    )
    quiet_hours_start = models.TimeField(null=True, blank=True)
    quiet_hours_end = models.TimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Profile of {self.user}"


class JoinPolicy(models.TextChoices):
    OPEN = "open", "Any member can join"
    REQUEST = "request", "Members ask to join and a leader says yes"
    INVITE = "invite", "By invitation only"


class GroupQuerySet(models.QuerySet):
    def active(self) -> GroupQuerySet:
        return self.filter(is_archived=False)

    def listed(self) -> GroupQuerySet:
        return self.filter(is_listed=True)


class Group(models.Model):
    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(max_length=2000, blank=True)
    is_listed = models.BooleanField(default=True, help_text="Unlisted groups are only seen by their members.")
    join_policy = models.CharField(max_length=10, choices=JoinPolicy.choices, default=JoinPolicy.REQUEST)
    is_archived = models.BooleanField(default=False)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = GroupQuerySet.as_manager()

    class Meta:
        verbose_name = "community group"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MembershipRole(models.TextChoices):
    MEMBER = "member", "Member"
    LEADER = "leader", "Peer leader"


class MembershipStatus(models.TextChoices):
    PENDING = "pending", "Asked to join"
    ACTIVE = "active", "Member"
    DECLINED = "declined", "Request declined"
    LEFT = "left", "Left"
    REMOVED = "removed", "Removed"
    BANNED = "banned", "Banned"


class MembershipQuerySet(models.QuerySet):
    def active(self) -> MembershipQuerySet:
        return self.filter(status=MembershipStatus.ACTIVE)

    def leaders(self) -> MembershipQuerySet:
        return self.filter(status=MembershipStatus.ACTIVE, role=MembershipRole.LEADER)


class Membership(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=MembershipRole.choices, default=MembershipRole.MEMBER)
    status = models.CharField(max_length=10, choices=MembershipStatus.choices, default=MembershipStatus.PENDING)
    joined_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = MembershipQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "user"], name="membership_one_per_group")]
        indexes = [
            models.Index(fields=["group", "status"]),
            models.Index(fields=["user", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.group} ({self.status})"

    @property
    def is_active(self) -> bool:
        return self.status == MembershipStatus.ACTIVE

    @property
    def is_leader(self) -> bool:
        return self.is_active and self.role == MembershipRole.LEADER


class Invitation(models.Model):
    code = models.CharField(max_length=20, unique=True)
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="invitations_created")
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.CASCADE, related_name="invitations")
    max_uses = models.PositiveIntegerField(default=1)
    use_count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(max_length=120, blank=True, help_text="A private reminder of who this is for.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(use_count__lte=models.F("max_uses")), name="invitation_uses_within_max"),
            models.CheckConstraint(condition=Q(max_uses__gte=1), name="invitation_max_uses_positive"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def uses_left(self) -> int:
        return max(self.max_uses - self.use_count, 0)

    @property
    def status(self) -> str:
        if self.revoked_at:
            return "revoked"
        if self.use_count >= self.max_uses:
            return "used_up"
        if self.expires_at <= timezone.now():
            return "expired"
        return "active"


class InvitationRedemption(models.Model):
    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="redemptions")
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="invitation_redemption")
    redeemed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.user} joined with {self.invitation}"


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class EmailStatus(models.TextChoices):
    NOT_WANTED = "not_wanted", "Not emailed"
    QUEUED = "queued", "Email queued"
    SENT = "sent", "Email sent"
    FAILED = "failed", "Email failed"


class Notification(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=50)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    email_status = models.CharField(max_length=12, choices=EmailStatus.choices, default=EmailStatus.NOT_WANTED)
    emailed_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"]), models.Index(fields=["user", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user}"


class NotificationPreference(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notification_preferences")
    kind = models.CharField(max_length=50)
    email = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_unique")]

    def __str__(self) -> str:
        return f"{self.user}: {self.kind} email={self.email}"


class AuditEntry(models.Model):
    """Append-only record of who changed what. Written only by community.services.audit."""

    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=60)
    target_type = models.CharField(max_length=40)
    target_id = models.CharField(max_length=40)
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["target_type", "target_id"]), models.Index(fields=["action"])]

    def __str__(self) -> str:
        return f"{self.action} {self.target_type}:{self.target_id}"


class ParticipationEntry(models.Model):
    """One person taking part in one activity (an event they were checked in to). The metrics read this ledger."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="participation_entries")
    activity_key = models.CharField(max_length=60, help_text='What they took part in, e.g. "event:42".')
    group = models.ForeignKey(Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    category = models.CharField(max_length=30, blank=True)
    occurred_at = models.DateTimeField()
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "participation entries"
        constraints = [models.UniqueConstraint(fields=["user", "activity_key"], name="participation_once_per_activity")]
        indexes = [models.Index(fields=["activity_key"]), models.Index(fields=["user", "occurred_at"])]

    def __str__(self) -> str:
        return f"{self.user} at {self.activity_key}"


class Tie(models.Model):
    """Two people who were at the same activities: an opportunity for a connection, derived from the ledger."""

    user_low = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    user_high = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    first_met_at = models.DateTimeField()
    last_met_at = models.DateTimeField()
    times_met = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user_low", "user_high"], name="tie_one_per_pair"),
            models.CheckConstraint(condition=Q(user_low__lt=models.F("user_high")), name="tie_pair_ordered"),
        ]
        indexes = [models.Index(fields=["user_high"])]

    def __str__(self) -> str:
        return f"{self.user_low_id}-{self.user_high_id} met {self.times_met}x"


from community.models_privacy import *  # noqa: E402,F401,F403
from community.models_safety import *  # noqa: E402,F401,F403
from community.models_wellbeing import *  # noqa: E402,F401,F403

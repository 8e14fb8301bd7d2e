"""Events, repeating series, RSVPs with a waitlist, attendance and the post-event pulse."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from community.models import Group


class EventCategory(models.TextChoices):
    SOCIAL = "social", "Social and leisure"
    WELLBEING = "wellbeing", "Wellbeing"
    LEARNING = "learning", "Learning and training"
    WORK = "work", "Work and paid opportunities"
    VOLUNTEERING = "volunteering", "Volunteering"
    INDEPENDENT_LIVING = "independent_living", "Independent living"


class RsvpMode(models.TextChoices):
    OPEN = "open", "Anyone who can see it can say they're going"
    APPROVAL = "approval", "An organiser says yes to each person"


class EventStatus(models.TextChoices):
    SCHEDULED = "scheduled", "On"
    CANCELLED = "cancelled", "Cancelled"


class EventVisibility(models.TextChoices):
    GROUP = "group", "People in the group"
    ALL_MEMBERS = "all_members", "Everyone in Here and Now"


class SeriesFrequency(models.TextChoices):
    WEEKLY = "weekly", "Every week"
    FORTNIGHTLY = "fortnightly", "Every two weeks"
    MONTHLY = "monthly", "Every month"


class EventSeries(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="event_series")
    frequency = models.CharField(max_length=12, choices=SeriesFrequency.choices)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "event series"

    def __str__(self) -> str:
        return f"{self.get_frequency_display()} in {self.group}"


class EventQuerySet(models.QuerySet):
    def scheduled(self) -> EventQuerySet:
        return self.filter(status=EventStatus.SCHEDULED)

    def upcoming(self, now=None) -> EventQuerySet:
        return self.filter(ends_at__gte=now or timezone.now())


class Event(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="events")
    series = models.ForeignKey(EventSeries, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    title = models.CharField(max_length=120)
    description = models.TextField(max_length=5000, blank=True)
    category = models.CharField(max_length=20, choices=EventCategory.choices)
    destination_areas = models.JSONField(
        default=list, blank=True, help_text="Keys from the positive-destination areas this event supports."
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    is_online = models.BooleanField(default=False)
    area = models.CharField(max_length=120, blank=True, help_text="Roughly where, shown to everyone who can see it.")
    venue_address = models.TextField(max_length=500, blank=True, help_text="Shown only to people going.")
    joining_link = models.URLField(blank=True, help_text="Shown only to people going.")
    accessibility_info = models.TextField(max_length=2000, blank=True)
    capacity = models.PositiveIntegerField(null=True, blank=True)
    rsvp_mode = models.CharField(max_length=10, choices=RsvpMode.choices, default=RsvpMode.OPEN)
    rsvp_closes_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=EventStatus.choices, default=EventStatus.SCHEDULED)
    visibility = models.CharField(max_length=12, choices=EventVisibility.choices, default=EventVisibility.GROUP)
    going_count = models.PositiveIntegerField(default=0, help_text="Kept by the RSVP services under a row lock.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.TextField(max_length=500, blank=True)
    sequence = models.PositiveIntegerField(
        default=0, help_text="Goes up each time the time, place or status changes (the iCalendar SEQUENCE)."
    )
    changed_at = models.DateTimeField(
        null=True, blank=True, help_text="When something people going should hear about last changed."
    )
    change_notified_at = models.DateTimeField(
        null=True, blank=True, help_text="When people were last told about changes (one notice per burst of edits)."
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["group", "starts_at"]),
            models.Index(fields=["status", "starts_at"]),
            models.Index(fields=["series", "starts_at"]),
            # Upcoming events, soonest first: the page is read in index order and stops after page_size rows.
            models.Index(fields=["starts_at", "id"], name="event_soonest_idx"),
            # "Not ended yet" with the visibility rule: covers the list's COUNT(*) without reading the table.
            models.Index(fields=["ends_at", "visibility", "group"], name="event_upcoming_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED


class RsvpStatus(models.TextChoices):
    GOING = "going", "Going"
    WAITLISTED = "waitlisted", "On the waiting list"
    PENDING = "pending", "Waiting for an organiser"
    DECLINED = "declined", "Not this time"
    CANCELLED = "cancelled", "Not going"


class Rsvp(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="rsvps")
    status = models.CharField(max_length=10, choices=RsvpStatus.choices)
    queued_at = models.DateTimeField(default=timezone.now, help_text="Arrival order on the waiting list.")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True, help_text="The day-before reminder, sent once.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="rsvp_one_per_person")]
        indexes = [models.Index(fields=["event", "status", "queued_at"]), models.Index(fields=["user", "status"])]

    def __str__(self) -> str:
        return f"{self.user} {self.status} for {self.event}"


class CheckInMethod(models.TextChoices):
    ORGANISER = "organiser", "Marked by an organiser"
    SELF = "self", "Checked in with the event code"


class Attendance(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attendances")
    method = models.CharField(max_length=10, choices=CheckInMethod.choices)
    checked_in_at = models.DateTimeField(default=timezone.now)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="attendance_one_per_person")]

    def __str__(self) -> str:
        return f"{self.user} at {self.event}"


class PulseConnection(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_SURE = "not_sure", "Not sure"


class Pulse(models.Model):
    """The optional post-event 'how was it?' answers."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="pulses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pulses")
    feeling = models.PositiveSmallIntegerField(null=True, blank=True, help_text="1 (low) to 5 (great).")
    connected = models.CharField(max_length=10, choices=PulseConnection.choices, blank=True)
    note_to_organisers = models.TextField(max_length=1000, blank=True)
    note_held = models.BooleanField(
        default=False,
        help_text="Crisis language in the note: it went to the safeguarding team; organisers never see it.",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="pulse_one_per_person"),
            models.CheckConstraint(
                condition=Q(feeling__isnull=True) | Q(feeling__gte=1, feeling__lte=5), name="pulse_feeling_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"Pulse from {self.user} on {self.event}"

    @property
    def note_for_organisers(self) -> str:
        """The note as organisers may see it: nothing while it is held for the safeguarding team."""
        return "" if self.note_held else self.note_to_organisers


from events.models_ideas import *  # noqa: E402,F401,F403

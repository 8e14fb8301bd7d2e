"""Deleting an account: after it, nothing that names the person is left in any table (a walker reads every model),
what must stay is on an anonymous stand-in so figures don't change, and safeguarding records are kept, with an
ErasedAccount, only when there are some."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.db import models
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from community.errors import Forbidden, InvalidInput
from community.models import (
    ActivityStatus,
    AuditEntry,
    DataExport,
    DestinationArea,
    ErasedAccount,
    EvaluationConsent,
    Goal,
    GoalStep,
    Invitation,
    InvitationRedemption,
    MembershipStatus,
    ModeratorDuty,
    Notification,
    ParticipationEntry,
    PersonBlock,
    PersonMute,
    SafeguardingConcern,
    SiteRole,
    Tie,
    User,
    WellbeingCheckIn,
)
from community.personal_data import OnErasure, personal_data_sections
from community.services.audit import audit_record
from community.services.erasure import account_erase
from community.services.participation import participation_record
from community.services.retention import retention_run
from events.models import Attendance, CalendarToken, CheckInMethod, IdeaBacking, IdeaComment, Pulse, Rsvp, RsvpStatus
from events.services.ideas import idea_back, idea_comment, idea_propose
from events.services.rsvps import rsvp_going
from messaging.models import Message, MessageEdit, Reaction, ReadMarker, Room, RoomKind
from messaging.models_moderation import ModerationCase, ModeratorNote, Report, ReportReason, Sanction, SanctionKind
from messaging.services.direct import direct_room_open
from messaging.services.rooms import room_for_group
from tests.events.domain_factories import make_event, make_rsvp

NAME = "Zephyrine Quill"
REAL_NAME = "Marigold Tansy"
EMAIL = "zq.erasure@example.org"
PASSWORD = "a-long-pass-phrase"
SECRET_WORDS = "my very own pineapple words"


def build_person(*, make_user, group, add_member, friend) -> User:
    """Someone who has used everything: chat, events, ideas, wellbeing, goals, blocks, exports, a token, a picture."""
    now = timezone.now()
    person = make_user(display_name=NAME, real_name=REAL_NAME, email=EMAIL)
    person.profile.bio = f"Hi, I'm {NAME}"
    person.profile.avatar.save("me.png", ContentFile(b"png"), save=True)
    add_member(group, person)
    Token.objects.create(user=person)
    invitation = Invitation.objects.create(
        code="HN-ERASE001", created_by=friend, max_uses=1, use_count=1, note=f"For {NAME}",
        expires_at=now + timedelta(days=3),
    )  # fmt: skip
    InvitationRedemption.objects.create(invitation=invitation, user=person)

    room = room_for_group(group=group)
    mine = Message.objects.create(room=room, author=person, body=SECRET_WORDS, client_id="c-1")
    mine.image.save("pic.png", ContentFile(b"img"), save=True)
    MessageEdit.objects.create(message=mine, previous_body=f"{SECRET_WORDS} before", edited_by=person)
    Message.objects.create(room=room, author=person, body=f"{SECRET_WORDS} held", is_held=True, held_reason="new")
    theirs = Message.objects.create(room=room, author=friend, body="Hello all")
    Reaction.objects.create(message=theirs, user=person, emoji="👍")
    ReadMarker.objects.create(room=room, user=person, last_read_message_id=theirs.pk)
    direct_room_open(actor=person, user_id=friend.pk)
    case = ModerationCase.objects.create(kind="message", message=theirs, subject=friend, due_at=now)
    Report.objects.create(case=case, reporter=person, reason=ReportReason.OTHER, note="Not kind")

    Notification.objects.create(user=person, kind="welcome", title=f"Welcome, {NAME}")
    WellbeingCheckIn.objects.create(user=person, swemwbs_1=3)
    EvaluationConsent.objects.create(user=person, consents=False, recorded_at=now - timedelta(days=9))
    EvaluationConsent.objects.create(user=person, consents=True, recorded_at=now - timedelta(days=5))
    goal = Goal.objects.create(user=person, area="job", title=f"{NAME}'s goal")
    GoalStep.objects.create(goal=goal, text="Write a CV")
    DestinationArea.objects.create(user=person, area="job")
    ActivityStatus.objects.create(user=person, code="F1")
    PersonBlock.objects.create(blocker=person, blocked=friend)
    PersonMute.objects.create(muter=friend, muted=person)
    storages["exports"].save("export-zq.zip", ContentFile(b"zip"))
    DataExport.objects.create(user=person, status="ready", file_name="export-zq.zip")
    ModeratorDuty.objects.create(moderator=person)  # (a member wouldn't; the rule still has to cover it)

    past = make_event(group, title="Past picnic", starts_in=timedelta(days=-10), created_by=friend)
    make_rsvp(past, person)
    Attendance.objects.create(event=past, user=person, method=CheckInMethod.SELF)
    Pulse.objects.create(event=past, user=person, feeling=4, note_to_organisers=f"From {NAME}")
    participation_record(
        user=person, activity_key=f"event:{past.pk}", group=group, category="social", occurred_at=past.starts_at
    )
    participation_record(
        user=friend, activity_key=f"event:{past.pk}", group=group, category="social", occurred_at=past.starts_at
    )
    idea = idea_propose(actor=person, group=group, title="Bowling night")
    idea_back(actor=friend, idea=idea)
    other_idea = idea_propose(actor=friend, group=group, title="Cinema")
    idea_back(actor=person, idea=other_idea)
    idea_comment(actor=person, idea=other_idea, body=SECRET_WORDS)
    CalendarToken.objects.create(user=person, kind="personal", token="cal-zq")
    LogEntry.objects.create(
        user=friend, content_type=ContentType.objects.get_for_model(User), object_id=str(person.pk),
        object_repr=NAME, action_flag=CHANGE, change_message="Changed role.",
    )  # fmt: skip
    return person


def kept_about(stand_in: User) -> dict[str, set]:
    """The rows the walker may leave alone: the ErasedAccount, and the records of the sections marked
    KEPT_FOR_SAFEGUARDING that are about this person (now their stand-in)."""
    kept_models = {label for s in personal_data_sections() if s.on_erasure == OnErasure.KEPT_FOR_SAFEGUARDING
                   for label in s.models}  # fmt: skip
    about = {
        "community.ErasedAccount": ErasedAccount.objects.filter(stand_in=stand_in),
        "community.SafeguardingConcern": SafeguardingConcern.objects.filter(person=stand_in),
        "community.AuditEntry": AuditEntry.objects.filter(target_type="community.user", target_id=str(stand_in.pk)),
        "messaging.ModerationCase": ModerationCase.objects.filter(subject=stand_in),
        "messaging.Report": Report.objects.filter(case__subject=stand_in),
    }
    assert set(about) <= kept_models
    return {label: set(rows.values_list("pk", flat=True)) for label, rows in about.items()}


def identifying_leftovers(*, former_id: int, words: list[str], stand_in: User) -> list[str]:
    """Every model, every column: a foreign key to a User still holding the old id, or text, char or JSON holding
    any of `words` (case-insensitive)."""
    exempt = kept_about(stand_in)
    found = []
    for model in apps.get_models():
        label = model._meta.label
        rows = model._base_manager.exclude(pk__in=exempt.get(label, set()))
        for field in model._meta.concrete_fields:
            if field.is_relation and field.related_model is User:
                if rows.filter(**{field.attname: former_id}).exists():
                    found.append(f"{label}.{field.name} -> {former_id}")
            elif isinstance(field, (models.CharField, models.TextField, models.JSONField)):
                for pk, value in rows.values_list("pk", field.attname):
                    text = json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else str(value)
                    found += [f"{label}.{field.name} #{pk}: {w}" for w in words if w.lower() in text.lower()]
    return found


@pytest.fixture
def friend(make_user, group, add_member):
    user = make_user(display_name="Kai")
    add_member(group, user)
    return user


@pytest.fixture
def person(make_user, group, add_member, friend):
    return build_person(make_user=make_user, group=group, add_member=add_member, friend=friend)


def test_after_erasure_nothing_in_any_table_names_the_person(person, friend, group, leader):
    Notification.objects.create(user=leader, kind="membership_requested", title=f"{NAME} would like to join Art Club")
    former_id = person.pk
    words = [NAME, REAL_NAME, EMAIL, SECRET_WORDS]
    before = identifying_leftovers(former_id=former_id, words=words, stand_in=person)
    assert len(before) > 30  # the walker does see them while the account exists

    account_erase(actor=person, user=person, password=PASSWORD)

    assert not User.objects.filter(pk=former_id).exists()
    stand_in = User.objects.get(erased_at__isnull=False)
    assert identifying_leftovers(former_id=former_id, words=words, stand_in=stand_in) == []
    assert not AuditEntry.objects.filter(target_type="community.user", target_id=str(former_id)).exists()
    assert Notification.objects.get(user=leader).title == "Deleted member would like to join Art Club"


def test_what_stays_is_on_an_anonymous_stand_in(person, friend, group):
    joined = person.date_joined
    account_erase(actor=person, user=person, password=PASSWORD)

    stand_in = User.objects.get(erased_at__isnull=False)
    assert stand_in.is_erased and not stand_in.is_active and not stand_in.has_usable_password()
    assert stand_in.email.endswith("@erased.invalid") and stand_in.display_name.startswith("Deleted member ")
    assert (stand_in.site_role, stand_in.date_joined, stand_in.real_name) == (SiteRole.MEMBER, joined, "")
    assert Attendance.objects.filter(user=stand_in).count() == 1
    assert Rsvp.objects.filter(user=stand_in).count() == 1  # the past one
    assert ParticipationEntry.objects.filter(user=stand_in).count() == 1
    tie = Tie.objects.get()
    assert (tie.user_low_id, tie.user_high_id) == (friend.pk, stand_in.pk)
    consent = EvaluationConsent.objects.get(user=stand_in)
    assert consent.consents and EvaluationConsent.objects.count() == 1
    direct = Room.objects.get(kind=RoomKind.DIRECT)
    assert (direct.user_low_id, direct.user_high_id) == (friend.pk, stand_in.pk)
    assert Report.objects.get().reporter is None
    comment = IdeaComment.objects.get()
    assert (comment.author, comment.body) == (None, "")
    assert not IdeaBacking.objects.filter(user=stand_in).exists() and IdeaBacking.objects.count() == 1
    assert Invitation.objects.get().note == ""
    for model in (Pulse, CalendarToken, WellbeingCheckIn, Goal, GoalStep, DestinationArea, ActivityStatus,
                  PersonBlock, PersonMute, DataExport, ModeratorDuty, Reaction, ReadMarker, MessageEdit):  # fmt: skip
        assert not model.objects.exists(), model
    assert Message.objects.filter(author=None, body="", image="").count() == 2


def test_files_are_deleted_once_it_commits(person, django_capture_on_commit_callbacks):
    avatar, picture = person.profile.avatar.name, Message.objects.exclude(image="").get().image.name
    assert default_storage.exists(avatar) and default_storage.exists(picture)

    with django_capture_on_commit_callbacks(execute=True):
        account_erase(actor=person, user=person, password=PASSWORD)

    assert not default_storage.exists(avatar)
    assert not default_storage.exists(picture)
    assert not storages["exports"].exists("export-zq.zip")


def test_no_safeguarding_records_leaves_no_erased_account(person):
    account_erase(actor=person, user=person, password=PASSWORD)

    assert not ErasedAccount.objects.exists()
    erased = AuditEntry.objects.get(action="account.erased")
    assert erased.data["kept_for_safeguarding"] is False
    assert NAME not in json.dumps(erased.data) and EMAIL not in json.dumps(erased.data)


def test_a_concern_is_kept_with_an_erased_account_until_the_retention_period(person, moderator, group):
    now = timezone.now()
    concern = SafeguardingConcern.objects.create(
        person=person, source="message", source_id=1, excerpt="held words", due_at=now
    )
    case = ModerationCase.objects.create(kind="user", subject=person, due_at=now)
    audit_record(actor=moderator, action="account.warned", target=person)

    account_erase(actor=person, user=person, password=PASSWORD)

    record = ErasedAccount.objects.get()
    stand_in = record.stand_in
    assert (record.display_name, record.email, record.real_name) == (NAME, EMAIL, REAL_NAME)
    assert record.erased_by_self
    expected = timedelta(days=settings.HN_RETENTION_SAFEGUARDING_DAYS)
    assert abs(record.keep_until - (record.erased_at + expected)) < timedelta(seconds=1)
    assert abs(record.erased_at - now) < timedelta(minutes=1)
    assert SafeguardingConcern.objects.get(pk=concern.pk).person == stand_in
    assert ModerationCase.objects.get(pk=case.pk).subject == stand_in
    assert AuditEntry.objects.filter(action="account.warned", target_id=str(stand_in.pk)).exists()


def test_a_wrong_password_changes_nothing(person):
    before = {model: model.objects.count() for model in (User, Message, Goal, Attendance, Notification)}

    with pytest.raises(InvalidInput) as refused:
        account_erase(actor=person, user=person, password="not-my-password")

    assert refused.value.code == "wrong_password" and "password" in refused.value.fields
    assert {model: model.objects.count() for model in before} == before
    assert Message.objects.filter(author=person, body=SECRET_WORDS).exists()


def test_a_future_place_goes_to_the_next_person_waiting(person, friend, group, make_user, add_member):
    event = make_event(group, title="Climbing", starts_in=timedelta(days=2), capacity=1)
    rsvp_going(actor=person, event=event)
    waiting = make_user(display_name="Wren")
    add_member(group, waiting)
    assert rsvp_going(actor=waiting, event=event).status == RsvpStatus.WAITLISTED

    account_erase(actor=person, user=person, password=PASSWORD)

    assert Rsvp.objects.get(event=event).user == waiting
    assert Rsvp.objects.get(event=event).status == RsvpStatus.GOING
    event.refresh_from_db()
    assert event.going_count == 1
    assert Notification.objects.filter(user=waiting, kind="waitlist_promoted").exists()


def test_staff_may_erase_a_member_who_asks_but_not_staff_or_themselves(person, staff, make_user, moderator):
    other_staff = make_user(role=SiteRole.STAFF, display_name="Staff Two")
    for target in (other_staff, staff):
        with pytest.raises(Forbidden) as refused:
            account_erase(actor=staff, user=target)
        assert refused.value.code == "cannot_erase_account"
    with pytest.raises(Forbidden):
        account_erase(actor=moderator, user=person)

    account_erase(actor=staff, user=person)

    assert not User.objects.filter(email=EMAIL).exists()
    erased = AuditEntry.objects.get(action="account.erased")
    assert erased.actor == staff and erased.data["by_self"] is False


def test_every_table_in_every_section_has_an_erasure_rule():
    from community.personal_data import data_rights_modules

    rules = {label for module in data_rights_modules("erase") for label in module.RULES}
    assert rules == {label for section in personal_data_sections() for label in section.models}


def test_memberships_go_and_the_group_keeps_its_other_members(person, friend, group):
    account_erase(actor=person, user=person, password=PASSWORD)

    assert list(group.memberships.filter(status=MembershipStatus.ACTIVE).values_list("user", flat=True)) == [friend.pk]


def test_nobody_can_open_the_stand_in_s_profile_moderators_and_staff_included(person, moderator, staff):
    """Moderators reach the stand-in from a kept case; its profile went with the account, so it is simply not found."""
    account_erase(actor=person, user=person, password=PASSWORD)
    stand_in = User.objects.get(erased_at__isnull=False)

    for viewer in (moderator, staff):
        page, api = Client(), APIClient()
        page.force_login(viewer)
        api.force_authenticate(user=viewer)
        assert page.get(f"/people/{stand_in.pk}/").status_code == 404
        assert page.get(f"/people/{stand_in.pk}/avatar/").status_code == 404
        assert api.get(f"/api/v1/people/{stand_in.pk}/").json()["code"] == "person_not_found"


def test_kept_records_go_at_keep_until_and_then_nothing_names_the_person(person, moderator, group):
    now = timezone.now()
    SafeguardingConcern.objects.create(person=person, source="message", source_id=1, excerpt="held", due_at=now)
    ModerationCase.objects.create(kind="user", subject=person, due_at=now)
    Sanction.objects.create(user=person, kind=SanctionKind.WARN, created_by=moderator, reason="unkind words")
    ModeratorNote.objects.create(subject=person, author=moderator, body=f"Spoke to {NAME}")
    audit_record(actor=moderator, action="account.warned", target=person)
    former_id = person.pk
    words = [NAME, REAL_NAME, EMAIL, SECRET_WORDS]

    account_erase(actor=person, user=person, password=PASSWORD)
    record = ErasedAccount.objects.get()
    stand_in = record.stand_in

    retention_run(now=record.keep_until - timedelta(days=1))
    assert ErasedAccount.objects.filter(pk=record.pk).exists(), "kept until keep_until"
    assert SafeguardingConcern.objects.filter(person=stand_in).exists()

    retention_run(now=record.keep_until + timedelta(days=1))
    assert not ErasedAccount.objects.exists()
    assert not SafeguardingConcern.objects.filter(person=stand_in).exists()
    assert not ModerationCase.objects.filter(subject=stand_in).exists()
    assert not Sanction.objects.filter(user=stand_in).exists()
    assert not ModeratorNote.objects.filter(subject=stand_in).exists()
    assert not AuditEntry.objects.filter(target_type="community.user", target_id=str(stand_in.pk)).exists()
    assert identifying_leftovers(former_id=former_id, words=words, stand_in=stand_in) == []
    # The anonymous stand-in stays, so past attendance still counts; it has nothing that says who it was.
    stand_in = User.objects.get(pk=stand_in.pk)
    assert stand_in.is_erased and not stand_in.has_usable_password() and not stand_in.is_active

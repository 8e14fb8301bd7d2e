"""Races on PostgreSQL: many requests for the same thing at the same moment, each on its own connection and thread,
released together by a barrier (as tests/events/test_rsvp_concurrency.py does). Each must end in exactly one
consistent outcome, and everyone else gets a clean refusal (a DomainError with its code), never a crash.

- a single-use invitation redeemed by 20 sign-ups at once: one account, 19 `invitation_used_up`, use_count 1;
- the last places at an event (the race in tests/events/test_rsvp_concurrency.py, run again here for the figures);
- people checking in from two phones at once: one attendance and one ledger entry each, every tie counted once;
- a moderator hiding a message while its author edits it: it ends hidden, the edit either landed before the hide or
  was refused, never after it (the edit history and the audit agree).

The figures (attempts and outcomes) are written to var/reliability/races.json for docs/reliability.md.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from itertools import combinations

import pytest
from django.db import connection

from community.errors import DomainError
from community.models import AuditEntry, Invitation, ParticipationEntry, Tie, User
from community.services.invitations import invitation_create
from events.checkin_codes import current_code
from events.models import Attendance
from events.services.checkin import self_check_in
from events.services.rsvps import rsvp_going
from messaging import permissions as chat_permissions
from messaging.models import Message, MessageEdit
from messaging.services.messages import message_edit, message_send
from messaging.services.moderation.actions import message_hide
from messaging.services.rooms import room_for_group
from tests.community.test_accounts_services import sign_up
from tests.events import test_rsvp_concurrency as last_places
from tests.events.domain_factories import make_event, make_rsvp
from tests.reliability.figures import figures_record

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs real row locks: runs when DATABASE_URL is PostgreSQL"
    ),
    pytest.mark.django_db(transaction=True),
]

FIGURES: list[tuple[str, str]] = []


@pytest.fixture(scope="module", autouse=True)
def _record_figures():
    yield
    if FIGURES:
        figures_record(
            area="races",
            title="Races: many people doing the same thing at the same moment (PostgreSQL)",
            rows=list(FIGURES),
            notes=(
                "tests/reliability/test_races.py: each attempt on its own thread and database connection, released "
                "together by a barrier. 'Clean refusals' are the app's kind errors with a code, never a crash."
            ),
        )


def race(calls: list[Callable[[], object]]) -> list[object]:
    """Run the calls at the same moment, each on its own thread and connection; each one's result or exception."""
    start = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            start.wait(timeout=30)
            outcomes[index] = call()
        except BaseException as error:  # collected and asserted on by the caller
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a racer never finished"
    return outcomes


def codes(outcomes: list[object]) -> Counter:
    """'ok' for a success, the code of a DomainError; anything else is a crash and fails the test."""
    crashes = [o for o in outcomes if isinstance(o, BaseException) and not isinstance(o, DomainError)]
    assert not crashes, crashes
    return Counter(o.code if isinstance(o, DomainError) else "ok" for o in outcomes)


def test_a_single_use_invitation_redeemed_by_20_sign_ups_at_once_makes_one_account(staff, group):
    invitation = invitation_create(actor=staff, group=group, max_uses=1)
    people = 20
    calls = [
        (lambda n=n: sign_up(invitation.code, display_name=f"Racer {n}", email=f"racer-{n}@example.org"))
        for n in range(people)
    ]
    outcome = codes(race(calls))

    assert outcome == Counter({"ok": 1, "invitation_used_up": people - 1})
    invitation.refresh_from_db()
    assert invitation.use_count == 1
    assert invitation.redemptions.count() == 1
    created = User.objects.filter(email__startswith="racer-")
    assert created.count() == 1
    assert group.memberships.filter(user__in=created).count() == 1
    FIGURES.append(("single-use invitation: sign-ups at the same moment", f"{people}"))
    FIGURES.append(("accounts created / clean refusals (already used) / crashes", f"1 / {people - 1} / 0"))


def test_the_last_places_at_an_event_go_to_exactly_as_many_people_as_there_are_places(group, make_user, add_member):
    event, newcomers = last_places._setup(group, make_user, add_member)
    outcome = codes(race([(lambda person=person: rsvp_going(actor=person, event=event)) for person in newcomers]))
    assert outcome == Counter({"ok": len(newcomers)})
    last_places._assert_exactly_capacity_going_and_the_rest_waiting_in_order(event, newcomers)
    places = last_places.CAPACITY - last_places.ALREADY_GOING
    FIGURES.append(("last places at an event: people asking at the same moment", f"{len(newcomers)} for {places}"))
    FIGURES.append(
        ("got a place / put on the waiting list in order / over capacity", f"{places} / {len(newcomers) - places} / 0")
    )


def test_people_checking_in_from_two_phones_at_once_are_counted_once(group, make_user, add_member):
    event = make_event(group, starts_in=-timedelta(minutes=15))
    people = []
    for _ in range(6):
        person = make_user()
        add_member(group, person)
        make_rsvp(event, person)
        people.append(person)
    code = current_code(event.pk)
    self_check_in(actor=people[0], event=event, code=code)  # someone already there
    twice = people[1:]

    outcomes = race([(lambda p=p: self_check_in(actor=p, event=event, code=code)) for p in twice for _ in range(2)])
    assert codes(outcomes) == Counter({"ok": 2 * len(twice)})
    # Both phones of a person were answered with the same attendance.
    for n in range(len(twice)):
        assert outcomes[2 * n].pk == outcomes[2 * n + 1].pk

    assert Attendance.objects.filter(event=event).count() == len(people)
    key = f"event:{event.pk}"
    entries = Counter(ParticipationEntry.objects.filter(activity_key=key).values_list("user_id", flat=True))
    assert entries == Counter({person.pk: 1 for person in people})
    for first, second in combinations(sorted(person.pk for person in people), 2):
        assert Tie.objects.get(user_low_id=first, user_high_id=second).times_met == 1
    FIGURES.append(("check-in from two phones at once", f"{len(twice)} people, {2 * len(twice)} check-ins"))
    FIGURES.append(("attendances / ledger entries / ties counted twice", f"one each ({len(people)}) / one each / 0"))


# --- a message hidden and edited at the same moment -------------------------------------------------------------------


@pytest.fixture
def chat(group, make_user, add_member, moderator, settings):
    settings.HN_CHAT_BURST_MESSAGES = settings.HN_CHAT_MESSAGES_PER_MINUTE = 1000  # one author, many messages
    author = make_user()
    add_member(group, author)
    return room_for_group(group=group), author, moderator


def _send(room, author, n: int) -> Message:
    return message_send(actor=author, room_id=room.pk, body=f"First words {n}", client_id=f"race-{n}").message


def _assert_hidden_and_consistent(message: Message) -> str:
    """It ends hidden by the moderator, and an edit (if any) was made before the hide; returns which happened."""
    message.refresh_from_db()
    assert (message.is_hidden, message.hidden_reason) == (True, "moderator")
    hide = AuditEntry.objects.get(action="message.hidden", target_id=str(message.pk))
    assert hide.data["before"]["is_hidden"] is False
    edits = list(MessageEdit.objects.filter(message=message))
    if not edits:
        assert message.body.startswith("First words")
        return "refused"
    assert len(edits) == 1 and edits[0].previous_body.startswith("First words")
    assert message.body.startswith("Better words")
    assert edits[0].edited_at <= message.hidden_at, "the edit landed after the hide"
    return "before"


def test_an_edit_that_read_the_message_before_a_hide_committed_is_refused_after_it(chat, monkeypatch):
    """The worst interleaving, forced: the edit has read the message (still visible), the hide commits, then the
    edit takes the row lock. It must see the hide and refuse, not change the words of a hidden message."""
    room, author, moderator = chat
    message = _send(room, author, 0)
    read, hidden = threading.Event(), threading.Event()
    real_access = chat_permissions.access_message

    def access_then_wait(*, user, message_id):
        found = real_access(user=user, message_id=message_id)
        if user.pk == author.pk:
            read.set()
            assert hidden.wait(timeout=30)
        return found

    monkeypatch.setattr(chat_permissions, "access_message", access_then_wait)

    def hide():
        assert read.wait(timeout=30)
        try:
            return message_hide(actor=moderator, message_id=message.pk, reason="Unkind")
        finally:
            hidden.set()

    outcomes = race([hide, lambda: message_edit(actor=author, message_id=message.pk, body="Better words")])
    assert codes(outcomes) == Counter({"ok": 1, "message_not_found": 1})
    assert _assert_hidden_and_consistent(message) == "refused"


def test_messages_hidden_and_edited_at_the_same_moment_end_hidden_with_the_edit_before_or_refused(chat):
    room, author, moderator = chat
    attempts = 15
    messages = [_send(room, author, n) for n in range(attempts)]
    calls = []
    for message in messages:
        calls.append(lambda m=message: message_hide(actor=moderator, message_id=m.pk, reason="Unkind"))
        calls.append(lambda m=message: message_edit(actor=author, message_id=m.pk, body=f"Better words {m.pk}"))
    outcomes = codes(race(calls))
    assert set(outcomes) <= {"ok", "message_not_found"}
    ends = Counter(_assert_hidden_and_consistent(message) for message in messages)
    assert outcomes["message_not_found"] == ends["refused"]
    FIGURES.append(("a message hidden and edited at the same moment", f"{attempts} messages"))
    FIGURES.append(
        (
            "ended hidden / edit landed before the hide / edit refused / edit after the hide",
            f"{attempts} / {ends['before']} / {ends['refused']} / 0",
        )
    )


def test_nothing_is_left_half_done_by_the_invitation_race(staff, group):
    """A code with two uses and five people at once: exactly two accounts and two redemptions."""
    invitation = invitation_create(actor=staff, group=group, max_uses=2)
    outcome = codes(
        race([(lambda n=n: sign_up(invitation.code, display_name=f"Pair {n}", email=f"pair-{n}@example.org"))
              for n in range(5)])
    )  # fmt: skip
    assert outcome == Counter({"ok": 2, "invitation_used_up": 3})
    assert Invitation.objects.get(pk=invitation.pk).use_count == 2
    assert User.objects.filter(email__startswith="pair-").count() == 2

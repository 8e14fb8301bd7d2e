"""API fuzzing helpers: a small world (one person per role, a group with events, a chat, an idea, an invitation), the
Django app served in-process to schemathesis, and a runner that sends every operation's generated requests as each role.

Every example runs inside a savepoint that is rolled back afterwards (and starts with an empty private cache), so
destructive operations - DELETE /me/delete-account/, DELETE /auth/token/ (sign out, the token revoked), DELETE
/me/blocks/..., a password change, a role change, cancelling the event - never wreck the world for the next example.
What runs on commit (broadcasts, notifications' e-mails) doesn't run: nothing is committed.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import timedelta

import schemathesis
from django.core.cache import cache
from django.db import transaction
from django.test import override_settings
from django.test.client import ClientHandler
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.core.failures import FailureGroup
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from community.models import Invitation, MembershipRole, MembershipStatus, Notification, SiteRole
from events.models import Attendance, CheckInMethod, RsvpStatus
from events.services.ideas import idea_comment, idea_propose
from messaging.services.messages import message_send
from messaging.services.rooms import room_for_event, room_for_group
from tests.events.domain_factories import make_event, make_rsvp

ROLES = ("anonymous", "member", "group_member", "leader", "moderator", "staff", "evaluator")


def django_wsgi_app(environ, start_response):
    """The project served the way Django's test client serves it: same thread, same database connection (so the
    test's transaction and the fuzzed requests see the same rows), without closing the connection after a request."""
    response = ClientHandler(enforce_csrf_checks=True)(environ)
    headers = list(response.items())
    for cookie in response.cookies.values():
        headers.append(("Set-Cookie", cookie.output(header="")))
    start_response(f"{response.status_code} {response.reason_phrase}", headers)
    if response.streaming:
        return response.streaming_content
    return [response.content]


def load_schema():
    """The project's own OpenAPI schema (as /api/schema/ serves it), bound to the in-process app."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    schema = schemathesis.openapi.from_dict(json.loads(json.dumps(document, default=str)))
    schema.app = django_wsgi_app
    return schema


@dataclass
class World:
    users: dict
    tokens: dict
    ids: dict = field(default_factory=dict)  # path parameter name -> real values to try besides generated ones


def build_world(*, make_user, make_group, add_member) -> World:
    group = make_group(name="Art Club", slug="art-club")
    other_group = make_group(name="Chess Club", slug="chess-club")
    users = {
        "member": make_user(display_name="Member"),
        "group_member": make_user(display_name="Groupie"),
        "leader": make_user(display_name="Leader"),
        "moderator": make_user(role=SiteRole.MODERATOR, display_name="Moderator"),
        "staff": make_user(role=SiteRole.STAFF, display_name="Staffer"),
        "evaluator": make_user(role=SiteRole.EVALUATOR, display_name="Evaluator"),
    }
    add_member(group, users["group_member"])
    add_member(group, users["leader"], role=MembershipRole.LEADER)
    add_member(other_group, users["member"])
    asker = make_user(display_name="Asker")
    add_member(group, asker, status=MembershipStatus.PENDING)
    invitation = Invitation.objects.create(
        code="HN-ABCDEFGH", created_by=users["leader"], group=group, max_uses=5,
        expires_at=timezone.now() + timedelta(days=7),
    )  # fmt: skip
    notification = Notification.objects.create(user=users["group_member"], kind="welcome", title="Hello")
    soon = make_event(group, title="Pizza night", created_by=users["leader"], starts_in=timedelta(minutes=30))
    later = make_event(group, title="Board games", created_by=users["leader"], starts_in=timedelta(days=3))
    make_rsvp(soon, users["group_member"])
    make_rsvp(later, users["group_member"], RsvpStatus.PENDING)
    Attendance.objects.create(event=soon, user=users["group_member"], method=CheckInMethod.SELF)
    room = room_for_group(group=group)
    event_room = room_for_event(event=soon)
    said = message_send(actor=users["group_member"], room_id=room.pk, body="Hello all", client_id="w1").message
    message_send(actor=users["leader"], room_id=room.pk, body="Hi!", client_id="w2", reply_to_id=said.pk)
    idea = idea_propose(actor=users["group_member"], group=group, title="Bowling", why="Fun")
    comment = idea_comment(actor=users["leader"], idea=idea, body="Good idea")
    tokens = {role: Token.objects.create(user=user).key for role, user in users.items()}
    people = [user.pk for user in users.values()] + [asker.pk]
    world = World(users=users, tokens=tokens)
    world.ids = {
        "slug": [group.slug, other_group.slug],
        "user_id": people,
        "event_id": [soon.pk, later.pk],
        "room_id": [room.pk, event_room.pk],
        "message_id": [said.pk],
        "idea_id": [idea.pk],
        "comment_id": [comment.pk],
        "invitation_id": [invitation.pk],
        "notification_id": [notification.pk],
    }
    return world


@dataclass
class Tally:
    """What a run did, per role."""

    operations: dict = field(default_factory=dict)  # role -> set of operation labels exercised
    requests: Counter = field(default_factory=Counter)  # role -> requests sent
    statuses: Counter = field(default_factory=Counter)  # status code -> count
    server_errors: list = field(default_factory=list)  # (role, label, status, body)
    mismatches: list = field(default_factory=list)  # (role, label, status, what, body)


CHECKS = [status_code_conformance, content_type_conformance, response_schema_conformance]
_savepoint_ids = itertools.count()


def fuzz_operation(
    *, operation, role: str, world: World, tally: Tally, examples: int, modes, fresh_each_run: bool
) -> None:
    """Send `examples` generated requests for one operation as one role; record statuses, 5xx and mismatches."""
    label = operation.label
    headers = {"Authorization": f"Token {world.tokens[role]}"} if role != "anonymous" else {}
    tally.operations.setdefault(role, set())
    strategy = operation.as_strategy(generation_mode=modes[0]) if len(modes) == 1 else st.one_of(
        *[operation.as_strategy(generation_mode=mode) for mode in modes]
    )  # fmt: skip
    known = {name: values for name, values in world.ids.items()}

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=not fresh_each_run,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy, data=st.data())
    def run(case, data):
        for name in list(case.path_parameters or {}):
            if name in known and data.draw(st.booleans()):
                case.path_parameters[name] = data.draw(st.sampled_from(known[name]))
        cache.clear()
        with transaction.atomic():
            response = case.call(headers=headers)
            tally.requests[role] += 1
            tally.operations[role].add(label)
            tally.statuses[response.status_code] += 1
            if response.status_code >= 500:
                tally.server_errors.append((role, label, response.status_code, response.text[:300]))
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except FailureGroup as failures:  # every mismatch is recorded; the test fails on them
                for failure in failures.exceptions:
                    detail = f"{failure.title}: {failure.message}"[:600]
                    tally.mismatches.append((role, label, response.status_code, detail, response.text[:300]))
            transaction.set_rollback(True)

    run()


# Rate-limit counters live in the cache, which a savepoint doesn't roll back, so each example starts with an empty
# cache: a private in-process one, so a run on Redis never empties the shared Redis.
PRIVATE_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "api-fuzz"}}


def fuzz_all(
    *,
    schema,
    world: World,
    roles=ROLES,
    examples: int,
    modes=(GenerationMode.POSITIVE,),
    fresh_each_run: bool = False,
) -> Tally:
    """Every operation as every role. `fresh_each_run=False` sends the same generated requests every time (the short
    run in `make test`, so CI can't be failed by what it happened to draw that day); the long run draws new ones."""
    tally = Tally()
    operations = [result.ok() for result in schema.get_all_operations()]
    with override_settings(CACHES=PRIVATE_CACHE):
        for role in roles:
            for operation in operations:
                fuzz_operation(
                    operation=operation, role=role, world=world, tally=tally, examples=examples, modes=modes,
                    fresh_each_run=fresh_each_run,
                )  # fmt: skip
    return tally

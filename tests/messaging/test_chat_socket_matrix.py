"""Every socket action x every role, on a group's room: what each person gets back (a frame type or an error code).

Anonymous sockets never get this far: they are closed with 4401 (test_socket_notifications.py).
"""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async

from community.models import MembershipRole, SiteRole
from messaging.models import Message
from messaging.services.rooms import room_for_group

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fresh_channel_layer")]

ROLES = ["outsider", "group_member", "leader", "moderator", "staff", "evaluator"]
O, G, L, M, S, E = ROLES  # noqa: E741 - one letter per role keeps the table readable
CANNOT_READ = {O: "not_a_member", E: "not_a_member"}
HIDDEN_FROM = {O: "message_not_found", E: "message_not_found"}

# action -> (frame(world), {role: expected frame type or error code})
ACTIONS = {
    "subscribe": (lambda w: {"type": "subscribe", "room": w["room"].pk},
                  {**{r: "subscribed" for r in ROLES}, **CANNOT_READ}),
    "message.send": (lambda w: {"type": "message.send", "room": w["room"].pk, "body": "Hi", "client_id": "m"},
                     {**{r: "message.new" for r in ROLES}, **CANNOT_READ}),
    "message.edit": (lambda w: {"type": "message.edit", "message": w["theirs"].pk, "body": "Changed"},
                     {**{r: "not_your_message" for r in ROLES}, **HIDDEN_FROM}),
    "message.delete": (lambda w: {"type": "message.delete", "message": w["theirs"].pk},
                       {**{r: "not_your_message" for r in ROLES}, **HIDDEN_FROM}),
    "reaction.toggle": (lambda w: {"type": "reaction.toggle", "message": w["theirs"].pk, "emoji": "👍"},
                        {**{r: "message.updated" for r in ROLES}, **HIDDEN_FROM}),
    "typing": (lambda w: {"type": "typing", "room": w["room"].pk},
               {**{r: "typing" for r in ROLES}, O: "not_subscribed", E: "not_subscribed"}),
    "read": (lambda w: {"type": "read", "room": w["room"].pk, "message": w["theirs"].pk},
             {**{r: "room.read" for r in ROLES}, **CANNOT_READ}),
}  # fmt: skip

CASES = [(action, role) for action in ACTIONS for role in ROLES]


@pytest.fixture
def world(make_user, group, add_member):
    users = {
        O: make_user(display_name="Outsider"),
        G: make_user(display_name="Groupie"),
        L: make_user(display_name="Leader"),
        M: make_user(role=SiteRole.MODERATOR, display_name="Moderator"),
        S: make_user(role=SiteRole.STAFF, display_name="Staffer"),
        E: make_user(role=SiteRole.EVALUATOR, display_name="Evaluator"),
    }
    add_member(group, users[G])
    add_member(group, users[L], role=MembershipRole.LEADER)
    target = make_user(display_name="Target")
    add_member(group, target)
    room = room_for_group(group=group)
    return {"users": users, "room": room, "theirs": Message.objects.create(room=room, author=target, body="Theirs")}


def outcome(frame: dict) -> str:
    return frame["code"] if frame["type"] == "error" else frame["type"]


@pytest.mark.parametrize(("action", "role"), CASES, ids=[f"{a}-{r}" for a, r in CASES])
async def test_socket_matrix(world, open_socket, action, role):
    make_frame, expected = ACTIONS[action]
    socket = await open_socket(world["users"][role])
    if action == "typing":
        await socket.send({"type": "subscribe", "room": world["room"].pk})
        first = await socket.receive()
        for _ in range(first.get("replayed", 0)):
            await socket.receive()

    await socket.send(make_frame(world))
    frame = await socket.receive()  # for subscribe: `subscribed` comes before any replayed message

    assert outcome(frame) == expected[role]


async def test_the_outsider_and_the_evaluator_change_nothing(world, open_socket):
    for role in (O, E):
        socket = await open_socket(world["users"][role])
        for action in ACTIONS:
            await socket.send(ACTIONS[action][0](world))
            await socket.receive()
    assert await database_sync_to_async(Message.objects.count)() == 1
    theirs = await database_sync_to_async(Message.objects.get)()
    assert (theirs.body, await database_sync_to_async(theirs.reactions.count)()) == ("Theirs", 0)

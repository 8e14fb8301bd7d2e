"""Every socket action is in a permission matrix: the client frame types the protocol accepts
(messaging.protocol.CLIENT_FRAMES) against the socket matrix's rows (tests/messaging/test_chat_socket_matrix.py) and the
ones added here. A new frame type fails this test until it has its row for every role. Anonymous sockets never reach
an action: they are closed with 4401, whatever they send."""

from __future__ import annotations

import pytest
from channels.testing import WebsocketCommunicator

from config.asgi import application
from messaging.protocol import CLIENT_FRAMES, CLOSE_NOT_AUTHENTICATED
from tests.messaging.conftest import ORIGIN, fresh_channel_layer, open_socket  # noqa: F401 - fixtures
from tests.messaging.test_chat_socket_matrix import ACTIONS, ROLES, outcome
from tests.messaging.test_chat_socket_matrix import world as socket_world  # noqa: F401 - the matrix's fixture
from tests.waits import CONNECT_TIMEOUT

# Rows the socket matrix doesn't have: action -> (frame(world), {role: expected frame type or error code}).
MORE_ACTIONS = {
    # Leaving a room tells nothing about it, so anyone may send it; it is answered the same for every role.
    "unsubscribe": (lambda w: {"type": "unsubscribe", "room": w["room"].pk}, {r: "unsubscribed" for r in ROLES}),
}


def socket_actions_in_matrix() -> set[str]:
    return set(ACTIONS) | set(MORE_ACTIONS)


def test_every_socket_action_is_in_the_matrix():
    missing = sorted(set(CLIENT_FRAMES) - socket_actions_in_matrix())
    assert missing == [], f"add rows for these socket actions to the socket matrix: {missing}"
    unknown = sorted(socket_actions_in_matrix() - set(CLIENT_FRAMES))
    assert unknown == [], f"the matrix has rows for frames the protocol doesn't accept: {unknown}"


def test_every_row_names_every_role():
    for action, (_frame, expected) in {**ACTIONS, **MORE_ACTIONS}.items():
        assert set(expected) == set(ROLES), action


CASES = [(action, role) for action in MORE_ACTIONS for role in ROLES]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("fresh_channel_layer")
@pytest.mark.parametrize(("action", "role"), CASES, ids=[f"{a}-{r}" for a, r in CASES])
async def test_more_socket_rows(socket_world, open_socket, action, role):  # noqa: F811
    make_frame, expected = MORE_ACTIONS[action]
    socket = await open_socket(socket_world["users"][role])
    await socket.send(make_frame(socket_world))
    assert outcome(await socket.receive()) == expected[role]


@pytest.mark.django_db(transaction=True)
async def test_anonymous_socket_is_closed_before_any_action():
    communicator = WebsocketCommunicator(application, "/ws/", headers=[ORIGIN])
    connected, code = await communicator.connect(timeout=CONNECT_TIMEOUT)
    assert (connected, code) == (False, CLOSE_NOT_AUTHENTICATED)

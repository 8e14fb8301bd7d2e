"""Two members chat live in two browser contexts; one drops off, the other writes, the first comes back and sees every
message exactly once. The room list and the room page pass an axe scan. The chat page opens one socket, shared by the
chat and the notification badge.

The chat needs the socket, so the pages are served by a real ASGI server (daphne) for this module. It runs in a
thread of this process, so it shares the test database (in-memory SQLite included) and the channel layer; static
files are served by Django's ASGI static handler, as the development server would.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from playwright.sync_api import expect

from community.models import Notification
from messaging.models import Message
from messaging.services.rooms import room_for_group

PASSWORD = "a-long-pass-phrase"


@pytest.fixture(scope="module")
def asgi_server():
    """A daphne server in a thread, for this module (Twisted's reactor runs once per process)."""
    from channels.routing import ProtocolTypeRouter
    from daphne.server import Server
    from twisted.internet import reactor

    from config.asgi import application, django_asgi_app

    app = ProtocolTypeRouter({"http": ASGIStaticFilesHandler(django_asgi_app), "websocket": application})
    server = Server(app, endpoints=["tcp:port=0:interface=127.0.0.1"], signal_handlers=False, verbosity=0)
    thread = threading.Thread(target=server.run, name="daphne-for-chat-tests", daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.listening_addresses:
        assert time.monotonic() < deadline, "daphne did not start listening"
        threading.Event().wait(0.05)
    host, port = server.listening_addresses[0]
    _servers[:] = [server]
    yield f"http://{host}:{port}"
    reactor.callFromThread(reactor.stop)
    thread.join(timeout=10)


@pytest.fixture
def open_as(chromium, asgi_server):
    """open_as(user) -> a logged-in page in its own browser context (its own cookies, its own socket)."""
    contexts = []

    def open_page(user):
        context = chromium.new_context(base_url=asgi_server, viewport={"width": 390, "height": 844})
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.goto("/login/")
        page.get_by_label("Email").fill(user.email)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.wait_for_load_state()
        return page

    yield open_page
    for context in contexts:
        context.close()
    _wait_until_every_connection_is_finished()


_servers: list = []


def _wait_until_every_connection_is_finished() -> None:
    """A closed socket's consumer still does database work as it leaves (presence). The test database is emptied
    after each test, so wait until daphne has reaped every application instance, or the emptying and that work
    deadlock on PostgreSQL."""
    deadline = time.monotonic() + 10
    while _servers and _servers[0].connections and time.monotonic() < deadline:
        threading.Event().wait(0.05)


class Connection:
    """Stands between a page's sockets and the server, so the test can take the page offline and back."""

    def __init__(self, page):
        self.online = True
        self.routes = []
        page.route_web_socket("**/ws/", self._route)

    def _route(self, ws) -> None:
        if not self.online:
            ws.close(code=1001, reason="offline")
            return
        server = ws.connect_to_server()
        self.routes.append((ws, server))

    def drop(self) -> None:
        self.online = False
        for ws, server in self.routes:
            server.close()
            ws.close(code=1001, reason="offline")
        self.routes.clear()


def _send(page, text: str) -> None:
    box = page.get_by_role("textbox", name="Your message")
    box.fill(text)
    box.press("Enter")


def _messages(page, text: str):
    return page.locator(".chat-message:not(.chat-pending)", has_text=text)


def _new_tab_counting_sockets(page):
    """A fresh tab in `page`'s browser context (same login), and the list of every WebSocket that tab opens. The tab
    `page` is closed, so the count is this tab's alone (Playwright can report a socket late, after navigating)."""
    tab = page.context.new_page()
    sockets = []
    tab.on("websocket", lambda ws: sockets.append(ws))
    page.close()
    return tab, sockets


# Added to a tab before its pages load: counts the WebSockets each page (document) makes, and which are still open.
COUNT_SOCKETS = """(() => {
  const Native = window.WebSocket;
  const made = [];
  window.__hnSockets = made;
  window.WebSocket = function (url, protocols) {
    const socket = protocols === undefined ? new Native(url) : new Native(url, protocols);
    made.push(socket);
    return socket;
  };
  window.WebSocket.prototype = Native.prototype;
  ["CONNECTING", "OPEN", "CLOSING", "CLOSED"].forEach((name) => { window.WebSocket[name] = Native[name]; });
})()"""


def _sockets_made(page) -> int:
    return page.evaluate("window.__hnSockets.length")


def _sockets_open(page) -> int:
    return page.evaluate("window.__hnSockets.filter((s) => s.readyState === WebSocket.OPEN).length")


# Run in a member's page: open a direct conversation with someone and send the first message, through the REST API
# with the page's own session (as a future "Message" button would). The other person gets a notification.
ASK_TO_MESSAGE = """async ([userId, body]) => {
  const csrf = decodeURIComponent((document.cookie.match(/(?:^|;\\s*)csrftoken=([^;]+)/) || [])[1] || "");
  const headers = {"Content-Type": "application/json", "X-CSRFToken": csrf};
  const opened = await fetch("/api/v1/direct/", {method: "POST", headers, body: JSON.stringify({user_id: userId})});
  const room = await opened.json();
  const sent = await fetch(`/api/v1/rooms/${room.id}/messages/`,
                           {method: "POST", headers, body: JSON.stringify({body})});
  return [opened.status, sent.status];
}"""


@pytest.fixture
def robin_and_kai(make_user, group, add_member):
    """Robin and Kai, both in the group, and the group's chat room."""
    robin = make_user(display_name="Robin")
    kai = make_user(display_name="Kai")
    add_member(group, robin)
    add_member(group, kai)
    return robin, kai, room_for_group(group=group)


@pytest.mark.django_db(transaction=True)
def test_two_members_chat_live_and_catch_up_after_dropping_off(open_as, robin_and_kai, axe_check):
    robin, kai, room = robin_and_kai
    room_url = f"/chat/{room.pk}/"

    robin_page = open_as(robin)
    kai_page = open_as(kai)
    kai_page.add_init_script(COUNT_SOCKETS)
    kai_connection = Connection(kai_page)

    # The room list: the group's chat, and it passes an axe scan.
    kai_page.goto("/chat/")
    expect(kai_page.get_by_role("link", name="Art Club")).to_be_visible()
    axe_check(kai_page)

    for page in (robin_page, kai_page):
        page.goto(room_url)
        expect(page.locator("#chat")).to_have_attribute("data-connection", "live")
    assert _sockets_made(kai_page) == 1, "one socket per tab"

    # Robin writes; Kai sees it live, once, and a screen reader hears about it.
    _send(robin_page, "Hello from Robin")
    expect(_messages(kai_page, "Hello from Robin")).to_have_count(1)
    expect(kai_page.locator("#chat-announcer")).to_have_text("New message from Robin: Hello from Robin")
    expect(_messages(robin_page, "Hello from Robin")).to_have_count(1)
    axe_check(kai_page)

    # Kai drops off; Robin writes three more.
    kai_connection.drop()
    expect(kai_page.locator("#chat")).to_have_attribute("data-connection", "offline")
    for n in (1, 2, 3):
        _send(robin_page, f"While you were away {n}")
        expect(_messages(robin_page, f"While you were away {n}")).to_have_count(1)

    # Kai comes back: the page reconnects by itself and catches up, every message exactly once.
    kai_connection.online = True
    expect(kai_page.locator("#chat")).to_have_attribute("data-connection", "live", timeout=20_000)
    for n in (1, 2, 3):
        expect(_messages(kai_page, f"While you were away {n}")).to_have_count(1)
    expect(kai_page.locator(".chat-message")).to_have_count(4)
    assert _sockets_open(kai_page) == 1, "reconnecting replaced the socket; it didn't add a second one"
    texts = kai_page.locator(".chat-body").all_inner_texts()
    assert texts == ["Hello from Robin", "While you were away 1", "While you were away 2", "While you were away 3"]

    # Seeing them marks them read, so the room list has nothing new for Kai.
    newest = Message.objects.filter(room=room).order_by("-pk").first()
    expect(kai_page.locator("#chat")).to_have_attribute("data-read-up-to", str(newest.pk))

    # Reloading shows the same four, once each.
    kai_page.reload()
    expect(kai_page.locator("#chat")).to_have_attribute("data-connection", "live")
    expect(kai_page.locator(".chat-message")).to_have_count(4)
    assert Message.objects.filter(room=room).count() == 4
    kai_page.goto("/chat/")
    expect(kai_page.locator(".room-item", has_text="Art Club")).to_contain_text("No new messages")


@pytest.mark.django_db(transaction=True)
def test_the_chat_page_opens_one_socket_for_chat_and_the_notification_badge(open_as, robin_and_kai):
    robin, kai, room = robin_and_kai

    robin_page = open_as(robin)
    kai_page, sockets = _new_tab_counting_sockets(open_as(kai))
    kai_page.add_init_script(COUNT_SOCKETS)
    for page in (robin_page, kai_page):
        page.goto(f"/chat/{room.pk}/")
        expect(page.locator("#chat")).to_have_attribute("data-connection", "live")

    # The page's scripts have all run (the chat is live): live.js and chat.js share one socket to /ws/.
    assert len(sockets) == 1, [ws.url for ws in sockets]
    assert sockets[0].url.endswith("/ws/")
    assert _sockets_made(kai_page) == 1

    # Chat works live both ways over it.
    _send(robin_page, "Hello Kai")
    expect(_messages(kai_page, "Hello Kai")).to_have_count(1)
    _send(kai_page, "Hi Robin")
    expect(_messages(robin_page, "Hi Robin")).to_have_count(1)

    # Robin asks to message Kai directly; Kai, still on the group chat, gets the notification live on the same socket:
    # the badge appears with the count, and a screen reader hears it. The direct room's frames stay out of this chat.
    before = Notification.objects.filter(user=kai, read_at__isnull=True).count()
    assert robin_page.evaluate(ASK_TO_MESSAGE, [kai.pk, "Can we talk about Saturday?"]) == [201, 201]
    unread = Notification.objects.filter(user=kai, read_at__isnull=True).count()
    assert unread == before + 1
    badge = kai_page.get_by_role("navigation", name="Main").locator("[data-unread-count]")
    expect(badge).to_have_text(f"{unread} unread")
    expect(kai_page.locator("#live-announcer")).to_have_text("New notification: Robin would like to message you")
    expect(_messages(kai_page, "Saturday")).to_have_count(0)

    # The chat carries on, and still over the one socket.
    _send(robin_page, "See you there")
    expect(_messages(kai_page, "See you there")).to_have_count(1)
    expect(kai_page.locator(".chat-message")).to_have_count(3)
    assert len(sockets) == 1, [ws.url for ws in sockets]
    assert (_sockets_made(kai_page), _sockets_open(kai_page)) == (1, 1)


@pytest.mark.django_db(transaction=True)
def test_reply_react_edit_and_delete_reach_the_other_person_live(open_as, robin_and_kai):
    robin, kai, room = robin_and_kai

    kai_page = open_as(kai)
    robin_page = open_as(robin)
    for page in (robin_page, kai_page):
        page.goto(f"/chat/{room.pk}/")
        expect(page.locator("#chat")).to_have_attribute("data-connection", "live")

    _send(kai_page, "Pizza tonight? <b>yes</b> https://example.org/menu")
    expect(_messages(robin_page, "Pizza tonight?")).to_have_count(1)
    message = robin_page.locator(".chat-message").first
    # Words stay words; only the web address is a link, and it can't reach back to us.
    expect(message.locator("b")).to_have_count(0)
    link = message.get_by_role("link", name="https://example.org/menu")
    expect(link).to_have_attribute("rel", "noopener noreferrer nofollow")

    # Robin starts a reply and Escape cancels it; then replies for real, and reacts with a real toggle button.
    message.get_by_role("button", name="Reply to Kai").click()
    expect(robin_page.locator("#chat-context-text")).to_contain_text("Replying to Kai")
    robin_page.get_by_role("textbox", name="Your message").press("Escape")
    expect(robin_page.locator("#chat-context")).to_be_hidden()
    message.get_by_role("button", name="Reply to Kai").click()
    expect(robin_page.get_by_role("textbox", name="Your message")).to_be_focused()
    _send(robin_page, "Count me in")
    reply = _messages(kai_page, "Count me in")
    expect(reply.locator(".chat-quote")).to_contain_text("Replying to Kai: Pizza tonight?")

    message.get_by_label("React to Kai's message").click()
    message.get_by_role("button", name="👍. Press to add yours").click()
    expect(kai_page.locator(".chat-message").first.locator("button.chat-reaction", has_text="👍 1")).to_have_count(1)
    expect(message.locator("button.chat-reaction[aria-pressed=true]")).to_have_count(1)

    # Robin edits the reply, then deletes it; Kai sees both live.
    own = _messages(robin_page, "Count me in")
    own.get_by_role("button", name="Edit your message").click()
    box = robin_page.get_by_role("textbox", name="Your message")
    expect(box).to_have_value("Count me in")
    box.fill("Count me in, see you at 7")
    box.press("Enter")
    expect(_messages(kai_page, "see you at 7").locator(".chat-edited")).to_have_count(1)

    robin_page.once("dialog", lambda dialog: dialog.accept())
    _messages(robin_page, "see you at 7").get_by_role("button", name="Delete your message").click()
    expect(kai_page.locator(".chat-placeholder", has_text="Message deleted")).to_have_count(1)


@pytest.mark.django_db(transaction=True)
def test_older_messages_load_when_asked(open_as, make_user, group, add_member):
    robin = make_user(display_name="Robin")
    add_member(group, robin)
    room = room_for_group(group=group)
    Message.objects.bulk_create(Message(room=room, author=robin, body=f"Old news {n:02d}") for n in range(60))

    page = open_as(robin)
    page.goto(f"/chat/{room.pk}/")
    expect(page.locator("#chat")).to_have_attribute("data-connection", "live")
    expect(page.locator(".chat-message")).to_have_count(50)

    page.get_by_role("button", name="Show older messages").click()
    expect(page.locator(".chat-message")).to_have_count(60)
    expect(page.locator(".chat-message").first).to_contain_text("Old news 00")
    expect(page.get_by_role("button", name="Show older messages")).to_be_hidden()


@pytest.mark.django_db(transaction=True)
def test_a_reported_message_hidden_from_the_queue_leaves_the_other_members_open_chat(
    open_as, robin_and_kai, make_user, group, add_member, axe_check
):
    """The issue's journey: Robin reports Kai's message; a moderator opens the queue, hides it; Sam's chat, open all
    along, no longer shows the words (it says it was removed by a moderator)."""
    from community.models import SiteRole
    from messaging.services.messages import message_send

    robin, kai, room = robin_and_kai
    sam = make_user(display_name="Sam")
    add_member(group, sam)
    moderator = make_user(display_name="Mo", role=SiteRole.MODERATOR)
    message_send(actor=kai, room_id=room.pk, body="Nobody likes you Robin", client_id="k-1")
    room_url = f"/chat/{room.pk}/"

    sam_page = open_as(sam)
    sam_page.goto(room_url)
    expect(sam_page.locator("#chat")).to_have_attribute("data-connection", "live")
    expect(_messages(sam_page, "Nobody likes you Robin")).to_have_count(1)

    robin_page = open_as(robin)
    robin_page.goto(room_url)
    robin_page.get_by_label("More options for Kai's message").click()
    robin_page.get_by_role("link", name="Report this message").click()
    robin_page.get_by_label("Bullying or harassment").check()
    robin_page.get_by_role("button", name="Send the report").click()
    expect(robin_page.get_by_role("heading", level=1)).to_have_text("Thanks for telling us")

    moderator_page = open_as(moderator)
    moderator_page.goto("/moderation/")
    axe_check(moderator_page)
    moderator_page.get_by_role("link", name="A reported message").click()
    expect(moderator_page.get_by_text("Nobody likes you Robin").first).to_be_visible()
    axe_check(moderator_page)
    moderator_page.get_by_label("Why (kept in the audit log)").fill("Unkind to another member")
    moderator_page.get_by_role("button", name="Hide it from everyone").click()

    expect(_messages(sam_page, "Nobody likes you Robin")).to_have_count(0)
    expect(sam_page.locator(".chat-message", has_text="Removed by a moderator")).to_have_count(1)


@pytest.mark.django_db(transaction=True)
def test_a_new_agreement_pauses_an_open_chat_until_the_member_says_yes(open_as, robin_and_kai, staff):
    from community.models import PolicyKind
    from community.services.policies import policy_publish

    robin, _kai, room = robin_and_kai
    page = open_as(robin)
    page.goto(f"/chat/{room.pk}/")
    expect(page.locator("#chat")).to_have_attribute("data-connection", "live")

    policy_publish(
        actor=staff, kind=PolicyKind.AGREEMENT, title="Our agreement", summary="A new part about photos.",
        body="Ask before sharing a photo of someone.",
    )  # fmt: skip

    # The open chat stops (close 4428) and says what to do, with a link to the new version.
    expect(page.locator("#chat")).to_have_attribute("data-connection", "offline")
    expect(page.locator("#chat-connection")).to_contain_text("We've updated our community agreement")
    page.get_by_role("link", name="read what's changed").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("We've updated")
    page.get_by_role("button", name="I agree").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/chat/{room.pk}/")
    expect(page.locator("#chat")).to_have_attribute("data-connection", "live")

"""Two members chat live in two browser contexts; one drops off, the other writes, the first comes back and sees every
message exactly once. The room list and the room page pass an axe scan.

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


@pytest.mark.django_db(transaction=True)
def test_two_members_chat_live_and_catch_up_after_dropping_off(open_as, make_user, group, add_member, axe_check):
    robin = make_user(display_name="Robin")
    kai = make_user(display_name="Kai")
    add_member(group, robin)
    add_member(group, kai)
    room = room_for_group(group=group)
    room_url = f"/chat/{room.pk}/"

    robin_page = open_as(robin)
    kai_page = open_as(kai)
    kai_connection = Connection(kai_page)

    # The room list: the group's chat, and it passes an axe scan.
    kai_page.goto("/chat/")
    expect(kai_page.get_by_role("link", name="Art Club")).to_be_visible()
    axe_check(kai_page)

    for page in (robin_page, kai_page):
        page.goto(room_url)
        expect(page.locator("#chat")).to_have_attribute("data-connection", "live")

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
def test_reply_react_edit_and_delete_reach_the_other_person_live(open_as, make_user, group, add_member):
    robin = make_user(display_name="Robin")
    kai = make_user(display_name="Kai")
    add_member(group, robin)
    add_member(group, kai)
    room = room_for_group(group=group)

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

    message.locator("summary").click()
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

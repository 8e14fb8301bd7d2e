"""The one socket per browser tab at /ws/. Thin: parse a frame, call the same services as the REST API, forward
broadcasts. The protocol is in docs/realtime.md.

Cost per delivery: a broadcast (a room's, or the person's own events) reaches this process once and is handed by the
process's `Fanout` (messaging/fanout.py) to each local socket that wants it as a pre-encoded frame, sent as it is - no
decoding, no database work, no queue, channel or task per socket. `dispatch` skips the database-connection hop
(`aclose_old_connections()`) that Channels runs before every handler. Database work for a client's own frames runs in
`community.threads.in_database_thread`.
"""

from __future__ import annotations

import asyncio
import logging
import time

from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from django.conf import settings

from community.errors import DomainError, RateLimited
from community.models import User
from community.realtime import EVERYONE_GROUP, user_group_name
from community.services.policies import policies_all_accepted
from community.threads import in_database_thread
from messaging import permissions, realtime, selectors
from messaging.fanout import fanout_for
from messaging.protocol import (
    CLOSE_NOT_AUTHENTICATED,
    CLOSE_POLICIES_NOT_ACCEPTED,
    CLOSE_RATE_LIMITED,
    CLOSE_SUSPENDED,
    CLOSE_TOO_SLOW,
    CLOSE_TRY_AGAIN,
    Frame,
    ProtocolError,
    parse_frame,
)
from messaging.services.messages import message_delete, message_edit, message_send
from messaging.services.reactions import reaction_toggle
from messaging.services.reads import read_mark

logger = logging.getLogger(__name__)

TYPING_EVERY_SECONDS = 3
REPLAY_DEDUPE_IDS = 50


def _setting(name: str, default):
    return type(default)(getattr(settings, name, default))


_background_checks: set[asyncio.Task] = set()  # running re-checks, kept referenced until they finish


def _in_background(check) -> None:
    """Run a socket's re-check (a coroutine) without holding up the process's fan-out, which called us."""
    task = asyncio.get_running_loop().create_task(check)
    _background_checks.add(task)
    task.add_done_callback(_background_checks.discard)


def _apply_hidden_change(hidden: set[int], change: dict) -> None:
    """A `hidden_people.changed` event: start or stop hiding one person (community.realtime)."""
    if change.get("hidden"):
        hidden.add(change["person"])
    else:
        hidden.discard(change["person"])


def _opening_state(*, user: User) -> set[int] | None:
    """What a new socket needs from the database, in one trip to its thread: None while the person still has to
    accept the current community agreement and privacy notice (the same gate as pages and the API,
    community.middleware.PolicyGateMiddleware), else the people whose messages they chose not to see."""
    if not policies_all_accepted(user=user):
        return None
    return selectors.hidden_author_id_set(user=user)


class SocketConsumer(AsyncWebsocketConsumer):
    # No channel of its own: the process's fan-out brings it every frame it wants (messaging/fanout.py).
    channel_layer_alias = None

    # --- connecting ---------------------------------------------------------------------------------------------------

    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_NOT_AUTHENTICATED)
            return
        if not user.is_active or user.is_suspended:
            await self.close(code=CLOSE_SUSPENDED)
            return
        self.user = user
        self.rooms: dict[int, frozenset[int] | None] = {}  # subscribed room -> ids just replayed (see forward_frame)
        self.held: dict[int, list[dict]] = {}  # room -> live frames that came in while its replay was being sent
        self.present_in: set[int] = set()
        self.shows_online: bool | None = None
        self.typing_at: dict[int, float] = {}
        self.allowance = float(_setting("HN_SOCKET_FRAMES_BURST", 30))
        self.allowance_at = time.monotonic()
        self.strikes: list[float] = []
        self.closing = False
        # Frames from the socket and access changes are handled one at a time, in the order they came.
        self.busy = asyncio.Lock()
        self.layer = get_channel_layer()
        self.user_group = user_group_name(user.pk)
        # People whose messages this person chose not to see (blocked or muted): their room frames are dropped.
        # Changes that arrive while the set loads are applied after it, in the order they came.
        self.hidden_authors: set[int] | None = None
        self.hidden_changes: list[dict] = []
        await fanout_for(self.layer).join(self.user_group, self)
        await fanout_for(self.layer).join(EVERYONE_GROUP, self)
        hidden = await in_database_thread(_opening_state)(user=user)
        if hidden is None:  # `disconnect` leaves the groups again
            self.closing = True
            await self.close(code=CLOSE_POLICIES_NOT_ACCEPTED)
            return
        for change in self.hidden_changes:
            _apply_hidden_change(hidden, change)
        self.hidden_authors, self.hidden_changes = hidden, []
        await self.accept()

    async def disconnect(self, code):
        if not hasattr(self, "user_group"):
            return
        fanout = fanout_for(self.layer)
        await fanout.leave(self.user_group, self)
        await fanout.leave(EVERYONE_GROUP, self)
        for room_id in list(self.rooms):
            await fanout.leave(realtime.room_group_name(room_id), self)
        if self.present_in:
            await in_database_thread(self._leave_presence)(list(self.present_in))
        self.rooms.clear()

    # --- the hot path: forwarding broadcasts --------------------------------------------------------------------------

    async def dispatch(self, message):
        # AsyncConsumer.dispatch hops to the database thread (`aclose_old_connections()`) before every handler, and
        # that hop queues behind everyone else's database work. Every handler here that touches the database does so
        # in in_database_thread, which closes old connections itself, so the hop is skipped for all of them.
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)

    async def forward_frame(self, event):
        """A pre-encoded frame from a broadcast helper: sent as it is, encoded once for every recipient."""
        room_id = event.get("room_id")
        if room_id is None and event["text"] == realtime.ACCESS_CHANGED_TEXT:
            _in_background(self._check_access())
            return
        if room_id is None and event["text"] == realtime.POLICIES_CHANGED_TEXT:
            _in_background(self._check_policies())
            return
        if room_id is None and event["text"] == realtime.HIDDEN_PEOPLE_CHANGED_TEXT:
            if self.hidden_authors is None:
                self.hidden_changes.append(event)  # still loading the set (connect)
            else:
                _apply_hidden_change(self.hidden_authors, event)
            return
        if room_id is not None:
            if event.get("author_id") in self.hidden_authors:
                return  # someone this person blocked or muted
            held = self.held.get(room_id)
            if held is not None:
                held.append(event)  # a subscribe is replaying this room; sent straight after it
                return
            if room_id not in self.rooms:
                return  # left the room while this was on its way
            replayed = self.rooms[room_id]
            if replayed is not None and event.get("message_id") in replayed:
                return  # already sent in the replay that started this subscription
        if not self.closing:
            await self.base_send({"type": "websocket.send", "text": event["text"]})

    async def channel_overflow(self, event):
        """This socket's server process fell too far behind its broadcasts (messaging/fanout.py). Close with 4408
        rather than drop frames silently: the client reconnects and `subscribe` with `after` replays what it missed."""
        self.closing = True
        await self.close(code=CLOSE_TOO_SLOW)

    async def layer_lost(self):
        """This process lost its channel layer (Redis restarted or unreachable; messaging/fanout.py), so live frames
        would stop arriving. Close with 4503: the client reconnects with backoff and catches up with `after`."""
        if not self.closing:
            self.closing = True
            await self.close(code=CLOSE_TRY_AGAIN)

    # --- client frames ------------------------------------------------------------------------------------------------

    async def receive(self, text_data=None, bytes_data=None):
        async with self.busy:
            await self._receive(text_data, bytes_data)

    async def _receive(self, text_data, bytes_data):
        if self.closing:
            return
        if not self._take_allowance():
            await self._refuse_flood()
            return
        if text_data is None:
            await self.send_error("invalid_frame", "This socket takes text frames (JSON objects), not binary ones.")
            return
        try:
            frame = parse_frame(text_data)
        except ProtocolError as error:
            await self.send_error(error.code, error.detail, client_id=error.client_id, frame_type=error.frame_type)
            return
        # Membership can change between frames; rules are checked afresh each time (not from a cache on the user).
        if hasattr(self.user, "_membership_cache"):
            del self.user._membership_cache
        handler = getattr(self, "on_" + frame.type.replace(".", "_"))
        try:
            await handler(frame)
        except DomainError as error:
            await self._send_domain_error(error, frame)
        except Exception:
            logger.exception("Socket frame %s failed for user %s", frame.type, self.user.pk)
            await self.send_error(
                "server_error",
                "Something went wrong on our side. Please try again in a moment.",
                client_id=frame.client_id,
                frame_type=frame.type,
            )

    async def on_subscribe(self, frame: Frame):
        room_id, after = frame.fields["room"], frame.fields.get("after")
        try:
            room = await in_database_thread(permissions.access_room)(user=self.user, room_id=room_id)
        except DomainError:
            await self._leave(room_id)  # subscribed before, but not allowed any more
            raise
        # Live frames for the room wait until `subscribed` and the replay are out, so the client sees them in order.
        self.held[room_id] = []
        try:
            if room_id not in self.rooms:
                # Join the room's fan-out before reading the replay: nothing committed in between can be missed.
                self.rooms[room_id] = None
                try:
                    await fanout_for(self.layer).join(realtime.room_group_name(room_id), self)
                except Exception:
                    del self.rooms[room_id]  # not joined: the client tries again after reconnecting
                    await self._subscribe_failed(room_id)
                    return
            try:
                subscribed, messages = await in_database_thread(self._replay)(room, after)
            except DomainError:
                raise  # a refusal is answered with its error frame, as always
            except Exception:
                await self._subscribe_failed(room_id)
                return
            self.rooms[room_id] = frozenset(message["id"] for message in messages[-REPLAY_DEDUPE_IDS:]) or None
            await self.send(text_data=realtime.encode(subscribed))
            for message in messages:
                frame = {"type": "message.new", "room": room_id, "message": message}
                await self.send(text_data=realtime.encode(frame))
        finally:
            held = self.held.pop(room_id)
        for event in held:
            await self.forward_frame(event)

    async def _subscribe_failed(self, room_id: int) -> None:
        """Joining the room's broadcasts or reading its replay failed for a reason of ours (Redis or the database
        away). An error frame would leave the client believing it is subscribed and missing live frames, so close
        with 4503: it reconnects with backoff and subscribes again with `after`."""
        # An error, not a warning: a programming mistake here would otherwise only show as clients reconnecting.
        logger.error("Subscribing user %s to room %s failed; closing so the client retries", self.user.pk, room_id,
                     exc_info=True)  # fmt: skip
        await self._leave_quietly(room_id)
        self.closing = True
        await self.close(code=CLOSE_TRY_AGAIN)

    async def _leave_quietly(self, room_id: int) -> None:
        try:
            await self._leave(room_id)
        except Exception:
            logger.warning("Could not leave room %s cleanly", room_id, exc_info=True)

    def _replay(self, room, after):
        if after is None:
            page = selectors.message_replay(
                room=room, viewer=self.user, after=None, limit=_setting("HN_CHAT_INITIAL_MESSAGES", 50)
            )
        else:
            page = selectors.message_replay(
                room=room, viewer=self.user, after=after, limit=_setting("HN_CHAT_REPLAY_LIMIT", 200)
            )
        messages = [selectors.message_payload(message) for message in page.messages]
        self._join_presence(room)
        people = selectors.room_people_showing_online(room=room)
        subscribed = {
            "type": "subscribed",
            "room": room.pk,
            "replayed": len(messages),
            "has_more": page.has_more,
            "online": realtime.presence_online(room_id=room.pk, user_ids=people),
            "details": selectors.room_payload(room, viewer=self.user, with_can_post=True),
        }
        return subscribed, messages

    async def on_unsubscribe(self, frame: Frame):
        room_id = frame.fields["room"]
        await self._leave(room_id)
        await self.send(text_data=realtime.encode({"type": "unsubscribed", "room": room_id}))

    async def on_message_send(self, frame: Frame):
        fields = frame.fields
        room_id = fields["room"]

        def send():
            result = message_send(
                actor=self.user,
                room_id=room_id,
                body=fields["body"],
                client_id=fields["client_id"],
                reply_to_id=fields.get("reply_to"),
            )
            if result.created and room_id in self.rooms:
                return None  # the broadcast brings it to this tab too
            return selectors.message_payload(selectors.message_with_details(message_id=result.message.pk))

        payload = await in_database_thread(send)()
        if payload is not None:
            # A resend of something already stored, or a room this tab isn't watching: confirm it to this tab.
            await self.send(text_data=realtime.encode({"type": "message.new", "room": room_id, "message": payload}))

    async def on_message_edit(self, frame: Frame):
        await self._change_message(
            lambda: message_edit(actor=self.user, message_id=frame.fields["message"], body=frame.fields["body"])
        )

    async def on_message_delete(self, frame: Frame):
        await self._change_message(lambda: message_delete(actor=self.user, message_id=frame.fields["message"]))

    async def on_reaction_toggle(self, frame: Frame):
        await self._change_message(
            lambda: (
                reaction_toggle(
                    actor=self.user, message_id=frame.fields["message"], emoji=frame.fields["emoji"]
                ).message
            )
        )

    async def _change_message(self, change):
        watching = set(self.rooms)

        def run():
            message = change()
            if message.room_id in watching:
                return None  # the broadcast brings the change to this tab too
            return message.room_id, selectors.message_payload(selectors.message_with_details(message_id=message.pk))

        result = await in_database_thread(run)()
        if result is not None:
            room_id, payload = result
            await self.send(text_data=realtime.encode({"type": "message.updated", "room": room_id, "message": payload}))

    async def on_typing(self, frame: Frame):
        room_id = frame.fields["room"]
        if room_id not in self.rooms:
            raise DomainError("Subscribe to the room first.", code="not_subscribed")
        now = time.monotonic()
        if now - self.typing_at.get(room_id, -TYPING_EVERY_SECONDS) < TYPING_EVERY_SECONDS:
            return  # one typing frame every few seconds is enough for everyone else
        self.typing_at[room_id] = now
        typing = {"type": "typing", "room": room_id, "user": selectors.person_payload(self.user)}
        await self.layer.group_send(
            realtime.room_group_name(room_id), realtime.forward_event(typing, room_id=room_id, author_id=self.user.pk)
        )

    async def on_read(self, frame: Frame):
        # The service tells every tab of this person (this one included) with a room.read frame.
        await in_database_thread(read_mark)(
            actor=self.user, room_id=frame.fields["room"], message_id=frame.fields["message"]
        )

    # --- access changes -----------------------------------------------------------------------------------------------

    async def _check_access(self):
        async with self.busy:
            if not self.closing:
                await self.access_changed()

    async def _check_policies(self):
        """A new version of the agreement or the privacy notice was published: 4428 unless this person has already
        accepted it, as a socket opened now would be refused."""
        async with self.busy:
            if self.closing or await in_database_thread(policies_all_accepted)(user=self.user):
                return
            self.closing = True
            await self.close(code=CLOSE_POLICIES_NOT_ACCEPTED)

    async def access_changed(self):
        """Someone changed what this person may read (left or removed from a group, no longer going to an event,
        suspended). Re-check every subscription; leave the rooms they may no longer read."""
        user, lost, close_code = await in_database_thread(self._recheck_access)()
        if close_code is not None:
            self.closing = True
            await self.close(code=close_code)
            return
        self.user = user
        for room_id in lost:
            await self._leave(room_id)
            await self.send(
                text_data=realtime.encode(
                    {
                        "type": "room.left",
                        "room": room_id,
                        "code": "not_a_member",
                        "detail": "You're no longer in this chat.",
                    }
                )
            )

    def _recheck_access(self):
        user = User.objects.filter(pk=self.user.pk).first()
        if user is None:  # the account was deleted: 4401, as for someone not signed in
            return None, [], CLOSE_NOT_AUTHENTICATED
        if not user.is_active or user.is_suspended:  # closed or suspended: 4403
            return None, [], CLOSE_SUSPENDED
        lost = []
        for room_id in list(self.rooms):
            try:
                permissions.access_room(user=user, room_id=room_id)
            except DomainError:
                lost.append(room_id)
        return user, lost, None

    async def _leave(self, room_id: int):
        if room_id in self.rooms:
            del self.rooms[room_id]
            await fanout_for(self.layer).leave(realtime.room_group_name(room_id), self)
        self.typing_at.pop(room_id, None)
        if room_id in self.present_in:
            await in_database_thread(self._leave_presence)([room_id])

    # --- presence -----------------------------------------------------------------------------------------------------

    def _join_presence(self, room):
        if self.shows_online is None:
            self.shows_online = selectors.shows_online(user=self.user)
        if not self.shows_online or room.pk in self.present_in:
            return
        self.present_in.add(room.pk)
        if realtime.presence_join(room_id=room.pk, user_id=self.user.pk):
            self._broadcast_presence(room.pk, online=True)

    def _leave_presence(self, room_ids):
        for room_id in room_ids:
            self.present_in.discard(room_id)
            if realtime.presence_leave(room_id=room_id, user_id=self.user.pk):
                self._broadcast_presence(room_id, online=False)

    def _broadcast_presence(self, room_id: int, *, online: bool):
        frame = {"type": "presence", "room": room_id, "user": selectors.person_payload(self.user), "online": online}
        realtime.broadcast_to_room(room_id, frame)

    # --- errors and floods --------------------------------------------------------------------------------------------

    def _take_allowance(self) -> bool:
        """A per-socket budget of frames (a burst, refilled each second), so a flood can't hog the server."""
        burst = float(_setting("HN_SOCKET_FRAMES_BURST", 30))
        per_second = float(_setting("HN_SOCKET_FRAMES_PER_SECOND", 10))
        now = time.monotonic()
        self.allowance = min(burst, self.allowance + (now - self.allowance_at) * per_second)
        self.allowance_at = now
        if self.allowance < 1:
            return False
        self.allowance -= 1
        return True

    async def _refuse_flood(self):
        await self._send_domain_error(
            RateLimited("That's a lot of frames at once. Please slow down.", retry_after=1), None
        )

    async def _send_domain_error(self, error: DomainError, frame: Frame | None):
        extra = {}
        if frame is not None:
            extra["frame_type"] = frame.type
            for name in ("room", "message"):
                if name in frame.fields:
                    extra[name] = frame.fields[name]
        if isinstance(error, RateLimited):
            extra["retry_after"] = error.retry_after
        await self.send_error(error.code, error.detail, client_id=frame.client_id if frame else None, **extra)
        if isinstance(error, RateLimited):
            await self._strike()

    async def _strike(self):
        """Repeatedly going over a rate limit closes the socket with 4429."""
        now = time.monotonic()
        self.strikes.append(now)
        while self.strikes and now - self.strikes[0] > 60:
            self.strikes.pop(0)
        if len(self.strikes) >= _setting("HN_SOCKET_RATE_LIMIT_STRIKES", 5):
            self.closing = True
            await self.close(code=CLOSE_RATE_LIMITED)

    async def send_error(self, code: str, detail: str, client_id: str | None = None, **extra) -> None:
        frame = {"type": "error", "code": code, "detail": detail, "client_id": client_id, **extra}
        await self.send(text_data=realtime.encode(frame))

"""A room's messages commit in id order, so a client catching up with `after` (the highest id it has seen) never
misses one: while one message's transaction is open, the next message in the same room waits for it (PostgreSQL
row lock; SQLite writes one transaction at a time anyway)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from messaging.models import Message
from messaging.services.messages import message_send


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs real row locks: runs when DATABASE_URL is PostgreSQL"
)
@pytest.mark.django_db(transaction=True)
def test_a_second_message_waits_until_the_first_has_committed(in_group, friend, room):
    first_inserted, let_first_commit = threading.Event(), threading.Event()
    committed: list[str] = []

    def first():
        try:
            with transaction.atomic():
                message_send(actor=in_group, room_id=room.pk, body="first", client_id="order-1")
                first_inserted.set()
                let_first_commit.wait(5)
            committed.append("first")
        finally:
            connection.close()

    def second():
        try:
            message_send(actor=friend, room_id=room.pk, body="second", client_id="order-2")
            committed.append("second")
        finally:
            connection.close()

    one = threading.Thread(target=first)
    one.start()
    assert first_inserted.wait(5)
    two = threading.Thread(target=second)
    two.start()
    two.join(0.5)
    assert two.is_alive()  # held by the room's lock while the first message is uncommitted
    let_first_commit.set()
    one.join(5)
    two.join(5)

    assert committed == ["first", "second"]
    bodies_by_id = list(Message.objects.filter(room=room).order_by("id").values_list("body", flat=True))
    assert bodies_by_id == ["first", "second"]

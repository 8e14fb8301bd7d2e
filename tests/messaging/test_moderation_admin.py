"""The chat admin's hide and restore actions go through moderation's services: audited, live, staff only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from community.models import AuditEntry
from messaging.models import Message

pytestmark = pytest.mark.django_db


def test_staff_hide_and_restore_from_the_admin(client, staff, in_group, room):
    message = Message.objects.create(room=room, author=in_group, body="Not nice")
    client.force_login(staff)
    changelist = reverse("admin:messaging_message_changelist")
    client.post(changelist, {"action": "action_hide_from_everyone", "_selected_action": [message.pk]})
    message.refresh_from_db()
    assert message.is_hidden and message.hidden_by == staff
    client.post(changelist, {"action": "action_restore_for_everyone", "_selected_action": [message.pk]})
    message.refresh_from_db()
    assert not message.is_hidden
    assert list(AuditEntry.objects.order_by("id").values_list("action", flat=True)) == [
        "message.hidden",
        "message.restored",
    ]

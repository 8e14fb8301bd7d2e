"""What events deletes when its time is up (see community.services.retention): nothing yet.

Nothing events keeps expires on its own. RSVPs, attendance and pulses last as long as the account (attendance then
only as an anonymous count); ideas as long as the group keeps them; calendar links until they are turned off (they
record no last use, so an unused one can't be told apart).
"""

from __future__ import annotations

from community.services.retention import RetentionRule

RULES: list[RetentionRule] = []

"""The kinds of notification, with whether each emails by default and whether it is safety-critical.

Other apps add their own kinds with `register_kind` from their AppConfig.ready(); community never imports them.
Safety-critical kinds always email (preferences and quiet hours cannot turn that off).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NotificationKind:
    key: str
    label: str
    email_by_default: bool = False
    safety_critical: bool = False


_KINDS: dict[str, NotificationKind] = {}


def register_kind(key: str, label: str, *, email_by_default: bool = False, safety_critical: bool = False) -> None:
    _KINDS[key] = NotificationKind(key, label, email_by_default, safety_critical)


def get_kind(key: str) -> NotificationKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise LookupError(f"Unknown notification kind {key!r}; register it with register_kind().") from None


def all_kinds() -> list[NotificationKind]:
    return sorted(_KINDS.values(), key=lambda kind: kind.label)


register_kind("welcome", "Welcome to Here and Now")
register_kind("membership_requested", "Someone asks to join a group you lead")
register_kind("membership_approved", "Your request to join a group is accepted")
register_kind("membership_declined", "Your request to join a group is not accepted")
register_kind("membership_removed", "You are removed from a group")
register_kind("membership_added", "A peer leader or staff member adds you to a group")
register_kind("leader_changed", "You become, or stop being, a peer leader")
register_kind("role_changed", "Your role in Here and Now changes")
register_kind("account_security", "Security changes to your account", email_by_default=True, safety_critical=True)
register_kind(
    "safeguarding_support", "Support contacts, when things might be hard", email_by_default=True, safety_critical=True
)
register_kind("safeguarding_alert", "Safeguarding alerts (moderators)", email_by_default=True, safety_critical=True)
register_kind("wellbeing_invitation", "A gentle invitation to a wellbeing check-in")
register_kind("policy_updated", "A new version of the community agreement or the privacy notice")
register_kind("data_export_ready", "Your copy of your data is ready to download")

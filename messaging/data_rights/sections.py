"""What messaging keeps about a person (see community.personal_data)."""

from community.personal_data import OnErasure, PersonalDataSection

_EXPORT = "messaging.data_rights.export"

SECTIONS = [
    PersonalDataSection(
        key="messages",
        title="Messages you wrote",
        what="The words and pictures you sent in chats, when, and any earlier versions if you edited them.",
        why="So the people in your chats can read them.",
        how_long="Chat messages are deleted after the chat retention period. Messages a moderator removed are "
        "deleted a few weeks after they were checked.",
        on_erasure=OnErasure.TEXT_ERASED,
        models=("messaging.Message", "messaging.MessageEdit"),
        exporter=f"{_EXPORT}:messages",
    ),
    PersonalDataSection(
        key="reactions",
        title="Your reactions",
        what="The reactions you added to messages.",
        why="So people can see them.",
        how_long="Until you take them off, the message is deleted, or you delete your account.",
        on_erasure=OnErasure.ERASED,
        models=("messaging.Reaction",),
        exporter=f"{_EXPORT}:reactions",
    ),
    PersonalDataSection(
        key="chats",
        title="Your chats",
        what="Which direct conversations you have (and whether you accepted them), and how far you've read in "
        "each chat.",
        why="So you see your unread messages and who you can talk to.",
        how_long="Until you delete your account.",
        on_erasure=OnErasure.ANONYMISED,
        models=("messaging.Room", "messaging.ReadMarker"),
        exporter=f"{_EXPORT}:chats",
    ),
    PersonalDataSection(
        key="reports",
        title="Reports you made",
        what="Reports you made about a message, a person or an event: the reason, your note and what happened.",
        why="So moderators can look into them and tell you the outcome.",
        how_long="For the safeguarding retention period after the report is closed, then deleted. The person you "
        "reported is never told it was you.",
        on_erasure=OnErasure.KEPT_FOR_SAFEGUARDING,
        models=("messaging.Report",),
        exporter=f"{_EXPORT}:reports",
    ),
    PersonalDataSection(
        key="moderation",
        title="Moderation of your account",
        what="If moderators looked at your messages or limited your account: the case, any mute, silence, "
        "suspension or warning, and moderators' private notes. Warnings and limits were sent to you as "
        "notifications, which are in your download.",
        why="To keep chats safe, and so moderators' actions can be checked.",
        how_long="For the safeguarding retention period after the case is closed, then deleted.",
        on_erasure=OnErasure.KEPT_FOR_SAFEGUARDING,
        models=("messaging.ModerationCase", "messaging.Sanction", "messaging.ModeratorNote"),
        exporter=None,
    ),
]

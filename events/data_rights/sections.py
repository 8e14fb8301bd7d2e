"""What events keeps about a person (see community.personal_data)."""

from community.personal_data import OnErasure, PersonalDataSection

_EXPORT = "events.data_rights.export"

SECTIONS = [
    PersonalDataSection(
        key="rsvps",
        title="Events you said you'd go to",
        what="Your answers to events (going, not going, on the waiting list) and when you gave them.",
        why="So organisers know who's coming and can keep your place.",
        how_long="While your account exists. When you delete it, your answers to events still to come are "
        "cancelled (your place goes to the next person waiting), and past ones stay only as a count.",
        on_erasure=OnErasure.ANONYMISED,
        models=("events.Rsvp",),
        exporter=f"{_EXPORT}:rsvps",
    ),
    PersonalDataSection(
        key="attendance",
        title="Events you came to",
        what="Which events you were checked in at, and when.",
        why="So you can see what you've been to, and (only if you say yes) so the programme can count attendance.",
        how_long="While your account exists; after you delete it, only as an anonymous count.",
        on_erasure=OnErasure.ANONYMISED,
        models=("events.Attendance",),
        exporter=f"{_EXPORT}:attendance",
    ),
    PersonalDataSection(
        key="pulses",
        title="How events felt",
        what="Your quick answers after an event: how it felt, whether you connected with someone, and any note to "
        "the organisers.",
        why="So organisers can make events better (they only ever see totals).",
        how_long="Until you delete an answer or your account.",
        on_erasure=OnErasure.ERASED,
        models=("events.Pulse",),
        exporter=f"{_EXPORT}:pulses",
    ),
    PersonalDataSection(
        key="ideas",
        title="Event ideas",
        what="Ideas for events you suggested or backed, and comments you wrote on ideas.",
        why="So your group can see what people would like to do.",
        how_long="While the group keeps the idea. When you delete your account, your backings and comments are "
        "deleted, and ideas you suggested stay for the group without your name.",
        on_erasure=OnErasure.TEXT_ERASED,
        models=("events.Idea", "events.IdeaBacking", "events.IdeaComment"),
        exporter=f"{_EXPORT}:ideas",
    ),
    PersonalDataSection(
        key="calendar_links",
        title="Calendar links",
        what="The private links your calendar app uses to show your events (not in your download, because "
        "anyone with the link could use it).",
        why="So your events show in your calendar.",
        how_long="Until you turn the link off or delete your account.",
        on_erasure=OnErasure.ERASED,
        models=("events.CalendarToken",),
        exporter=None,
    ),
]

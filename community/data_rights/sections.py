"""What community keeps about a person (see community.personal_data)."""

from community.personal_data import OnErasure, PersonalDataSection

_EXPORT = "community.data_rights.export"

SECTIONS = [
    PersonalDataSection(
        key="account",
        title="Your account",
        what="Your email address, the name people see, your real name if you gave it, your age band (16–17 or "
        "18–25, never your birthday), your role, when you joined, and which invitation you joined with.",
        why="So you can log in, so people know what to call you, and so we keep under-18s' settings extra safe.",
        how_long="Until you delete your account.",
        on_erasure=OnErasure.ERASED,
        models=("community.User", "community.InvitationRedemption", "authtoken.Token"),
        exporter=f"{_EXPORT}:account",
    ),
    PersonalDataSection(
        key="profile",
        title="Your profile and settings",
        what="Your pronouns, 'about me', interests and picture; who can see your profile; whether you show as "
        "online; who can message you; your email choices and quiet hours; your calendar link.",
        why="So you choose what others see and how we contact you.",
        how_long="Until you change it or delete your account.",
        on_erasure=OnErasure.ERASED,
        models=("community.Profile", "community.NotificationPreference"),
        exporter=f"{_EXPORT}:profile",
    ),
    PersonalDataSection(
        key="agreements",
        title="What you agreed to",
        what="Which version of the community agreement and privacy notice you accepted, and when.",
        why="So we can show we asked you, and ask again when something changes.",
        how_long="Until you delete your account.",
        on_erasure=OnErasure.ERASED,
        models=("community.PolicyAcceptance",),
        exporter=f"{_EXPORT}:agreements",
    ),
    PersonalDataSection(
        key="groups",
        title="Your groups",
        what="The groups you're in or asked to join, and whether you're a peer leader.",
        why="So you can see your groups' events and chats.",
        how_long="Until you leave the group or delete your account.",
        on_erasure=OnErasure.ERASED,
        models=("community.Membership", "community.Invitation"),
        exporter=f"{_EXPORT}:groups",
    ),
    PersonalDataSection(
        key="notifications",
        title="Notifications we sent you",
        what="The notifications you received, and whether they were read or emailed.",
        why="So you can catch up on what happened.",
        how_long="Deleted after the notification retention period, or when you delete your account.",
        on_erasure=OnErasure.ERASED,
        models=("community.Notification",),
        exporter=f"{_EXPORT}:notifications",
    ),
    PersonalDataSection(
        key="participation",
        title="Who you met at events",
        what="Which events you took part in and, from that, how many times you've been at the same event as each "
        "other person.",
        why="So your dashboard can show your connections, and, if you say yes, so the programme can count "
        "connections without names.",
        how_long="While your account exists; after you delete it, only as an anonymous count.",
        on_erasure=OnErasure.ANONYMISED,
        models=("community.ParticipationEntry", "community.Tie"),
        exporter=f"{_EXPORT}:participation",
    ),
    PersonalDataSection(
        key="wellbeing",
        title="Your wellbeing check-ins",
        what="Your answers to the wellbeing, life satisfaction and loneliness questions, and whether you want "
        "gentle invitations to check in.",
        why="So you can see how you've been over time. They count in programme figures only if you say yes.",
        how_long="Until you delete a check-in or your account.",
        on_erasure=OnErasure.ERASED,
        models=("community.WellbeingCheckIn", "community.WellbeingSettings"),
        exporter=f"{_EXPORT}:wellbeing",
    ),
    PersonalDataSection(
        key="consent",
        title="Your choice about programme figures",
        what="Each time you said yes or no to your data counting in programme and evaluation figures.",
        why="So we only count you if you've said yes, from then on.",
        how_long="While your account exists; after you delete it, only your last answer is kept, without your name, "
        "so figures about the past don't change.",
        on_erasure=OnErasure.ANONYMISED,
        models=("community.EvaluationConsent",),
        exporter=f"{_EXPORT}:consent",
    ),
    PersonalDataSection(
        key="destination",
        title="Your goals and what you're doing now",
        what="The areas of life that matter to you, your goals and their steps, and what you told us you're doing "
        "now (like college, work or training).",
        why="So you can keep track of your goals. What you're doing now counts in programme figures only if you "
        "say yes.",
        how_long="Until you delete it or your account.",
        on_erasure=OnErasure.ERASED,
        models=("community.DestinationArea", "community.Goal", "community.GoalStep", "community.ActivityStatus"),
        exporter=f"{_EXPORT}:destination",
    ),
    PersonalDataSection(
        key="people_controls",
        title="People you blocked or muted",
        what="Who you blocked or muted. The other person is never told.",
        why="So they can't contact you, or you don't see them.",
        how_long="Until you undo it or delete your account.",
        on_erasure=OnErasure.ERASED,
        models=("community.PersonBlock", "community.PersonMute"),
        exporter=f"{_EXPORT}:people_controls",
    ),
    PersonalDataSection(
        key="data_exports",
        title="Copies of your data",
        what="When you asked for a copy of your data, and the download while it lasts.",
        why="So you can download it.",
        how_long="The download is deleted after a few days.",
        on_erasure=OnErasure.ERASED,
        models=("community.DataExport",),
        exporter=f"{_EXPORT}:data_exports",
    ),
    PersonalDataSection(
        key="safeguarding",
        title="Safeguarding and moderation records",
        what="If someone was worried about your safety, or a moderator acted on your account, a record of what "
        "happened and who did what. These aren't in your download; you can ask staff about them.",
        why="We have a duty to keep young people safe, and to be able to check what moderators did.",
        how_long="For the safeguarding retention period after the record is closed, then deleted.",
        on_erasure=OnErasure.KEPT_FOR_SAFEGUARDING,
        models=(
            "community.SafeguardingConcern",
            "community.AuditEntry",
            "community.ErasedAccount",
            "community.ModeratorDuty",
        ),
        exporter=None,
    ),
]

"""The demo community: made-up people and groups. Nobody here is real."""

DEMO_PASSWORD = "here-and-now-demo"
DEMO_EMAIL_DOMAIN = "demo.example.org"

STAFF = ("staff", "Priya at Here and Now")
EVALUATOR = ("evaluator", "Evaluation team")
MODERATORS = [("mod.sam", "Sam (moderator)"), ("mod.ash", "Ash (moderator)")]

GROUPS = [
    {
        "name": "Friday Social",
        "description": "A relaxed get-together most Fridays: games, food and a chat. Come as you are.",
        "join_policy": "open",
    },
    {
        "name": "Cooking on a Budget",
        "description": "Learn easy meals that don't cost much, then eat them together.",
        "join_policy": "request",
    },
    {
        "name": "Creative Corner",
        "description": "Drawing, music, writing, photos - whatever you're into. No experience needed.",
        "join_policy": "open",
    },
    {
        "name": "Next Steps",
        "description": "Jobs, training, college and money: peers who've been there, and people who can help.",
        "join_policy": "request",
    },
]

# (email local part, display name, groups by index, leads group index or None)
LEADERS = [
    ("leader.jay", "Jay", [0, 2], 0),
    ("leader.remi", "Remi", [1, 0], 1),
    ("leader.tash", "Tash", [3, 2], 3),
]

MEMBER_NAMES = [
    "Sunny", "Kai", "Moss", "Rowan", "Blue", "Skye", "Ezra", "Nova", "Juno", "Riley",
    "Sage", "Harley", "Frankie", "Indie", "Milo", "Ari", "Lux", "Remy", "Wren", "Bex",
    "Cass", "Dani", "Eli", "Fern", "Gio", "Hope", "Izzy", "Jude", "Kit", "Luca",
    "Maz", "Nico", "Ollie", "Pip", "Quinn", "Raff", "Suki", "Tam", "Vee", "Zed",
]  # fmt: skip


def demo_email(local_part: str) -> str:
    return f"{local_part}@{DEMO_EMAIL_DOMAIN}"

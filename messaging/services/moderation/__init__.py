"""Moderation: cases and reports, moderator actions and sanctions, room controls, word lists and message screening.

Each module holds one kind of write; every moderator action writes community's append-only audit log and takes effect
live (messaging.realtime, on commit).
"""

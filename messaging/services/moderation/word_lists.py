"""Word lists: the words and phrases moderators chose to block, hold for review or flag, and the verdict on a text.

Every chat message is screened (messaging.services.moderation.screening calls `word_list_verdict`), so the verdict
is cheap: the list is compiled once per process into one community.textmatch.PhraseMatcher and reused until it
changes. Each change bumps a version number in Django's cache (at once and again on commit), so every process
compiles the list again on its next verdict; a process never reads the table per message.

Matching ignores case, accents, spacing and common substitutions ("Kill", "k i l l", "k1ll"), whole words only, and a
trailing * matches any ending. Two phrases that match the same words ("kill myself" and "KILL  my-self") are the same
entry: adding the second is `phrase_exists`.
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import IntegrityError, transaction

from community.errors import Conflict, InvalidInput, NotFound
from community.models import User
from community.services.audit import audit_record
from community.services.safeguarding import crisis_scan
from community.textmatch import PhraseMatcher, normalise, words
from messaging.models import WordAction, WordListEntry
from messaging.permissions import require_moderator

PHRASE_MAX_CHARS = 120
NOTE_MAX_CHARS = 200
VERSION_KEY = "word-list:version"
_STRENGTH = (WordAction.BLOCK, WordAction.HOLD, WordAction.FLAG)
OUTCOMES = {
    WordAction.BLOCK: "blocked: the sender is told why",
    WordAction.HOLD: "held for review",
    WordAction.FLAG: "sent, and moderators are told",
    "": "sent",
}


# --- the verdict ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WordVerdict:
    """The listed phrases found in a text, by action (each phrase as moderators wrote it)."""

    blocks: list[str] = field(default_factory=list)
    holds: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    @property
    def action(self) -> str:
        """The strongest action matched: "block", "hold", "flag", or "" for none."""
        if self.blocks:
            return WordAction.BLOCK
        if self.holds:
            return WordAction.HOLD
        if self.flags:
            return WordAction.FLAG
        return ""

    @property
    def is_blocked(self) -> bool:
        return bool(self.blocks)

    @property
    def is_held(self) -> bool:
        return not self.blocks and bool(self.holds)

    @property
    def matched(self) -> list[str]:
        return [*self.blocks, *self.holds, *self.flags]


CLEAN = WordVerdict()


@dataclass(frozen=True)
class _Compiled:
    version: str
    matcher: PhraseMatcher
    actions: dict[str, str]  # phrase as listed -> action


_compiled: _Compiled | None = None
_compile_lock = threading.Lock()


def _current_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY) or ""
    return version


def _bump_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def word_list_changed() -> None:
    """Every process compiles the list again on its next verdict: now (this transaction's view) and after commit
    (so a process that compiled in between, from the old rows, compiles once more)."""
    _bump_version()
    transaction.on_commit(_bump_version, robust=True)


def _matcher() -> _Compiled:
    global _compiled
    version = _current_version()
    compiled = _compiled
    if compiled is not None and compiled.version == version:
        return compiled
    with _compile_lock:
        if _compiled is not None and _compiled.version == version:
            return _compiled
        rows = list(WordListEntry.objects.order_by("pk").values_list("phrase", "action"))
        _compiled = _Compiled(version=version, matcher=PhraseMatcher(phrase for phrase, _ in rows), actions=dict(rows))
        return _compiled


def word_list_verdict(*, text: str) -> WordVerdict:
    """What the word lists say about `text`. One cache read per call; no database query unless the list changed."""
    compiled = _matcher()
    if not compiled.matcher or not text:
        return CLEAN
    found: dict[str, list[str]] = {WordAction.BLOCK: [], WordAction.HOLD: [], WordAction.FLAG: []}
    for phrase in compiled.matcher.find(text):
        action = compiled.actions.get(phrase)
        if action in found:
            found[action].append(phrase)
    if not any(found.values()):
        return CLEAN
    return WordVerdict(blocks=found[WordAction.BLOCK], holds=found[WordAction.HOLD], flags=found[WordAction.FLAG])


# --- "test this text" -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WordListMatch:
    phrase: str
    action: str


@dataclass(frozen=True)
class WordListTestResult:
    text: str
    normalised: str  # the words as the matcher reads them
    matches: list[WordListMatch]
    action: str  # the strongest: "block", "hold", "flag" or ""
    outcome: str  # what would happen, in plain words
    crisis: dict  # what the crisis-language detector says: is_crisis, categories, matched


def word_list_test(*, text: str) -> WordListTestResult:
    """What would happen to `text` from a member: the word lists' verdict and the crisis-language check."""
    verdict = word_list_verdict(text=text)
    matches = [WordListMatch(phrase, action) for action in _STRENGTH for phrase in _by_action(verdict, action)]
    crisis = _crisis_result(text)
    outcome = OUTCOMES[verdict.action]
    if crisis["is_crisis"] and verdict.action != WordAction.BLOCK:
        outcome = "held, the sender is shown support contacts, and moderators on duty are alerted"
    return WordListTestResult(
        text=text,
        normalised=normalise(text),
        matches=matches,
        action=verdict.action,
        outcome=outcome,
        crisis=crisis,
    )


def _by_action(verdict: WordVerdict, action: str) -> list[str]:
    return {WordAction.BLOCK: verdict.blocks, WordAction.HOLD: verdict.holds, WordAction.FLAG: verdict.flags}[action]


def _crisis_result(text: str) -> dict:
    scan = crisis_scan(text=text)
    return {"is_crisis": scan.is_crisis, "categories": list(scan.categories), "matched": list(scan.matched)}


# --- editing the list -------------------------------------------------------------------------------------------------


def phrase_key(phrase: str) -> tuple[str, bool]:
    """Two phrases with the same key match exactly the same words."""
    stripped = phrase.strip()
    return "".join(words(stripped.rstrip("*"))), stripped.endswith("*")


def _clean_phrase(phrase: str, *, exclude_id: int | None = None) -> str:
    phrase = " ".join((phrase or "").split())
    if not phrase:
        raise InvalidInput("Write the word or phrase to look for.", code="phrase_empty")
    if len(phrase) > PHRASE_MAX_CHARS:
        raise InvalidInput(
            f"Keep it to {PHRASE_MAX_CHARS} characters or fewer (a word or a short phrase).", code="phrase_too_long"
        )
    key = phrase_key(phrase)
    if not key[0]:
        raise InvalidInput("That has no letters or numbers to look for. Write a word or phrase.", code="phrase_empty")
    others = WordListEntry.objects.exclude(pk=exclude_id) if exclude_id else WordListEntry.objects.all()
    for other in others.values_list("phrase", flat=True):
        if phrase_key(other) == key:
            raise Conflict(
                f"“{other}” is already on the list and matches the same words. Change that entry instead.",
                code="phrase_exists",
            )
    return phrase


def _clean_action(action: str) -> str:
    if action not in WordAction.values:
        raise InvalidInput(
            "Choose what happens: block, hold for review, or flag to moderators.", code="invalid_word_action"
        )
    return action


def _clean_note(note: str) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_MAX_CHARS:
        raise InvalidInput(f"Keep the note to {NOTE_MAX_CHARS} characters or fewer.", code="note_too_long")
    return note


def _state(entry: WordListEntry) -> dict:
    return {"phrase": entry.phrase, "action": entry.action, "note": entry.note}


def word_list_entry_not_found() -> NotFound:
    return NotFound("We couldn't find that word-list entry. It may have been removed.", code="word_not_found")


def word_list_entry_add(*, actor: User, phrase: str, action: str, note: str = "") -> WordListEntry:
    """Add a phrase. Codes: moderators_only, phrase_empty, phrase_too_long, phrase_exists, invalid_word_action,
    note_too_long."""
    require_moderator(actor)
    with transaction.atomic():
        action, note = _clean_action(action), _clean_note(note)
        entry = WordListEntry(phrase=_clean_phrase(phrase), action=action, note=note, created_by=actor)
        try:
            with transaction.atomic():
                entry.save()
        except IntegrityError:
            raise Conflict("That phrase is already on the list.", code="phrase_exists") from None
        audit_record(actor=actor, action="word_list.added", target=entry, data={"before": None, "after": _state(entry)})
        word_list_changed()
    return entry


def word_list_entry_update(
    *, actor: User, entry_id: int, phrase: str | None = None, action: str | None = None, note: str | None = None
) -> WordListEntry:
    """Change an entry's phrase, action or note (what is left out stays). Saving the same values changes nothing and
    writes no audit entry."""
    require_moderator(actor)
    with transaction.atomic():
        entry = WordListEntry.objects.select_for_update().filter(pk=entry_id).first()
        if entry is None:
            raise word_list_entry_not_found()
        before = _state(entry)
        changes = {}
        if action is not None:
            changes["action"] = _clean_action(action)
        if note is not None:
            changes["note"] = _clean_note(note)
        if phrase is not None:
            changes["phrase"] = _clean_phrase(phrase, exclude_id=entry.pk)
        changed = [name for name, value in changes.items() if getattr(entry, name) != value]
        if not changed:
            return entry
        for name in changed:
            setattr(entry, name, changes[name])
        try:
            with transaction.atomic():
                entry.save(update_fields=[*changed, "updated_at"])
        except IntegrityError:
            raise Conflict("That phrase is already on the list.", code="phrase_exists") from None
        audit_record(
            actor=actor, action="word_list.updated", target=entry, data={"before": before, "after": _state(entry)}
        )
        word_list_changed()
    return entry


def word_list_entry_remove(*, actor: User, entry_id: int) -> bool:
    """Take an entry off the list. True if it was removed, False if it was already gone (removing twice is fine)."""
    require_moderator(actor)
    with transaction.atomic():
        entry = WordListEntry.objects.select_for_update().filter(pk=entry_id).first()
        if entry is None:
            return False
        before = _state(entry)
        audit_record(actor=actor, action="word_list.removed", target=entry, data={"before": before, "after": None})
        entry.delete()
        word_list_changed()
    return True

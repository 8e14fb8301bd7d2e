"""Every write for events. One job per module: events (create, edit, cancel), series (repeating dates), rsvps (going,
waitlist, approvals), checkin (attendance), pulse, announcements, changes (the one "event changed" notice per burst of
edits) and reminders. Pages, the API and admin actions call these; nothing else writes events data."""

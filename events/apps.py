from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Events"

    def ready(self) -> None:
        from community.notification_kinds import register_kind

        register_kind("rsvp_confirmed", "You have a place at an event")
        register_kind("rsvp_requested", "Someone asks to come to an event you organise")
        register_kind("waitlist_promoted", "A place opens up for you at an event", email_by_default=True)
        register_kind("rsvp_decided", "An organiser answers your request to come to an event")
        register_kind("event_changed", "An event you're going to changes", email_by_default=True)
        register_kind("event_cancelled", "An event you're going to is cancelled", email_by_default=True)
        register_kind("event_reminder", "A reminder the day before an event you're going to")
        register_kind("event_announcement", "A message from the organisers of an event you're going to")

        import events.services.ideas  # noqa: F401 - registers the idea notification kinds

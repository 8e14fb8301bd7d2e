"""Event pages: browsing and RSVP (browse), planning (manage), the organiser dashboard (organise), and the day itself
(check-in and the pulse). Ideas and calendar pages live in events/views_ideas.py and events/views_calendar.py."""

"""Member ideas (co-design): forms and links. The tables are in events/models_ideas.py."""

"""Reads shared by pages, the API and the socket (one module per area). No writes here."""

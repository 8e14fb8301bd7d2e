"""REST API of community, one module per area; `urls.py` joins them under /api/v1/."""

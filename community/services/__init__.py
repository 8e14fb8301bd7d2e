"""Every write in community goes through a function in this package (one module per area)."""

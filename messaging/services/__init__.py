"""Every write in chat. Pages, the REST API, the socket and admin actions all call these."""

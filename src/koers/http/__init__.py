"""HTTP: the one ASGI app that serves the API and the web pages, and what both of them share."""

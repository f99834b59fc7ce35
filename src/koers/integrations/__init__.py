"""Talking to the outside world: outgoing HTTP behind one address check (`net`), and the readers of data sources.

Nothing here imports a service, a page, the API or the CLI; services call in (see docs/architecture.md).
"""

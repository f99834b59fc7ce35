"""HTTP servers on 127.0.0.1 that tests start and stop (tests never send traffic anywhere else)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Answer = tuple[int, dict[str, str], bytes]


@dataclass
class Seen:
    """What a loopback server saw: TCP connections accepted, and requests (method, path, headers, body)."""

    connections: int = 0
    requests: list[tuple[str, str, dict[str, str], bytes]] = field(default_factory=list)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    seen: Seen

    def get_request(self) -> Any:
        accepted = super().get_request()
        self.seen.connections += 1
        return accepted


@contextmanager
def loopback_server(answer: Callable[[str, str, bytes], Answer], ssl_context: Any = None) -> Iterator[tuple[str, Seen]]:
    """A server on 127.0.0.1 (a free port) answering with `answer(method, path, body)`; its base URL and what it saw."""
    seen = Seen()

    class Handler(BaseHTTPRequestHandler):
        def _any(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else b""
            seen.requests.append((self.command, self.path, dict(self.headers), body))
            status, headers, content = answer(self.command, self.path, body)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        do_GET = do_POST = _any

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = _Server(("127.0.0.1", 0), Handler)
    server.seen = seen
    if ssl_context is not None:
        server.socket = ssl_context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    scheme = "https" if ssl_context is not None else "http"
    try:
        yield f"{scheme}://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


def keep_to_loopback(monkeypatch: Any) -> None:
    """For tests that let generated input reach the data-source readers (schemathesis): no name but loopback is
    resolved and no database but SQLite or a loopback one is opened, so no generated URL leaves this machine."""
    import socket

    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from koers.integrations import sources as readers

    resolve = socket.getaddrinfo

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else str(host)
        if name not in LOOPBACK_NAMES and not name.startswith("127."):
            raise socket.gaierror(socket.EAI_NONAME, "tests resolve loopback names only")
        return resolve(host, *args, **kwargs)

    create = readers.create_engine

    def create_engine(url: Any, *args: Any, **kwargs: Any) -> Any:
        host = make_url(url).host
        if host is not None and host not in LOOPBACK_NAMES:
            raise ArgumentError("tests open loopback databases only")
        return create(url, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(readers, "create_engine", create_engine)

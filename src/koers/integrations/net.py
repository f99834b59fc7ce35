"""Every outgoing HTTP request of Koers (data sources, webhooks): only http(s), only to addresses that may be reached.

The check runs where the socket is opened: the host is resolved once, every address it resolves to is checked, and
the connection goes to the checked address (pinned), so a DNS answer that changes between the check and the
connection (rebinding) cannot move the request. TLS still verifies the certificate against the host name (SNI and
`check_hostname` see the name, only the TCP connect uses the address). Redirects are followed by hand, at most
`MAX_REDIRECTS`, each one checked again.

Refused always: unspecified, multicast, link-local (169.254/16, fe80::/10), reserved ranges and the cloud metadata
addresses and names. Refused unless `KOERS_ALLOW_PRIVATE_NETWORKS=1` (on-premise installations): loopback, private
(10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7) and other non-global ranges. IPv4 inside IPv6 (mapped, compatible,
NAT64, 6to4) is checked as the IPv4 address it carries.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from koers.config import switch
from koers.domain.errors import KoersError

httpcore_socket_option = tuple[int, int, int] | tuple[int, int, bytes | bytearray] | tuple[int, int, None, int]
MAX_REDIRECTS = 5
DEFAULT_TIMEOUT = 10.0
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
ALLOW_PRIVATE_SETTING = "KOERS_ALLOW_PRIVATE_NETWORKS"

Address = ipaddress.IPv4Address | ipaddress.IPv6Address

# Cloud metadata services: never reachable, whatever the setting (they hand out credentials).
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean...
        "169.254.170.2",  # AWS ECS task metadata
        "169.254.169.253",  # AWS DNS
        "168.63.129.16",  # Azure wire server
        "100.100.100.200",  # Alibaba Cloud
        "fd00:ec2::254",  # AWS over IPv6
        "fd00:ec2::253",
    )
)
METADATA_NAMES = frozenset(
    {"metadata", "metadata.google.internal", "metadata.goog", "instance-data", "instance-data.ec2.internal"}
)
_SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT: not global, not "private" in Python 3.11
_IETF = ipaddress.ip_network("192.0.0.0/24")  # protocol assignments (Python 3.11 calls part of it global)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_COMPATIBLE = ipaddress.ip_network("::/96")
_TEREDO = ipaddress.ip_network("2001::/32")


class OutgoingRefused(KoersError):
    """An outgoing request that Koers does not make: wrong scheme, refused address, too many redirects."""


class OutgoingFailed(KoersError):
    """An outgoing request that was made and failed: no answer, a timeout, a body too large."""


def allow_private_default() -> bool:
    """KOERS_ALLOW_PRIVATE_NETWORKS, read as the settings read it (for callers without `Settings`: webhooks)."""
    return switch(ALLOW_PRIVATE_SETTING, False)


def embedded_ipv4(address: Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, compatible, NAT64, 6to4), if any."""
    if isinstance(address, ipaddress.IPv4Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64 or (address in _COMPATIBLE and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_category(address: Address) -> str:
    """Where an address points: "public", "loopback", "private", or a range never reached ("metadata",
    "unspecified", "multicast", "link_local", "reserved")."""
    inner = embedded_ipv4(address)
    if inner is not None:
        return address_category(inner)
    if address in METADATA_ADDRESSES:
        return "metadata"
    if address.is_unspecified:
        return "unspecified"
    if address.is_multicast:
        return "multicast"
    if address.is_link_local:
        return "link_local"
    if address.is_loopback:
        return "loopback"
    if address.is_reserved or address in _IETF or address in _TEREDO:
        return "reserved"
    if address.is_private or address in _SHARED or not address.is_global:
        return "private"
    return "public"


ALLOWED_WHEN_PRIVATE = frozenset({"loopback", "private"})


def check_address(address: Address | str, allow_private: bool) -> Address:
    """The address when Koers may connect to it; OutgoingRefused (code net.address_refused) otherwise."""
    parsed = ipaddress.ip_address(address) if isinstance(address, str) else address
    category = address_category(parsed)
    if category == "public" or (allow_private and category in ALLOWED_WHEN_PRIVATE):
        return parsed
    raise OutgoingRefused("net.address_refused", address=str(parsed), range=category.replace("_", "-"))


def check_url(url: str) -> tuple[str, str, int]:
    """Scheme, host and port of an http(s) URL; OutgoingRefused for any other scheme or a metadata host name."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise OutgoingRefused("net.url_invalid", url=url) from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise OutgoingRefused("net.scheme_refused", scheme=scheme or "none")
    host = (parts.hostname or "").rstrip(".").lower()
    if not host:
        raise OutgoingRefused("net.url_invalid", url=url)
    if host in METADATA_NAMES:
        raise OutgoingRefused("net.address_refused", address=host, range="metadata")
    return scheme, host, port or (443 if scheme == "https" else 80)


def resolve(host: str, port: int, allow_private: bool) -> list[Address]:
    """Every address `host` resolves to, each checked: one refused address refuses the host (no mixed answers)."""
    try:
        literal = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        literal = None
    if literal is not None:
        return [check_address(literal, allow_private)]
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise OutgoingFailed("net.unresolved", host=host, reason=str(error)) from None
    addresses: list[Address] = []
    for *_, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])
        if address not in addresses:
            addresses.append(check_address(address, allow_private))
    if not addresses:
        raise OutgoingFailed("net.unresolved", host=host, reason="no address")
    return addresses


class _PinnedBackend(httpcore.NetworkBackend):
    """Opens TCP connections only to checked addresses: resolves, checks, then connects to that address."""

    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private
        self.inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[httpcore_socket_option] | None = None,
    ) -> httpcore.NetworkStream:
        last: Exception | None = None
        for address in resolve(host, port, self.allow_private):
            try:
                return self.inner.connect_tcp(str(address), port, timeout, local_address, socket_options)
            except httpcore.ConnectError as error:  # the next checked address, as a browser would
                last = error
        assert last is not None
        raise last

    def connect_unix_socket(self, *args: typing.Any, **kwargs: typing.Any) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are never used for outgoing requests")

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)


class _PinnedTransport(httpx.HTTPTransport):
    """httpx's transport with the connection pool on `_PinnedBackend` (and never an environment proxy)."""

    def __init__(self, allow_private: bool, verify: ssl.SSLContext | None = None) -> None:
        super().__init__(trust_env=False, retries=0)
        ssl_context = verify or self._pool._ssl_context  # the verified default context httpx built
        self._pool.close()
        self._pool = httpcore.ConnectionPool(
            ssl_context=ssl_context, max_connections=10, network_backend=_PinnedBackend(allow_private)
        )


@dataclass(frozen=True)
class Answer:
    """What a request answered: the status, the final URL (after redirects), the headers and the body."""

    status: int
    url: str
    headers: Mapping[str, str]
    content: bytes

    @property
    def ok(self) -> bool:
        """A 2xx status."""
        return 200 <= self.status < 300

    def text(self) -> str:
        """The body as text (UTF-8, undecodable bytes replaced)."""
        return self.content.decode("utf-8", errors="replace")


def request(
    method: str,
    url: str,
    *,
    content: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allow_private: bool | None = None,
    follow_redirects: bool = True,
    verify: ssl.SSLContext | None = None,
) -> Answer:
    """Send one request (following at most MAX_REDIRECTS redirects, each checked); any status is an Answer.

    OutgoingRefused when Koers will not send it (scheme, address, redirects), OutgoingFailed when it went wrong
    on the way (no connection, timeout, a body over `max_bytes`). A 303, or a 301/302 after a POST, continues as a
    GET without a body, as browsers do. `verify`: a TLS context of its own (an internal CA); by default the
    system's CAs, and always the host name checked against the certificate.
    """
    private = allow_private_default() if allow_private is None else allow_private
    sent_headers = dict(headers or {})
    with httpx.Client(transport=_PinnedTransport(private, verify), timeout=timeout, follow_redirects=False) as client:
        for _hop in range(MAX_REDIRECTS + 1):
            check_url(url)
            try:
                with client.stream(method, url, content=content, headers=sent_headers) as response:
                    location = response.headers.get("location")
                    if follow_redirects and response.is_redirect and location:
                        next_url = urljoin(url, location)
                        if response.status_code == 303 or (response.status_code in (301, 302) and method != "GET"):
                            method, content = "GET", None
                        if urlsplit(next_url).netloc != urlsplit(url).netloc:
                            # credentials go to the host they were meant for, never on to another one
                            sent_headers = {
                                k: v for k, v in sent_headers.items() if k.lower() not in ("authorization", "cookie")
                            }
                        url = next_url
                        continue
                    body = _read(response, max_bytes)
                    return Answer(response.status_code, str(response.url), dict(response.headers), body)
            except OutgoingRefused:
                raise
            except OutgoingFailed:
                raise
            except httpx.TimeoutException:
                raise OutgoingFailed("net.timeout", url=_shown(url), seconds=timeout) from None
            except httpx.HTTPError as error:
                raise OutgoingFailed("net.failed", url=_shown(url), reason=str(error) or type(error).__name__) from None
    raise OutgoingRefused("net.too_many_redirects", max=MAX_REDIRECTS)


def fetch(
    url: str,
    *,
    headers: Mapping[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int = DEFAULT_MAX_BYTES,
    allow_private: bool | None = None,
    verify: ssl.SSLContext | None = None,
) -> Answer:
    """GET a URL under the same checks as `request`; a status other than 2xx is OutgoingFailed (net.status)."""
    answer = request(
        "GET", url, headers=headers, timeout=timeout, max_bytes=max_bytes, allow_private=allow_private, verify=verify
    )
    if not answer.ok:
        raise OutgoingFailed("net.status", url=_shown(answer.url), status=answer.status)
    return answer


def _read(response: httpx.Response, max_bytes: int) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise OutgoingFailed("net.too_large", max=max_bytes)
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > max_bytes:
            raise OutgoingFailed("net.too_large", max=max_bytes)
        chunks.append(chunk)
    return b"".join(chunks)


def _shown(url: str) -> str:
    """A URL for messages: without user and password, without the query (it may carry a key)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return f"{parts.scheme}://{host}{parts.path}"

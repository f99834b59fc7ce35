"""Outgoing requests (koers.integrations.net): refused ranges on the address check itself, real fetches only against
servers the test starts on 127.0.0.1 (with the allow switch on), and a loopback URL refused with the switch off
before any connection is made."""

from __future__ import annotations

import datetime as dt
import ipaddress
import socket
import ssl
from pathlib import Path
from typing import Any

import httpcore
import pytest

from koers.integrations import net
from koers.integrations.net import OutgoingFailed, OutgoingRefused, address_category, check_address
from tests.loopback import loopback_server

REFUSED_ALWAYS = {
    "169.254.169.254": "metadata",
    "169.254.170.2": "metadata",
    "168.63.129.16": "metadata",
    "100.100.100.200": "metadata",
    "fd00:ec2::254": "metadata",
    "::ffff:169.254.169.254": "metadata",  # IPv4-mapped
    "64:ff9b::a9fe:a9fe": "metadata",  # NAT64 of 169.254.169.254
    "169.254.1.1": "link_local",
    "fe80::1": "link_local",
    "224.0.0.1": "multicast",
    "239.255.255.250": "multicast",
    "ff02::1": "multicast",
    "0.0.0.0": "unspecified",
    "::": "unspecified",
    "240.0.0.1": "reserved",
    "255.255.255.255": "reserved",
    "192.0.0.8": "reserved",
    "2001::1": "reserved",  # Teredo
}
REFUSED_UNLESS_ALLOWED = {
    "127.0.0.1": "loopback",
    "127.255.0.9": "loopback",
    "::1": "loopback",
    "::ffff:127.0.0.1": "loopback",  # IPv4-mapped
    "::127.0.0.1": "loopback",  # IPv4-compatible
    "2002:7f00:1::": "loopback",  # 6to4 of 127.0.0.1
    "64:ff9b::a00:1": "private",  # NAT64 of 10.0.0.1
    "10.0.0.1": "private",
    "172.16.5.4": "private",
    "172.31.255.255": "private",
    "192.168.1.1": "private",
    "100.64.0.1": "private",  # carrier-grade NAT
    "198.18.0.1": "private",
    "fc00::1": "private",  # unique local
    "fd12:3456::1": "private",
    "::ffff:10.1.2.3": "private",
    "2001:db8::1": "private",
}
PUBLIC = ["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "::ffff:8.8.4.4", "172.32.0.1", "100.128.0.1"]


@pytest.fixture
def no_connections(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Fails the test if anything opens a TCP connection or resolves a name (records the attempts)."""
    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(args)
        raise AssertionError(f"a connection was attempted: {args}")

    monkeypatch.setattr(httpcore.SyncBackend, "connect_tcp", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    return attempts


@pytest.mark.parametrize(("address", "category"), sorted(REFUSED_ALWAYS.items()))
def test_ranges_that_are_never_reached_are_refused_even_with_private_networks_allowed(
    address: str, category: str
) -> None:
    assert address_category(ipaddress.ip_address(address)) == category
    for allow in (False, True):
        with pytest.raises(OutgoingRefused) as refused:
            check_address(address, allow_private=allow)
        assert refused.value.code == "net.address_refused"
        assert refused.value.params["range"] == category.replace("_", "-")


@pytest.mark.parametrize(("address", "category"), sorted(REFUSED_UNLESS_ALLOWED.items()))
def test_loopback_and_private_ranges_are_refused_unless_the_switch_allows_them(address: str, category: str) -> None:
    assert address_category(ipaddress.ip_address(address)) == category
    with pytest.raises(OutgoingRefused):
        check_address(address, allow_private=False)
    assert str(check_address(address, allow_private=True)) == str(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_pass_the_check(address: str) -> None:
    assert address_category(ipaddress.ip_address(address)) == "public"
    assert check_address(address, allow_private=False)


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "ftp://example.org/x", "gopher://example.org/", "javascript:alert(1)", "data:,1", "//x"],
)
def test_only_http_and_https_are_fetched(url: str, no_connections: list[Any]) -> None:
    with pytest.raises(OutgoingRefused) as refused:
        net.request("GET", url, allow_private=True)
    assert refused.value.code in ("net.scheme_refused", "net.url_invalid")
    assert not no_connections


@pytest.mark.parametrize("host", ["metadata.google.internal", "METADATA.google.internal.", "metadata", "instance-data"])
def test_metadata_host_names_are_refused_before_any_lookup(
    host: str, no_connections: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: pytest.fail("looked up"))
    with pytest.raises(OutgoingRefused) as refused:
        net.request("GET", f"http://{host}/computeMetadata/v1/", allow_private=True)
    assert refused.value.params["range"] == "metadata"


def _resolving(monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[str]]) -> list[str]:
    """Name resolution from a table (no DNS traffic); the names looked up, in order."""
    asked: list[str] = []

    def getaddrinfo(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        try:  # an address literal (the pinned connection itself) resolves to itself
            ipaddress.ip_address(host)
            return [(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM, 6, "", (host, port))]
        except ValueError:
            pass
        asked.append(host)
        if host not in answers:
            raise socket.gaierror(socket.EAI_NONAME, "unknown")
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
            for a in answers[host]
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


def test_a_name_is_checked_after_resolution_and_one_bad_address_refuses_it(
    monkeypatch: pytest.MonkeyPatch, no_connections: list[Any]
) -> None:
    _resolving(
        monkeypatch,
        {
            "inside.example": ["10.1.2.3"],
            "metadata.example": ["169.254.169.254"],
            "mixed.example": ["93.184.215.14", "127.0.0.1"],
            "mapped.example": ["::ffff:127.0.0.1"],
        },
    )
    for host, allow in (("inside.example", False), ("metadata.example", True), ("mixed.example", False)):
        with pytest.raises(OutgoingRefused):
            net.request("GET", f"http://{host}/kpi.json", allow_private=allow)
    with pytest.raises(OutgoingRefused):
        net.request("GET", "https://mapped.example/kpi.json", allow_private=False)
    assert not no_connections


def test_with_the_switch_off_a_loopback_url_is_refused_before_any_connection() -> None:
    with loopback_server(lambda method, path, body: (200, {}, b'{"nps": 71}')) as (base, seen):
        for url in (base + "/nps", base.replace("127.0.0.1", "localhost") + "/nps"):
            with pytest.raises(OutgoingRefused):
                net.fetch(url, allow_private=False)
        with pytest.raises(OutgoingRefused):
            net.request("POST", base + "/hook", content=b"{}", allow_private=False)
    assert seen.connections == 0 and seen.requests == []


def test_with_the_switch_on_a_loopback_server_is_fetched(monkeypatch: pytest.MonkeyPatch) -> None:
    with loopback_server(lambda method, path, body: (200, {"Content-Type": "application/json"}, b'{"nps": 71}')) as (
        base,
        seen,
    ):
        answer = net.fetch(base + "/nps", headers={"Authorization": "Bearer s3cret"}, allow_private=True)
        monkeypatch.setenv("KOERS_ALLOW_PRIVATE_NETWORKS", "1")
        posted = net.request("POST", base + "/hook", content=b'{"event": "x"}', headers={"X-A": "1"})
    assert answer.status == 200 and answer.content == b'{"nps": 71}'
    assert posted.status == 200
    assert [(m, p) for m, p, _, _ in seen.requests] == [("GET", "/nps"), ("POST", "/hook")]
    assert seen.requests[0][2]["Authorization"] == "Bearer s3cret"
    assert seen.requests[1][3] == b'{"event": "x"}'


def test_the_connection_goes_to_the_checked_address_and_the_host_header_keeps_the_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """DNS rebinding: the name is resolved once per connection, and that checked address is the one connected to."""
    with loopback_server(lambda method, path, body: (200, {}, b"1")) as (base, seen):
        port = base.rsplit(":", 1)[1]
        asked = _resolving(monkeypatch, {"kpi.example": ["127.0.0.1"]})
        net.fetch(f"http://kpi.example:{port}/v", allow_private=True)
    assert asked == ["kpi.example"]
    assert seen.requests[0][2]["Host"] == f"kpi.example:{port}"


def test_redirects_are_checked_again_and_at_most_five_are_followed(monkeypatch: pytest.MonkeyPatch) -> None:
    targets = {
        "/to-metadata": "http://169.254.169.254/latest/meta-data/",
        "/to-file": "file:///etc/passwd",
        "/to-zero": "http://0.0.0.0:80/",
    }

    def answer(method: str, path: str, body: bytes) -> tuple[int, dict[str, str], bytes]:
        if path in targets:
            return 302, {"Location": targets[path]}, b""
        if path.startswith("/loop"):
            return 302, {"Location": f"/loop{len(path)}"}, b""
        if path == "/hop":
            return 307, {"Location": "/final"}, b""
        return 200, {}, b"ok"

    with loopback_server(answer) as (base, seen):
        for path in targets:
            with pytest.raises(OutgoingRefused):
                net.fetch(base + path, allow_private=True)
        assert len(seen.requests) == 3  # each redirect target was refused before a connection
        with pytest.raises(OutgoingRefused) as too_many:
            net.fetch(base + "/loop", allow_private=True)
        assert too_many.value.code == "net.too_many_redirects"
        assert len(seen.requests) == 3 + 1 + net.MAX_REDIRECTS
        assert net.fetch(base + "/hop", allow_private=True).content == b"ok"


def test_a_redirect_from_a_public_server_to_a_private_address_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """The loopback server stands in for a public one (only 127.0.0.1 is reachable in tests): the address check sees
    127.0.0.1 as public, everything else as it is; with the switch off, its redirect to 10.0.0.1 and to 127.0.0.2
    is refused before a connection."""
    real = net.address_category
    monkeypatch.setattr(net, "address_category", lambda a: "public" if str(a) == "127.0.0.1" else real(a))
    locations = {"/a": "http://10.0.0.1/", "/b": "http://127.0.0.2:9/", "/c": "http://[::ffff:192.168.0.1]/"}
    with loopback_server(lambda method, path, body: (301, {"Location": locations[path]}, b"")) as (base, seen):
        for path in locations:
            with pytest.raises(OutgoingRefused) as refused:
                net.fetch(base + path, allow_private=False)
            assert refused.value.params["range"] in ("private", "loopback")
    assert len(seen.requests) == 3


def test_credentials_are_not_sent_on_to_another_host() -> None:
    with (
        loopback_server(lambda m, p, b: (200, {}, b"ok")) as (other, other_seen),
        loopback_server(lambda m, p, b: (302, {"Location": other.replace("127.0.0.1", "localhost") + "/x"}, b"")) as (
            base,
            _,
        ),
    ):
        net.fetch(base + "/", headers={"Authorization": "Bearer k", "X-Api": "1"}, allow_private=True)
    sent = other_seen.requests[0][2]
    assert "Authorization" not in sent and sent["X-Api"] == "1"


def test_a_body_over_the_limit_and_an_error_status_are_failures() -> None:
    with loopback_server(lambda m, p, b: (200, {}, b"x" * 5000) if p == "/big" else (503, {}, b"down")) as (base, _):
        with pytest.raises(OutgoingFailed) as large:
            net.fetch(base + "/big", max_bytes=1000, allow_private=True)
        assert large.value.code == "net.too_large"
        with pytest.raises(OutgoingFailed) as status:
            net.fetch(base + "/down?key=s3cret", allow_private=True)
        assert status.value.params["status"] == 503 and "s3cret" not in status.value.message
        assert net.request("GET", base + "/down", allow_private=True).status == 503


def test_a_closed_port_is_a_failure_not_a_crash() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    listener.close()
    with pytest.raises(OutgoingFailed) as failed:
        net.fetch(f"http://127.0.0.1:{port}/", allow_private=True, timeout=2)
    assert failed.value.code == "net.failed"


def _certificate(tmp_path: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A self-signed certificate for the name "localhost": the server's context and a client context trusting it."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(cert_file, key_file)
    client = ssl.create_default_context(cafile=str(cert_file))
    return server, client


def test_https_verifies_the_certificate_against_the_name_while_connecting_to_the_checked_address(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server_context, client_context = _certificate(tmp_path)
    with loopback_server(lambda m, p, b: (200, {}, b'{"v": 1}'), ssl_context=server_context) as (base, seen):
        port = base.rsplit(":", 1)[1]
        _resolving(monkeypatch, {"localhost": ["127.0.0.1"], "other.example": ["127.0.0.1"]})
        answer = net.fetch(f"https://localhost:{port}/v", allow_private=True, verify=client_context)
        assert answer.content == b'{"v": 1}'
        with pytest.raises(OutgoingFailed):  # the certificate names localhost, not other.example: refused
            net.fetch(f"https://other.example:{port}/v", allow_private=True, verify=client_context)
    assert seen.requests[0][2]["Host"] == f"localhost:{port}"

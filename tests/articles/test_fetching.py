"""Fetching URLs safely, against local test servers on 127.0.0.1: no database, no outside network."""

import gzip
import re
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import certifi
import pytest
import urllib3.util.connection

from articles.fetching import (
    FetchConnectionError,
    FetchedDocument,
    FetchError,
    FetchHTTPError,
    FetchTimeoutError,
    FetchTooLargeError,
    TooManyRedirectsError,
    UnsafeURLError,
    fetch_url,
)

TLS = Path(__file__).parent / "fixtures" / "tls"  # a self-signed certificate for news.test, for tests only
PAGE = "<html><head><title>Türkiye</title></head><body><p>Café</p></body></html>".encode()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # chunked responses need it

    def log_message(self, format, *args):  # keep test output quiet
        pass

    def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in {"Content-Length": str(len(body)), "Connection": "close", **(headers or {})}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.server.requests.append((self.path, self.headers.get("Host"), self.headers.get("User-Agent")))
        path, _, query = self.path.partition("?")
        if path == "/page":
            self._send(200, PAGE, {"Content-Type": 'text/html; charset="utf-8"'})
        elif path == "/redirect":
            self._send(302, headers={"Location": query})
        elif path == "/hop":  # /hop?2 redirects to /hop?1, which redirects to /page
            hops = int(query)
            self._send(301, headers={"Location": f"/hop?{hops - 1}" if hops > 1 else "/page"})
        elif path == "/loop":
            self._send(302, headers={"Location": "/loop"})
        elif path == "/status":
            self._send(int(query), b"error page", {"Content-Type": "text/html", "Retry-After": "30"})
        elif path == "/gzip-bomb":
            # 1 MB of text in about 1 kB on the wire: the limit must apply to what it unpacks to.
            self._send(200, gzip.compress(b"a" * 1_000_000), {"Content-Encoding": "gzip", "Content-Type": "text/plain"})
        elif path == "/gzip":
            self._send(200, gzip.compress(PAGE), {"Content-Encoding": "gzip", "Content-Type": "text/html"})
        elif path == "/echo-host":
            self._send(200, f"Host: {self.headers.get('Host')}".encode(), {"Content-Type": "text/plain"})
        elif path == "/redirect-raw":
            self._send(302, headers={"Location": "http://[::1"})
        elif path == "/big-declared":
            # Claims more than the limit; the client must refuse before reading.
            self._send(200, b"x" * 100, {"Content-Length": "2000000"})
        elif path == "/big-chunked":
            self.send_response(200)
            self.send_header("Transfer-Encoding", "chunked")
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self._write_until_closed(lambda chunk: b"%x\r\n%s\r\n" % (len(chunk), chunk))
        elif path == "/big-unframed":
            # Neither length nor chunks: the body ends when the server closes the connection.
            self.send_response(200)
            self.send_header("Connection", "close")
            self.end_headers()
            self._write_until_closed(lambda chunk: chunk)
        elif path == "/slow":
            self.send_response(200)
            self.send_header("Content-Length", "100")
            self.end_headers()
            self._trickle()
        elif path == "/slow-headers":
            self.wfile.write(b"HTTP/1.1 200 OK\r\n")
            self._trickle(b"X-Slow: ")
        else:
            self._send(404, b"not found")

    def _write_until_closed(self, frame) -> None:
        try:
            for _ in range(1000):  # 64 MB at most, should the client fail to stop
                self.wfile.write(frame(b"y" * 65536))
        except OSError:
            pass  # the client hung up, as it should

    def _trickle(self, prefix: bytes = b"") -> None:
        try:
            self.wfile.write(prefix)
            for _ in range(25):
                self.wfile.write(b"z")
                self.wfile.flush()
                time.sleep(0.2)
        except OSError:
            pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, *, tls: bool = False) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[tuple[str, str | None, str | None]] = []
        if tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(TLS / "news.test.crt", TLS / "news.test.key")
            self.socket = context.wrap_socket(self.socket, server_side=True)

    @property
    def port(self) -> int:
        return self.server_address[1]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def allowed(self) -> frozenset[str]:
        # Only this port: other services on 127.0.0.1 stay out of reach.
        return frozenset({f"127.0.0.1:{self.port}"})


def _start(*, tls: bool = False) -> _Server:
    server = _Server(tls=tls)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server


@pytest.fixture
def server() -> Iterator[_Server]:
    server = _start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def other_server() -> Iterator[_Server]:
    server = _start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def tls_server(monkeypatch) -> Iterator[_Server]:
    """An HTTPS server for news.test (and, falsely, other.test): both names resolve to it."""
    server = _start(tls=True)
    real_getaddrinfo = socket.getaddrinfo

    def test_dns(host, port, *args, **kwargs):
        return real_getaddrinfo("127.0.0.1" if host in ("news.test", "other.test") else host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", test_dns)
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def no_connections(monkeypatch) -> list[tuple[str, int]]:
    """Fails any attempt to open a connection, recording where it would have gone."""
    attempts: list[tuple[str, int]] = []

    def refuse(address, *args, **kwargs):
        attempts.append(address)
        raise AssertionError(f"tried to connect to {address}")

    monkeypatch.setattr(urllib3.util.connection, "create_connection", refuse)
    return attempts


# --- fetching -------------------------------------------------------------------------------------------------------


def test_fetch_returns_the_body_and_its_declared_type(server):
    document = fetch_url(f"{server.base}/page#ignored", allowed_hosts=server.allowed, user_agent="tracker-test")

    assert document == FetchedDocument(
        url=f"{server.base}/page", status=200, content_type="text/html", charset="utf-8", body=PAGE
    )
    assert server.requests == [("/page", f"127.0.0.1:{server.port}", "tracker-test")]


def test_fetch_follows_redirects_within_the_limit(server):
    document = fetch_url(f"{server.base}/hop?3", allowed_hosts=server.allowed, max_redirects=3)

    assert document.url == f"{server.base}/page"
    assert document.body == PAGE
    assert [path for path, _, _ in server.requests] == ["/hop?3", "/hop?2", "/hop?1", "/page"]


def test_fetch_encodes_what_cannot_go_on_the_request_line(server):
    with pytest.raises(FetchHTTPError):  # the test server knows no such page; what matters is what it was asked
        fetch_url(f"{server.base}/page café?q=Côte d'Ivoire&x=%2F", allowed_hosts=server.allowed)

    assert server.requests[0][0] == "/page%20caf%C3%A9?q=C%C3%B4te%20d'Ivoire&x=%2F"


def test_fetch_unpacks_a_gzip_body(server):
    assert fetch_url(f"{server.base}/gzip", allowed_hosts=server.allowed).body == PAGE


def test_https_connects_to_the_resolved_address_with_the_host_name_for_tls(tls_server, monkeypatch):
    monkeypatch.setattr(certifi, "where", lambda: str(TLS / "news.test.crt"))
    url = f"https://news.test:{tls_server.port}/echo-host"

    document = fetch_url(url, allowed_hosts=frozenset({"news.test"}))

    assert document.body == f"Host: news.test:{tls_server.port}".encode()


def test_https_checks_the_certificate_against_the_host_name(tls_server, monkeypatch):
    monkeypatch.setattr(certifi, "where", lambda: str(TLS / "news.test.crt"))

    with pytest.raises(FetchConnectionError, match=r"TLS error.*not valid for 'other\.test'") as failure:
        fetch_url(f"https://other.test:{tls_server.port}/page", allowed_hosts=frozenset({"other.test"}))
    assert failure.value.transient is False


def test_https_refuses_an_untrusted_certificate(tls_server):
    with pytest.raises(FetchConnectionError, match=r"TLS error.*certificate verify failed") as failure:
        fetch_url(f"https://news.test:{tls_server.port}/page", allowed_hosts=frozenset({"news.test"}))
    assert failure.value.transient is False


def test_fetch_with_allow_private_reaches_any_local_address(server):
    assert fetch_url(f"{server.base}/page", allow_private=True).body == PAGE


def test_localhost_is_refused_unless_allowed(server):
    url = f"http://localhost:{server.port}/page"

    with pytest.raises(UnsafeURLError, match=r"refused: .* is a loopback address"):
        fetch_url(url)
    assert server.requests == []
    assert fetch_url(url, allowed_hosts=frozenset({"localhost"})).body == PAGE


# --- refused URLs ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1/", "127.0.0.1 is a loopback address"),
        ("http://127.1.2.3:8080/admin", "127.1.2.3 is a loopback address"),
        ("http://[::1]/", "::1 is a loopback address"),
        ("http://0.0.0.0/", "0.0.0.0 is an unspecified address"),
        ("http://10.1.2.3/", "10.1.2.3 is a private address"),
        ("http://172.16.0.1/", "172.16.0.1 is a private address"),
        ("https://192.168.1.1/", "192.168.1.1 is a private address"),
        ("http://[fd12:3456::1]/", "fd12:3456::1 is a private address"),
        ("http://100.64.0.1/", "100.64.0.1 is a shared address space"),
        ("http://169.254.10.20/", "169.254.10.20 is a link-local address"),
        ("http://[fe80::1]/", "fe80::1 is a link-local address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a cloud metadata address"),
        ("http://[fd00:ec2::254]/", "fd00:ec2::254 is a cloud metadata address"),
        ("http://224.0.0.1/", "224.0.0.1 is a multicast address"),
        ("http://240.0.0.1/", "240.0.0.1 is a reserved address"),
        ("http://192.0.2.10/", "192.0.2.10 is not a public address"),
        ("http://[::ffff:127.0.0.1]/", r"127.0.0.1 is a loopback address \(embedded in ::ffff:7f00:1\)"),
        ("http://[::ffff:169.254.169.254]/", "169.254.169.254 is a cloud metadata address"),
        ("http://[::ffff:10.0.0.1]/", "10.0.0.1 is a private address"),
        ("http://[64:ff9b::7f00:1]/", "127.0.0.1 is a loopback address"),
        ("http://[2002:c0a8:0101::1]/", "192.168.1.1 is a private address"),
        ("http://2130706433/", "127.0.0.1 is a loopback address"),  # a decimal IPv4 literal
        ("http://0x7f.0.0.1/", "127.0.0.1 is a loopback address"),  # a hex one
    ],
)
def test_internal_addresses_are_refused_without_connecting(url, reason, no_connections):
    with pytest.raises(UnsafeURLError, match=f"^refused: {reason}") as refusal:
        fetch_url(url)

    assert refusal.value.transient is False
    assert no_connections == []


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("ftp://example.com/file.txt", "scheme 'ftp' is not http or https"),
        ("file:///etc/passwd", "scheme 'file' is not http or https"),
        ("gopher://127.0.0.1:6379/_INFO", "scheme 'gopher'"),
        ("example.com/page", r"scheme '\(none\)'"),
        ("http://user:secret@example.com/", "URLs with credentials are not fetched"),
        ("http://user@example.com/", "URLs with credentials are not fetched"),
        ("http:///path-only", "has no host"),
        ("http://example.com:99999/", "invalid URL"),
        ("http://example.com/\x00admin", "control characters"),
        ("http://" + "a" * 64 + ".example/", "invalid host name"),  # a DNS label is at most 63 characters
    ],
)
def test_urls_outside_the_policy_are_refused(url, reason, no_connections):
    with pytest.raises(UnsafeURLError, match=reason):
        fetch_url(url)

    assert no_connections == []


def test_a_host_with_any_internal_address_is_refused(monkeypatch, no_connections):
    # One public and one private answer: the private one could be picked on a later connect, so refuse.
    answers = [("93.184.216.34", 80), ("10.0.0.5", 80)]
    monkeypatch.setattr(
        socket, "getaddrinfo", lambda *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", sa) for sa in answers]
    )

    with pytest.raises(UnsafeURLError, match=re.escape("10.0.0.5 is a private address")):
        fetch_url("http://news.example/story")
    assert no_connections == []


def test_the_connection_goes_to_the_validated_address_not_a_fresh_lookup(monkeypatch, no_connections):
    # DNS rebinding: the first lookup answers a public address, later ones a loopback address.
    lookups: list[str] = []

    def rebinding_getaddrinfo(host, port, *args, **kwargs):
        address = "93.184.216.34" if not lookups else "127.0.0.1"
        lookups.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding_getaddrinfo)

    with pytest.raises(AssertionError, match="tried to connect"):
        fetch_url("http://news.example/story")

    assert lookups == ["news.example"]
    assert no_connections == [("93.184.216.34", 80)]


def test_a_connection_that_lands_elsewhere_is_refused(monkeypatch, server):
    # Whatever happens below us (a proxy, a patched resolver), the peer must be the address we validated.
    def connect_to_test_server(address, *args, **kwargs):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.connect(("127.0.0.1", server.port))
        return sock

    monkeypatch.setattr(
        socket,
        "getaddrinfo",
        lambda host, port, *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.216.34", port))],
    )
    monkeypatch.setattr(
        urllib3.util.connection,
        "create_connection",
        connect_to_test_server,
    )

    with pytest.raises(UnsafeURLError, match=re.escape("connected to 127.0.0.1, expected 93.184.216.34")):
        fetch_url(f"http://news.example:{server.port}/page")
    assert server.requests == []


def test_redirect_to_another_local_port_is_refused(server, other_server):
    target = f"http://127.0.0.1:{other_server.port}/page"

    with pytest.raises(UnsafeURLError, match=re.escape("refused: 127.0.0.1 is a loopback address")):
        fetch_url(f"{server.base}/redirect?{target}", allowed_hosts=server.allowed)

    assert [path for path, _, _ in server.requests] == [f"/redirect?{target}"]
    assert other_server.requests == []


def test_redirect_to_the_metadata_service_is_refused(server, monkeypatch):
    with pytest.raises(UnsafeURLError, match=re.escape("refused: 169.254.169.254 is a cloud metadata address")):
        fetch_url(f"{server.base}/redirect?http://169.254.169.254/latest/meta-data/", allowed_hosts=server.allowed)


def test_redirect_to_a_malformed_location_is_refused(server):
    with pytest.raises(UnsafeURLError, match="invalid"):
        fetch_url(f"{server.base}/redirect-raw", allowed_hosts=server.allowed)


def test_redirect_to_another_scheme_is_refused(server):
    with pytest.raises(UnsafeURLError, match="scheme 'file'"):
        fetch_url(f"{server.base}/redirect?file:///etc/passwd", allowed_hosts=server.allowed)


# --- limits ---------------------------------------------------------------------------------------------------------


def test_redirect_loop_stops_at_the_limit(server):
    with pytest.raises(TooManyRedirectsError, match="stopped after 4 redirects") as stopped:
        fetch_url(f"{server.base}/loop", allowed_hosts=server.allowed, max_redirects=4)

    assert len(server.requests) == 5
    assert stopped.value.transient is False


def test_too_many_redirects_even_when_they_lead_somewhere(server):
    with pytest.raises(TooManyRedirectsError):
        fetch_url(f"{server.base}/hop?3", allowed_hosts=server.allowed, max_redirects=2)


def test_declared_oversize_body_is_refused_before_reading(server):
    with pytest.raises(FetchTooLargeError, match="2000000 bytes, more than the limit of 1000"):
        fetch_url(f"{server.base}/big-declared", allowed_hosts=server.allowed, max_bytes=1000)


@pytest.mark.parametrize("path", ["/big-chunked", "/big-unframed", "/gzip-bomb"])
def test_oversize_body_without_a_length_is_aborted_while_streaming(server, path):
    started = time.monotonic()

    with pytest.raises(FetchTooLargeError, match="more than the limit of 200000 bytes") as too_large:
        fetch_url(f"{server.base}{path}", allowed_hosts=server.allowed, max_bytes=200_000)

    assert too_large.value.transient is False
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("path", ["/slow", "/slow-headers"])
def test_a_trickling_server_hits_the_total_deadline(server, path):
    started = time.monotonic()

    with pytest.raises(FetchTimeoutError, match="timed out after 1 s") as timed_out:
        fetch_url(f"{server.base}{path}", allowed_hosts=server.allowed, timeout=1.0)

    elapsed = time.monotonic() - started
    assert 0.9 < elapsed < 2.0  # each byte arrives well within any per-read timeout; only the deadline stops it
    assert timed_out.value.transient is True


# --- errors ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "transient"), [(404, False), (410, False), (403, False), (429, True), (503, True)])
def test_http_errors_say_whether_a_retry_may_help(server, status, transient):
    url = f"{server.base}/status?{status}"

    with pytest.raises(FetchHTTPError) as failure:
        fetch_url(url, allowed_hosts=server.allowed)

    assert str(failure.value) == f"HTTP {status} from {url}"
    assert (failure.value.status, failure.value.transient) == (status, transient)
    assert failure.value.retry_after == 30


def test_a_closed_port_is_a_transient_connection_error():
    # A bound socket that never listens: connecting to its port is refused, and nobody else can take the port.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]

        with pytest.raises(FetchConnectionError, match=f"could not connect to http://127.0.0.1:{port}/") as failure:
            fetch_url(f"http://127.0.0.1:{port}/", allow_private=True, timeout=2)

    assert failure.value.transient is True


def test_an_unknown_host_is_not_worth_retrying(monkeypatch):
    def nxdomain(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", nxdomain)

    with pytest.raises(FetchConnectionError, match=re.escape("could not resolve nowhere.example")) as failure:
        fetch_url("https://nowhere.example/")
    assert failure.value.transient is False


def test_every_error_is_a_fetch_error():
    for error in (UnsafeURLError, FetchTooLargeError, FetchTimeoutError, TooManyRedirectsError, FetchConnectionError):
        assert issubclass(error, FetchError)
    assert issubclass(FetchHTTPError, FetchError)

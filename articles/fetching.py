"""Fetch a document by URL without letting the URL reach inside our network (SSRF).

Each hop: validate the URL, resolve the host once, refuse the hop if any resolved address is not public, then
connect to that validated address itself (the name is never resolved again, so DNS rebinding cannot swap it) while
sending the real Host header and TLS server name. Redirects are followed by hand so every Location goes through the
same checks. One deadline covers the whole fetch, redirects included.

Pure Python on purpose: no Django; the caller passes settings in as arguments.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import socket
import ssl
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import SplitResult, quote, urljoin, urlsplit, urlunsplit

import certifi
import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection

__all__ = [
    "FetchConnectionError",
    "FetchError",
    "FetchHTTPError",
    "FetchTimeoutError",
    "FetchTooLargeError",
    "FetchedDocument",
    "TooManyRedirectsError",
    "UnsafeURLError",
    "check_target",
    "fetch_url",
    "post_url",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


# --- errors ---------------------------------------------------------------------------------------------------------


class FetchError(Exception):
    """A URL that could not be fetched. `transient` says whether trying again later may succeed."""

    transient: bool = False

    def __init__(self, message: str, *, transient: bool | None = None) -> None:
        super().__init__(message)
        if transient is not None:
            self.transient = transient


class UnsafeURLError(FetchError):
    """The URL is refused by policy (scheme, credentials, or an address inside our network)."""


class FetchTooLargeError(FetchError):
    """The body is larger than max_bytes."""


class FetchTimeoutError(FetchError):
    """The fetch did not finish before its deadline."""

    transient = True


class TooManyRedirectsError(FetchError):
    """More than max_redirects redirects."""


class FetchConnectionError(FetchError):
    """The server could not be reached or broke the connection; transient unless a retry cannot help."""

    transient = True


class FetchHTTPError(FetchError):
    """The server answered with status >= 400; only 408, 429 and 5xx are worth retrying."""

    def __init__(self, status: int, url: str, *, retry_after: float | None = None) -> None:
        super().__init__(f"HTTP {status} from {url}", transient=status in (408, 429) or status >= 500)
        self.status = status
        self.url = url
        self.retry_after = retry_after


# --- result ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FetchedDocument:
    url: str
    status: int
    content_type: str | None
    charset: str | None
    body: bytes
    # What a conditional GET sends back next time (If-None-Match, If-Modified-Since); a 304 has an empty body.
    etag: str | None = field(default=None, compare=False)
    last_modified: str | None = field(default=None, compare=False)


# --- address policy -------------------------------------------------------------------------------------------------

_METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean
        "169.254.170.2",  # AWS ECS task metadata
        "100.100.100.200",  # Alibaba Cloud
        "fd00:ec2::254",  # AWS over IPv6
    )
)
_SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")
# RFC 1918 and IPv6 unique-local; Python's is_private is broader (documentation ranges, 240/4...), which would
# make the refusal messages misleading; those ranges are still refused below as reserved or not public.
_PRIVATE_NETWORKS = tuple(
    ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def _address_problem(ip: IPAddress) -> str | None:
    """Why connecting to ip would reach inside a network rather than the public internet, or None if it is public."""
    if isinstance(ip, ipaddress.IPv6Address):
        # IPv6 forms that carry an IPv4 address reach that IPv4 address, so judge the embedded one.
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in _NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            problem = _address_problem(embedded)
            return f"{problem} (embedded in {ip})" if problem else None
    # Order matters: the specific categories come before the broad ones that also contain them.
    if ip in _METADATA_ADDRESSES:
        return f"{ip} is a cloud metadata address"
    if ip.is_unspecified:
        return f"{ip} is an unspecified address"
    if ip.is_loopback:
        return f"{ip} is a loopback address"
    if ip.is_link_local:
        return f"{ip} is a link-local address"
    if ip.is_multicast:
        return f"{ip} is a multicast address"
    if isinstance(ip, ipaddress.IPv4Address) and ip in _SHARED_ADDRESS_SPACE:
        return f"{ip} is a shared address space (carrier-grade NAT) address"
    if any(ip in network for network in _PRIVATE_NETWORKS):
        return f"{ip} is a private address"
    if ip.is_reserved:
        return f"{ip} is a reserved address"
    # Whatever else IANA marks as not globally reachable (documentation, benchmarking, ...).
    if not ip.is_global:
        return f"{ip} is not a public address"
    return None


# --- URL checks -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Target:
    url: str
    scheme: str
    host: str  # lower case, no trailing dot, no brackets
    port: int
    path: str  # path and query, as sent in the request line

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default_port = 443 if self.scheme == "https" else 80
        return host if self.port == default_port else f"{host}:{self.port}"


_PATH_SAFE = "!#$%&'()*+,/:;=?@[]~"


def _parse_target(url: str) -> _Target:
    try:
        parts: SplitResult = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:  # a bad port or a malformed IPv6 literal
        raise UnsafeURLError(f"refused: invalid URL {url!r} ({exc})") from exc
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise UnsafeURLError(f"refused: scheme {scheme or '(none)'!r} is not http or https")
    if parts.username is not None or parts.password is not None:
        raise UnsafeURLError("refused: URLs with credentials are not fetched")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise UnsafeURLError(f"refused: URL {url!r} has no host")
    if any(ord(char) < 32 or ord(char) == 127 for char in url):
        raise UnsafeURLError(f"refused: invalid URL {url!r} (control characters)")
    try:
        # DNS, the Host header and TLS all want the ASCII form of an internationalised name.
        host = host.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise UnsafeURLError(f"refused: invalid host name in {url!r}") from exc
    # Percent-encode what cannot go on the request line as is (spaces, non-ASCII), leaving existing escapes alone.
    path = quote(parts.path or "/", safe=_PATH_SAFE)
    if parts.query:
        path = f"{path}?{quote(parts.query, safe=_PATH_SAFE)}"
    # The fragment never goes to the server; drop it from the URL we report too.
    clean_url = urlunsplit((scheme, parts.netloc, parts.path or "/", parts.query, ""))
    return _Target(clean_url, scheme, host, port or (443 if scheme == "https" else 80), path)


def _is_allowed_host(target: _Target, allowed_hosts: frozenset[str]) -> bool:
    # "host" allows every port of that host, "host:port" only that port: a test server on 127.0.0.1:8765 must not
    # open every other service on 127.0.0.1.
    entries = {entry.strip().lower().rstrip(".") for entry in allowed_hosts}
    host = f"[{target.host}]" if ":" in target.host else target.host
    return target.host in entries or host in entries or f"{host}:{target.port}" in entries


def _resolve(target: _Target, *, check: bool) -> list[IPAddress]:
    """Every address the host resolves to; all of them must be public when check is set."""
    try:
        addresses = [ipaddress.ip_address(target.host)]
    except ValueError:
        try:
            infos = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            # "Try again" is a resolver hiccup; "no such name" will not change on a retry.
            raise FetchConnectionError(
                f"could not resolve {target.host}: {exc.strerror}", transient=exc.errno == socket.EAI_AGAIN
            ) from exc
        # Drop IPv6 scope ids ("fe80::1%eth0") before parsing; the address itself is what is judged.
        addresses = list(dict.fromkeys(ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos))
    if check:
        for address in addresses:
            problem = _address_problem(address)
            if problem:
                raise UnsafeURLError(f"refused: {problem}")
    if not addresses:
        raise FetchConnectionError(f"could not resolve {target.host}")
    return addresses


# --- connections pinned to the validated address --------------------------------------------------------------------


class _Deadline:
    """One deadline for the whole fetch; when it passes, the open socket is shut down to unblock any read.

    Per-socket timeouts alone do not bound a fetch: a server trickling one byte per second never trips them.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expires_at = time.monotonic() + seconds
        self.expired = False
        self._socket: socket.socket | None = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._timer.cancel()

    def remaining(self) -> float:
        left = self.expires_at - time.monotonic()
        if left <= 0 or self.expired:
            raise FetchTimeoutError(f"timed out after {self.seconds:g} s")
        return left

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._socket = sock
            if self.expired:
                _shutdown(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            if self._socket is not None:
                _shutdown(self._socket)


def _shutdown(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already closed
        sock.shutdown(socket.SHUT_RDWR)


class _PinnedConnectionMixin:
    """Checks, right after the TCP connect, that the peer is the address we validated, and hands the socket to the
    deadline. Overrides urllib3's _new_conn so it also runs before any TLS handshake."""

    expected_ip: IPAddress
    deadline: _Deadline

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()  # type: ignore[misc]
        self.deadline.watch(sock)
        peer = ipaddress.ip_address(str(sock.getpeername()[0]).split("%")[0])
        if peer != self.expected_ip:
            sock.close()
            raise UnsafeURLError(f"refused: connected to {peer}, expected {self.expected_ip}")
        return sock


class _PinnedHTTPConnection(_PinnedConnectionMixin, HTTPConnection):
    pass


class _PinnedHTTPSConnection(_PinnedConnectionMixin, HTTPSConnection):
    pass


def _open_connection(target: _Target, address: IPAddress, deadline: _Deadline) -> HTTPConnection:
    if target.scheme == "https":
        # Connect to the IP, but present and verify the certificate for the host name (SNI + hostname check).
        tls_name = None if target.host == str(address) else target.host
        conn: HTTPConnection = _PinnedHTTPSConnection(
            str(address),
            target.port,
            timeout=deadline.remaining(),
            server_hostname=tls_name,
            cert_reqs="CERT_REQUIRED",
            ca_certs=certifi.where(),
        )
    else:
        conn = _PinnedHTTPConnection(str(address), target.port, timeout=deadline.remaining())
    conn.expected_ip = address  # type: ignore[attr-defined]
    conn.deadline = deadline  # type: ignore[attr-defined]
    return conn


def _connect(target: _Target, addresses: list[IPAddress], deadline: _Deadline) -> HTTPConnection:
    """A connection to the first validated address that accepts one (a host may list IPv6 and IPv4)."""
    last_error: Exception | None = None
    for address in addresses:
        conn = _open_connection(target, address, deadline)
        try:
            conn.connect()
            return conn
        except (OSError, urllib3.exceptions.HTTPError) as exc:
            conn.close()
            last_error = exc
            if deadline.expired:
                break
    raise _translate(last_error or OSError("no address"), target, deadline) from last_error


def _translate(exc: BaseException, target: _Target, deadline: _Deadline) -> FetchError:
    """Our error for a low-level failure. Anything that happens after the deadline is the deadline's fault."""
    if isinstance(exc, FetchError):
        return exc
    if deadline.expired:
        return FetchTimeoutError(f"timed out after {deadline.seconds:g} s fetching {target.url}")
    # urllib3 files "connection refused" under its connect-timeout class, so test for it first.
    if isinstance(exc, urllib3.exceptions.NewConnectionError):
        return FetchConnectionError(f"could not connect to {target.url}: {exc.__cause__ or exc}")
    if isinstance(exc, (TimeoutError, urllib3.exceptions.TimeoutError)):
        return FetchTimeoutError(f"timed out fetching {target.url}")
    cause = exc.__cause__ or exc.__context__
    if isinstance(exc, ssl.SSLError) or isinstance(cause, ssl.SSLError):
        # A bad certificate will still be bad in five minutes.
        return FetchConnectionError(f"TLS error with {target.url}: {exc}", transient=False)
    return FetchConnectionError(f"connection to {target.url} failed: {exc}")


# --- fetching -------------------------------------------------------------------------------------------------------

_REDIRECT_STATUSES = {301, 302, 303, 307, 308}
_NOT_MODIFIED = 304
_ACCEPT = "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.5"
_READ_CHUNK = 64 * 1024


def _split_content_type(value: str | None) -> tuple[str | None, str | None]:
    if not value:
        return None, None
    mime, _, params = value.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, param_value = param.partition("=")
        if key.strip().lower() == "charset" and param_value.strip():
            charset = param_value.strip().strip("\"'")
    return (mime.strip().lower() or None), charset


def _retry_after(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None  # an HTTP date; rare enough to leave to the caller's own backoff


def _read_body(response: urllib3.BaseHTTPResponse, target: _Target, max_bytes: int, deadline: _Deadline) -> bytes:
    length = response.headers.get("Content-Length")
    if length and length.strip().isdigit() and int(length) > max_bytes:
        raise FetchTooLargeError(f"{target.url} is {int(length)} bytes, more than the limit of {max_bytes}")
    chunks: list[bytes] = []
    size = 0
    while True:
        deadline.remaining()
        chunk = response.read(_READ_CHUNK)
        if not chunk:
            break
        size += len(chunk)
        # Counted after decompression, so a small gzip bomb is caught as well.
        if size > max_bytes:
            raise FetchTooLargeError(f"{target.url} is more than the limit of {max_bytes} bytes")
        chunks.append(chunk)
    # A shut-down socket reads as a clean end of body; do not mistake a truncated body for a whole one.
    deadline.remaining()
    return b"".join(chunks)


def _fetch_once(
    target: _Target,
    *,
    addresses: list[IPAddress],
    max_bytes: int,
    deadline: _Deadline,
    user_agent: str,
    headers: Mapping[str, str],
) -> tuple[urllib3.BaseHTTPResponse, bytes | None]:
    """One request. Returns the response and its body, or no body for a redirect or a 304."""
    conn = _connect(target, addresses, deadline)
    try:
        conn.request(
            "GET",
            target.path,
            headers={
                "Accept": _ACCEPT,
                **headers,
                "Host": target.host_header,
                "User-Agent": user_agent,
                "Accept-Encoding": "gzip, deflate",
                "Connection": "close",
            },
            preload_content=False,
        )
        response = conn.getresponse()
        if response.status in _REDIRECT_STATUSES or response.status >= 400 or response.status == _NOT_MODIFIED:
            return response, None
        return response, _read_body(response, target, max_bytes, deadline)
    except (OSError, http.client.HTTPException, urllib3.exceptions.HTTPError) as exc:
        raise _translate(exc, target, deadline) from exc
    finally:
        conn.close()


def fetch_url(
    url: str,
    *,
    max_bytes: int = 5_000_000,
    timeout: float = 10.0,
    max_redirects: int = 5,
    allow_private: bool = False,
    allowed_hosts: frozenset[str] = frozenset(),
    user_agent: str = "alliance-tracker/1.0",
    headers: Mapping[str, str] | None = None,
) -> FetchedDocument:
    """GET url, following redirects, with every hop checked against the address policy.

    allow_private switches the address policy off (development); allowed_hosts lists "host" or "host:port"
    entries exempt from it (a test server). `timeout` bounds the whole fetch, redirects included. `headers` adds
    request headers (Accept, If-None-Match, If-Modified-Since), never the ones the fetcher itself must control; a
    304 Not Modified is returned as a document with status 304 and an empty body.
    Raises a FetchError subclass; `error.transient` says whether a retry may help.
    """
    with _Deadline(timeout) as deadline:
        redirects = 0
        while True:
            target = _parse_target(url)
            exempt = allow_private or _is_allowed_host(target, allowed_hosts)
            addresses = _resolve(target, check=not exempt)
            response, body = _fetch_once(
                target,
                addresses=addresses,
                max_bytes=max_bytes,
                deadline=deadline,
                user_agent=user_agent,
                headers=headers or {},
            )
            status = response.status
            if status in _REDIRECT_STATUSES:
                location = response.headers.get("Location")
                if not location:
                    raise FetchError(f"HTTP {status} from {target.url} without a Location header")
                if redirects >= max_redirects:
                    raise TooManyRedirectsError(f"stopped after {max_redirects} redirects at {target.url}")
                redirects += 1
                try:
                    url = urljoin(target.url, location.strip())
                except ValueError as exc:  # e.g. an unclosed IPv6 bracket
                    raise UnsafeURLError(f"refused: invalid redirect Location {location!r}") from exc
                continue
            if status >= 400:
                raise FetchHTTPError(status, target.url, retry_after=_retry_after(response.headers.get("Retry-After")))
            content_type, charset = _split_content_type(response.headers.get("Content-Type"))
            return FetchedDocument(
                url=target.url,
                status=status,
                content_type=content_type,
                charset=charset,
                body=body or b"",
                etag=response.headers.get("ETag"),
                last_modified=response.headers.get("Last-Modified"),
            )


def check_target(url: str, *, allow_private: bool = False, allowed_hosts: frozenset[str] = frozenset()) -> None:
    """Refuse, with UnsafeURLError, a URL the address policy refuses now (a target saved for later requests).

    A name that does not resolve today is let through: it may tomorrow, and every request checks again.
    """
    target = _parse_target(url)
    if allow_private or _is_allowed_host(target, allowed_hosts):
        return
    try:
        _resolve(target, check=True)
    except UnsafeURLError:
        raise
    except FetchError:
        pass


def post_url(
    url: str,
    *,
    body: bytes,
    headers: dict[str, str],
    timeout: float = 10.0,
    allow_private: bool = False,
    allowed_hosts: frozenset[str] = frozenset(),
    user_agent: str = "alliance-tracker/1.0",
) -> int:
    """POST body to url under the same address policy as fetch_url; returns the HTTP status of a 2xx answer.

    Redirects are not followed: a POST that moved would be sent somewhere its sender never checked. `timeout`
    bounds the whole exchange. Raises a FetchError subclass (FetchHTTPError for a 3xx, 4xx or 5xx answer).
    """
    with _Deadline(timeout) as deadline:
        target = _parse_target(url)
        exempt = allow_private or _is_allowed_host(target, allowed_hosts)
        addresses = _resolve(target, check=not exempt)
        conn = _connect(target, addresses, deadline)
        try:
            conn.request(
                "POST",
                target.path,
                body=body,
                headers={
                    "Host": target.host_header,
                    "User-Agent": user_agent,
                    "Content-Length": str(len(body)),
                    "Connection": "close",
                    **headers,
                },
                preload_content=False,
            )
            response = conn.getresponse()
            status = response.status
        except (OSError, http.client.HTTPException, urllib3.exceptions.HTTPError) as exc:
            raise _translate(exc, target, deadline) from exc
        finally:
            conn.close()
        if status >= 300:
            raise FetchHTTPError(status, target.url, retry_after=_retry_after(response.headers.get("Retry-After")))
        return status

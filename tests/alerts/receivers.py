"""Real receivers for alert tests: an HTTP server that checks webhook signatures, and an SMTP server (aiosmtpd)."""

from __future__ import annotations

import contextlib
import email
import email.policy
import http.server
import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller

from alerts.signing import HEADER, verify
from tests.processes import free_port


@dataclass
class WebhookReceiver:
    """Answers each POST with the next planned behaviour ("ok", "fail" for a 503, "hang" for longer than the sender
    waits), then "ok" once the plan is used up. Records every request and whether its signature verified."""

    secret: str = ""
    plan: list[str] = field(default_factory=list)
    hang_seconds: float = 3.0
    requests: list[dict] = field(default_factory=list)
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/tracker"

    def delivered(self) -> list[dict]:
        return [r for r in self.requests if r["answered"] == 200]

    def _handle(self, handler: http.server.BaseHTTPRequestHandler) -> None:
        body = handler.rfile.read(int(handler.headers.get("Content-Length") or 0))
        behaviour = self.plan.pop(0) if self.plan else "ok"
        record = {
            "path": handler.path,
            "body": json.loads(body),
            "raw": body,
            "headers": dict(handler.headers),
            "verified": verify(handler.headers.get(HEADER, ""), body, self.secret),
            "answered": None,
        }
        self.requests.append(record)
        if behaviour == "hang":
            time.sleep(self.hang_seconds)
        status = 200 if behaviour == "ok" and record["verified"] else 503 if behaviour == "fail" else 401
        record["answered"] = status
        with contextlib.suppress(OSError):  # the sender may have given up on a hung answer
            handler.send_response(status)
            handler.send_header("Content-Length", "0")
            handler.end_headers()


@contextlib.contextmanager
def webhook_receiver(secret: str = "", plan: list[str] | None = None) -> Iterator[WebhookReceiver]:
    receiver = WebhookReceiver(secret=secret, plan=list(plan or []))

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            receiver._handle(self)

        def log_message(self, format: str, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receiver.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()


class _Mailbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 OK"


@contextlib.contextmanager
def smtp_server() -> Iterator[tuple[int, list]]:
    """A real SMTP server on a free local port; yields (port, the messages it received)."""
    mailbox = _Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, mailbox.messages
    finally:
        controller.stop()

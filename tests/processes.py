"""Real processes for integration tests: a Redis server of the test's own, a Celery worker, gunicorn serving the app,
a local web server.

Nothing here is mocked: the worker is `celery -A tracker worker` in a subprocess, on the test database.
"""

from __future__ import annotations

import contextlib
import http.server
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(
    condition: Callable[[], bool],
    *,
    timeout: float,
    interval: float = 0.2,
    what: str = "",
    log: Callable[[], str] = str,
) -> None:
    """Poll until the condition holds; on timeout, fail with what was awaited and the log of the process watched."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what or condition}\n{log()[-6000:]}")


class RedisServer:
    """A redis-server on a free port that a test can stop and start again."""

    def __init__(self) -> None:
        self.port = free_port()
        self.directory = tempfile.mkdtemp(prefix="tracker-redis-")
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self.directory,
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self._answers, timeout=10, what="redis-server to answer")

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def pause(self) -> None:
        """SIGSTOP: the port stays open and the kernel still accepts connections, but nothing answers (a hung host)."""
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGCONT)  # a paused server would not act on SIGTERM
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)


def database_url_for_subprocesses() -> str:
    """The URL of the database pytest-django created, for processes the test starts."""
    settings = connection.settings_dict
    if settings["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings['NAME']}"
    user = settings.get("USER") or "postgres"
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"


class _LoggedProcess:
    """A server a test starts in a process group of its own, with its output in a temporary log file."""

    def __init__(self, env: dict[str, str], log_prefix: str) -> None:
        self.env = env
        handle, self.log_path = tempfile.mkstemp(prefix=log_prefix, suffix=".log")
        self.log = os.fdopen(handle, "wb")
        self.process: subprocess.Popen | None = None

    def _popen(self, command: list[str]) -> subprocess.Popen:
        return subprocess.Popen(
            command, cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def _processes(self) -> tuple[subprocess.Popen | None, ...]:
        return (self.process,)

    def output(self) -> str:
        return Path(self.log_path).read_text(errors="replace")

    def stop(self) -> None:
        for process in self._processes():
            _stop_group(process)
        self.log.close()
        with contextlib.suppress(OSError):
            os.unlink(self.log_path)


class Worker(_LoggedProcess):
    """`celery -A tracker worker` (prefork, one child by default) on the test database and a given broker.

    With `beat`, `celery -A tracker beat` runs beside it, in a process of its own as docker-compose runs it (so that
    the worker's children are its pool processes only); both write to the same log.
    """

    def __init__(
        self,
        broker_url: str,
        queue: str,
        *,
        beat: bool = False,
        concurrency: int = 1,
        queues: str | None = None,
        **settings: str,
    ) -> None:
        env = {
            **os.environ,
            "DEBUG": "1",
            "DATABASE_URL": database_url_for_subprocesses(),
            "CELERY_BROKER_URL": broker_url,
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            **settings,
        }
        super().__init__(env, "tracker-worker-")
        self.queue = queue
        self.queues = queues or queue  # served queues, comma-separated; the default queue alone unless given
        self.beat = beat
        self.concurrency = concurrency
        self.beat_process: subprocess.Popen | None = None

    def start(self) -> None:
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "tracker",
            "worker",
            "--pool",
            "prefork",
            "--concurrency",
            str(self.concurrency),
            "--queues",
            self.queues,
            "--hostname",
            f"{self.queue}@%h",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "INFO",
        ]
        self.process = self._popen(command)
        wait_until(lambda: b"ready." in Path(self.log_path).read_bytes(), timeout=60, what="the worker to be ready")
        if self.beat:
            schedule = os.path.join(tempfile.gettempdir(), f"{self.queue}-beat")
            beat = [sys.executable, "-m", "celery", "-A", "tracker", "beat", "--schedule", schedule]
            self.beat_process = self._popen([*beat, "--loglevel", "INFO"])

    def children(self) -> list[int]:
        """Pids of the pool processes that run tasks."""
        output = subprocess.run(
            ["ps", "-o", "pid=", "--ppid", str(self.process.pid)], capture_output=True, text=True
        ).stdout
        return [int(pid) for pid in output.split()]

    def _processes(self) -> tuple[subprocess.Popen | None, ...]:
        return (self.beat_process, self.process)


def _stop_group(process: subprocess.Popen | None) -> None:
    """SIGTERM to the process group a test started, then SIGKILL if it is still there after 15 s."""
    if process and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


class Gunicorn(_LoggedProcess):
    """The production web server, `gunicorn tracker.wsgi` as `make serve` runs it (sync workers, the default 30 s
    worker timeout), on the test database and a free port."""

    def __init__(self, *, workers: int = 1, **settings: str) -> None:
        self.port = free_port()
        env = {
            **os.environ,
            "DEBUG": "1",
            "DATABASE_URL": database_url_for_subprocesses(),
            "ALLOWED_HOSTS": "127.0.0.1",
            **settings,
        }
        env.pop("CELERY_BROKER_URL", None)
        super().__init__(env, "tracker-gunicorn-")
        self.workers = workers

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        command = [
            sys.executable,
            "-m",
            "gunicorn",
            "tracker.wsgi:application",
            "--bind",
            f"127.0.0.1:{self.port}",
            "--workers",
            str(self.workers),
        ]
        self.process = self._popen(command)
        wait_until(self._answers, timeout=30, what="gunicorn to answer", log=self.output)

    def _answers(self) -> bool:
        # An API address that does not exist: answered without the database.
        try:
            with urllib.request.urlopen(f"{self.url}/api/v1/nowhere/", timeout=2):
                return True
        except urllib.error.HTTPError:
            return True
        except OSError:
            return False


def unique_queue() -> str:
    return f"test-{uuid.uuid4().hex[:10]}"


class _QuietHandler(http.server.BaseHTTPRequestHandler):
    routes: dict[str, Callable[[http.server.BaseHTTPRequestHandler], None]] = {}

    def do_GET(self) -> None:
        route = self.routes.get(self.path)
        if route is None:
            self.send_error(404)
            return
        # The reader may hang up first (a fetch that timed out, a worker killed mid-fetch): what those tests do on
        # purpose. Left to socketserver, it prints a traceback in the middle of the test run's output.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            route(self)

    def log_message(self, format: str, *args) -> None:
        pass


@contextlib.contextmanager
def web_server(routes: dict[str, Callable[[http.server.BaseHTTPRequestHandler], None]]) -> Iterator[str]:
    """Serve the given routes on 127.0.0.1 from a thread; yields the base URL."""
    handler = type("Handler", (_QuietHandler,), {"routes": routes})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def page(body: bytes, content_type: str = "text/html; charset=utf-8", *, delay: float = 0.0):
    """A route that answers with the body (after an optional delay, to catch a worker mid-task)."""

    def respond(handler: http.server.BaseHTTPRequestHandler) -> None:
        if delay:
            time.sleep(delay)
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    return respond

"""Settings come from the environment; production settings pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import yaml

from tracker.settings import cache_from_url

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x7!Qm2#rT9@vL4$wZ8^nB1&cF6*hJ3(kP5)sD0_gY-uE+iO=aR~tN",
    "ALLOWED_HOSTS": "tracker.example.org",
    "DATABASE_URL": "sqlite:////tmp/tracker-deploy-check.sqlite3",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_checks_without_a_warning():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {key: value for key, value in PRODUCTION_ENV.items() if key != "SECRET_KEY"}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_compose_services_use_the_settings_and_the_makefile_entry_points():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"postgres", "redis", "web", "worker", "worker-long", "beat"}
    for name, service in services.items():
        assert "healthcheck" in service, f"{name} has no health check"
    assert "postgres-data" in compose["volumes"]

    settings_source = (ROOT / "tracker" / "settings.py").read_text()
    makefile = (ROOT / "Makefile").read_text()
    for name in ("web", "worker", "worker-long", "beat"):
        environment = services[name]["environment"]
        for variable in environment:
            assert f'"{variable}"' in settings_source, f"{variable} is not read by settings.py"
        assert {"DATABASE_URL", "CELERY_BROKER_URL", "SECRET_KEY"} <= set(environment)
        assert environment["CELERY_BROKER_URL"].startswith("redis://redis:")
        assert environment["DATABASE_URL"].startswith("postgres://")
        depends = services[name]["depends_on"]
        assert depends["postgres"]["condition"] == depends["redis"]["condition"] == "service_healthy"

    assert "gunicorn tracker.wsgi:application" in services["web"]["command"]
    assert "gunicorn tracker.wsgi:application" in makefile
    for role in ("worker", "beat"):
        entry = f"-m celery -A tracker {role}"
        assert entry in services[role]["command"]
        assert entry in makefile


def _make_worker_command(**variables: str) -> str:
    """The command `make worker` runs with these variables, from `-m celery` on, as make expands it."""
    overrides = [f"{name}={value}" for name, value in variables.items()]
    result = subprocess.run(["make", "-n", "worker", *overrides], cwd=ROOT, capture_output=True, text=True, timeout=60)
    (line,) = [line for line in result.stdout.splitlines() if " -m celery " in line]
    return line[line.index("-m celery") :]


def _option(command: str, name: str) -> str:
    words = command.split()
    return words[words.index(name) + 1]


def test_compose_runs_the_makefile_worker_once_per_queue_and_recycles_its_processes(settings):
    """Every queue settings.py declares has a worker in docker-compose.yml, running exactly `make worker` for it;
    `make worker` alone serves them all; both replace pool processes that grew or aged."""
    declared = {queue.name for queue in settings.CELERY_TASK_QUEUES}
    assert declared == {settings.CELERY_TASK_DEFAULT_QUEUE, settings.INGEST_LONG_QUEUE} == {"celery", "long"}
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    workers = {name: " ".join(service["command"].split()) for name, service in services.items() if "worker" in name}

    served: list[str] = []
    for name, command in workers.items():
        queues, concurrency = _option(command, "--queues"), _option(command, "--concurrency")
        expected = _make_worker_command(WORKER_QUEUES=queues, WORKER_CONCURRENCY=concurrency)
        assert command == f"python {expected}", name
        served += queues.split(",")
    assert sorted(served) == sorted(declared)  # each queue once
    assert _option(workers["worker-long"], "--concurrency") == "1"

    alone = _make_worker_command()
    assert set(_option(alone, "--queues").split(",")) == declared
    assert int(_option(alone, "--max-tasks-per-child")) > 0
    assert int(_option(alone, "--max-memory-per-child")) > 0


PRODUCTION_SMOKE = """
import django
from django.core.management import call_command
from django.test import Client

django.setup()
call_command("migrate", verbosity=0)
call_command("collectstatic", "--no-input", verbosity=0)
response = Client().get("/", secure=True, HTTP_HOST="tracker.example.org")
page = response.content.decode()
assert response.status_code == 200, response.status_code
assert "/static/css/tracker." in page and "tracker.css" not in page, "static files are not hashed"
print("ok")
"""


def test_production_settings_serve_pages_with_hashed_static_files(tmp_path):
    env = {
        **PRODUCTION_ENV,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
        "STATIC_ROOT": str(tmp_path / "static"),
    }
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"}}
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_SMOKE],
        cwd=ROOT,
        env={**clean, **env, "DJANGO_SETTINGS_MODULE": "tracker.settings"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("ok")


def test_a_redis_cache_url_gets_the_fail_open_backend_with_short_timeouts(settings):
    timeout, backoff = settings.CACHE_SOCKET_TIMEOUT, settings.CACHE_BACKOFF
    assert cache_from_url("redis://redis:6379/1") == {
        "BACKEND": "tracker.cache.FailOpenRedisCache",
        "LOCATION": "redis://redis:6379/1",
        "OPTIONS": {"socket_connect_timeout": timeout, "socket_timeout": timeout, "backoff": backoff},
    }
    assert timeout <= 1
    assert cache_from_url("locmemcache://")["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"

"""Settings come from the environment; production settings pass Django's deployment checks."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
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


APP_SERVICES = ("web", "worker", "worker-long", "beat", "backup")


def test_compose_services_use_the_settings_and_the_makefile_entry_points():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"proxy", "postgres", "redis", "migrate", *APP_SERVICES}
    for name, service in services.items():
        if name != "migrate":  # a one-shot job: done is its health
            assert "test" in service["healthcheck"], f"{name} has no health check"
    assert {"postgres-data", "backups", "caddy-data"} <= set(compose["volumes"])

    settings_source = (ROOT / "tracker" / "settings.py").read_text()
    makefile = (ROOT / "Makefile").read_text()
    for name in ("migrate", *APP_SERVICES):
        environment = services[name]["environment"]
        for variable in environment:
            assert f'"{variable}"' in settings_source, f"{variable} is not read by settings.py"
        assert {"DATABASE_URL", "CELERY_BROKER_URL", "SECRET_KEY"} <= set(environment)
        assert environment["CELERY_BROKER_URL"].startswith("redis://redis:")
        assert environment["DATABASE_URL"].startswith("postgres://")
        depends = services[name]["depends_on"]
        assert depends["postgres"]["condition"] == depends["redis"]["condition"] == "service_healthy"

    # Migrations run once, before anything that uses the schema; the web only serves.
    assert "manage.py migrate" in services["migrate"]["command"] and services["migrate"]["restart"] == "no"
    for name in APP_SERVICES:
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully", name
    assert "migrate" not in services["web"]["command"]
    assert "manage.py backup" in services["backup"]["command"]
    assert "backups:/app/var/backups" in services["backup"]["volumes"]

    # Only the proxy is published, and it serves TLS; gunicorn is reached through it.
    assert "ports" not in services["web"]
    assert services["proxy"]["ports"] == ["80:80", "443:443"]
    assert services["proxy"]["depends_on"]["web"]["condition"] == "service_healthy"
    assert "reverse_proxy web:8000" in (ROOT / "deploy" / "Caddyfile").read_text()
    assert services["web"]["environment"]["TRUSTED_PROXY_COUNT"] == "${TRUSTED_PROXY_COUNT:-1}"

    assert "gunicorn tracker.wsgi:application --config gunicorn.conf.py" in services["web"]["command"]
    assert "gunicorn tracker.wsgi:application --config gunicorn.conf.py" in makefile
    for role in ("worker", "beat"):
        entry = f"-m celery -A tracker {role}"
        assert entry in services[role]["command"]
        assert entry in makefile


def _compose_command() -> list[str] | None:
    if shutil.which("docker") and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0:
        return ["docker", "compose"]
    return ["docker-compose"] if shutil.which("docker-compose") else None


def test_docker_compose_accepts_the_file():
    command = _compose_command()
    if command is None:
        pytest.skip("neither `docker compose` nor docker-compose is installed")
    result = subprocess.run(
        [*command, "config", "-q"],
        cwd=ROOT,
        env={**os.environ, "SECRET_KEY": "compose-config-check"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def _settings_variables() -> set[str]:
    """Every environment variable settings.py reads."""
    source = (ROOT / "tracker" / "settings.py").read_text()
    return set(re.findall(r'env\.\w+\(\s*"([A-Z][A-Z0-9_]+)"', source))


def test_every_setting_is_in_the_readme_table_and_in_env_example():
    variables = _settings_variables()
    assert {"SECRET_KEY", "DATABASE_URL", "AXES_FAILURE_LIMIT", "BACKUP_DIR", "LOG_FORMAT"} <= variables
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("## Configuration") : readme.index("## Running against PostgreSQL")]
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", table))
    example = set(re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    assert variables - documented == set(), "settings missing from the README's table"
    assert variables - example == set(), "settings missing from .env.example"


DEV_TOOLS = ("pytest", "pytest-django", "playwright", "schemathesis", "ruff", "PyYAML", "factory-boy")


def _requirement_names(path: Path) -> set[str]:
    lines = [line.split("#")[0].strip() for line in path.read_text().splitlines()]
    return {re.split(r"[=<>\[ ]", line)[0].lower() for line in lines if line and not line.startswith("-r")}


def test_the_image_installs_the_application_requirements_only():
    runtime = _requirement_names(ROOT / "requirements.txt")
    development = _requirement_names(ROOT / "requirements-dev.txt")
    assert runtime.isdisjoint(tool.lower() for tool in DEV_TOOLS)
    assert {"pytest", "pytest-django", "playwright", "schemathesis", "ruff", "pyyaml"} <= development
    assert "-r requirements.txt" in (ROOT / "requirements-dev.txt").read_text()
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "pip install --no-cache-dir -r requirements.txt" in dockerfile
    assert "-r requirements-dev" not in dockerfile
    assert "-r requirements-dev.txt" in (ROOT / "Makefile").read_text()


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

"""Settings for the alliance tracker.

Every value comes from the environment (or a `.env` file next to manage.py). The defaults let a developer start at
once on an embedded SQLite file with tasks run in-process; production values have no default and fail loudly.
"""

import warnings
from email.utils import parseaddr
from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)

# A development key only when DEBUG is on: a production deployment without SECRET_KEY must not start.
if DEBUG:
    SECRET_KEY = env.str("SECRET_KEY", default="django-insecure-development-only-key-never-use-in-production")
else:
    try:
        SECRET_KEY = env.str("SECRET_KEY")
    except ImproperlyConfigured as error:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.") from error

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_filters",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "axes",
    "csp",
    "health_check",
    "django_prometheus",
    "tracker",
    "articles",
    "alerts",
]

MIDDLEWARE = [
    # Liveness is answered first, before host validation: a container's own health check cannot know the domain.
    "tracker.health.answer_liveness",
    "tracker.logs.request_context",
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tracker.middleware.refuse_nul_characters",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so that a locked-out login is refused with the lock-out page whatever the view.
    "axes.middleware.AxesMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
]

ROOT_URLCONF = "tracker.urls"
WSGI_APPLICATION = "tracker.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "alerts.context_processors.unread_alerts",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'tracker.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=0)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several processes (web, worker, management commands) share the file: wait for locks instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"timeout": 20, "transaction_mode": "IMMEDIATE"})
    # A file, not memory, so that a Celery worker started by the integration tests sees the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-tracker.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# API throttling counts requests in the cache: with several web processes, point CACHE_URL at Redis so that they
# share the counts (docker-compose.yml does). The default keeps them per process.
# The cache is never needed to answer a request, so a Redis cache fails open: a Redis that refuses or hangs is a
# miss after at most CACHE_SOCKET_TIMEOUT seconds, and is then skipped for CACHE_BACKOFF seconds (tracker/cache.py).
CACHE_SOCKET_TIMEOUT = env.float("CACHE_SOCKET_TIMEOUT", default=0.5)
CACHE_BACKOFF = env.float("CACHE_BACKOFF", default=5.0)


def cache_from_url(url: str) -> dict:
    """A CACHES entry for a CACHE_URL; the tests build theirs with it too."""
    config = environ.Env.cache_url_config(url)
    if config["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        config["BACKEND"] = "tracker.cache.FailOpenRedisCache"
        config.setdefault("OPTIONS", {}).update(
            socket_connect_timeout=CACHE_SOCKET_TIMEOUT, socket_timeout=CACHE_SOCKET_TIMEOUT, backoff=CACHE_BACKOFF
        )
    return config


CACHES = {"default": cache_from_url(env.str("CACHE_URL", default="locmemcache://"))}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Tests and `make run` serve static files straight from the app folders, without collectstatic.
WHITENOISE_USE_FINDERS = DEBUG or env.bool("WHITENOISE_USE_FINDERS", default=False)
# Before collectstatic has run (development, tests) STATIC_ROOT is absent on purpose; the finders serve the files.
warnings.filterwarnings("ignore", message="No directory at: ")

# Analysts who are not staff sign in through Django's own pages (accounts/), not the admin's, which refuses them.
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# --- Login: brute-force protection (django-axes) ---------------------------------------------------------------------
# Failed logins are counted in the shared cache when CACHE_URL is Redis (every web process sees the same counts),
# otherwise in the database (the in-process cache would give each process counts of its own). After
# AXES_FAILURE_LIMIT failures a username is locked, from any address, and so is an address, whatever names it tries,
# for AXES_COOLOFF_HOURS or until `manage.py axes_reset_username NAME` (or `axes_reset_ip ADDRESS`).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_HANDLER = (
    "axes.handlers.cache.AxesCacheHandler"
    if CACHES["default"]["BACKEND"] == "tracker.cache.FailOpenRedisCache"
    else "axes.handlers.database.AxesDatabaseHandler"
)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = ["ip_address", "username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "locked_out.html"
# The address counted is the one the outermost trusted proxy saw, as for the API's throttling (TRUSTED_PROXY_COUNT).
AXES_IPWARE_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_COOKIE_HTTPONLY = True

# --- Security: production defaults, relaxed only when DEBUG is on --------------------------------------------------
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Health checks and metrics scrapes come over plain HTTP from inside the container network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^livez$", r"^readyz$", r"^metrics$"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
# Joining the browsers' preload list is hard to undo: the operator decides, so it is off unless asked for.
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Django warns (security.W021) whenever preload is off; here that is a decision, not an oversight.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Every page loads only its own files: no inline script or style, no other origin. The API docs pages relax styles
# and images for their bundled Swagger UI and Redoc (tracker/api/urls.py), still from local files only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "object-src": ["'none'"],
    }
}

# --- Celery --------------------------------------------------------------------------------------------------------
# Without a broker, tasks run eagerly in the calling process: `make run` needs no Redis.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
# A worker that dies mid-task must not lose the task: acknowledge after the work, re-deliver when the worker is lost.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
# Redis re-delivers an unacknowledged task after the visibility timeout: it must outlast the longest task.
# The other options make a publish to a dead broker fail in a fraction of a second instead of retrying for seconds:
# the article is already stored, and the periodic sweep publishes it once the broker is back.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=CELERY_TASK_TIME_LIMIT * 2),
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.1,
    "interval_max": 0.2,
    "socket_connect_timeout": 2,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Workers log through Django's LOGGING (JSON in production, with the task's id) instead of Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_TASK_DEFAULT_QUEUE", default="celery")
# Documents larger than INGEST_LONG_DOCUMENT_BYTES are parsed from a queue of their own, so that the seconds they take
# never hold up short articles. A worker started without --queues serves both; `make worker` names both, and
# docker-compose runs one worker for each (see the Makefile).
INGEST_LONG_QUEUE = env.str("INGEST_LONG_QUEUE", default="long")
INGEST_LONG_DOCUMENT_BYTES = env.int("INGEST_LONG_DOCUMENT_BYTES", default=1_000_000)
CELERY_TASK_QUEUES = (Queue(CELERY_TASK_DEFAULT_QUEUE), Queue(INGEST_LONG_QUEUE))
# Seconds between two runs of the sweep that takes back what a dead worker or broker left (articles.services).
INGEST_SWEEP_INTERVAL = env.float("INGEST_SWEEP_INTERVAL", default=15.0)
# Seconds between two runs of the alerts' event reader (it reads the agreements' edit history, see alerts.events).
ALERTS_SCAN_INTERVAL = env.float("ALERTS_SCAN_INTERVAL", default=10.0)
# Hour (UTC) of the daily digest e-mails.
ALERTS_DIGEST_HOUR = env.int("ALERTS_DIGEST_HOUR", default=7)
# Beat also stamps a heartbeat that readiness reads (tracker.health): a stamp older than BEAT_HEARTBEAT_MAX_AGE
# seconds means beat, or every worker that could run its task, is gone.
BEAT_HEARTBEAT_INTERVAL = env.float("BEAT_HEARTBEAT_INTERVAL", default=30.0)
BEAT_HEARTBEAT_MAX_AGE = env.float("BEAT_HEARTBEAT_MAX_AGE", default=BEAT_HEARTBEAT_INTERVAL * 4)
# Seconds between two rounds that find the news sources due and queue one poll each (articles.polling).
SOURCE_SCHEDULE_INTERVAL = env.float("SOURCE_SCHEDULE_INTERVAL", default=60.0)
CELERY_BEAT_SCHEDULE = {
    "requeue-stale-articles": {"task": "articles.tasks.requeue_stale_articles", "schedule": INGEST_SWEEP_INTERVAL},
    "beat-heartbeat": {"task": "tracker.tasks.beat_heartbeat", "schedule": BEAT_HEARTBEAT_INTERVAL},
    "record-alert-events": {"task": "alerts.tasks.record_events", "schedule": ALERTS_SCAN_INTERVAL},
    "send-alert-digests": {
        "task": "alerts.tasks.send_digests",
        "schedule": crontab(minute=0, hour=ALERTS_DIGEST_HOUR),
    },
    "poll-due-sources": {"task": "articles.tasks.poll_due_sources", "schedule": SOURCE_SCHEDULE_INTERVAL},
}

# --- Ingestion -----------------------------------------------------------------------------------------------------
# Seconds a submit may wait on the broker before leaving the article to the periodic re-enqueue.
INGEST_PUBLISH_TIMEOUT = env.float("INGEST_PUBLISH_TIMEOUT", default=2.0)
# A worker parsing an article stamps it every INGEST_HEARTBEAT_INTERVAL seconds; the sweep takes back (publishes
# again) one whose stamps stopped INGEST_HEARTBEAT_TIMEOUT seconds ago: its worker died. Four missed beats, so that a
# busy database does not cost a live worker its article; a task that runs longer than that keeps beating.
INGEST_HEARTBEAT_INTERVAL = env.float("INGEST_HEARTBEAT_INTERVAL", default=15.0)
INGEST_HEARTBEAT_TIMEOUT = env.float("INGEST_HEARTBEAT_TIMEOUT", default=60.0)
# Deliveries that never finished (the worker was lost, the time limit hit) before the article is marked failed: a
# document that keeps killing workers must not loop. Transient faults are not counted here (INGEST_MAX_RETRIES).
INGEST_MAX_ATTEMPTS = env.int("INGEST_MAX_ATTEMPTS", default=3)
# Seconds reading one document and the engine's work on it may take: a document that takes longer fails on its first
# attempt with the reason, instead of running into the task time limit (which kills the pool process) three times.
# Well inside CELERY_TASK_TIME_LIMIT, and far above the ~10 s the largest accepted document takes.
INGEST_PARSE_TIME_LIMIT = env.float("INGEST_PARSE_TIME_LIMIT", default=60.0)
# After a failed publish, submits skip the broker for this many seconds instead of each waiting on it.
INGEST_BROKER_BACKOFF = env.float("INGEST_BROKER_BACKOFF", default=5.0)
# A pending article that never reached the broker (it was down, or the publish timed out) is published again by the
# sweep once it is this many seconds old. One the broker took is left to the queue, however long the queue, unless it
# is still pending after INGEST_REQUEUE_QUEUED_AFTER seconds: then its message was lost with the broker's data.
INGEST_REQUEUE_PENDING_AFTER = env.float("INGEST_REQUEUE_PENDING_AFTER", default=30.0)
INGEST_REQUEUE_QUEUED_AFTER = env.float("INGEST_REQUEUE_QUEUED_AFTER", default=600.0)
# Transient faults (a slow site, HTTP 5xx or 429, a database restart) are retried this many times, with exponential
# backoff (2, 4, 8, 16, 32 s: a site or database down for about a minute is waited out), counted on the article.
INGEST_MAX_RETRIES = env.int("INGEST_MAX_RETRIES", default=5)
# Near-duplicates (articles/duplicates.py): a new article is a copy of an earlier one published within
# INGEST_DUPLICATE_WINDOW_DAYS of it whose text fingerprint agrees on at least INGEST_DUPLICATE_SIMILARITY of its bits
# and which shares at least INGEST_DUPLICATE_OVERLAP of the shorter text's word triples. Tuned on labelled pairs of
# real pages: python -m tests.articles.duplicate_pairs.
INGEST_DUPLICATE_WINDOW_DAYS = env.int("INGEST_DUPLICATE_WINDOW_DAYS", default=7)
INGEST_DUPLICATE_SIMILARITY = env.float("INGEST_DUPLICATE_SIMILARITY", default=0.65)
INGEST_DUPLICATE_OVERLAP = env.float("INGEST_DUPLICATE_OVERLAP", default=0.5)
FETCH_MAX_BYTES = env.int("FETCH_MAX_BYTES", default=5_000_000)
# Seconds one fetch may take in all (connecting, redirects, headers, body): a site that drips bytes is cut off then.
FETCH_TIMEOUT = env.float("FETCH_TIMEOUT", default=10.0)
FETCH_MAX_REDIRECTS = env.int("FETCH_MAX_REDIRECTS", default=5)
# Hosts that may be fetched even though they resolve to private addresses (a local test server, an intranet mirror).
FETCH_ALLOWED_HOSTS = env.list("FETCH_ALLOWED_HOSTS", default=[])

# --- Alerts (alerts/) ----------------------------------------------------------------------------------------------
# The event reader reads again the history rows of the last ALERTS_SCAN_OVERLAP seconds that have no event yet: a
# transaction that commits after a later one was read (it took its row ids first) is not missed.
ALERTS_SCAN_OVERLAP = env.float("ALERTS_SCAN_OVERLAP", default=300.0)
# The address e-mails and webhook payloads link to (no request to take it from in a worker).
ALERTS_SITE_URL = env.str("ALERTS_SITE_URL", default="http://127.0.0.1:8000")
# Webhooks: seconds one POST may take in all; tries before a delivery is marked failed, 2, 4, 8 … s apart
# (ALERTS_WEBHOOK_RETRY_BASE doubles each time); seconds after which the sweep publishes again a delivery whose
# message was lost; seconds the old secret still signs after a rotation.
ALERTS_WEBHOOK_TIMEOUT = env.float("ALERTS_WEBHOOK_TIMEOUT", default=5.0)
ALERTS_WEBHOOK_MAX_ATTEMPTS = env.int("ALERTS_WEBHOOK_MAX_ATTEMPTS", default=8)
ALERTS_WEBHOOK_RETRY_BASE = env.float("ALERTS_WEBHOOK_RETRY_BASE", default=2.0)
ALERTS_WEBHOOK_REQUEUE_AFTER = env.float("ALERTS_WEBHOOK_REQUEUE_AFTER", default=300.0)
ALERTS_WEBHOOK_ROTATION_GRACE = env.float("ALERTS_WEBHOOK_ROTATION_GRACE", default=86400.0)
# Webhook targets follow the fetcher's address rules: no loopback, private, link-local or metadata address, unless
# the host is listed here (`host:port` for one port, a bare host for all), or ALERTS_WEBHOOK_ALLOW_PRIVATE is on.
ALERTS_WEBHOOK_ALLOWED_HOSTS = env.list("ALERTS_WEBHOOK_ALLOWED_HOSTS", default=[])
ALERTS_WEBHOOK_ALLOW_PRIVATE = env.bool("ALERTS_WEBHOOK_ALLOW_PRIVATE", default=False)

# E-mail: the sender of alerts and password resets (EMAIL_URL, the server, is read below with the error mails).
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="alerts@tracker.invalid")
EMAIL_TIMEOUT = env.float("EMAIL_TIMEOUT", default=10.0)

# --- News sources --------------------------------------------------------------------------------------------------
# Politeness: at most one request at a time to one origin (scheme, host, port), and at least this many seconds between
# two of them, whichever worker sends them.
SOURCE_HOST_MIN_INTERVAL = env.float("SOURCE_HOST_MIN_INTERVAL", default=5.0)
# Seconds a poll waits for its host to be free before it gives the turn up (the source stays due).
SOURCE_HOST_WAIT = env.float("SOURCE_HOST_WAIT", default=30.0)
# Seconds a host's robots.txt is kept before it is fetched again.
SOURCE_ROBOTS_MAX_AGE = env.int("SOURCE_ROBOTS_MAX_AGE", default=86400)
# A feed larger than this fails its poll with the reason (an ordinary feed is well under 1 MB).
SOURCE_FEED_MAX_BYTES = env.int("SOURCE_FEED_MAX_BYTES", default=10_000_000)
# A failing source waits its poll interval times 2, 4, 8 … after each failure in a row, at most this many seconds.
SOURCE_MAX_BACKOFF = env.int("SOURCE_MAX_BACKOFF", default=86400)

# --- Logging and errors ----------------------------------------------------------------------------------------------
# One JSON object a line in production (LOG_FORMAT=json), for a log collector; plain lines for a developer. Every
# record carries the request id, user, article id and task id where known (tracker.logs).
LOG_FORMAT = env.str("LOG_FORMAT", default="plain" if DEBUG else "json")
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "tracker.logs.ContextFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s %(task_id)s]: %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["context"]},
        # Server errors are mailed to ADMINS (when set); Django's own handler, which sends nothing without them.
        "mail_admins": {"class": "django.utils.log.AdminEmailHandler", "level": "ERROR", "filters": ["context"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {"django.request": {"handlers": ["console", "mail_admins"], "level": LOG_LEVEL, "propagate": False}},
}
# "Ops <ops@example.org>, other@example.org": who gets a mail with the traceback of every server error.
ADMINS = [parseaddr(address) for address in env.list("ADMINS", default=[])]
SERVER_EMAIL = env.str("SERVER_EMAIL", default="tracker@localhost")
# smtp://user:password@host:587 (or smtp+tls://, smtp+ssl://); without it, mail is written to the console.
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))

# --- Backups (manage.py backup / restore) ----------------------------------------------------------------------------
BACKUP_DIR = env.path("BACKUP_DIR", default=str(VAR_DIR / "backups"))
BACKUP_KEEP = env.int("BACKUP_KEEP", default=14)

# --- Health and metrics ----------------------------------------------------------------------------------------------
# Seconds readiness waits for a worker to answer a ping.
HEALTH_WORKER_PING_TIMEOUT = env.float("HEALTH_WORKER_PING_TIMEOUT", default=2.0)
PROMETHEUS_EXPORT_MIGRATIONS = False
# The gauges `/metrics` reads from the database at each scrape (tracker.metrics).
TRACKER_METRICS_COLLECTORS = ["tracker.metrics.ReviewQueueCollector", "articles.metrics.IngestionCollector"]

# --- JSON API (Django REST Framework, drf-spectacular) ---------------------------------------------------------------
# Reading is public unless API_REQUIRE_LOGIN is set; writes always need an authenticated user with model permissions.
API_REQUIRE_LOGIN = env.bool("API_REQUIRE_LOGIN", default=False)
# Requests per period ("120/min", "10/s", "5000/day") per client IP (anonymous) or per user; empty: no limit. The
# counters live in the default cache: give every web process the same one (Redis) for the limits to be shared.
API_THROTTLE_ANON = env.str("API_THROTTLE_ANON", default="120/min")
API_THROTTLE_USER = env.str("API_THROTTLE_USER", default="1200/min")
# How many proxies in front of the web server append to X-Forwarded-For (a load balancer, nginx): the client's address
# for the anonymous limit is the entry the outermost one wrote. 0 (the default) ignores the header and uses the
# connection's address: without a trusted proxy the header is whatever the client chose to send.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Request bodies are read into memory up to this size (Django's default is 2.5 MB). Articles may be submitted with
# `html` up to 5,000,000 characters: sent as UTF-8 JSON (at most three bytes a character for nearly every script,
# quotes escaped) such a page fits in 20 MiB. Larger bodies get a 400 `request_too_large`.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=20 * 1024 * 1024)
# Seconds a streamed export may run before it is cut off: less than the web server's worker timeout (gunicorn's 30 s),
# so that a slow export ends as an incomplete response instead of a killed worker.
EXPORT_TIME_LIMIT = env.float("EXPORT_TIME_LIMIT", default=20.0)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an unauthenticated request is answered 401 with `WWW-Authenticate: Token`.
        "tracker.api.authentication.TokenAuthentication",
        # The browsable API and the docs page of a logged-in analyst; DRF enforces CSRF for these.
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["tracker.api.permissions.ReadOrModelPermissions"],
    "DEFAULT_THROTTLE_CLASSES": ["tracker.api.throttling.AnonThrottle", "tracker.api.throttling.UserThrottle"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "tracker.api.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": ["tracker.api.parsers.JSONParser", "rest_framework.parsers.FormParser"],
    "DEFAULT_PAGINATION_CLASS": "tracker.api.pagination.Cursor",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "tracker.api.exceptions.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "tracker.api.schema.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "URL_FORMAT_OVERRIDE": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Alliance tracker API",
    "DESCRIPTION": "Agreements between states, the articles that cite them, and ties between countries over time.\n\n"
    "Reading is public (unless the deployment requires a login); writing needs `Authorization: Token <key>` and an "
    "analyst's permissions. Every error has one shape: an `error` object with `code`, `message` and `fields`. Dates "
    "are `YYYY`, `YYYY-MM` or `YYYY-MM-DD` strings with a precision field beside them.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    # The tracker's own icon, as on every other page (Swagger's is a stranger's logo in a row of browser tabs).
    "SWAGGER_UI_FAVICON_HREF": f"/{STATIC_URL}img/favicon.svg",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "AgreementTypeEnum": "tracker.models.AgreementType",
        "AgreementStatusEnum": "tracker.models.AgreementStatus",
        "ReviewStateEnum": "tracker.models.ReviewState",
        "IngestionStateEnum": "articles.models.IngestionState",
        "DatePrecisionEnum": "tracker.partial_dates.Precision",
    },
    "TAGS": [
        {"name": "countries", "description": "Countries, current and former, and their partners."},
        {"name": "agreements", "description": "Agreements, their status history and evidence; the change feed."},
        {"name": "ties", "description": "The history of ties between two countries."},
        {"name": "exports", "description": "Files for analysis: agreements, dyad-years."},
        {"name": "articles", "description": "News articles, their evidence, and document submission."},
        {"name": "alerts", "description": "Your watchlists and webhooks (signed JSON POSTs of each new event)."},
    ],
}

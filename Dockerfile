FROM python:3.11-slim-bookworm

ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /app

# pg_dump and pg_restore for `manage.py backup` / `restore` (Debian bookworm's are PostgreSQL 15, as the server).
RUN apt-get update && apt-get install -y --no-install-recommends postgresql-client && rm -rf /var/lib/apt/lists/*

# The application's requirements only: no test or lint tool in the image (those are in requirements-dev.txt).
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt

COPY . .
RUN SECRET_KEY=collectstatic-only DEBUG=0 python manage.py collectstatic --no-input \
    && useradd --system --uid 1000 tracker && mkdir -p var/backups && chown -R tracker var
USER tracker

EXPOSE 8000
CMD ["python", "-m", "gunicorn", "tracker.wsgi:application", "--config", "gunicorn.conf.py", "--bind", "0.0.0.0:8000"]

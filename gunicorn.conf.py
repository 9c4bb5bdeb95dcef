"""gunicorn's settings for `make serve` and the Compose `web` service (read from the working directory).

Each worker process writes its Prometheus metrics to files in PROMETHEUS_MULTIPROC_DIR, and `/metrics` sums them
(prometheus_client's multi-process mode), so a scrape sees the whole server whichever worker answers it. The variable
must be set before a worker imports the application, hence here.
"""

import glob
import os
import tempfile

workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
accesslog = "-"

os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="tracker-metrics-"))


def on_starting(server):
    # Files left by an earlier run would be counted again: start from an empty directory.
    directory = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    os.makedirs(directory, exist_ok=True)
    for path in glob.glob(os.path.join(directory, "*.db")):
        os.unlink(path)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)

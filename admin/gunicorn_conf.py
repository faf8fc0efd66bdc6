"""Gunicorn settings for `motcua serve --prod` (`gunicorn --config python:admin.gunicorn_conf`).

The rule: `motcua serve --prod` execs gunicorn (so SIGTERM, SIGINT and SIGHUP reach its master)
with this file and its own `--workers` and `--bind`, which win over the values here. Requests
longer than `timeout` get their worker restarted; on SIGTERM requests in flight have
`graceful_timeout` to finish. The access log goes to standard output, errors to standard error.
"""

from __future__ import annotations

import os

wsgi_app = "admin.wsgi:app"
bind = ["127.0.0.1:5000"]
workers = 2
worker_class = "sync"
timeout = 30
graceful_timeout = 20
keepalive = 5
accesslog = "-"
errorlog = "-"
loglevel = "info"
# a heartbeat file per worker: on tmpfs so a slow disk never makes gunicorn kill a healthy worker
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# the request line and headers a citizen's browser sends fit well within these
limit_request_line = 8190
limit_request_fields = 100
proc_name = "motcua"

"""Gunicorn settings for serving the portal: threaded workers with timeouts.

Used by ``make run``, the load test and the benchmark (``gunicorn -c
python:portal.gunicorn_conf``); the command line sets the bind address and the
number of workers. With sync workers two idle TCP connections froze a two-worker
portal for about 31 s: each held a worker until gunicorn's timeout. A ``gthread``
worker waits for a connection's request in its poller, so an idle or slow client
costs a socket, not a worker; each worker thread keeps its own Whoosh searcher
(see :mod:`portal.index.handle`). In production put nginx in front, which buffers
slow clients entirely (README, "Production").
"""

worker_class = "gthread"
# Threads per worker: requests a worker answers at once. Whoosh searches hold the
# GIL, so more threads add waiting room for slow sockets, not speed.
threads = 8
# A worker whose main loop is silent this long is restarted. Searches stop long
# before, at REQUEST_SECONDS (503), so this only catches a wedged worker.
timeout = 60
graceful_timeout = 30
# Seconds a kept-alive connection may idle before it is closed.
keepalive = 5
# Connections per worker, kept-alive ones included (the rest wait in the backlog).
worker_connections = 1000
# Headers: the defaults, stated so the limits are on record.
limit_request_line = 4094
limit_request_fields = 100
limit_request_field_size = 8190

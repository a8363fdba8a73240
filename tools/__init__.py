"""Operational tools: the gunicorn harness, slow clients and the load test."""

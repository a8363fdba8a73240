"""Views: the blueprints. Each view reads the request, calls one service, renders.

``pages`` (home, search, CSV, help), ``api`` (JSON), ``reader`` (documents and
permalinks) and ``compare`` (compare, trend, diff, align and their JSON twins).

May import every other room of ``portal``; nothing imports it but the factory.
"""

"""The oversight portal: a thin Flask layer over the passage index."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask

from indexer.config import load_settings

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"


def _base_url(value: str) -> str:
    """Return ``BASE_URL`` without its trailing slash; refuse anything but a site.

    :raise ValueError: when it is not an http(s) address with a host.
    """
    parts = urlsplit(str(value).strip())
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.query:
        raise ValueError(
            f"BASE_URL {value!r} is not the portal's public address; set "
            "OVERSIGHT_BASE_URL to one such as https://oversight.example.org"
        )
    return parts.geturl().rstrip("/")


def create_app(test_config: dict | None = None) -> Flask:
    """Create and configure the portal; ``test_config`` overrides every setting."""
    app = Flask(__name__, static_folder=str(STATIC_DIR), static_url_path="/static")
    app.config.from_mapping(load_settings())
    app.json.sort_keys = False
    if test_config is not None:
        app.config.from_mapping(test_config)
    app.config["BASE_URL"] = _base_url(app.config["BASE_URL"])

    from portal import errors, security
    from portal.compare import theme_cache, themes
    from portal.search import cost
    from portal.views import api, cite, findings, pages, reader
    from portal.views import compare as compare_views

    errors.init_app(app)
    security.init_app(app)
    cost.init_app(app)
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(reader.bp)
    app.register_blueprint(cite.bp)
    app.register_blueprint(compare_views.bp)
    app.register_blueprint(findings.bp)
    themes.init_app(app)
    theme_cache.init_app(app)
    return app

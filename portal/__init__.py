"""The oversight portal: a thin Flask layer over the passage index."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from indexer.config import load_settings

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"


def create_app(test_config: dict | None = None) -> Flask:
    """Create and configure the portal; ``test_config`` overrides every setting."""
    app = Flask(__name__, static_folder=str(STATIC_DIR), static_url_path="/static")
    app.config.from_mapping(load_settings())
    app.json.sort_keys = False
    if test_config is not None:
        app.config.from_mapping(test_config)

    from portal import errors, security
    from portal.compare import theme_cache, themes
    from portal.search import cost
    from portal.views import api, pages, reader
    from portal.views import compare as compare_views

    errors.init_app(app)
    security.init_app(app)
    cost.init_app(app)
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(reader.bp)
    app.register_blueprint(compare_views.bp)
    themes.init_app(app)
    theme_cache.init_app(app)
    return app

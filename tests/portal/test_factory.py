"""The app factory and the single settings table."""

from __future__ import annotations

from indexer.config import SETTINGS, load_settings
from portal import create_app


def test_config_defaults_come_from_the_settings_table():
    assert not create_app().testing
    app = create_app({"TESTING": True, "INDEX_DIR": "/x"})
    assert app.testing
    assert app.config["INDEX_DIR"] == "/x"
    assert app.config["CORPUS_DIR"] == "corpus"


def test_environment_overrides_are_read_and_typed():
    settings = load_settings(
        {"OVERSIGHT_INDEX_DIR": "/srv/ix", "OVERSIGHT_PER_PAGE": "7"}
    )
    assert settings["INDEX_DIR"] == "/srv/ix"
    assert settings["PER_PAGE"] == 7
    assert load_settings({})["PER_PAGE"] == 20


def test_every_setting_has_a_help_line():
    assert all(s.help and s.env.startswith("OVERSIGHT_") for s in SETTINGS)


def test_an_unbuilt_index_answers_503_saying_what_to_do(tmp_path):
    client = create_app({"TESTING": True, "INDEX_DIR": str(tmp_path)}).test_client()
    response = client.get("/api/search?q=x")
    assert response.status_code == 503
    assert "has not been built" in response.json["error"]["message"]
    page = client.get("/search?q=x")
    assert page.status_code == 503
    assert b"make index" in page.data

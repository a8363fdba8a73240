"""When a missing Chromium fails the browser tests and when it only skips them."""

from __future__ import annotations

import pytest

from tests.browser.conftest import chromium_required


@pytest.mark.parametrize(
    ("ci", "browser", "required"),
    [
        (None, None, False),
        ("true", None, True),
        ("1", None, True),
        ("false", None, False),
        ("0", None, False),
        ("", None, False),
        (None, "required", True),
        ("false", "required", True),
    ],
)
def test_chromium_is_required_under_ci_or_when_asked(
    monkeypatch, ci, browser, required
):
    for name, value in (("CI", ci), ("OVERSIGHT_BROWSER", browser)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    assert chromium_required() is required

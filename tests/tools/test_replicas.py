"""Read-only replicas behind nginx (README, "Scaling out"), run for real on loopback.

The drill (:mod:`tools.replicas`, ``make replicas``) builds an index, ships it to
two gunicorn replicas behind ``deploy/nginx-replicas.conf``, and ships a new
generation to both while clients search through nginx. A replica answering 503
(no intact index) must be skipped by nginx's passive health checks.
"""

from __future__ import annotations

import re
import shutil
import time

import pytest

from tools.balancer import REPLICAS, SINGLE, balance, render
from tools.harness import serve
from tools.loadtest import fetch
from tools.replicas import NEW_WORD, RATE, add_paragraph, drill

needs_nginx = pytest.mark.skipif(
    shutil.which("nginx") is None,
    reason="nginx is not installed: apt-get install nginx (make deploy-tools as root)",
)
needs_rsync = pytest.mark.skipif(
    shutil.which("rsync") is None,
    reason="rsync is not installed: apt-get install rsync (make deploy-tools as root)",
)


def _settings(text: str) -> list[str]:
    """The directives of a configuration, less comments and the upstream's contents."""
    text = re.sub(r"#.*", "", text)
    text = re.sub(r"upstream portal \{.*?\}", "upstream portal {}", text, flags=re.S)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return [line for line in lines if not line.startswith("proxy_next_upstream")]


def test_the_replicas_configuration_differs_from_the_single_one_only_upstream():
    assert _settings(REPLICAS.read_text()) == _settings(SINGLE.read_text())
    text = REPLICAS.read_text()
    assert "proxy_next_upstream error timeout http_503;" in text
    assert text.count("max_fails=") == text.count("        server 127.0.0.1:") == 2


def test_render_puts_each_replica_in_the_upstream_with_its_health_parameters():
    text = render(
        REPLICAS.read_text(),
        ["127.0.0.1:7001", "127.0.0.1:7002", "127.0.0.1:7003"],
        9000,
    )
    servers = re.findall(r"^\s*server (\S+) (.*);$", text, flags=re.M)
    assert servers == [
        (f"127.0.0.1:700{n}", "max_fails=3 fail_timeout=10s") for n in (1, 2, 3)
    ]
    assert "listen 127.0.0.1:9000;" in text
    assert "5001" not in text and "8080" not in text


def test_render_refuses_a_configuration_without_an_upstream():
    with pytest.raises(ValueError, match="no listen line or no upstream server"):
        render("http { server { listen 80; } }", ["127.0.0.1:7001"], 9000)


def test_the_drills_paragraph_is_indexed_as_body_text(tmp_path):
    from indexer.store.build import load_corpus
    from tests.edits import copy_corpus

    corpus = copy_corpus(tmp_path / "corpus")
    edited = add_paragraph(corpus)
    documents, _ = load_corpus(corpus, 10**8)
    (doc,) = [d for d in documents if d.source == edited.name]
    assert [p.kind for p in doc.passages if NEW_WORD in p.text] == ["body"]


@pytest.mark.slow
@needs_nginx
@needs_rsync
def test_a_generation_shipped_to_two_replicas_under_load_fails_no_request(tmp_path):
    from tests.edits import copy_corpus

    result = drill(copy_corpus(tmp_path / "seed"), tmp_path / "drill", settle=2.0)
    assert result.problems() == []
    assert result.failures == []
    began, ended = result.shipped_at
    # Traffic ran through the swap, not only around it: about RATE a second.
    assert result.requests >= RATE * 2
    assert any(sent < began for sent, _done, _n in result.new_word)
    assert any(sent > ended for sent, _done, _n in result.new_word)
    before, after = result.generations
    assert before != after
    for info in result.replicas.values():
        assert (info["index_version"], info["status"]) == (after, "ok")
        assert info["found"] == 1
    built = tmp_path / "drill" / "build" / "index" / after / "derived"
    themes = sorted(p.name for p in built.iterdir())
    assert themes, "flask warm derived nothing to ship"
    for replica in ("replica-a", "replica-b"):
        index = tmp_path / "drill" / replica / "index"
        # The previous generation stays as the fallback; nothing older existed.
        assert sorted(p.name for p in index.glob("gen-*")) == sorted([before, after])
        # What `flask warm` derived on the build host travels with the generation.
        assert sorted(p.name for p in (index / after / "derived").iterdir()) == themes


@pytest.mark.slow
@needs_nginx
def test_nginx_skips_a_replica_that_answers_503(tmp_path, index_dir, corpus_dir):
    healthy = {
        "OVERSIGHT_INDEX_DIR": str(index_dir),
        "OVERSIGHT_CORPUS_DIR": str(corpus_dir),
    }
    (tmp_path / "empty").mkdir()
    broken = healthy | {"OVERSIGHT_INDEX_DIR": str(tmp_path / "empty")}
    with (
        serve(broken, workers=1) as (bad, _),
        serve(healthy, workers=1) as (good, _),
        balance(
            [bad.removeprefix("http://"), good.removeprefix("http://")], tmp_path
        ) as base,
    ):
        assert fetch(bad + "/api/search?q=custody")[0] == 503
        statuses = []
        for n in range(24):
            statuses.append(
                fetch(base + ("/api/search?q=custody", "/healthz")[n % 2])[0]
            )
            time.sleep(1 / RATE)  # under nginx's 20 requests a second
    assert statuses == [200] * 24

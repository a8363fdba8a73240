"""Precomputed theme data: the same answers as computing them, and never stale."""

from __future__ import annotations

import base64
import json
import shutil
from array import array
from dataclasses import replace

import pytest

from indexer.store.build import build, current_generation
from portal.compare import service as compare_service
from portal.compare.echoes import Candidate, find_echoes
from portal.compare.pools import ECHO_LIMIT
from portal.compare.service import CompareRequest, theme_cache
from portal.compare.theme_data import ThemeData, _echo_table
from portal.compare.themes import THEMES_FILE, get_themes, load_themes
from portal.index.handle import get_index
from tests.conftest import SEED_CORPUS, make_app


@pytest.fixture
def own_index(index_dir, tmp_path):
    """A copy of the session index, so derived files can be written and broken."""
    target = tmp_path / "index"
    shutil.copytree(index_dir, target)
    shutil.rmtree(current_generation(target) / "derived", ignore_errors=True)
    return target


def _both_ways(app, theme_id, **asked):
    """Return a theme's comparison from its precomputed data, and computed directly."""
    with app.test_request_context():
        theme = get_themes().get(theme_id)
        handle = get_index()
        precomputed = compare_service._compare(
            handle, CompareRequest(q="", theme=theme, **asked)
        )
        direct = compare_service._compare(
            handle, CompareRequest(q=theme.query, **asked)
        )
    assert precomputed.pop("theme")["id"] == theme_id
    assert direct.pop("theme") is None
    return precomputed, direct


def _theme_ids():
    """Return the id of every curated theme of the seed corpus."""
    return [t.id for t in load_themes(SEED_CORPUS / THEMES_FILE).themes]


@pytest.mark.parametrize("theme_id", _theme_ids())
@pytest.mark.parametrize(
    "asked",
    [
        {},
        {"years": ["2023", "2016"]},
        {"years": ["2022"]},
        {"per_column": 1},
        {"per_column": 50},
        {"filters": {"type": ["letter"]}},
        {"filters": {"author": ["Sophie Linden"], "force": ["MPS"]}},
        {"filters": {"type": ["letter", "report"]}},  # keeps every passage
    ],
    ids=repr,
)
def test_a_precomputed_theme_gives_exactly_the_direct_comparison(app, theme_id, asked):
    precomputed, direct = _both_ways(app, theme_id, **asked)
    assert precomputed == direct
    assert json.dumps(precomputed) == json.dumps(direct)  # same order of keys too


def test_the_comparison_is_not_trivially_empty_for_the_themes(app):
    precomputed, _ = _both_ways(app, "serious-organised-crime")
    columns = precomputed["columns"]
    assert sum(bool(c["passages"]) for c in columns) >= 3, columns
    assert any("<mark>" in p["snippet"] for c in columns for p in c["passages"])
    assert precomputed["echoes"] and any(c["terms"] for c in columns)


def _files(index):
    """Return every file under ``index`` with its size and modification time."""
    return {
        p: (p.stat().st_size, p.stat().st_mtime_ns)
        for p in index.rglob("*")
        if p.is_file()
    }


def test_warm_writes_one_file_per_theme_into_the_generation(own_index, corpus_dir):
    app = make_app(own_index, corpus_dir)
    generation = current_generation(own_index)
    before = sorted(p.name for p in generation.iterdir())
    result = app.test_cli_runner().invoke(args=["warm"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        themes = get_themes().themes
    files = sorted(p.name for p in (generation / "derived").iterdir())
    assert len(files) == len(themes) and all(f.startswith("theme-") for f in files)
    assert f"{len(themes)} themes ready for {generation.name}" in result.output
    assert "serious-organised-crime: computed in" in result.output
    # Only the derived folder is added: the index files are never touched.
    assert sorted(p.name for p in generation.iterdir()) == sorted(before + ["derived"])
    again = app.test_cli_runner().invoke(args=["warm"])
    assert again.exit_code == 0 and "computed in" not in again.output


def test_warm_on_an_unbuilt_index_says_what_to_do(tmp_path, corpus_dir):
    app = make_app(tmp_path / "nothing", corpus_dir)
    result = app.test_cli_runner().invoke(args=["warm"])
    assert result.exit_code == 1
    assert "has not been built; run `make index`" in result.output


def test_a_theme_never_warmed_is_computed_in_memory_and_nothing_is_written(
    own_index, corpus_dir
):
    client = make_app(own_index, corpus_dir).test_client()
    before = _files(own_index)
    page = client.get("/compare?theme=workforce")
    assert page.status_code == 200 and "<mark>" in page.get_data(as_text=True)
    body = client.get("/api/compare?theme=workforce").get_json()
    assert body["theme"]["id"] == "workforce" and body["columns"]
    with make_app(own_index, corpus_dir).app_context():
        themes = get_themes().themes
    for theme in themes:
        assert client.get(f"/compare?theme={theme.id}").status_code == 200
    assert _files(own_index) == before  # requests only read


def _packed(number: int) -> str:
    """Return one document number packed as theme data files hold them."""
    return base64.b64encode(number.to_bytes(4, "little")).decode()


def _corruptions():
    """Return ways a theme file can be broken, each a function of its JSON."""
    return {
        "not json": lambda raw: "{not json",
        "empty": lambda raw: "",
        "truncated": lambda raw: json.dumps(raw)[: len(json.dumps(raw)) // 2],
        "older format": lambda raw: json.dumps(raw | {"format": 0}),
        "a list": lambda raw: "[]",
        "missing a key": lambda raw: json.dumps({k: raw[k] for k in list(raw)[1:]}),
        "passage out of range": lambda raw: json.dumps(
            raw | {"ranked": raw["ranked"] | {"2023": _packed(10**9)}}
        ),
        "not base64": lambda raw: json.dumps(raw | {"ranked": {"2023": "%%%"}}),
        "echo out of range": lambda raw: json.dumps(
            raw | {"echoes": raw["echoes"] | {"a": [10**6] * len(raw["echoes"]["a"])}}
        ),
        "another query": lambda raw: json.dumps(raw | {"query": "fraud"}),
        "wrong types": lambda raw: json.dumps(raw | {"ranked": {"2023": ["x"]}}),
    }


@pytest.fixture(scope="module")
def warmed_index(index_dir, corpus_dir, tmp_path_factory):
    """The session index copied and warmed once (``flask warm``): copy to break it."""
    target = tmp_path_factory.mktemp("warmed") / "index"
    shutil.copytree(index_dir, target)
    shutil.rmtree(current_generation(target) / "derived", ignore_errors=True)
    warm = make_app(target, corpus_dir).test_cli_runner().invoke(args=["warm"])
    assert warm.exit_code == 0, warm.output
    return target


@pytest.mark.parametrize("how", list(_corruptions()))
def test_a_corrupt_or_stale_theme_file_is_recomputed_not_a_500(
    warmed_index, corpus_dir, tmp_path, how
):
    own_index = shutil.copytree(warmed_index, tmp_path / "index")
    app = make_app(own_index, corpus_dir)
    client = app.test_client()
    good = client.get("/api/compare?theme=serious-organised-crime").get_json()
    (path,) = own_index.glob("gen-*/derived/theme-serious-organised-crime-*")
    raw = json.loads(path.read_text())
    broken = _corruptions()[how](raw)
    path.write_text(broken)
    # A new app opens the generation anew, keeping nothing the first one derived.
    client = make_app(own_index, corpus_dir).test_client()
    response = client.get("/api/compare?theme=serious-organised-crime")
    assert response.status_code == 200
    assert response.get_json() == good
    assert path.read_text() == broken  # a request never writes
    assert app.test_cli_runner().invoke(args=["warm"]).exit_code == 0
    assert json.loads(path.read_text()) == raw  # `flask warm` rewrites it whole


@pytest.mark.slow  # builds an index of its own
def test_an_edited_theme_query_gets_new_data_not_the_old_file(
    own_index, corpus_dir, tmp_path
):
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    client = make_app(own_index, corpus).test_client()
    warm = make_app(own_index, corpus).test_cli_runner().invoke(args=["warm"])
    assert warm.exit_code == 0
    (old,) = own_index.glob("gen-*/derived/theme-workforce-*")
    before = client.get("/api/compare?theme=workforce").get_json()
    themes = corpus / "themes.toml"
    text = themes.read_text()
    assert "'recruitment OR recruit OR" in text
    themes.write_text(text.replace("'recruitment OR recruit OR", "'fraud OR"))
    after = client.get("/api/compare?theme=workforce").get_json()
    direct = client.get("/api/compare", query_string={"q": after["query"]})
    assert after["query"].startswith("fraud OR") and before != after
    assert after["columns"] == direct.get_json()["columns"]
    # The request wrote nothing; `flask warm` replaces the old file.
    assert list(own_index.glob("gen-*/derived/theme-workforce-*")) == [old]
    warm = make_app(own_index, corpus).test_cli_runner().invoke(args=["warm"])
    assert warm.exit_code == 0
    (new,) = own_index.glob("gen-*/derived/theme-workforce-*")
    assert new != old


def test_a_theme_key_changes_with_the_query_and_nothing_else(app):
    with app.app_context():
        theme = get_themes().get("vawg")
    same = replace(theme, label="Another label", description="Another description")
    other = replace(theme, query=theme.query + " OR stalking")
    assert theme_cache.theme_key(same) == theme_cache.theme_key(theme)
    assert theme_cache.theme_key(other) != theme_cache.theme_key(theme)


def test_a_derived_folder_that_cannot_be_written_still_answers(own_index, corpus_dir):
    derived = current_generation(own_index) / "derived"
    derived.write_text("a file where a folder should be")
    app = make_app(own_index, corpus_dir)
    response = app.test_client().get("/api/compare?theme=vawg")
    assert response.status_code == 200 and response.get_json()["columns"]
    result = app.test_cli_runner().invoke(args=["warm"])
    assert result.exit_code == 1
    assert f"Error: cannot write theme data into {derived}" in result.output


@pytest.mark.slow  # builds an index of its own
def test_a_pruned_generation_takes_its_derived_data_with_it(corpus_dir, tmp_path):
    index = tmp_path / "index"
    build(corpus_dir, index)
    first = current_generation(index)
    runner = make_app(index, corpus_dir).test_cli_runner()
    assert runner.invoke(args=["warm"]).exit_code == 0
    assert list((first / "derived").glob("theme-*"))
    second = build(corpus_dir, index, force=True).generation
    assert list((first / "derived").glob("theme-*"))  # a worker may still read it
    # A new generation starts without derived data, never with the old one's.
    assert not (index / second / "derived").exists()
    build(corpus_dir, index, force=True)
    assert not first.exists()


def _echoing_candidates() -> list[Candidate]:
    """Return passages of three years that echo each other hundreds of times."""
    words = (
        "the mayor wrote to the commissioner about knife crime in london today".split()
    )
    candidates = []
    for year in ("2016", "2019", "2023"):
        for n in range(30):
            varied = [
                w if (i * 7 + n) % 5 else f"{w}{n % 3}" for i, w in enumerate(words)
            ]
            text = " ".join(varied).capitalize() + "."
            candidates.append(Candidate(f"{year}-p{n}", year, text))
    return candidates


@pytest.mark.parametrize(
    "years", [["2016", "2019", "2023"], ["2016", "2023"], ["2019", "2023"], ["2023"]]
)
def test_the_echoes_kept_per_pair_of_years_give_the_best_for_any_years(years):
    candidates = _echoing_candidates()
    every = find_echoes(candidates)
    assert len(every) > 3 * ECHO_LIMIT  # so keeping the best per pair matters
    table, sentences = _echo_table(every, candidates)
    data = ThemeData(
        theme="t",
        query="q",
        ranked={},
        spans={},
        stems={},
        vocabulary=[],
        frequencies=array("d"),
        words=[],
        echo_ids=[c.id for c in candidates],
        echo_years=[c.year for c in candidates],
        sentences=sentences,
        echoes=table,
    )
    chosen = [c for c in candidates if c.year in years]
    assert data.top_echoes(years) == find_echoes(chosen)[:ECHO_LIMIT]

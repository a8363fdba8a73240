"""The permalink ledger: append-only, stable across rebuilds, re-anchoring edits."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap

import pytest

from indexer.permalinks.ledger import (
    ledger_entries,
    ledger_path,
    read_ledger,
    update_ledger,
)
from indexer.permalinks.reanchor import THRESHOLD
from indexer.permalinks.resolution import GONE, LIVE, MOVED, read_resolution
from indexer.store.build import BuildError, build, current_generation, load_corpus
from tests.conftest import LETTER_2023, ROOT
from tests.edits import (
    LETTER_FILE,
    copy_corpus,
    correct_date,
    passages_of,
    remove_paragraph,
)

# Each test builds the seed corpus, most of them two or three times.
pytestmark = pytest.mark.slow


@pytest.fixture
def corpus(seed_copy):
    """A corpus of this test's own, to edit freely, with its index in ``index``.

    Both are copies of the session's seed build, ledger included, so a test's
    first ``_build(corpus, tmp_path / "index")`` finds the index up to date and
    reports the seed build's generation, the one the ledger's entries name.
    """
    return seed_copy[0]


def _lines(corpus) -> list[dict]:
    return [json.loads(line) for line in ledger_path(corpus).read_text().splitlines()]


def _build(corpus, index, **kwargs):
    report = build(corpus, index, **kwargs)
    return report, read_resolution(current_generation(index))


def test_the_first_build_records_every_id_with_document_text_and_builds(tmp_path):
    corpus = copy_corpus(tmp_path / "first")  # no ledger, no index yet
    report, _ = _build(corpus, tmp_path / "first-index")
    entries = ledger_entries(corpus)
    assert len(entries) == report.passages
    letter = passages_of(corpus, LETTER_2023)
    entry = entries[letter[0].id]
    assert entry["doc"] == LETTER_2023
    assert entry["text"] == letter[0].text
    assert entry["status"] == LIVE
    assert entry["first"] == entry["last"] == report.generation


def test_a_clean_rebuild_keeps_every_id_and_only_appends_a_build_record(
    corpus, tmp_path
):
    first, _ = _build(corpus, tmp_path / "index")
    before = ledger_path(corpus).read_bytes()
    ids = set(ledger_entries(corpus))
    shutil.rmtree(tmp_path / "index")
    second, (redirects, gone, _) = _build(corpus, tmp_path / "index")
    after = ledger_path(corpus).read_bytes()
    assert after.startswith(before)
    appended = [json.loads(line) for line in after[len(before) :].splitlines()]
    assert appended == [appended[0]] and appended[0]["build"] == second.generation
    assert appended[0]["added"] == appended[0]["moved"] == appended[0]["removed"] == 0
    entries = ledger_entries(corpus)
    assert set(entries) == ids
    assert all(e["first"] == first.generation for e in entries.values())
    assert all(e["last"] == second.generation for e in entries.values())
    assert redirects == {} and gone == {}


def test_an_up_to_date_build_does_not_touch_the_ledger(corpus, tmp_path):
    _build(corpus, tmp_path / "index")
    before = ledger_path(corpus).read_bytes()
    report, _ = _build(corpus, tmp_path / "index")
    assert report.up_to_date
    assert ledger_path(corpus).read_bytes() == before


def test_a_corrected_passage_hands_its_old_id_to_the_corrected_text(corpus, tmp_path):
    _build(corpus, tmp_path / "index")
    old = passages_of(corpus, LETTER_2023)[0]
    before = ledger_path(corpus).read_bytes()
    correct_date(corpus)
    new = passages_of(corpus, LETTER_2023)[0]
    assert new.id != old.id
    report, (redirects, gone, revised) = _build(corpus, tmp_path / "index")
    assert ledger_path(corpus).read_bytes().startswith(before)
    assert redirects == {old.id: new.id}
    assert gone == {}
    assert revised[old.id]["text"] == old.text
    entry = ledger_entries(corpus)[old.id]
    assert entry["status"] == MOVED and entry["to"] == new.id
    assert entry["score"] >= THRESHOLD
    assert entry["retired"] == report.generation
    assert ledger_entries(corpus)[new.id]["status"] == LIVE


def test_a_removed_passage_is_archived_as_gone_with_its_text(corpus, tmp_path):
    first, _ = _build(corpus, tmp_path / "index")
    removed = passages_of(corpus, LETTER_2023)[3]
    remove_paragraph(corpus)
    second, (redirects, gone, _) = _build(corpus, tmp_path / "index")
    assert redirects == {}
    assert gone[removed.id]["text"] == removed.text
    assert gone[removed.id]["doc"] == LETTER_2023
    assert gone[removed.id]["last"] == first.generation
    assert gone[removed.id]["retired"] == second.generation
    assert ledger_entries(corpus)[removed.id]["status"] == GONE


def test_a_paragraph_replaced_by_unrelated_text_is_gone_not_redirected(
    corpus, tmp_path
):
    _build(corpus, tmp_path / "index")
    old = passages_of(corpus, LETTER_2023)[3]
    path = corpus / LETTER_FILE
    replacement = "Please send any questions about this letter to the MOPAC office."
    path.write_text(path.read_text().replace(old.text, replacement))
    _, (redirects, gone, _) = _build(corpus, tmp_path / "index")
    assert old.id in gone and old.id not in redirects


def test_entries_are_never_deleted_and_an_id_comes_back_with_its_text(corpus, tmp_path):
    first, _ = _build(corpus, tmp_path / "index")
    original = (corpus / LETTER_FILE).read_text()
    ids = {p.id for p in passages_of(corpus, LETTER_2023)}
    (corpus / LETTER_FILE).unlink()
    _, (_, gone, _) = _build(corpus, tmp_path / "index")
    assert ids <= set(gone)
    (corpus / LETTER_FILE).write_text(original)
    third, (redirects, gone, _) = _build(corpus, tmp_path / "index")
    assert not ids & set(gone) and not ids & set(redirects)
    entries = ledger_entries(corpus)
    for pid in ids:
        assert entries[pid]["status"] == LIVE
        assert entries[pid]["first"] == first.generation
        assert entries[pid]["last"] == third.generation
    assert sum(1 for r in _lines(corpus) if r.get("id") in ids) == 3 * len(ids)


def test_a_chain_of_corrections_redirects_the_oldest_id_to_the_newest(corpus, tmp_path):
    _build(corpus, tmp_path / "index")
    oldest = passages_of(corpus, LETTER_2023)[0].id
    correct_date(corpus)
    _build(corpus, tmp_path / "index")
    middle = passages_of(corpus, LETTER_2023)[0].id
    path = corpus / LETTER_FILE
    path.write_text(
        path.read_text().replace("HM Inspectorate", "His Majesty's Inspectorate")
    )
    _, (redirects, _, _) = _build(corpus, tmp_path / "index")
    newest = passages_of(corpus, LETTER_2023)[0].id
    assert redirects[oldest] == redirects[middle] == newest


def test_a_torn_last_line_is_cut_off_and_the_next_build_appends_after_it(
    corpus, tmp_path
):
    _build(corpus, tmp_path / "index")
    path = ledger_path(corpus)
    whole = path.read_bytes()
    with path.open("ab") as handle:
        handle.write(b'{"id": "aaaaaaaaaa", "doc": "half a li')
    correct_date(corpus)
    documents, _ = load_corpus(corpus, 10**8)
    result = update_ledger(corpus, documents, "gen-test")
    assert result.repaired and result.moved == 1
    data = path.read_bytes()
    assert data.startswith(whole)
    assert b"half a li" not in data
    assert all(line.endswith(b"}") for line in data.splitlines())
    assert "aaaaaaaaaa" not in read_ledger(path)[0]


def test_a_build_killed_in_the_middle_of_a_ledger_write_loses_no_earlier_line(
    corpus, tmp_path
):
    _build(corpus, tmp_path / "index")
    path = ledger_path(corpus)
    whole = path.read_bytes()
    correct_date(corpus)
    # A real SIGKILL, sent by the writer itself after half its bytes are out.
    script = textwrap.dedent(
        f"""
        import os, signal
        from pathlib import Path
        from indexer.permalinks import ledger
        from indexer.store.build import load_corpus
        real_write = os.write
        def half_then_die(fd, data):
            real_write(fd, data[: len(data) // 2])
            os.kill(os.getpid(), signal.SIGKILL)
        ledger.os.write = half_then_die
        corpus = Path({str(corpus)!r})
        ledger.update_ledger(corpus, load_corpus(corpus, 10**8)[0], "gen-killed")
        """
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, timeout=120)
    assert done.returncode == -9
    assert path.read_bytes().startswith(whole)
    assert not path.read_bytes().endswith(b"\n")
    report, (redirects, _, _) = _build(corpus, tmp_path / "index", force=True)
    assert path.read_bytes().startswith(whole)
    assert all(json.loads(line) for line in path.read_bytes().splitlines())
    old, new = (passages_of(c, LETTER_2023)[0].id for c in (ROOT / "corpus", corpus))
    assert redirects == {old: new}
    assert _lines(corpus)[-1]["build"] == report.generation


def test_an_unreadable_line_in_the_middle_is_skipped_not_fatal(corpus, tmp_path):
    _build(corpus, tmp_path / "index")
    path = ledger_path(corpus)
    lines = path.read_text().splitlines(keepends=True)
    damaged = lines[0]
    lines[0] = "this line was mangled by hand\n"
    path.write_text("".join(lines))
    entries, builds, good = read_ledger(path)
    assert json.loads(damaged)["id"] not in entries
    assert len(entries) == len(lines) - 2 and len(builds) == 1
    assert good == path.stat().st_size


def test_a_ledger_that_cannot_be_written_stops_the_build_with_a_clear_message(
    tmp_path,
):
    corpus = copy_corpus(tmp_path / "first")  # no ledger, no index yet
    ledger_path(corpus).mkdir()  # stands in for a read-only corpus, even as root
    with pytest.raises(BuildError, match="permalink ledger .* cannot be written"):
        build(corpus, tmp_path / "first-index")
    assert current_generation(tmp_path / "first-index") is None

"""Every URL comes from ``portal.search.links``, with ids and queries quoted."""

from __future__ import annotations

from portal.search.links import compare_url, diff_url, doc_url, query_url


def test_a_document_url_quotes_the_id_and_the_highlighted_query():
    assert doc_url("a b/c?d", "abcdefgh23", 'SOC "x"') == (
        "/docs/a%20b%2Fc%3Fd?hl=SOC%20%22x%22#abcdefgh23"
    )
    assert doc_url("plain-id", "abcdefgh23", "  ") == "/docs/plain-id#abcdefgh23"


def test_comparison_links_encode_their_arguments():
    assert diff_url("a&b", "c") == "/diff?a=a%26b&b=c"
    assert compare_url("vawg") == "/compare?theme=vawg"
    assert query_url("a&b", [("year", "2023"), ("force", "BTP")]) == (
        "/search?q=a%26b&year=2023&force=BTP"
    )
    assert query_url("x", []) == "/search?q=x"

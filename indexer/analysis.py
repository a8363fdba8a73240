"""The analyzer shared by indexing and querying.

A tokenizer feeds filters, chained with ``|`` as in Whoosh's own ``analysis``
package: words, numbers and money amounts become tokens; possessives are dropped;
everything is lower-cased and stemmed.
"""

from __future__ import annotations

from whoosh.analysis import (
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
)

# Money (£5, €34m), numbers with separators (2021/22, 43,000, 2.4m) and words
# with internal apostrophes or hyphens stay single tokens.
TOKEN_PATTERN = r"[£€$]?\w+(?:(?:[.,/'’-])\w+)*"


class PossessiveFilter(Filter):
    """Strip a trailing ``'s``, ``’s`` or bare apostrophe: victims' = victims."""

    def __call__(self, tokens):
        for token in tokens:
            text = token.text
            if text.endswith(("'s", "’s")):
                token.text = text[:-2]
            elif text.endswith(("'", "’")):
                token.text = text[:-1]
            yield token


def PassageAnalyzer():
    """Return the stemming analyzer used for passage text, labels and titles."""
    return (
        RegexTokenizer(TOKEN_PATTERN)
        | PossessiveFilter()
        | LowercaseFilter()
        | StemFilter(lang="en", cachesize=50000)
    )


def NameAnalyzer():
    """Return the analyzer for names (authors, recipients): lower-cased, not stemmed."""
    return RegexTokenizer(r"\w+(?:[-'’]\w+)*") | LowercaseFilter()

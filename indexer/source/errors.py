"""The error every reader raises for a file it cannot turn into text."""


class UnreadableDocumentError(Exception):
    """A corpus file that cannot be turned into text; the message says what to do."""

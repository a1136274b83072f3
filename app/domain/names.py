"""When two names are one source's: case, accents, spacing and a leading "the" do not tell two
sources apart ("The Associated Press", "associated  press"). Used to match a name read in an
article, an alias and a merge against the sources already stored.

A voice without a name of its own ("officials", "a source familiar with the matter", "residents")
is not matched by its words: "officials" in two articles are two voices, and matching them would
turn a real conflict into one source's revision. Such a source belongs to the document it was read
in (``in_document``) unless a reviewer links it to a stored source."""

import unicodedata

_LABEL = 120  # characters of a document's title or URL kept in an anonymous source's name


def normalise(name: str) -> str:
    """The name's key: accents dropped, case folded, spaces single, a leading "the" left out."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    words = plain.casefold().split()
    return " ".join(words[1:] if words[:1] == ["the"] else words)


def is_anonymous(name: str, kind: str) -> bool:
    """Whether a source names no one: an anonymous kind, or a name with no capitalised word (outlets aside)."""
    return kind == "anonymous" or (kind != "outlet" and not any(w[:1].isupper() for w in name.split()))


def in_document(name: str, document: str) -> str:
    """An anonymous source's name, qualified by the document it speaks in: "officials (in: <title>)"."""
    label = " ".join(document.split())
    label = label if len(label) <= _LABEL else label[: _LABEL - 1] + "…"
    return f"{name} (in: {label})"

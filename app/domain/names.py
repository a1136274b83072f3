"""When two names are one source's: case, accents, spacing and a leading "the" do not tell two
sources apart ("The Associated Press", "associated  press"). Used to match a name read in an
article, an alias and a merge against the sources already stored."""

import unicodedata


def normalise(name: str) -> str:
    """The name's key: accents dropped, case folded, spaces single, a leading "the" left out."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    words = plain.casefold().split()
    return " ".join(words[1:] if words[:1] == ["the"] else words)

"""Errors the domain raises; the HTTP layer turns each into one problem+json shape.

- ``DomainError``: base of everything below.
- ``Unreadable``: words that could not be read as a figure (carries the words not understood).
- ``InvalidInterval``: an interval that breaks a rule (low > high, a reversed range ...).
"""


class DomainError(ValueError):
    """Base class of every error the pure domain raises."""


class Unreadable(DomainError):
    """A phrase that could not be read as a figure.

    ``words`` holds the words that were not understood, so a user sees exactly what to fix.
    """

    def __init__(self, message: str, words: str = "") -> None:
        super().__init__(message)
        self.words = words


class InvalidInterval(DomainError):
    """An interval that breaks a rule: low above high, a reversed range, a negative count."""

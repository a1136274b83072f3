"""Errors the domain raises; the HTTP layer turns each into one problem+json shape.

- ``DomainError``: base of everything below.
- ``Unreadable``: words that could not be read as a figure (carries the words not understood).
- ``InvalidInterval``: an interval that breaks a rule (low > high, a reversed range, a number
  beyond the largest figure accepted ...).
- ``Cancelled``: work stopped because its caller asked (``extract(..., should_stop=...)``
  returned True: a deadline passed, the client went away). Not the input's fault.
- ``TooManyFigures``: a text holding more figures than one extraction proposes (``.limit``).
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


class Cancelled(DomainError):
    """Work stopped before it finished because the caller's ``should_stop`` returned True."""


class TooManyFigures(DomainError):
    """A text with more figures than one extraction proposes; ``limit`` is that number."""

    def __init__(self, message: str, limit: int) -> None:
        super().__init__(message)
        self.limit = limit

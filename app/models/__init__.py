"""SQLModel tables and API schemas. Importing this package registers every table on the metadata."""

from app.models.common import Page, metadata
from app.models.entities import (
    Claim,
    ClaimRelay,
    Document,
    Event,
    Figure,
    Metric,
    Scope,
    Source,
)

__all__ = [
    "Claim",
    "ClaimRelay",
    "Document",
    "Event",
    "Figure",
    "Metric",
    "Page",
    "Scope",
    "Source",
    "metadata",
]
from app.models.summaries import GroupSummary, GroupVoice  # noqa: E402

__all__ += ["GroupSummary", "GroupVoice"]
from app.models.keys import ApiKey  # noqa: E402

__all__ += ["ApiKey"]
from app.models.history import Change  # noqa: E402

__all__ += ["Change"]
from app.models.idempotency import Idempotency  # noqa: E402

__all__ += ["Idempotency"]
from app.models.aliases import SourceAlias  # noqa: E402

__all__ += ["SourceAlias"]
from app.models.imports import ImportRecord, ImportReject  # noqa: E402

__all__ += ["ImportRecord", "ImportReject"]
from app.models.bias import BiasFitRow  # noqa: E402

__all__ += ["BiasFitRow"]

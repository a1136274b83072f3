"""Shared by the API tests: how schemathesis sends NDJSON (``POST /import`` documents it), so the
fuzzer exercises that body too instead of warning that it cannot."""

import json
from typing import Any

import schemathesis


@schemathesis.serializer("application/x-ndjson")
def ndjson(_context: Any, value: Any) -> bytes:
    """A generated string as it is; anything else as JSON, one line per item of a list."""
    if isinstance(value, str):
        return value.encode("utf-8", "surrogatepass")
    items = value if isinstance(value, list) else [value]
    return "\n".join(json.dumps(item) for item in items).encode()

"""The report in a real browser: headless Chromium against a real uvicorn server on the seed article.

Keeps the screenshot as ``tests/artifacts/report.png``. Skipped when Chromium is not installed
(Debian: ``apt-get install -y chromium``; CI installs it, and sets ``COUNTERCHECK_REQUIRE_CHROMIUM``
to make a missing browser a failure)."""

import html
import os
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine

from app.demo import load_demo
from scripts.screenshot_report import dump_dom, find_chromium, screenshot

CHROMIUM = find_chromium()
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
PNG = b"\x89PNG\r\n\x1a\n"

pytestmark = pytest.mark.slow


@pytest.fixture
def chromium() -> str:
    """The browser, or a skip (a failure where CI requires it) before any server starts."""
    if CHROMIUM is None:
        reason = "Chromium is not installed (apt-get install -y chromium)"
        if os.environ.get("COUNTERCHECK_REQUIRE_CHROMIUM"):
            pytest.fail(f"CI requires Chromium: {reason}")
        pytest.skip(reason)
    return CHROMIUM


def test_chromium_renders_the_seed_report_with_its_chart(
    chromium: str, engine: Engine, server: str, tmp_path: Path
) -> None:
    event_id = load_demo(engine)["event_id"]
    url = f"{server}/events/{event_id}/report"
    report = httpx.get(f"{server}/events/{event_id}/discrepancies?metric=killed", timeout=10).json()
    headline = next(g["headline"] for g in report["groups"] if g["scope"]["name"] == "attacking force")

    dom = html.unescape(dump_dom(chromium, url, tmp_path / "dom-profile"))
    assert "U.S. strike on Russian contract fighters near Deir ez-Zor" in dom
    assert "<svg" in dom and "1.7x under" in dom and "40.2x below" in dom
    assert headline in dom

    shot = screenshot(chromium, url, ARTIFACTS / "report.png", tmp_path / "shot-profile", (1280, 2000))
    data = shot.read_bytes()
    assert data.startswith(PNG)
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1280, 2000)
    assert len(data) > 50_000  # a rendered page, not a blank one

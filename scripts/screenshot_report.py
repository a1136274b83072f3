"""Screenshot the seed article's report with headless Chromium, for the README: ``docs/report.png``.

Loads the demo into a temporary SQLite database, serves it with uvicorn on a free loopback port,
opens ``/events/1/report`` in Chromium and writes the screenshot. Needs ``chromium`` (Debian:
``apt-get install -y chromium``).

    .venv/bin/python scripts/screenshot_report.py [--out docs/report.png] [--size 1280,1200]

The helpers (``find_chromium``, ``screenshot``, ``dump_dom``) are shared with
``tests/server/test_report_browser.py``.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
)
TIMEOUT = 90


def find_chromium() -> str | None:
    """The Chromium binary on PATH (or named by ``CHROMIUM``), or None."""
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name) if name else None
        if found:
            return found
    return None


def _chromium(binary: str, url: str, profile: Path, *extra: str) -> str:
    command = [binary, *FLAGS, f"--user-data-dir={profile}", *extra, url]
    done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"chromium exited {done.returncode}: {done.stderr[-2000:]}")
    return done.stdout


def screenshot(binary: str, url: str, out: Path, profile: Path, size: tuple[int, int] = (1280, 2000)) -> Path:
    """A PNG of the page at ``size`` (width, height) pixels."""
    out.parent.mkdir(parents=True, exist_ok=True)
    out.unlink(missing_ok=True)
    _chromium(binary, url, profile, f"--screenshot={out.resolve()}", f"--window-size={size[0]},{size[1]}")
    if not out.is_file():
        raise RuntimeError(f"chromium wrote no screenshot to {out}")
    return out


def dump_dom(binary: str, url: str, profile: Path) -> str:
    """The page's DOM as Chromium rendered it."""
    return _chromium(binary, url, profile, "--dump-dom")


@contextmanager
def demo_server(directory: Path) -> Iterator[str]:
    """Uvicorn on a fresh SQLite database holding the seed article; yields its base URL."""
    from app.db import make_engine
    from app.demo import load_demo
    from app.migrate import upgrade

    url = f"sqlite:///{directory / 'demo.db'}"
    engine = make_engine(url)
    upgrade(engine)
    load_demo(engine)
    engine.dispose()
    if str(ROOT) not in sys.path:  # run as a script: the repository's bench package is beside it
        sys.path.insert(0, str(ROOT))
    from bench.serve import running_server

    with running_server(url, COUNTERCHECK_DEMO="false") as (base, _pid):
        yield base


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "report.png")
    parser.add_argument("--size", default="1280,1200", help="window width,height in pixels")
    parser.add_argument("--path", default="/events/1/report", help="the page to shoot")
    args = parser.parse_args()
    binary = find_chromium()
    if binary is None:
        print("chromium is not installed (Debian: apt-get install -y chromium)", file=sys.stderr)
        return 1
    width, height = (int(v) for v in args.size.split(","))
    with tempfile.TemporaryDirectory() as tmp, demo_server(Path(tmp)) as base:
        shot = screenshot(binary, base + args.path, args.out, Path(tmp) / "profile", (width, height))
    print(f"wrote {shot} ({shot.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))  # run as a script from anywhere: the app package is at the root
    sys.exit(main())

"""The domain is pure: its modules load neither the web framework nor the database layer, so its
tests (this folder) run the same on any engine and CI runs them once."""

import subprocess
import sys

PROBE = (
    "import importlib, pkgutil, sys, app.domain as d; "
    "[importlib.import_module(f'app.domain.{m.name}') for m in pkgutil.iter_modules(d.__path__)]; "
    "print(len(list(pkgutil.iter_modules(d.__path__))), "
    "sorted({m.split('.')[0] for m in sys.modules} & {'fastapi', 'starlette', 'sqlalchemy', 'sqlmodel'}))"
)


def test_every_domain_module_imports_no_web_framework_and_no_database() -> None:
    found = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True)
    count, loaded = found.stdout.strip().split(" ", 1)
    assert int(count) >= 15 and loaded == "[]", found.stdout

"""Schemathesis against the app's own OpenAPI schema, in-process (ASGI), on a real database.

One test per operation (``test_every_operation_answers_as_documented[GET /sources]``), each on its
own database (``db_url``: a SQLite copy, or the run's PostgreSQL database emptied) seeded with the
demo article, so ids 1..10 exist. Schemathesis sends its examples, coverage cases and up to
``MAX_EXAMPLES`` generated requests, valid and invalid by the schema, with an admin key. Every
response must not be a 5xx, must have a documented status code, content type and headers, and its
body must match the schema of that status. Ids in paths, queries and bodies are often swapped
for the demo's, so requests reach real rows rather than answer 404 to random ids.

Reproducible: the seed is fixed. ``COUNTERCHECK_FUZZ_SEED`` and ``COUNTERCHECK_FUZZ_EXAMPLES`` run
another seed or more examples; ``COUNTERCHECK_FUZZ_VERBOSE=1`` prints each operation's statuses.
The totals of requests and checks are printed at the end of the module.

The schema is loaded at import with ``schemathesis.openapi.from_dict`` (and the app attached, as
``from_asgi`` does) rather than through ``schemathesis.pytest.from_fixture``: that path sets
``Function._nodeid``, which pytest 9.2 no longer has, and ``from_asgi`` would start the app's
lifespan at import, before any test database exists.
"""

import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis import Case, CheckResult, HookContext, Response
from schemathesis.checks import not_a_server_error
from schemathesis.python.asgi import shutdown_lifespans
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import Engine
from sqlmodel import Session

from app.demo import load_demo
from app.main import create_app
from app.models.keys import Role
from app.services import keys
from tests.conftest import empty_database

MAX_EXAMPLES = int(os.environ.get("COUNTERCHECK_FUZZ_EXAMPLES", "25"))
SEED = int(os.environ.get("COUNTERCHECK_FUZZ_SEED", "20180215"))
DEMO_IDS = st.integers(min_value=1, max_value=12)  # the demo has up to 10 of each; 11, 12 are misses
DEMO_METRICS = st.sampled_from(["killed", "injured", "missing", "evacuated"])
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@dataclass
class Tally:
    requests: int = 0
    checks: int = 0
    statuses: Counter[str] = field(default_factory=Counter)  # "2xx" -> count
    answered: Counter[tuple[str, int]] = field(default_factory=Counter)  # (operation, status) -> count


TALLY = Tally()


def _is_id(name: str, value: Any) -> bool:
    return (name == "ident" or name.endswith("_id") or name in {"a", "b"}) and isinstance(value, int)


def _near_demo(values: Any) -> st.SearchStrategy[Any]:
    """Keep the generated values, or put demo ids (and metric names) in their place."""
    if not isinstance(values, dict):
        return st.just(values)
    replaced: dict[str, st.SearchStrategy[Any]] = {}
    for name, value in values.items():
        if isinstance(value, bool):
            continue
        if _is_id(name, value):
            replaced[name] = st.one_of(st.just(value), DEMO_IDS)
        elif name == "relay_ids" and isinstance(value, list) and all(type(v) is int for v in value):
            replaced[name] = st.one_of(st.just(value), st.lists(DEMO_IDS, max_size=3))
        elif name in {"metric", "name"} and isinstance(value, str):
            replaced[name] = st.one_of(st.just(value), DEMO_METRICS)
        elif name == "figures" and isinstance(value, list):
            items = [_near_demo(item) for item in value]
            replaced[name] = st.tuples(*items).map(list)
    if not replaced:
        return st.just(values)
    return st.fixed_dictionaries(replaced).map(lambda new: {**values, **new})


def load_schema() -> schemathesis.BaseSchema:
    """The app's own schema, without starting the app: its lifespan starts on the first request,
    inside a test, when ``DATABASE_URL`` already names that test's database."""
    app = create_app()
    config = schemathesis.Config.from_dict({"seed": SEED})
    loaded = schemathesis.openapi.from_dict(app.openapi(), config=config)
    loaded.app = app  # requests go to the app in-process, as `schemathesis.openapi.from_asgi` sets it
    return loaded


schema = load_schema()


@schema.hook
def flatmap_path_parameters(context: HookContext, path_parameters: dict[str, Any] | None) -> Any:
    return _near_demo(path_parameters)


@schema.hook
def flatmap_query(context: HookContext, query: dict[str, Any] | None) -> Any:
    return _near_demo(query)


@schema.hook
def flatmap_body(context: HookContext, body: Any) -> Any:
    return _near_demo(body)


@schema.hook
def after_call(context: HookContext, case: Case[Any], response: Response) -> None:
    TALLY.requests += 1
    TALLY.statuses[f"{response.status_code // 100}xx"] += 1
    TALLY.answered[(case.operation.label, response.status_code)] += 1


@schema.hook
def after_validate(context: HookContext, case: Case[Any], response: Response, results: list[CheckResult]) -> None:
    TALLY.checks += len(results)


@pytest.fixture(scope="module", autouse=True)
def report_totals(request: pytest.FixtureRequest) -> Iterator[None]:
    """Print how many requests and checks the module ran (and stop the app's lifespan)."""
    yield
    shutdown_lifespans()
    capture = request.config.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled():
        statuses = ", ".join(f"{n} {kind}" for kind, n in sorted(TALLY.statuses.items()))
        print(f"\nschemathesis: {TALLY.requests} generated requests ({statuses}), {TALLY.checks} checks (seed {SEED})")
        if os.environ.get("COUNTERCHECK_FUZZ_VERBOSE"):
            for (label, status), n in sorted(TALLY.answered.items()):
                print(f"  {label}: {status} x{n}")


@pytest.fixture
def demo(engine: Engine) -> None:
    """This operation's own database (see ``db_url``), seeded with the demo article."""
    load_demo(engine)


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture],
)
def test_every_operation_answers_as_documented(case: Case[Any], demo: None, admin_token: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {admin_token}"}, checks=CHECKS)


# --- the stateful phase: chains of calls that follow the links between operations ----------------
STATEFUL_EXAMPLES = int(os.environ.get("COUNTERCHECK_FUZZ_STATEFUL_EXAMPLES", "15"))


class Workflow(schema.as_state_machine()):  # type: ignore[misc]
    """Sequences such as create a source -> read it -> patch it -> delete it -> restore it, sent
    with an admin key, each answer checked like the single calls above."""

    token = ""
    engine: Engine | None = None

    def setup(self) -> None:
        """Each sequence starts from the demo alone, so a sequence replays the same way."""
        assert self.engine is not None
        empty_database(self.engine)
        load_demo(self.engine)
        with Session(self.engine) as session:
            _, type(self).token = keys.create(session, "fuzz-admin", Role.admin)
            session.commit()

    def get_call_kwargs(self, case: Case[Any]) -> dict[str, Any]:
        return {"headers": {"Authorization": f"Bearer {self.token}"}}

    def after_call(self, response: Response, case: Case[Any]) -> None:
        after_call(None, case, response)  # type: ignore[arg-type]

    def validate_response(self, response: Response, case: Case[Any], *_: Any, **kwargs: Any) -> None:
        case.validate_response(response, checks=CHECKS, transport_kwargs=kwargs)
        TALLY.checks += len(CHECKS)


def test_workflows_across_operations_answer_as_documented(engine: Engine) -> None:
    Workflow.engine = engine
    Workflow.run(
        settings=settings(
            max_examples=STATEFUL_EXAMPLES,
            stateful_step_count=8,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
    )

"""The stored bias fit: serialised a batch of groups at a time, to the very text of the typed model."""

from dataclasses import replace

import pytest

from app.domain.bias import fit_bias
from app.models.bias import StoredFit
from app.services.bias import GroupKey, stored, stored_json
from bench.bias_data import simulate


@pytest.mark.parametrize("batch", [1, 3, 5_000])
def test_the_batched_json_is_the_models_json(batch: int) -> None:
    sim = simulate(31, groups=7, series=2, days=20, reports_per_series=4)
    keys: dict[tuple[bool, str], str] = {}
    for st in sim.statements:  # the service's group keys: event | scope | metric
        keys.setdefault((st.cumulative, st.group), GroupKey(len(keys) + 1, "killed", None).text)
    statements = [replace(st, group=keys[(st.cumulative, st.group)]) for st in sim.statements]
    fit = fit_bias(statements, reference=sim.reference)
    assert fit.groups and fit.series
    text = stored_json(fit, batch=batch)
    assert text == stored(fit).model_dump_json()
    assert StoredFit.model_validate_json(text) == stored(fit)

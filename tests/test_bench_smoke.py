"""The benchmark's code path on a tiny input, so it cannot rot (no timing is asserted)."""

import pytest

from bench import data
from bench.run import run, table


def test_bench_runs_end_to_end_on_a_tiny_input() -> None:
    result = run(rows=2_000, seconds=1, synthetic_events=2, bias=True, big_event=2_000, soak_seconds=2)
    assert result["import"]["rows"] + result["rows_refused"] == 2_000
    assert result["http"]["event_claimants"] == 20
    for name in ("event_discrepancies", "figure", "bare_insert", "create_claim", "create_claim_spread"):
        assert result["http"][name]["rps"] > 0 and result["http"][name]["errors"] == 0
    assert result["bias_fit"]["statements"] <= result["bias_fit"]["all_statements"]
    assert result["cli_import"]["rows"] == result["import_floor"]["rows"] == result["import"]["rows"]
    assert result["cli_export"]["rows"] == result["export"]["rows"] > 0
    assert "| `countercheck import`" in table(result) and "each to another group" in table(result)
    assert "| bulk import" in table(result) and "| reporting-bias fit" in table(result)
    assert all(result["big_event"][view]["bytes"] > 0 for view in ("report", "page", "chart"))
    assert "| big event (2,000 figures), page (HTML)" in table(result)
    assert result["soak"]["writes_acknowledged"] > 0 and "| soak:" in table(result)


def test_without_the_shared_data_the_benchmark_reads_the_committed_sample(monkeypatch: pytest.MonkeyPatch) -> None:
    """A clone of the repository alone has no ../shared/data: the benchmark (and this smoke test)
    still run, on the committed sample of real rows, each row distinct."""
    monkeypatch.setattr(data, "data_file", lambda: None)
    rows = list(data.real_rows(2_500))
    assert len(rows) == 2_500 and len({(r["subject"], r["metric"], r["source"]) for r in rows}) == 2_500
    assert set(rows[0]) >= {"source", "subject", "metric", "value_low", "value_high", "hedge", "date"}

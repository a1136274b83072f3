"""The benchmark's code path on a tiny input, so it cannot rot (no timing is asserted)."""

from bench.run import run, table


def test_bench_runs_end_to_end_on_a_tiny_input() -> None:
    result = run(rows=2_000, seconds=1, synthetic_events=2)
    assert result["import"]["rows"] + result["rows_refused"] == 2_000
    assert result["http"]["event_claimants"] == 20
    for name in ("event_discrepancies", "figure", "create_claim"):
        assert result["http"][name]["rps"] > 0 and result["http"][name]["errors"] == 0
    assert "| bulk import" in table(result)

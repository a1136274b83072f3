"""The reporting-bias fit as the service runs it, over a loaded database: every figure read (streamed,
event by event) into the model's statements, the fit, and its result serialised as the service
stores it (not written back). Prints one JSON object: seconds per stage, counts, and this process's
peak resident memory.

    python -m bench.bias_db DATABASE_URL

``bench.run`` starts it as a process of its own, so that the peak is the fit's and not the
import's (the benchmark holds the whole file in memory to import it). BLAS is held to one thread.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import json  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections import defaultdict  # noqa: E402
from typing import Any  # noqa: E402

from sqlmodel import Session  # noqa: E402

from app.db import make_engine  # noqa: E402
from app.domain.bias import fit_bias  # noqa: E402
from app.services.bias import Inputs, read_inputs, stored_json  # noqa: E402


def measure(url: str) -> dict[str, Any]:
    engine = make_engine(url)
    t0 = time.perf_counter()
    with Session(engine) as session:
        inputs = read_inputs(session)
    t1 = time.perf_counter()
    fitted = fit_bias(inputs.statements, reference=inputs.reference) if inputs.statements else None
    t2 = time.perf_counter()
    counts = _counts(inputs)
    del inputs  # as the service does: the statements are freed before the result is serialised
    size = len(stored_json(fitted)) if fitted else 0
    t3 = time.perf_counter()
    engine.dispose()
    return {
        "read_s": t1 - t0,
        "fit_s": t2 - t1,
        "serialise_s": t3 - t2,
        "result_mb": size / 2**20,
        **counts,
        "em_rounds": 0 if fitted is None else fitted.em_rounds,
        "peak_mb": peak_mb(),
    }


def _counts(inputs: Inputs) -> dict[str, int]:
    """Statements and groups read; those with two or more claimants, which inform the biases."""
    voices: dict[tuple[bool, str], set[int]] = defaultdict(set)
    for st in inputs.statements:
        voices[(st.cumulative, st.group)].add(st.claimant_id)
    informing = [st for st in inputs.statements if len(voices[(st.cumulative, st.group)]) >= 2]
    return {
        "all_statements": len(inputs.statements),
        "all_groups": len(voices),
        "groups": sum(len(who) >= 2 for who in voices.values()),
        "statements": len(informing),
        "claimants": len({st.claimant_id for st in informing}),
        "biases": len(
            {(st.family, st.claimant_id, st.party) for st in informing if st.claimant_id not in inputs.reference}
        ),
    }


def peak_mb() -> float:
    """This process's peak resident memory: VmHWM, which starts afresh at exec. (Not ``ru_maxrss``:
    Linux carries it over from the parent's memory at the fork, here the benchmark's million rows.)"""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


if __name__ == "__main__":
    print(json.dumps(measure(sys.argv[1])))

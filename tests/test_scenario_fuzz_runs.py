"""`make fuzz` in small (tests/fuzz_scenarios.py): 200 mutants of the shipped scenarios; validate raises only
ScenarioError with a line for every field problem, and each accepted mutant runs to its end, finite."""

from __future__ import annotations

import fuzz_scenarios


def test_validated_mutants_run_to_their_end_with_finite_outputs():
    tally = fuzz_scenarios.fuzz(200, seed=20261207)
    report = tally.report(0.0)
    assert tally.mutants == 200 and tally.accepted > 10 and tally.ran > 5, report
    assert tally.rejected > 10, report  # the mutator does reach the checks
    assert tally.tracebacks == 0 and tally.unlocated == 0 and tally.non_finite == 0, report

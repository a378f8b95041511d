"""The conflict model: one Mesa step is one round of the phases in `sim.engine.phases`, in the order of
docs/MODEL.md (events, negotiation and signing, escalation, coercion, patrons, threats, resolution, ripeness's
record of the round, learning, accords, economy, adaptation, stop).

`ConflictModel` only orchestrates. It builds the scenario's fixed `Structure`, its live `State` and the
`Derived` caches (`sim.engine`), plays the phases in order and records each round. All randomness comes from
`self.rng` (the model's seeded numpy Generator), drawn in a fixed order each round, so a scenario and a seed
give the same run on any machine or worker. The `Actor` agents are named views of the state's rows; the
attributes outputs and the browser view read (`model.rung`, `model.sup_level`, ...) are `sim.engine.views`.

Speed: a round is a few hundred NumPy operations on arrays of a few elements (2 sides, 5 rungs, 6 regions),
where a call's overhead outweighs its work. So lookups that change only with the scenario, an event or a new
support channel are kept between rounds (`sim.engine.derived`), and the phases use array methods and ufuncs
(`.nonzero()[0]`, `.argmax()`, `np.minimum`) rather than NumPy's Python-level helpers (`np.flatnonzero`,
`np.clip`, `np.tile`, `np.mean`), with the same arithmetic, so results stay identical.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

import mesa

from sim.agents import Actor
from sim.engine import bindings
from sim.engine.build import build_state
from sim.engine.derived import build_derived, strength
from sim.engine.inputs import DEFAULT_SCENARIO, check_runnable, no_economy, resolve, seed_of
from sim.engine.log import EventLog, Kind
from sim.engine.phases import (
    accords,
    adaptation,
    coercion,
    economy,
    escalation,
    events,
    learning,
    negotiation,
    patrons,
    resolution,
    ripeness,
    stop,
    threats,
)
from sim.engine.recording import reports_oil, round_row, row_columns, row_value
from sim.engine.structure import build_structure
from sim.engine.views import ModelViews
from sim.scenario import LoadedScenario, Scenario

__all__ = ["DEFAULT_SCENARIO", "ConflictModel", "round_row", "row_columns", "row_value", "run_model"]


class ConflictModel(ModelViews, mesa.Model):
    """A scenario played out round by round. See the module docstring and docs/MODEL.md."""

    def __init__(
        self,
        *,
        scenario: Scenario | LoadedScenario | str | None = None,
        overrides: dict[str, Any] | None = None,
        rng: int | str | None = None,
        collect: bool = True,
        max_rounds: int | None = None,
    ) -> None:
        s, self.scenario_hash, self.source, document = resolve(scenario, overrides)
        self.seed = seed_of(rng, s.seed)
        super().__init__(rng=self.seed)
        check_runnable(s, self.source)
        assert s.clock is not None
        self.spec = s
        self.max_rounds = int(max_rounds or s.clock.max_rounds)
        self.round = 0
        self.date: dt.date = s.clock.start
        self.history: list[dict] = []
        self.collect = collect
        self.structure = build_structure(s, self.max_rounds)
        # events may change engine and economy settings during a run: the run has its own copies
        engine = s.engine.model_copy(deep=True)
        self.state = build_state(s, self.structure, engine, (s.economy or no_economy()).model_copy())
        self.log = EventLog(self.structure.actor_ids, s.clock.start, s.clock.round_days)
        self.events = self.log.events
        self.agents_by_id = {}
        for i, aid in enumerate(self.structure.actor_ids):
            self.agents_by_id[aid] = Actor(
                self,
                index=i,
                aid=aid,
                name=s.actors[aid].name,
                role=s.actors[aid].role,
                side=self.side_name(i),
            )
        self.derived = build_derived(self.structure, self.state)
        self.due = bindings.prepare(self.structure, self.state, s.events, document, self.source)
        self.columns = row_columns(self.structure, self.state, oil=reports_oil(s))
        self.running = True
        economy.update(self.structure, self.state, first=True)
        ripeness.observe(self.state, self.derived)
        self.datacollector = mesa.DataCollector(model_reporters=self._reporters())
        self._record()

    def actor(self, aid: str) -> Actor:
        return self.agents_by_id[aid]

    def step(self) -> None:
        s, st, d, rng, log = self.structure, self.state, self.derived, self.rng, self.log
        r = self.round + 1
        st.convened = {fid for fid, f in st.forums.items() if r in f.rounds}
        events.fire_due(s, st, d, self.due, rng, log, r)
        # Forces and support levels stay put from here until the patrons move: one strength for these phases.
        now = strength(s, st, d)
        negotiation.negotiate(s, st, d, now, rng, log, r)
        escalation.choose_rungs(s, st, d, now, rng, log, r)
        coercion.choose_blockades(s, st, d, rng, log, r)
        patrons.choose_support(s, st, d, now, rng, log, r)
        threats.carry_out(s, st, d, rng, log, r)
        shift = resolution.fight(s, st, d, rng, log, r)
        ripeness.observe(st, d)
        learning.observe(s, st, d)
        accords.violations_and_trust(s, st, log, r)
        economy.update(s, st, first=False)
        adaptation.drift_positions(s, st, d, shift)
        self.round = r
        self.date = s.date(r)
        self._record()
        outcome = stop.check(s, st, r)
        if outcome is not None:
            st.outcome = outcome
            self.running = False
            log.add(r, Kind.RUN_ENDED, (), outcome=outcome, winner=st.winner)

    def run(self) -> ConflictModel:
        while self.running:
            self.step()
        return self

    def _record(self) -> None:
        self.history.append(
            round_row(self.structure, self.state, self.derived, self.round, self.date, self.columns)
        )
        if self.collect:
            self.datacollector.collect(self)

    def _reporters(self) -> dict:
        names = list(self.history[-1]) if self.history else list(self.columns)
        # Side-level columns only: the per-region and per-channel ones are in rounds.csv, and every reporter
        # costs a deepcopy per round.
        skip = ("date", "status", "support_", "accord_", "agreement_", "signed_") + tuple(
            f"control_{rid}_" for rid in self.structure.region_ids
        )
        return {name: partial(row_value, key=name) for name in names if not name.startswith(skip)}


def run_model(
    scenario: Scenario | LoadedScenario | str | None,
    *,
    seed: int | str | None,
    max_rounds: int | None = None,
    collect: bool = False,
    overrides: dict[str, Any] | None = None,
) -> ConflictModel:
    """Build a model and step it until a stop rule ends the run."""
    return ConflictModel(
        scenario=scenario, overrides=overrides, rng=seed, collect=collect, max_rounds=max_rounds
    ).run()

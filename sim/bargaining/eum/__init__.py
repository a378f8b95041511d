"""The Expected Utility Model (EUM) of stakeholder bargaining, vectorised over actors and issues.

Bueno de Mesquita's model as specified by Scholz, Calbert & Smith (2011), "Unravelling Bueno de Mesquita's group
decision model", J. Theoretical Politics 23(4) (conference version: scitepress.org/PublishedPapers/2011/31215),
with the readings of `research/bargaining-models.md` sections 1 and 1.3 and `research/eum-replication.md`.
`docs/BARGAINING.md` gives every equation as built and every ambiguity with the reading chosen.

Arrays are those of every bargaining model (sim.bargaining.issues): positions `x` (n, k), capabilities `c`,
saliences `s`, scale ends `lo`, `hi`; issues are bargained independently, k is a batch axis.

Two named readings (`EUMSettings.variant`):
- `paper`: P_ij + P_ji = 1 (each dyad's own vote total), capitulation works (E1 < 0 < E2 < |E1|: move all the way);
- `compat`: Scholz's own code (the pure-Python port `jmckib/bdm-scholz-expected-utility-model`): P's
  denominator sums |votes| over all (voter, a, b) triples, and the capitulation branch never fires. This is the
  reading that reproduces the published EC trajectory (eum-replication.md section 2).
Both use risk exponents in the votes, risk recomputed from r = 1 each round, and (by default) Scholz's choice
among compromise offers.

Modules: settings (the readings and the records of moves), utilities (votes, win probabilities, expected
utilities, risk), offers (which offer an actor accepts), rounds (`eum_round`, `eum_run`).
"""

from sim.bargaining.eum.rounds import eum_round, eum_run
from sim.bargaining.eum.settings import (
    CHOICES,
    KINDS,
    RISK_MODES,
    VARIANTS,
    EUMSettings,
    Move,
    RoundResult,
    RunMove,
    RunResult,
)
from sim.bargaining.eum.utilities import endogenous_risk, expected_utilities, risk_exponent, win_probabilities
from sim.bargaining.forecasts import RULES, forecast, median_voter, weighted_mean

__all__ = [
    "CHOICES",
    "KINDS",
    "RISK_MODES",
    "RULES",
    "VARIANTS",
    "EUMSettings",
    "Move",
    "RoundResult",
    "RunMove",
    "RunResult",
    "endogenous_risk",
    "eum_round",
    "eum_run",
    "expected_utilities",
    "forecast",
    "median_voter",
    "risk_exponent",
    "weighted_mean",
    "win_probabilities",
]

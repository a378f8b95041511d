"""Stakeholder bargaining models, pure NumPy: each takes positions, capabilities and saliences per issue.

- `eum`: Bueno de Mesquita's Expected Utility Model (Scholz, Calbert & Smith 2011), round by round;
- `compromise`: the capability x salience weighted mean (van den Bos 1991; Achen 2006);
- `nbs`: the Nash bargaining solution with a disagreement point (Nash 1950; Achen 2006; Schneider et al. 2010);
- `exchange`: Stokman & Van Oosten's (1994) exchange of voting positions across issues;
- `power`, `eu_council`: Shapley-Shubik indices, and those of the EU Council by treaty era (capabilities);
- `issues` (the inputs, checked and issue-major) and `forecasts` (weighted mean, median voter), shared by all.

docs/BARGAINING.md gives every equation as built. The EUM's names are re-exported here, where the conflict
model and the forecast command have always imported them.
"""

from sim.bargaining.compromise import compromise
from sim.bargaining.eum import (
    CHOICES,
    KINDS,
    RISK_MODES,
    RULES,
    VARIANTS,
    EUMSettings,
    Move,
    RoundResult,
    RunMove,
    RunResult,
    endogenous_risk,
    eum_round,
    eum_run,
    expected_utilities,
    forecast,
    median_voter,
    risk_exponent,
    weighted_mean,
    win_probabilities,
)
from sim.bargaining.exchange import Exchange, ExchangeRun, exchange_run
from sim.bargaining.nbs import NBS_BREAKDOWN, breakdown, disagreement_at, nash_bargaining

__all__ = [
    "CHOICES",
    "KINDS",
    "NBS_BREAKDOWN",
    "RISK_MODES",
    "RULES",
    "VARIANTS",
    "EUMSettings",
    "Exchange",
    "ExchangeRun",
    "Move",
    "RoundResult",
    "RunMove",
    "RunResult",
    "breakdown",
    "compromise",
    "disagreement_at",
    "endogenous_risk",
    "eum_round",
    "eum_run",
    "exchange_run",
    "expected_utilities",
    "forecast",
    "median_voter",
    "nash_bargaining",
    "risk_exponent",
    "weighted_mean",
    "win_probabilities",
]

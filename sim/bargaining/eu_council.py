"""Voting power in the Council of the EU by treaty era: the Shapley-Shubik index of each member state.

The rules (member states by their DEU codes: bu Bulgaria, cr Croatia, el Greece, uk the United Kingdom):

| era | in force | QMV: a coalition wins with | source |
|---|---|---|---|
| `amsterdam15` | 1995 - Oct 2004 | 62 of 87 weighted votes | TEC art. 205(2) (Amsterdam), 1994 Act of Accession |
| `nice25` | Nov 2004 - 2006 | 232 of 321 votes and 13 of 25 members | TEC art. 205 as amended by the 2003 Act of Accession art. 12 |
| `nice27` | 2007 - Jun 2013 | 255 of 345 votes and 14 of 27 members | 2005 Act of Accession art. 22 |
| `nice28` | Jul 2013 - Oct 2014 | 260 of 352 votes and 15 of 28 members | 2012 Act of Accession (Croatia) art. 20 |
| `lisbon28` | from Nov 2014 | 55 % of members (16 of 28) with 65 % of the population, or all but three members | TEU art. 16(4), TFEU art. 238(3) |

Nice's optional check that the majority holds 62 % of the population (only on a member's request) is left out.
Under unanimity every member is a veto player and the index is 1/n for each. Population for `lisbon28`:
millions, about Eurostat 1 January 2015 (research/eum-replication.md section 4, there flagged +-2 %, not checked
row by row); the index is counted on 10,000s.
"""

from __future__ import annotations

import numpy as np

from sim.bargaining.power import shapley_shubik

EU15 = ("at", "be", "de", "dk", "el", "es", "fi", "fr", "ie", "it", "lu", "nl", "pt", "se", "uk")
EU25 = (*EU15, "cy", "cz", "ee", "hu", "lt", "lv", "mt", "pl", "si", "sk")
EU27 = (*EU25, "bu", "ro")
EU28 = (*EU27, "cr")

AMSTERDAM_VOTES = {
    **dict.fromkeys(["de", "fr", "it", "uk"], 10),
    "es": 8,
    **dict.fromkeys(["be", "el", "nl", "pt"], 5),
    **dict.fromkeys(["at", "se"], 4),
    **dict.fromkeys(["dk", "ie", "fi"], 3),
    "lu": 2,
}
NICE_VOTES = {
    **dict.fromkeys(["de", "fr", "it", "uk"], 29),
    **dict.fromkeys(["es", "pl"], 27),
    "ro": 14,
    "nl": 13,
    **dict.fromkeys(["be", "cz", "el", "hu", "pt"], 12),
    **dict.fromkeys(["at", "bu", "se"], 10),
    **dict.fromkeys(["dk", "ie", "lt", "sk", "fi", "cr"], 7),
    **dict.fromkeys(["cy", "ee", "lv", "lu", "si"], 4),
    "mt": 3,
}
POPULATION_M = {
    "de": 81.2, "fr": 66.4, "uk": 64.9, "it": 60.8, "es": 46.4, "pl": 38.0, "ro": 19.9, "nl": 16.9,
    "be": 11.3, "el": 10.9, "cz": 10.5, "pt": 10.4, "hu": 9.9, "se": 9.7, "at": 8.6, "bu": 7.2, "dk": 5.7,
    "fi": 5.5, "sk": 5.4, "ie": 4.6, "cr": 4.2, "lt": 2.9, "si": 2.1, "lv": 2.0, "ee": 1.3, "cy": 0.85,
    "lu": 0.56, "mt": 0.43,
}  # fmt: skip

# era: (members, weight table, quota (votes; for the population rule a share of the total), minimum members,
# players a blocking minority needs)
ERAS: dict[str, tuple[tuple[str, ...], dict[str, int] | dict[str, float], float, int, int]] = {
    "amsterdam15": (EU15, AMSTERDAM_VOTES, 62, 0, 0),
    "nice25": (EU25, NICE_VOTES, 232, 13, 0),
    "nice27": (EU27, NICE_VOTES, 255, 14, 0),
    "nice28": (EU28, NICE_VOTES, 260, 15, 0),
    "lisbon28": (EU28, POPULATION_M, 0.65, 16, 4),
}


def council_power(era: str, unanimity: bool = False) -> dict[str, float]:
    """Each member state's Shapley-Shubik index in the Council of `era` (ERAS), under QMV or unanimity."""
    if era not in ERAS:
        raise ValueError(f"era must be one of {tuple(ERAS)}, got {era!r}")
    members, table, quota, min_members, blockers = ERAS[era]
    if unanimity:
        return dict.fromkeys(members, 1 / len(members))
    if table is POPULATION_M:  # the double majority: populations in 10,000s, quota 65 % of the total
        weights = np.array([round(table[m] * 100) for m in members])
        votes = int(np.ceil(quota * weights.sum()))
    else:
        weights = np.array([table[m] for m in members])
        votes = int(quota)
    power = shapley_shubik(weights, votes, min_members, blockers)
    return dict(zip(members, power.tolist(), strict=True))

"""Events (as in events.jsonl) told in words: the terminal summary and the browser's event list share them."""

from __future__ import annotations

import textwrap

from sim.engine.log import Kind
from sim.scenario import Scenario

NARRATED = (
    Kind.SIGNED,
    Kind.REFUSED,
    Kind.AGREEMENT,
    Kind.VIOLATION,
    Kind.COLLAPSED,
    Kind.BLOCKADE_STARTED,
    Kind.BLOCKADE_LIFTED,
    Kind.THREAT_CARRIED_OUT,
    Kind.THREAT_CALLED,
    Kind.CONTROL_CHANGED,
    Kind.SCHEDULED_EVENT,
    Kind.TRIGGERED_EVENT,
)


def notable(events: list[dict]) -> list[dict]:
    """The events worth telling in a summary: each party's first signature and first refusal in a forum, its
    first violation, a side's gain of a region, each scenario event once, and every agreement, collapse,
    blockade and threat (events.jsonl keeps every one)."""
    out, seen = [], set()
    for e in events:
        kind = e["type"]
        if kind not in NARRATED:
            continue
        key: tuple | None
        if kind == Kind.VIOLATION:
            key = (kind, e["actors"][0])
        elif kind in (Kind.SIGNED, Kind.REFUSED):
            key = (kind, e["actors"][0], e["forum"])
        elif kind == Kind.CONTROL_CHANGED:
            key = (kind, tuple(e["actors"]), e["region"], e["share"] >= 1.0)
        elif kind in (Kind.SCHEDULED_EVENT, Kind.TRIGGERED_EVENT):
            key = ("event", e["id"])
        else:
            key = None
        if key is not None:
            if key in seen:
                continue
            seen.add(key)
        out.append(e)
    return out


def _who(actors: list[str]) -> str:
    return ", ".join(actors) if actors else "—"


def _num(x: float) -> str:
    return f"{x:.3g}"


def _terms(terms: dict, scenario: Scenario) -> str:
    return ", ".join(
        f"{scenario.issues[q].name.split('(')[0].strip().lower()} {v:.0f}" for q, v in terms.items()
    )


def _why(e: dict) -> str:
    """The terms of a sign-or-refuse decision in words (the event's `reasons`, docs/FORMATS.md)."""
    r = e.get("reasons")
    if not r:
        return ""
    why = (
        f": the text is {1.0 - r['u_deal']:.2f} from its positions, fighting on costs it {r['cost']:.2f}"
        f" and it expects to win {r['p']:.0%}"
    )
    if r["ripeness"] > 0:
        why += f", the stalemate adds {r['ripeness']:.2f}"
    if r["pressure"] != 0:
        why += f", its patrons press {r['pressure']:+.2f}"
    return why + f"; it trusts the deal to hold at {r['trust']:.0%}"


def _option(r: dict, new: float) -> int:
    """The index, among a patron's `options` (rounded in the log), of the one it chose."""
    return min(range(len(r["options"])), key=lambda j: abs(r["options"][j] - new))


def _why_choice(e: dict) -> str:
    """The terms of a rung, blockade, support, commitment or threat decision in words (docs/FORMATS.md)."""
    try:
        return _choice_terms(e["reasons"], e) if e.get("reasons") else ""
    except (KeyError, TypeError, ValueError, IndexError):
        # reasons written by another version or by hand: the browser's Why panel shows them as key=value
        return ""


def _choice_terms(r: dict, e: dict) -> str:
    kind = e["type"]
    if kind == Kind.RUNG_CHANGED:
        why = (
            f": it expects to win {r['p_win']:.0%}; the ground it expects to take is worth {r['gain']:+.2f},"
            f" its grievance {r['grievance']:+.2f}, the rung costs it {r['cost']:.2f}"
        )
        if r["truce_penalty"] > 0:
            why += f" and breaking the truce {r['truce_penalty']:.2f}"
        return why + f" (chosen with probability {r['probability']:.0%})"
    if kind in (Kind.BLOCKADE_STARTED, Kind.BLOCKADE_LIFTED):
        if r["probability"] == 0.0 and kind == Kind.BLOCKADE_LIFTED:
            return ": it no longer holds oil or has no demand left"
        return (
            f": shutting the oil is worth {r['leverage']:+.2f} as leverage ({r['dissatisfaction']:.2f} from the"
            f" terms on the table), its own lost revenue {r['own_revenue']:+.2f}, the political cost"
            f" {r['political_cost']:+.2f} (probability of blockading {r['probability']:.0%})"
        )
    if kind == Kind.SUPPORT_CHANGED:
        if "options" not in r:
            return f": its commitment came down to {_num(r['commitment'])}k"
        fire = f"under fire at {r['danger']:.0%} of full intensity" if r["danger"] > 0 else "not under fire"
        return (
            f": its client is {fire} and would win {r['p_client']:.0%}"
            f" at the new level, which costs the patron {r['cost']:.2f} a round"
            f" (chosen with probability {r['probabilities'][_option(r, e['new'])]:.0%})"
        )
    if kind == Kind.COMMITMENT_CHANGED:
        j = _option(r, e["new"])
        return (
            f": its stakes are {r['stakes']:.2f}, the rival patrons commit {_num(r['rivals'])}k and its client"
            f" would win {r['p_client'][j]:.0%} at the new commitment (chosen with probability"
            f" {r['probabilities'][j]:.0%})"
        )
    if kind in (Kind.THREAT_CARRIED_OUT, Kind.THREAT_CALLED):
        held = f", the watched side holds {r['control']:.0%} of the region" if "control" in r else ""
        return f" (credibility {r['credibility']:.0%}, drawn {r['draw']:.2f}{held})"
    return ""


def sentence(e: dict, scenario: Scenario, reasons: bool = True) -> str:
    """What happened, in words (without the date), with the scenario's names for forums, rungs and regions;
    with `reasons`, a decision also says why (its event's `reasons`)."""
    kind, who = e["type"], _who(e.get("actors", []))
    forums = scenario.forums
    forum = forums[e["forum"]].name if e.get("forum") in forums else e.get("forum") or "the truce"
    ladder = scenario.ladder
    regions = scenario.theatre.regions if scenario.theatre else {}
    if kind == Kind.FORUM_CONVENED:
        return f"{forum} convened: {who} at the table."
    if kind == Kind.PROPOSAL:
        terms = _terms(e["terms"], scenario)
        tabled = "the text already on the table" if e.get("open") else "proposal"
        return f"{forum}, {tabled}: {terms}."
    why = "" if not reasons else _why(e) if kind in (Kind.SIGNED, Kind.REFUSED) else _why_choice(e)
    if kind == Kind.SIGNED:
        return f"{who} signed the {forum} text{why}."
    if kind == Kind.REFUSED:
        return f"{who} refused the {forum} text and walked out{why}."
    if kind == Kind.PARTIAL_SIGNING:
        return f"{forum}: {who} signed, {_who(e.get('refused', []))} refused."
    if kind == Kind.AGREEMENT:
        return f"Agreement at {forum}, signed by {who}: {_terms(e['terms'], scenario)}."
    if kind == Kind.VIOLATION:
        rung = e.get("rung")
        what = f" ({ladder[rung].name.lower()})" if rung is not None and rung < len(ladder) else ""
        return f"{who} broke the {e.get('accord', 'truce')}{what}."
    if kind == Kind.COLLAPSED:
        return (
            f"The {e.get('accord', 'truce')} collapsed after {e.get('violations', '?')} rounds of violations."
        )
    if kind == Kind.RUNG_CHANGED:
        new = e.get("new", e.get("rung"))
        name = f": {ladder[new].name.lower()}" if isinstance(new, int) and new < len(ladder) else ""
        return f"{who} moved to rung {new}{name}{why}."
    if kind == Kind.BLOCKADE_STARTED:
        return f"{who} blockaded the oil it controls ({e.get('oil_share', 0):.0%} of output){why}."
    if kind == Kind.BLOCKADE_LIFTED:
        return f"{who} lifted its oil blockade{why}."
    if kind == Kind.SUPPORT_CHANGED:
        patron, *client = e["actors"]
        verb = "raised" if e["new"] > e["old"] else "cut"
        covert = "covert " if e.get("covert") else ""
        return (
            f"{patron} {verb} {covert}support to {_who(client)}: {_num(e['old'])}k → {_num(e['new'])}k{why}."
        )
    if kind == Kind.COMMITMENT_CHANGED:
        patron, *client = e["actors"]
        verb = "raised" if e["new"] > e["old"] else "cut"
        return (
            f"{patron} {verb} its commitment to {_who(client)}: {_num(e['old'])}k → {_num(e['new'])}k{why}."
        )
    if kind == Kind.THREAT_CARRIED_OUT:
        patron, *target = e["actors"]
        return (
            f"{patron} carried out its threat against {_who(target)} (+{_num(e.get('magnitude', 0))}k){why}."
        )
    if kind == Kind.THREAT_CALLED:
        patron, *target = e["actors"]
        return f"{_who(target)} called {patron}'s bluff: the threat was not carried out{why}."
    if kind == Kind.CONTROL_CHANGED:
        region = regions[e["region"]].name if e.get("region") in regions else e.get("region")
        held = "all" if e.get("share", 0) >= 1.0 else "most"
        return f"{who} now holds {held} of {region} ({e.get('share', 0):.0%})."
    if kind in (Kind.SCHEDULED_EVENT, Kind.TRIGGERED_EVENT):
        return textwrap.shorten(e.get("description") or e.get("id", kind), 220, placeholder="…")
    if kind == Kind.RUN_ENDED:
        winner = f", {e['winner']} prevails" if e.get("winner") else ""
        return f"The run ended: {str(e.get('outcome', '')).replace('_', ' ')}{winner}."
    details = ", ".join(f"{k} {v}" for k, v in e.items() if k not in ("round", "date", "type", "actors"))
    return f"{kind.replace('_', ' ')}: {who}{' (' + details + ')' if details else ''}."

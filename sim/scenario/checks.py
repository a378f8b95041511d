"""Cross-reference checks: the parts of a scenario that must agree with each other.

They read the raw merged document defensively (a wrong type elsewhere is the schema's to report), so a
user sees type errors and broken references in the same report.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sim.scenario.errors import did_you_mean
from sim.scenario.patrons import SUPPORT_KIND_DEFAULTS

Finding = tuple[tuple, str, str | None, str | None]  # path, message, expected, suggestion
TOLERANCE = 1e-6
METRIC_HEADS = ("round", "control", "forces", "rung", "oil_output", "agreement", "violations", "support")


def _map(x: Any) -> dict:
    return x if isinstance(x, dict) else {}


def _list(x: Any) -> list:
    return x if isinstance(x, list) else []


def _num(x: Any) -> float | None:
    if not isinstance(x, int | float) or isinstance(x, bool):
        return None
    try:
        return float(x)
    except OverflowError:  # an integer beyond float range; the schema reports it
        return None


def _ref(path: tuple, value: Any, known: dict | list, what: str) -> Iterator[Finding]:
    if isinstance(value, str) and value not in known:
        yield (
            path,
            f"unknown {what} `{value}`",
            f"one of: {', '.join(map(str, known)) or '(none defined)'}",
            did_you_mean(value, known),
        )


def _scale(issue: Any) -> tuple[float, float] | None:
    scale = _map(issue).get("scale", [0.0, 100.0])
    if isinstance(scale, list | tuple) and len(scale) == 2 and all(_num(v) is not None for v in scale):
        return float(scale[0]), float(scale[1])
    return None


def _lead(spec: Any, aid: str) -> bool:
    """A belligerent that leads its side: it names no other belligerent as its `side`."""
    return _map(spec).get("side") in (None, aid)


def _sides(aid: str, spec: dict, actors: dict) -> Iterator[Finding]:
    """A coalition member names its side's lead (no chains); forces fight only beside a belligerent."""
    side = spec.get("side")
    path = ("actors", aid)
    member = spec.get("role") == "belligerent" and side != aid
    if member and isinstance(side, str) and side in actors and not _lead(actors[side], side):
        yield (
            (*path, "side"),
            f"`{side}` itself joins `{_map(actors[side]).get('side')}`'s side",
            "the lead belligerent of the side (one that names no `side`): a side is named by its lead",
            f"side: {_map(actors[side]).get('side')}",
        )
    forces = _num(spec.get("forces"))
    if spec.get("role") in ("patron", "mediator") and side is None and forces is not None and forces > 0:
        yield (
            (*path, "forces"),
            f"{forces:g} force units that fight for no side",
            "`side: <belligerent>` beside these forces, or `forces: 0`",
            "name the belligerent these forces fight beside with `side:`",
        )


def _visible(path: tuple, sup: dict, data: dict) -> Iterator[Finding]:
    """Support of a kind that cannot be hidden (`engine.support_kinds.<kind>.covert` false) is overt."""
    kind = sup.get("kind", "arms")
    if (
        sup.get("mode", "covert") != "covert"
        or not isinstance(kind, str)
        or kind not in SUPPORT_KIND_DEFAULTS
    ):
        return
    given = _map(_map(_map(_map(data.get("engine")).get("support_kinds")).get(kind))).get("covert")
    covert = given if isinstance(given, bool) else SUPPORT_KIND_DEFAULTS[kind][1]
    if not covert:
        yield (
            (*path, "mode"),
            f"{kind} support cannot be covert",
            "`mode: overt` (engine.support_kinds." + kind + ".covert is false)",
            "mode: overt",
        )


def _deploy(aid: str, spec: dict, regions: dict) -> Iterator[Finding]:
    """`deploy` places an actor's own forces on fronts: named contested regions, shares summing to at most 1,
    for an actor with forces that fights (a belligerent, or a patron naming the side it fights beside)."""
    deploy = _map(spec.get("deploy"))
    at = ("actors", aid, "deploy")
    if deploy and not (spec.get("role") == "belligerent" or spec.get("side") is not None):
        yield (
            at,
            "only an actor that fights places forces",
            "a belligerent, or a patron with a `side`",
            None,
        )
    for rid in deploy:
        yield from _ref((*at, rid), rid, regions, "region")
        if rid in regions and _map(regions[rid]).get("contested") is not True:
            yield (
                (*at, rid),
                f"region `{rid}` is not a front",
                "a region with `contested: true`",
                f"set `contested: true` on `{rid}` or remove it from `deploy`",
            )
    shares = [v for v in (_num(x) for x in deploy.values()) if v is not None]
    if len(shares) == len(deploy) and sum(shares) > 1.0 + TOLERANCE:
        yield (
            at,
            f"deploy shares sum to {sum(shares):g}",
            "shares of the actor's forces that sum to at most 1",
            "give each named front its share of the forces; the rest spreads over the other fronts",
        )


def cross_reference_problems(data: dict) -> list[Finding]:
    return list(_findings(data))


def _findings(data: dict) -> Iterator[Finding]:
    issues = _map(data.get("issues"))
    actors = _map(data.get("actors"))
    forums = _map(data.get("forums"))
    ladder = _list(data.get("ladder"))
    regions = _map(_map(data.get("theatre")).get("regions"))
    belligerents = [a for a, spec in actors.items() if _map(spec).get("role") == "belligerent"]

    for aid, spec in actors.items():
        spec = _map(spec)
        base = ("actors", aid)
        for section in ("positions", "salience"):
            for iid, value in _map(spec.get(section)).items():
                yield from _ref((*base, section, iid), iid, issues, "issue")
                scale = _scale(issues.get(iid))
                v = _num(value)
                if section == "positions" and scale and v is not None and not scale[0] <= v <= scale[1]:
                    yield (
                        (*base, section, iid),
                        f"position {v:g} is outside the issue's scale",
                        f"a number from {scale[0]:g} to {scale[1]:g}",
                        "check the issue's `scale`",
                    )
        missing = set(_map(spec.get("positions"))) ^ set(_map(spec.get("salience")))
        for iid in sorted(missing, key=str):
            has = "positions" if iid in _map(spec.get("positions")) else "salience"
            lacks = "salience" if has == "positions" else "positions"
            yield (
                (*base, has, iid),
                f"`{iid}` has a {has} entry but no {lacks} entry",
                "a position and a salience for every issue the actor takes a stand on",
                f"add `{iid}:` under `{lacks}`",
            )
        yield from _ref((*base, "side"), spec.get("side"), belligerents, "side (a belligerent)")
        yield from _sides(aid, spec, actors)
        for i, sup in enumerate(_list(spec.get("support"))):
            to = _map(sup).get("to")
            yield from _ref((*base, "support", i, "to"), to, actors, "actor")
            yield from _visible((*base, "support", i), _map(sup), data)
            if to == aid:
                yield (
                    (*base, "support", i, "to"),
                    "an actor cannot support itself",
                    "another actor's id",
                    None,
                )
        for i, threat in enumerate(_list(spec.get("threats"))):
            yield from _ref((*base, "threats", i, "target"), _map(threat).get("target"), actors, "actor")
            line = _map(_map(threat).get("trigger"))
            yield from _ref((*base, "threats", i, "trigger", "region"), line.get("region"), regions, "region")
            yield from _ref(
                (*base, "threats", i, "trigger", "side"), line.get("side"), belligerents, "belligerent"
            )
        for other in _map(spec.get("affinity")):
            yield from _ref((*base, "affinity", other), other, actors, "actor")
        yield from _deploy(aid, spec, regions)
        rung = spec.get("rung")
        if ladder and isinstance(rung, int) and not isinstance(rung, bool) and rung >= len(ladder):
            yield ((*base, "rung"), f"rung {rung} is not on the ladder", f"0 to {len(ladder) - 1}", None)

    oil_total = 0.0
    pop_total = 0.0
    for rid, region in regions.items():
        region = _map(region)
        at = ("theatre", "regions", rid)
        control = _map(region.get("control"))
        for who in control:
            yield from _ref((*at, "control", who), who, belligerents, "belligerent")
        for who in _map(region.get("value")):
            yield from _ref((*at, "value", who), who, actors, "actor")
        shares = [s for s in (_num(v) for v in control.values()) if s is not None]
        if control and len(shares) == len(control) and abs(sum(shares) - 1.0) > TOLERANCE:
            yield (
                (*at, "control"),
                f"control shares sum to {sum(shares):g}",
                "shares that sum to 1",
                "give each belligerent's share so that together they make 1",
            )
        oil_total += _num(region.get("oil", 0.0)) or 0.0
        pop_total += _num(region.get("population", 0.0)) or 0.0
    if regions and oil_total > 1.0 + TOLERANCE:
        yield (
            ("theatre", "regions"),
            f"oil shares of the regions sum to {oil_total:g}",
            "a total of at most 1",
            None,
        )
    if regions and pop_total > 1.0 + TOLERANCE:
        yield (
            ("theatre", "regions"),
            f"population shares sum to {pop_total:g}",
            "a total of at most 1",
            None,
        )

    yield from _ref(("economy", "revenue_to"), _map(data.get("economy")).get("revenue_to"), actors, "actor")

    for fid, forum in forums.items():
        forum = _map(forum)
        base = ("forums", fid)
        for section in ("participants", "mediators", "required_signatories"):
            for i, who in enumerate(_list(forum.get(section))):
                yield from _ref((*base, section, i), who, actors, "actor")
        participants = _list(forum.get("participants"))
        for i, who in enumerate(_list(forum.get("required_signatories"))):
            if isinstance(who, str) and who in actors and who not in participants:
                yield (
                    (*base, "required_signatories", i),
                    f"`{who}` must sign but does not take part",
                    "a participant of this forum",
                    f"add `{who}` to `participants`",
                )
        forum_issues = _list(forum.get("issues"))
        for i, iid in enumerate(forum_issues):
            yield from _ref((*base, "issues", i), iid, issues, "issue")
        proposal = _map(forum.get("open_proposal"))
        for iid, value in _map(proposal.get("terms")).items():
            yield from _ref((*base, "open_proposal", "terms", iid), iid, forum_issues, "issue of this forum")
            scale, v = _scale(issues.get(iid)), _num(value)
            if scale and v is not None and not scale[0] <= v <= scale[1]:
                yield (
                    (*base, "open_proposal", "terms", iid),
                    f"term {v:g} is outside the issue's scale",
                    f"a number from {scale[0]:g} to {scale[1]:g}",
                    None,
                )
        for i, who in enumerate(_list(proposal.get("signed_by"))):
            yield from _ref((*base, "open_proposal", "signed_by", i), who, participants, "participant")
        yield from _territory_findings(base, forum, actors, regions)

    for i, who in enumerate(_list(_map(data.get("truce")).get("signatories"))):
        yield from _ref(("truce", "signatories", i), who, actors, "actor")

    for i, event in enumerate(_list(data.get("events"))):
        event = _map(event)
        if event.get("enabled") is False:
            continue
        for j, effect in enumerate(_list(event.get("effects"))):
            effect = _map(effect)
            yield from _ref(("events", i, "effects", j, "convene"), effect.get("convene"), forums, "forum")
            for verb in ("set", "add"):
                target = effect.get(verb)
                if isinstance(target, str) and not _path_exists(data, target):
                    yield (
                        ("events", i, "effects", j, verb),
                        f"`{target}` does not exist in this scenario",
                        "a dotted path to a value the scenario defines",
                        _path_hint(data, target),
                    )
        yield from _condition_findings(event.get("when"), ("events", i, "when"), data)

    if (belligerents or forums) and not isinstance(data.get("clock"), dict):
        yield (
            ("clock",),
            "a scenario with belligerents or forums needs a `clock`",
            "clock: {start: YYYY-MM-DD, round_days: 7, max_rounds: 52}",
            None,
        )
    if belligerents and not ladder:
        yield (("ladder",), "belligerents need an escalation ladder", "a list of rungs from 0 upward", None)
    if belligerents and not regions:
        yield (("theatre",), "belligerents need a theatre with regions", "theatre: {regions: {...}}", None)


def _territory_findings(base: tuple, forum: dict, actors: dict, regions: dict) -> Iterator[Finding]:
    """A forum's territorial terms and peacekeepers name regions of the theatre and actors on a side."""
    sided = [
        a for a, spec in actors.items() if _map(spec).get("role") == "belligerent" or _map(spec).get("side")
    ]
    terms = _map(forum.get("terms"))
    for section, who in (("transfer", "to"), ("withdraw", "side")):
        for i, term in enumerate(_list(terms.get(section))):
            term = _map(term)
            yield from _ref((*base, "terms", section, i, "region"), term.get("region"), regions, "region")
            yield from _ref((*base, "terms", section, i, who), term.get(who), sided, "actor on a side")
    for i, region in enumerate(_list(terms.get("buffer"))):
        yield from _ref((*base, "terms", "buffer", i), region, regions, "region")
    keepers = _map(forum.get("peacekeepers"))
    yield from _ref((*base, "peacekeepers", "by"), keepers.get("by"), actors, "actor")
    for i, region in enumerate(_list(keepers.get("regions"))):
        yield from _ref((*base, "peacekeepers", "regions", i), region, regions, "region")


def _path_exists(data: Any, dotted: str) -> bool:
    node = data
    for part in dotted.split("."):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.lstrip("-").isdigit() and -len(node) <= int(part) < len(node):
            node = node[int(part)]
        else:
            return False
    return True


def _path_hint(data: Any, dotted: str) -> str | None:
    node = data
    for part in dotted.split("."):
        if isinstance(node, dict):
            if part not in node:
                hint = did_you_mean(part, node.keys())
                return f"at `{part}`: {hint}" if hint else f"at `{part}`: no such key"
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return f"at `{part}`: cannot go further"
    return None


def _condition_findings(cond: Any, path: tuple, data: dict) -> Iterator[Finding]:
    cond = _map(cond)
    for key in ("all", "any"):
        for i, sub in enumerate(_list(cond.get(key))):
            yield from _condition_findings(sub, (*path, key, i), data)
    if "not" in cond:
        yield from _condition_findings(cond["not"], (*path, "not"), data)
    metric = cond.get("metric")
    if not isinstance(metric, str):
        return
    parts = metric.split(".")
    head = parts[0]
    if head not in METRIC_HEADS:
        yield (
            (*path, "metric"),
            f"unknown metric `{metric}`",
            f"a metric starting with one of {METRIC_HEADS}",
            did_you_mean(head, METRIC_HEADS),
        )
        return
    actors = _map(data.get("actors"))
    regions = _map(_map(data.get("theatre")).get("regions"))
    shape = {
        "round": 1,
        "oil_output": 1,
        "agreement": 1,
        "violations": 1,
        "forces": 2,
        "rung": 2,
        "control": 3,
        "support": 3,
    }[head]
    if len(parts) != shape:
        forms = {
            1: head,
            2: f"{head}.<actor>",
            3: f"{head}.<region>.<actor>" if head == "control" else f"{head}.<patron>.<recipient>",
        }
        yield ((*path, "metric"), f"`{metric}` has the wrong shape", forms[shape], None)
        return
    if head == "control":
        yield from _ref((*path, "metric"), parts[1], regions, "region")
        yield from _ref((*path, "metric"), parts[2], actors, "actor")
    elif shape >= 2:
        for part in parts[1:]:
            yield from _ref((*path, "metric"), part, actors, "actor")

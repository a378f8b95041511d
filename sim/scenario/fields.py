"""Which fields a pydantic model allows where: the model at a field path, and its keys as a file names them.

`did you mean` on an unknown key, and `--set` into a section a file leaves to its defaults, both need to know
which keys may stand at a path; the answer comes from the schema's own declarations, not from a copy of them.
"""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel

from sim.scenario.document import FieldPath
from sim.scenario.schema import Scenario


def field_names(model: type[BaseModel]) -> list[str]:
    """The keys `model` accepts, each under the name a file uses (its alias, if it has one)."""
    return [f.alias or name for name, f in model.model_fields.items()]


SCENARIO_KEYS = tuple(field_names(Scenario))


def _unwrap(annotation: Any) -> Any:
    """Strip Optional/Annotated so the resolver sees the container or model underneath."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def model_at(loc: FieldPath, root: type[BaseModel]) -> type[BaseModel] | None:
    """The pydantic model whose fields are allowed at `loc`, for 'did you mean' on unknown keys."""
    current: Any = root
    items = list(loc)
    while items:
        current = _unwrap(current)
        part = items.pop(0)
        if isinstance(current, type) and issubclass(current, BaseModel):
            if not isinstance(part, str):  # a list index where the model has named fields
                return None
            by_alias = {(f.alias or name): f for name, f in current.model_fields.items()}
            fld = current.model_fields.get(part) or by_alias.get(part)
            if fld is None:
                return None
            current = fld.annotation
        elif typing.get_origin(current) in (dict, list):
            current = typing.get_args(current)[-1]
        else:
            return None
    current = _unwrap(current)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None

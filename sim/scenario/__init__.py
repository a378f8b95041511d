"""The scenario language: YAML files, their schema, `extends`, overrides and errors. Knows nothing of Mesa."""

from sim.scenario.errors import Problem, ScenarioError
from sim.scenario.loader import LoadedScenario, load_scenario, load_scenario_text
from sim.scenario.schema import Scenario, json_schema

__all__ = [
    "LoadedScenario",
    "Problem",
    "Scenario",
    "ScenarioError",
    "json_schema",
    "load_scenario",
    "load_scenario_text",
]

"""Test-wide settings. CI (`.ci/run` sets HYPOTHESIS_PROFILE=ci) runs the property tests derandomized, so a red CI
is reproducible from its commit alone; locally they draw new examples every run and find new edges."""

import os

from hypothesis import settings

settings.register_profile("ci", derandomize=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

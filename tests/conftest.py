"""Test-wide settings. CI (`.ci/run` sets HYPOTHESIS_PROFILE=ci) runs the property tests derandomized, so a red CI
is reproducible from its commit alone; locally they draw new examples every run and find new edges."""

import os

from hypothesis import settings

# No per-example deadline in either profile: timing limits do not belong in unit tests, and on a loaded machine
# a slow example would fail a correct kernel.
settings.register_profile("ci", derandomize=True, deadline=None)
settings.register_profile("local", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "local"))

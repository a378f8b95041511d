# The README's two commands: `make run` and `make test`. Each sets up what it needs first.
# Mesa 3.5 needs Python >= 3.12; `.python-version` makes pyenv's python3.12 shim resolve here.
PYTHON ?= python3.12
VENV   := .venv
BIN    := $(VENV)/bin
ASSETS := .cache/solara-assets

.PHONY: run test lint format viz assets system-deps fuzz bench bench-deu3 bench-cdb90 bench-bargaining bench-model bench-sweep bench-cases bench-replications mutants clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 12), "stakesim needs Python >= 3.12 (Mesa 3.5)"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

run: $(VENV)/.installed
	$(BIN)/python run.py run

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(VENV)/.installed-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: $(VENV)/.installed-test lint system-deps assets
	$(BIN)/python -m pytest -q

# The promise of `validate`, fuzzed: 5,000 seeded mutants of the shipped scenarios; every one validate accepts
# must run to its end with finite outputs (tests/fuzz_scenarios.py; `make test` runs 200).
fuzz: $(VENV)/.installed-test
	$(BIN)/python tests/fuzz_scenarios.py --mutants 5000 --seed 0

# Debian packages the browser tests need: Chromium (Playwright downloads no browser) and npm (solara's page
# assets come from the npm registry). Installed only when missing; without root or sudo the browser tests are
# skipped and say why.
system-deps:
	@need=""; [ -x /usr/bin/chromium ] || need="chromium chromium-driver"; \
	command -v npm >/dev/null || need="$$need npm"; \
	if [ -n "$$need" ]; then \
	  if [ "$$(id -u)" -eq 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; \
	  else echo "system-deps: need root or sudo to install:$$need (browser tests will be skipped)"; exit 0; fi; \
	  $$sudo apt-get update -qq && \
	  $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$need; \
	fi

# Solara's browser assets from the npm registry into $(ASSETS), once; after that the page needs no network.
assets: $(VENV)/.installed
	$(BIN)/python run.py viz --fetch-assets-only

# The browser view on http://127.0.0.1:8765 (`make viz FILE=scenarios/other.yaml` for another scenario).
viz: $(VENV)/.installed
	$(BIN)/python run.py viz $(FILE)

# Every benchmark in one go; each prints its own table with the baseline beside it.
bench: bench-bargaining bench-deu3 bench-cdb90 bench-model bench-sweep bench-replications bench-cases

clean:
	rm -rf $(VENV) .cache .pytest_cache .hypothesis .mypy_cache build *.egg-info

# Sweep throughput (run.py sweep vs mesa.batch_run, 1 and 2 workers) and memory at 1,000 vs 10,000 runs.
bench-sweep: $(VENV)/.installed
	$(BIN)/python benchmarks/sweep_speed.py

# Replications with trajectories (trajectories.parquet + fan.png) against summaries only, and peak memory at
# 1,000 vs 10,000 replications.
bench-replications: $(VENV)/.installed
	$(BIN)/python benchmarks/replications_speed.py

# Four bargaining models on the 353 DEU III outcomes vs the salience-weighted mean, 400 held-out proposal splits.
bench-deu3: $(VENV)/.installed
	$(BIN)/python benchmarks/deu3.py

# The combat kernel on CDB90's 614 decided battles, cross-validated by war, beside the base rate, "the attacker
# wins", "the larger side wins" and a logistic on the log force ratio (real data).
bench-cdb90: $(VENV)/.installed
	$(BIN)/python benchmarks/cdb90.py

# One EUM round at n = 10..300 actors, 1 and 4 issues, beside the plain-loop reference (a ratio).
bench-bargaining: $(VENV)/.installed
	$(BIN)/python benchmarks/bargaining_speed.py

# Each one-line break of a model mechanism in tests/mutants.py, applied in turn to a temporary copy of the tree:
# which model test catches it (all must be caught).
mutants: $(VENV)/.installed-test
	$(BIN)/python tests/mutants.py

# One model run: the Libya scenario's 52 rounds with and without data collection vs a bare Mesa model (ratio).
bench-model: $(VENV)/.installed
	$(BIN)/python benchmarks/model_speed.py

# Libya 2020 and Syria 2019 read against what happened next: shares, Brier beside the baselines, ablations.
bench-cases: $(VENV)/.installed
	$(BIN)/python benchmarks/cases.py --replications 100 --workers 2

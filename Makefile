# field-dispatch: `make run` for the demo, `make test` for the checks.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: install run test lint fuzz bench clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "field-dispatch needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Reinstall only when the dependencies change.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $@

install: $(STAMP)

run: install
	@mkdir -p var
	$(BIN)/dispatch db upgrade
	$(BIN)/dispatch seed
	DISPATCH_PUBLIC_URL=$${DISPATCH_PUBLIC_URL:-http://$(HOST):$(PORT)} $(BIN)/dispatch serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy

# The API fuzzed against its own OpenAPI document: every check, a fixed seed, at least
# 2,000 cases, no server error and no answer outside the document (~1 minute).
# On every core by default (JOBS=1 for one process); a file's tests stay together, so
# its module fixtures are built once and its order holds. Tests marked `serial` search
# on a time budget in worker processes of their own: they run alone afterwards, as
# sharing the cores would starve their budgets.
JOBS ?= 2
test: lint
	$(BIN)/pytest -n $(JOBS) --dist loadfile -m "not serial"
	$(BIN)/pytest -m serial
	$(BIN)/dispatch fuzz --max-examples 40 --min-cases 2000

# A longer campaign than CI's, another seed each time you pass SEED=...
SEED ?= 16
fuzz: install
	$(BIN)/dispatch fuzz --max-examples 400 --seed $(SEED) --min-cases 20000

# Every benchmark in docs/benchmarks.md; about half an hour on two cores.
SOLOMON ?= ../shared/benchmarks/vrptw/solomon
HOMBERGER ?= ../shared/benchmarks/vrptw/homberger_200
bench: install
	$(BIN)/python -m pip install -q -e '.[dev,bench]'
	$(BIN)/dispatch roads matrix fixtures/osm/be_puurs_itinero-openlr.osm.pbf --points 1000 --seed 1 --repeat 5 --json
	$(BIN)/dispatch roads matrix fixtures/osm/li_liechtenstein_valhalla.osm.pbf --points 1000 --seed 1 --repeat 5 --json
	$(BIN)/dispatch bench quotes --technicians 200 --visits 10 --tickets 500 --json
	$(BIN)/dispatch bench auth-cost --technicians 200 --visits 10 --tickets 300 --json
	$(BIN)/dispatch bench console --technicians 200 --visits 10 --tickets 40 --json
	$(BIN)/dispatch bench stream --consoles 200 --technicians 200 --visits 10 --tickets 150 --json
	$(BIN)/dispatch bench events --technicians 50 --clients 8 --seconds 10 --json
	$(BIN)/dispatch bench refresh --technicians 1000 --visits 12 --cycles 5 --json
	$(BIN)/dispatch bench vrptw $(SOLOMON)/*.txt --time-limit 2 --baseline --repeat 3
	$(BIN)/dispatch bench vrptw $(SOLOMON)/*.txt --time-limit 10 --baseline --repeat 3
	$(BIN)/dispatch bench vrptw $(SOLOMON)/*.txt --time-limit 2 --pyvrp
	$(BIN)/dispatch bench vrptw $(SOLOMON)/*.txt --time-limit 10 --pyvrp
	$(BIN)/dispatch bench vrptw $(HOMBERGER)/*.txt --time-limit 10 --pyvrp
	$(BIN)/dispatch bench day --repeat 3
	$(BIN)/dispatch bench day --live
	$(BIN)/dispatch bench large-day --time-limit 50 --replan-limit 15 --whole
	$(BIN)/dispatch bench deliveries --webhooks 2000 --mails 500 --json
	$(BIN)/dispatch bench delivery-latency --events 100 --json
	$(BIN)/dispatch bench messages --seeds 1 2 3 --json
	$(BIN)/dispatch bench slots --technicians 200 --days 14 --visits 10 --tickets 30 --json
	$(BIN)/dispatch bench nightly --technicians 200 --visits 10 --seconds 50 --json
	$(BIN)/dispatch bench breakdown --technicians 200 --visits 12 --others 8 --json
	$(BIN)/dispatch bench slowdown --technicians 50 --visits 10 --json
	$(BIN)/dispatch bench reports --cases 50000 --technicians 200 --days 90 --json
	@mkdir -p var
	for s in calm breakdown snow peak bad liechtenstein; do \
	  $(BIN)/dispatch simulate --scenario fixtures/scenarios/$$s.yaml --json var/sim-$$s.json || exit 1; done
	$(BIN)/dispatch simulate --scenario benchmarks/scenarios/large.yaml --json var/sim-large.json

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache

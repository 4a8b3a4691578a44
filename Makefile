# The two commands of the README:
#   make run    set everything up on a fresh machine (offline models included) and start OS1
#   make test   run the whole test suite (what .ci/run calls)

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.os1-installed
DEVSTAMP := $(VENV)/.os1-dev-installed
ENCODER := $(VENV)/share/os1/minilm-l6-v2.onnx
# llama-cpp-python compiles from source once (~4-5 min on 2 cores); pip caches the wheel.
# Portable x86-64 (AVX2) build: a -march=native build picked up AMX on a Sapphire Rapids host and
# crashed (SIGSEGV) on the first token, and a native wheel in the pip cache breaks on other CPUs.
export CMAKE_BUILD_PARALLEL_LEVEL ?= 2
export CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_AVX512=OFF
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: setup run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet pip==25.3

$(STAMP): pyproject.toml | $(BIN)/python
	@echo "Installing OS1 and its embedded models (the first time compiles llama.cpp: a few minutes)…"
	$(BIN)/pip install --quiet -e .
	@touch $@

$(DEVSTAMP): $(STAMP)
	$(BIN)/pip install --quiet -e ".[dev]"
	@touch $@

$(ENCODER): | $(STAMP)
	$(BIN)/python -m os1.mind.export_encoder

setup: $(STAMP) $(ENCODER)

run: setup
	$(BIN)/os1

test: setup $(DEVSTAMP)
	$(BIN)/ruff check src tests
	$(BIN)/pytest -q

bench: setup
	$(BIN)/os1 bench core

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

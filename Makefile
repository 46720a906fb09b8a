# Two entry points for a fresh machine: `make run` and `make test`.
# Both create .venv on first use; torch is installed first and pinned to the CPU build.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
OUT ?= out

.PHONY: install run test bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q torch==2.13.0
	$(PIP) install -q -e '.[score,test,eval]'
	touch $@

install: $(VENV)/.installed

run: install
	$(VENV)/bin/semx check eval/corpus/*.txt

test: install
	$(VENV)/bin/pytest

bench: install
	$(PY) bench/bench_parse.py

clean:
	rm -rf $(VENV) $(OUT)

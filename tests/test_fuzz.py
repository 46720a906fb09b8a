"""A seeded fuzz run in the suite (issue 16): a few hundred mutated samples through the whole
deterministic pipeline; nothing but IngestError may come out. scripts/fuzz.py runs the same
mutators over 10,000+ inputs."""

from __future__ import annotations

import importlib.util
import random
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def _fuzz() -> ModuleType:
    spec = importlib.util.spec_from_file_location("semx_scripts_fuzz", ROOT / "scripts" / "fuzz.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


def test_every_mutator_changes_its_input() -> None:
    fuzz = _fuzz()
    data = (ROOT / "eval" / "corpus" / "003_151f06cdbfa3e50b.txt").read_bytes()
    assert len(fuzz.MUTATORS) == 11
    for name, mutator in fuzz.MUTATORS.items():
        changed = any(mutator(random.Random(seed), data) != data for seed in range(5))
        assert changed, name


def test_a_few_hundred_mutated_samples_never_crash() -> None:
    fuzz = _fuzz()
    samples = sorted((ROOT / "eval" / "corpus").glob("*.txt"))
    report = fuzz.run(samples, 250, seed=16)
    assert report.inputs == 250
    assert set(report.used) == set(fuzz.MUTATORS)  # every mutator was exercised
    assert report.crashes == [], report.crashes[0][1]

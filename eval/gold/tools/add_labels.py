#!/usr/bin/env python3
"""Append hand-written labels to eval/gold/labels.jsonl.

The labeller writes, per table row, on stdin:
    <line> TAB <flags> TAB <reason>
flags: space-separated tokens from b m c u (boilerplate, mismatch, misclassified,
unmeasurable). A token with a trailing '?' is also recorded in "doubtful"; a leading '-'
records the label as false-but-doubtful (e.g. "-m?"). '.' = no label.
This script only copies the printed row text (project, levels, 三级指标, 指标值) from
the corpus via list_rows.py; it decides nothing.

usage: python3 eval/gold/tools/add_labels.py 000_0e92df39b5d37474 < batch.tsv
"""
import json, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import list_rows  # noqa: E402

ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
OUT = os.path.join(ROOT, "eval", "gold", "labels.jsonl")
NAMES = {"b": "boilerplate", "m": "mismatch", "c": "misclassified", "u": "unmeasurable"}


def rows_for(sample):
    path = os.path.join(ROOT, "eval", "corpus", sample + ".txt")
    lines = open(path, encoding="utf-8").readlines()
    gen = list_rows.rows_cells if sample.startswith("001_") else list_rows.rows_tsv
    return {r[0]: r for r in gen(lines)}


def main():
    sample = sys.argv[1]
    rows = rows_for(sample)
    done = set()
    if os.path.exists(OUT):
        for l in open(OUT, encoding="utf-8"):
            if l.strip():
                o = json.loads(l)
                done.add((o["sample"], o["line"]))
    out = []
    for raw in sys.stdin:
        if not raw.strip() or raw.startswith("#"):
            continue
        line, flags, reason = raw.rstrip("\n").split("\t")
        line = int(line)
        if line not in rows:
            sys.exit(f"line {line} is not an indicator row of {sample}")
        if (sample, line) in done:
            sys.exit(f"line {line} already labelled")
        done.add((sample, line))
        r = rows[line]
        rec = {"sample": sample, "line": line, "project": r[2], "level1": r[3],
               "level2": r[4], "level3": r[5], "value": r[7]}
        lab = {v: False for v in NAMES.values()}
        doubtful = []
        for t in flags.split():
            if t == ".":
                continue
            neg = t.startswith("-")
            q = t.endswith("?")
            k = NAMES[t.strip("-?")]
            lab[k] = not neg
            if q:
                doubtful.append(k)
        rec.update(lab)
        rec["doubtful"] = doubtful
        rec["reason"] = reason.strip()
        out.append(rec)
    with open(OUT, "a", encoding="utf-8") as f:
        for rec in out:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    print(f"appended {len(out)} labels for {sample}")


if __name__ == "__main__":
    main()

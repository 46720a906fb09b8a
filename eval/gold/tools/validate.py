#!/usr/bin/env python3
"""Validate eval/gold/labels.jsonl and eval/gold/extract.jsonl and print counts.

Checks: JSON parses; required fields and types; labels' line numbers point at the line
where the row starts and level3 appears on that line or the next 5; no duplicate rows;
extract evidence is an exact substring of one line inside its block (between its
title line and the next block's title line).
usage: python3 eval/gold/tools/validate.py [--markdown]
"""
import collections, json, os, sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
CORPUS = os.path.join(ROOT, "eval", "corpus")
LABELS = ("boilerplate", "mismatch", "misclassified", "unmeasurable",
          # added for issue 18 (rows labelled before it carry them too, see eval/gold/RELABEL.md)
          "input_as_output", "trivial_target", "unlinked_indicator")
PROJECT_LABELS = ("goal_without_indicator", "annual_copies_total")
OPS = {"=", "≥", "≤", ">", "<", None}
errors = []


def err(msg):
    errors.append(msg)


def lines_of(sample, cache={}):
    if sample not in cache:
        cache[sample] = open(os.path.join(CORPUS, sample + ".txt"), encoding="utf-8").read().split("\n")
    return cache[sample]


def check_labels():
    recs, seen = [], set()
    for n, raw in enumerate(open(os.path.join(ROOT, "eval/gold/labels.jsonl"), encoding="utf-8"), 1):
        if not raw.strip():
            continue
        try:
            o = json.loads(raw)
        except json.JSONDecodeError as e:
            err(f"labels:{n}: bad JSON {e}"); continue
        for k in ("sample", "line", "project", "level1", "level2", "level3", "value", "doubtful", "reason") + LABELS:
            if k not in o:
                err(f"labels:{n}: missing {k}")
        if any(not isinstance(o.get(k), bool) for k in LABELS):
            err(f"labels:{n}: label not boolean")
        if not isinstance(o.get("doubtful"), list) or any(d not in LABELS for d in o.get("doubtful", [])):
            err(f"labels:{n}: bad doubtful {o.get('doubtful')}")
        if not o.get("reason"):
            err(f"labels:{n}: empty reason")
        key = (o["sample"], o["line"])
        if key in seen:
            err(f"labels:{n}: duplicate {key}")
        seen.add(key)
        L = lines_of(o["sample"])
        i = o["line"] - 1
        if not (0 <= i < len(L)):
            err(f"labels:{n}: line {o['line']} out of range"); continue
        window = "\n".join(L[i:i + 6])
        if o["level3"] not in window and o["level3"] not in "".join(x.strip() for x in L[i:i + 6]):
            # (the second test allows a cell wrapped onto a continuation line, 001 table 14)
            err(f"labels:{n}: level3 {o['level3']!r} not on line {o['line']} or the next 5")
        if o["sample"].startswith("001_"):
            # one cell per line: the row's group starts after a blank line
            if i == 0 or L[i - 1].strip() != "" or not L[i].startswith("\t"):
                err(f"labels:{n}: line {o['line']} is not the first line of a cell group")
        else:
            if o["level3"] not in L[i] or o["level2"] not in L[i]:
                err(f"labels:{n}: line {o['line']} does not hold the row (level2+level3)")
        recs.append(o)
    return recs


def check_projects(recs):
    """project_labels.jsonl: one object per table, keyed like labels.jsonl (sample + project),
    first_line = the table's first labelled row; every table of labels.jsonl has one."""
    path = os.path.join(ROOT, "eval/gold/project_labels.jsonl")
    if not os.path.exists(path):
        err("project_labels.jsonl missing"); return []
    rows = {(r["sample"], r["line"]): r for r in recs}
    firsts = set()
    for s in {r["sample"] for r in recs}:
        srt = sorted((r for r in recs if r["sample"] == s), key=lambda r: r["line"])
        firsts |= {(s, r["line"]) for j, r in enumerate(srt) if j == 0 or srt[j - 1]["project"] != r["project"]}
    out, seen = [], set()
    for n, raw in enumerate(open(path, encoding="utf-8"), 1):
        if not raw.strip():
            continue
        o = json.loads(raw)
        key = (o.get("sample"), o.get("first_line"))
        for k in ("sample", "doc", "project", "first_line", "unmeasured_goals", "doubtful", "reason") + PROJECT_LABELS:
            if k not in o:
                err(f"project_labels:{n}: missing {k}")
        if any(not isinstance(o.get(k), bool) for k in PROJECT_LABELS):
            err(f"project_labels:{n}: label not boolean")
        if o.get("goal_without_indicator") != bool(o.get("unmeasured_goals")):
            err(f"project_labels:{n}: goal_without_indicator disagrees with unmeasured_goals")
        if any(d not in PROJECT_LABELS for d in o.get("doubtful", [])):
            err(f"project_labels:{n}: bad doubtful {o.get('doubtful')}")
        if key not in rows or rows[key]["project"] != o.get("project"):
            err(f"project_labels:{n}: {key} is not the first row of table {o.get('project')!r}")
        if key in seen:
            err(f"project_labels:{n}: duplicate {key}")
        seen.add(key)
        out.append(o)
    for k in sorted(firsts - seen):
        err(f"project_labels: no line for the table starting at {k}")
    return out


def check_extract():
    blocks = []
    for n, raw in enumerate(open(os.path.join(ROOT, "eval/gold/extract.jsonl"), encoding="utf-8"), 1):
        if not raw.strip():
            continue
        try:
            blocks.append((n, json.loads(raw)))
        except json.JSONDecodeError as e:
            err(f"extract:{n}: bad JSON {e}")
    by_sample = collections.defaultdict(list)
    for n, b in blocks:
        by_sample[b["sample"]].append(b["title_line"])
    for n, b in blocks:
        L = lines_of(b["sample"])
        tl = b["title_line"]
        if L[tl - 1].strip() != b["title"]:
            err(f"extract:{n}: title_line {tl} text differs from title")
        later = [t for t in by_sample[b["sample"]] if t > tl]
        end = min(later) if later else min(len(L), tl + 40)
        for ind in b["indicators"]:
            for k in ("name", "level1", "level2", "op", "number", "unit", "evidence"):
                if k not in ind:
                    err(f"extract:{n}: indicator missing {k}")
            if ind.get("op") not in OPS:
                err(f"extract:{n}: bad op {ind.get('op')}")
            if ind.get("number") is not None and not isinstance(ind["number"], str):
                err(f"extract:{n}: number must be a string")
            ev = ind.get("evidence", "")
            hits = [j + 1 for j, l in enumerate(L) if ev and ev in l]
            if not hits:
                err(f"extract:{n}: evidence not found on any single line: {ev!r}")
            elif not any(tl < h < end for h in hits):
                err(f"extract:{n}: evidence {ev!r} found only outside block lines {tl}-{end}: {hits}")
            # numbers written in words in the text (一个, 两个, 九月底, 年底, 无差错) are allowed
            if ind.get("number") and ind["number"] not in ev and ind["number"] not in ("0", "1", "2", "9", "12"):
                err(f"extract:{n}: number {ind['number']} not in evidence {ev!r}")
    return [b for _, b in blocks]


def main():
    md = "--markdown" in sys.argv
    recs = check_labels()
    blocks = check_extract()
    projs = check_projects(recs)
    for e in errors:
        print("ERROR", e)
    samples = sorted({r["sample"] for r in recs} | {b["sample"] for b in blocks})
    print(("| sample | rows | projects | " + " | ".join(LABELS) + " | any label | rows with doubtful | extract blocks | extract indicators |"))
    print("|---" * (len(LABELS) + 7) + "|")
    tot = collections.Counter()
    for s in samples:
        rs = [r for r in recs if r["sample"] == s]
        bs = [b for b in blocks if b["sample"] == s]
        c = collections.Counter()
        c["rows"] = len(rs)
        # projects = runs of consecutive rows with the same project name (two tables may share a name)
        srt = sorted(rs, key=lambda r: r["line"])
        c["projects"] = sum(1 for j, r in enumerate(srt) if j == 0 or srt[j - 1]["project"] != r["project"])
        for k in LABELS:
            c[k] = sum(bool(r.get(k)) for r in rs)
        c["any"] = sum(any(r.get(k) for k in LABELS) for r in rs)
        c["doubt"] = sum(bool(r["doubtful"]) for r in rs)
        c["blocks"] = len(bs)
        c["inds"] = sum(len(b["indicators"]) for b in bs)
        tot.update(c)
        print(f"| {s} | {c['rows']} | {c['projects']} | " + " | ".join(str(c[k]) for k in LABELS)
              + f" | {c['any']} | {c['doubt']} | {c['blocks']} | {c['inds']} |")
    print(f"| total | {tot['rows']} | {tot['projects']} | " + " | ".join(str(tot[k]) for k in LABELS)
          + f" | {tot['any']} | {tot['doubt']} | {tot['blocks']} | {tot['inds']} |")
    dc = collections.Counter(d for r in recs for d in r["doubtful"])
    print("\ndoubtful cells per label: " + ", ".join(f"{k} {dc[k]}" for k in LABELS))
    pc = collections.Counter()
    for o in projs:
        for k in PROJECT_LABELS:
            pc[k] += o[k]
        pc["goals"] += len(o["unmeasured_goals"])
        pc["doubt"] += bool(o["doubtful"])
    print(f"projects: {len(projs)}; " + ", ".join(f"{k} {pc[k]}" for k in PROJECT_LABELS)
          + f"; unmeasured goals {pc['goals']}; projects with doubtful {pc['doubt']}")
    if errors:
        print(f"\n{len(errors)} error(s)")
        sys.exit(1)
    print("\nOK")


if __name__ == "__main__":
    main()

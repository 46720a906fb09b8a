#!/usr/bin/env python3
"""Throwaway helper: list the indicator rows of the 绩效目标表 tables of a corpus
file with their 1-based line numbers, so a labeller can read them in batches.
It does NOT label anything.

usage: python eval/gold/tools/list_rows.py eval/corpus/000_*.txt [first_project] [last_project]
Output (TSV): line, project#, project, level1(carried), level2, level3, description, value
"""
import re, sys

L1 = ("产出指标", "效益指标", "效果指标", "满意度指标", "成本指标")
TITLE = re.compile(r"^(?:\[bookmark:[^\]]*\])?\s*#*\s*(?:\d+\s*[、.．]\s*)?(.*?)绩效目标表\s*$")


def clean(s):
    s = re.sub(r"</?b>", "", s)
    return s.strip()


def title_of(line):
    m = TITLE.match(line.strip())
    if not m:
        return None
    t = m.group(1)
    t = re.sub(r"^\[bookmark:[^\]]*\]", "", t).strip()
    t = re.sub(r"^\d+\s*[、.．]\s*", "", t).strip()
    return t


def rows_tsv(lines):
    proj, pno, l1 = None, 0, ""
    for i, raw in enumerate(lines, 1):
        t = title_of(raw)
        if t is not None and "\t" not in raw:
            proj, pno, l1 = t, pno + 1, ""
            continue
        if proj is None:
            continue
        cells = [clean(c) for c in raw.rstrip("\n").split("\t")]
        if len(cells) < 5:
            continue
        if cells[0] == "一级指标" or cells[0].startswith("绩效目标"):
            continue
        if not cells[1].endswith("指标") and not cells[1].endswith("效益"):
            continue
        if cells[0]:
            l1 = cells[0]
        yield i, pno, proj, l1, cells[1], cells[2], cells[3], cells[4]


def rows_cells(lines):
    """001 layout: one cell per line, a row = a group of lines between blank lines."""
    proj, pno, l1 = None, 0, ""
    groups, cur, start = [], [], None
    for i, raw in enumerate(lines, 1):
        s = raw.rstrip("\n")
        t = title_of(s)
        if t is not None and not s.startswith("\t"):
            if cur:
                groups.append((start, cur)); cur = []
            groups.append((i, ("TITLE", t)))
            continue
        if s == "":
            if cur:
                groups.append((start, cur)); cur = []
            continue
        if cur and not s.startswith("\t") and cur[-1].startswith("\t") and cur[-1].strip():
            # a cell wrapped onto a line without the leading tab (001 tables 14, 20):
            # continuation of the previous cell
            cur[-1] += s.strip()
            continue
        if not cur:
            start = i
        cur.append(s)
    if cur:
        groups.append((start, cur))
    merged = []
    for start, g in groups:
        # a row split by a stray blank line: merge a short group with the next one
        if (merged and not isinstance(g, tuple) and not isinstance(merged[-1][1], tuple)
                and len(merged[-1][1]) < 6 and len(merged[-1][1]) + len(g) == 6):
            merged[-1] = (merged[-1][0], merged[-1][1] + g)
        else:
            merged.append((start, g))
    for start, g in merged:
        if isinstance(g, tuple):
            proj, pno, l1 = g[1], pno + 1, ""
            continue
        if proj is None or len(g) != 6:
            continue
        cells = [c.strip() for c in g]
        if cells[0] == "一级指标" or not (cells[1].endswith("指标") or cells[1].endswith("效益")):
            continue
        if cells[0]:
            l1 = cells[0]
        yield start, pno, proj, l1, cells[1], cells[2], cells[3], cells[4]


def main():
    path = sys.argv[1]
    lo = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    hi = int(sys.argv[3]) if len(sys.argv) > 3 else 10**9
    lines = open(path, encoding="utf-8").readlines()
    gen = rows_cells if "/001_" in path or path.startswith("001_") else rows_tsv
    for r in gen(lines):
        if lo <= r[1] <= hi:
            print("\t".join(str(x) for x in r))


if __name__ == "__main__":
    main()

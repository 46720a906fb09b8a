"""report.html in a real headless browser (Debian chromium): content, filters, inert injected markup."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from batch_support import SAMPLES, run_semx
from browser import dump_dom, ensure_chromium

SCRIPT = "<script>document.title='pwned'</script>"
IMG = "<img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">"
# The flagged indicator row of sample 002 (信息化项目费用) whose name carries the injection.
TARGET_NAME = "完成宣传、培训次数"


@pytest.fixture(scope="session")
def chromium() -> Path:
    return ensure_chromium()


@pytest.fixture(scope="module")
def injected_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Score a copy of sample 002 whose indicator name and goal text carry markup."""
    base = tmp_path_factory.mktemp("html")
    corpus = base / "in"
    corpus.mkdir()
    text = SAMPLES[2].read_text(encoding="utf-8")
    assert TARGET_NAME in text and "1. 切实发挥支农" in text
    text = text.replace(TARGET_NAME, f"完成宣传{SCRIPT}培训次数", 1).replace("1. 切实发挥支农", f"1. {IMG}切实发挥支农", 1)
    (corpus / "injected.txt").write_text(text, encoding="utf-8")
    shutil.copy(SAMPLES[3], corpus / SAMPLES[3].name)
    out = base / "out"
    proc = run_semx("score", corpus, "--out", out, "--no-llm", "--no-embed", "-q")
    assert proc.returncode == 0, proc.stderr
    return out / "report.html"


def test_report_renders_overview_flags_and_keeps_injected_markup_inert(chromium: Path, injected_report: Path) -> None:
    dom = dump_dom(injected_report)
    # The page's own script ran (the filter counter is filled in) ...
    assert re.search(r'id="f-count"[^>]*>显示 \d+ 个项目、\d+ 个指标(；文本目标 \d+ 段)?<', dom)
    # ... but the injected script did not, and the injected image is no element.
    assert "<title>预算绩效目标审核报告</title>" in dom and "pwned</title>" not in dom
    assert "data-pwned" not in dom.split("<body", 1)[1].split(">", 1)[0]
    assert "&lt;script&gt;document.title='pwned'&lt;/script&gt;" in dom
    assert "&lt;img src=x onerror=" in dom
    assert not re.search(r"<img[^>]*onerror", dom)
    # Overview with its counters, the per-document table and the worst projects.
    assert 'id="overview"' in dom and "总览" in dom and "各文件标记率" in dom and "问题最多的项目" in dom
    assert "injected.txt" in dom and SAMPLES[3].name in dom
    # A flagged indicator with its code and reason, and its source line highlighted.
    row = re.search(r'<tr class="ind flagged" data-flags="([^"]+)">(.*?)</tr>', dom, re.DOTALL)
    assert row is not None
    assert re.search(r'<span class="flag"[^>]*>\w+</span> <code class="muted small">\w+ · \d\.\d\d</code> '
                     r'<span class="reason">[^<]{5,}</span>', row.group(2))
    assert re.search(r'<tr class="src"[^>]*>.*?<span class="ln">\d+</span>.*?<mark>', dom, re.DOTALL)
    # The injected name sits in a flagged row of the indicator table, as text.
    injected_row = next(m for m in re.finditer(r'<tr class="ind[^"]*"[^>]*>(.*?)</tr>', dom, re.DOTALL)
                        if "培训次数" in m.group(1) and "pwned" in m.group(1))
    assert "&lt;script&gt;" in injected_row.group(1)


def test_filters_by_flag_and_document(chromium: Path, injected_report: Path) -> None:
    """The filter selection comes from the address (#flag=…&doc=…), so the same JS runs headless."""
    rows = r'<tr class="(ind[^"]*)" data-flags="([^"]*)"'
    full = dump_dom(injected_report)
    total = len(re.findall(rows, full))
    flagged = dump_dom(injected_report, "flag=__any")
    classes = re.findall(rows, flagged)
    assert len(classes) == total
    shown = [(cls, flags) for cls, flags in classes if "hidden" not in cls]
    assert shown and len(shown) < total and all(flags for _, flags in shown)
    assert re.search(rf'id="f-count"[^>]*>显示 \d+ 个项目、{len(shown)} 个指标(；文本目标 \d+ 段)?<', flagged)

    key = re.search(r'<section class="doc card" id="(d[0-9a-f]{12})"', full)
    assert key is not None
    one = dump_dom(injected_report, f"doc={key.group(1)}")
    sections = re.findall(r'<section class="doc card( hidden)?" id="(d[0-9a-f]{12})"', one)
    assert len(sections) == 2 and [k for h, k in sections if not h] == [key.group(1)]


def test_counter_counts_projects_for_a_project_level_flag(chromium: Path, injected_report: Path) -> None:
    """A flag raised on a project (not on its indicators) shows projects and no rows: the counter must say so."""
    full = dump_dom(injected_report)
    codes = set(re.findall(r'<li class="pflag" data-flags="(\w+)"', full))
    row_codes = {c for flags in re.findall(r'<tr class="ind[^"]*" data-flags="([^"]*)"', full) for c in flags.split()}
    project_only = sorted(codes - row_codes)
    assert project_only, "the sample report has no project-level-only flag to filter by"
    code = project_only[0]
    dom = dump_dom(injected_report, f"flag={code}")
    arts = re.findall(r'<article class="project( hidden)?" id="[^"]*" data-kind="([^"]*)" data-flags="([^"]*)"', dom)
    shown = [(kind, flags) for hidden, kind, flags in arts if not hidden]
    assert shown and all(code in flags.split() for _, flags in shown)
    forms = sum(kind == "绩效目标表" for kind, _ in shown)
    texts = f"；文本目标 {len(shown) - forms} 段" if len(shown) > forms else ""
    assert re.search(rf'id="f-count"[^>]*>显示 {forms} 个项目、0 个指标{texts}<', dom)


def test_report_contains_no_network_reference(injected_report: Path) -> None:
    html = injected_report.read_text(encoding="utf-8")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", html)
    assert "<link" not in html and "@import" not in html and "url(" not in html

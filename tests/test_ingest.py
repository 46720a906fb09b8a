"""Ingest: decoding, per-line normalisation, layout detection, sections."""

from __future__ import annotations

from pathlib import Path

import pytest

from semx.ingest import IngestError, decode, ingest, ingest_text, normalise_line
from semx.rows import table_rows

CORPUS = Path(__file__).resolve().parent.parent / "eval" / "corpus"
DISCLOSURE = "部门预算收支总表\n预算年度：2022\n单位：万元\n序号\t项目\t预算数\n1\t一般公共服务支出\t10.00\n五、预算绩效信息\n"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("$\\leq 1$ 次", "≤1 次"),
        ("$\\geq 95\\%$", "≥95%"),
        ("$\\geq 100\\%$\t石家庄", "≥100%\t石家庄"),
        ("$\\leq 12$ 月份", "≤12 月份"),
        ("$\\leq 66$ 万元", "≤66 万元"),
        ("<b>本年收入合计</b>\t<b>722.61</b>", "本年收入合计\t722.61"),
        ("\t<p>本项目建设</p> <p>范围</p>", "\t本项目建设 范围"),
        ("[bookmark: _Toc67560066]1.县级人才工作专项经费绩效目标表", "1.县级人才工作专项经费绩效目标表"),
        (" [bookmark: _GoBack]七、国有资产信息", " 七、国有资产信息"),
        ("## 单位预算支出总表", "单位预算支出总表"),
        ("# 单位预算收入总表", "单位预算收入总表"),
        ("**在事务服务上**，圆满完成", "在事务服务上，圆满完成"),
        ("≥９５％", "≥95%"),
        ("ＡＢｃ１２３\u3000万元", "ABc123 万元"),
        ("金额（万元）：１２．５", "金额（万元）：12.5"),
        ("序号\t收入\t\t支出\t", "序号\t收入\t\t支出\t"),
        ("行尾空格   ", "行尾空格"),
        ("a\r", "a"),
    ],
)
def test_normalise_line(raw: str, expected: str) -> None:
    assert normalise_line(raw) == expected


def test_normalisation_keeps_line_numbers() -> None:
    text = "第一行\n<b>第二行</b>\n\n$\\geq 95\\%$\n" + DISCLOSURE
    doc = ingest_text(text)
    assert [ln.no for ln in doc.lines][:4] == [1, 2, 3, 4]
    assert doc.lines[1].text == "第二行" and doc.lines[1].raw == "<b>第二行</b>"
    assert doc.lines[3].text == "≥95%"


def test_decode_utf8_bom_and_gbk() -> None:
    text = "部门预算收支总表 单位：万元"
    assert decode(text.encode("utf-8")) == (text, "utf-8")
    assert decode(b"\xef\xbb\xbf" + text.encode("utf-8")) == (text, "utf-8-sig")
    assert decode(text.encode("gbk")) == (text, "gb18030")
    assert decode(text.encode("gb18030")) == (text, "gb18030")


def test_gbk_file_parses_like_utf8(tmp_path: Path) -> None:
    src = (CORPUS / "002_c288364d933cd6f1.txt").read_text(encoding="utf-8")
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes(src.encode("gb18030"))
    a, b = ingest(CORPUS / "002_c288364d933cd6f1.txt"), ingest(gbk)
    assert b.encoding == "gb18030" and a.encoding == "utf-8"
    assert [ln.text for ln in a.lines] == [ln.text for ln in b.lines]
    assert a.sections == b.sections


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"  \n\n ", "empty file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (contains NUL bytes)"),
        (b"hello world, just a note\n", "not a budget disclosure (no 预算/万元/绩效/支出/科目 vocabulary)"),
        (bytes([0x80, 0x81, 0xFF, 0xFE, 0x41, 0x42]) * 10, "not valid UTF-8 (first bad byte at byte 0, line 1) nor GB18030 text"),
    ],
)
def test_bad_input_reasons(tmp_path: Path, content: bytes, reason: str) -> None:
    f = tmp_path / "bad.txt"
    f.write_bytes(content)
    with pytest.raises(IngestError) as info:
        ingest(f)
    assert info.value.reason == reason
    assert str(info.value) == f"{f}: {reason}"


def test_missing_and_directory(tmp_path: Path) -> None:
    with pytest.raises(IngestError, match="no such file$"):
        ingest(tmp_path / "nope.txt")
    with pytest.raises(IngestError, match="is a directory$"):
        ingest(tmp_path)


@pytest.mark.parametrize(
    ("name", "layout"),
    [
        ("000_0e92df39b5d37474.txt", "tab"),
        ("001_3a4f24dd5e88b886.txt", "cell_per_line"),
        ("002_c288364d933cd6f1.txt", "tab"),
        ("003_151f06cdbfa3e50b.txt", "tab"),
        ("004_b9d592c3cd286804.txt", "tab"),
    ],
)
def test_layout_and_sections(name: str, layout: str) -> None:
    doc = ingest(CORPUS / name)
    assert doc.layout == layout
    keys = [s.key for s in doc.sections if s.key != "tables"]
    assert keys[:5] == ["duties", "overview", "running_costs", "three_public", "performance"]
    assert "procurement" in keys and "glossary" in keys
    # sections tile the document without overlap
    for a, b in zip(doc.sections, doc.sections[1:]):
        assert a.end_line == b.start_line - 1


def test_table_block_section_only_when_tables_come_first() -> None:
    assert next(s.key for s in ingest(CORPUS / "000_0e92df39b5d37474.txt").sections) == "tables"
    assert next(s.key for s in ingest(CORPUS / "003_151f06cdbfa3e50b.txt").sections) == "duties"


def test_cell_per_line_rows() -> None:
    text = (
        "五、绩效预算信息 预算 万元 支出 绩效\n"
        "1.某项目绩效目标表\n"
        "\t项目名称\n\t某项目\n\n"
        "\t绩效目标\n\t1.第一条\n2.第二条\n\n"
        "\t产出指标\n\t数量指标\n\t次数\n\t≥1次\n\n"
        "\t\n\t质量指标\n\t合格率\n\t100%\n\n"
    )
    doc = ingest_text(text)
    assert doc.layout == "cell_per_line"
    rows = table_rows(doc)
    assert [r.cells for r in rows] == [
        ["五、绩效预算信息 预算 万元 支出 绩效"],
        ["1.某项目绩效目标表"],
        ["项目名称", "某项目"],
        ["绩效目标", "1.第一条\n2.第二条"],
        ["产出指标", "数量指标", "次数", "≥1次"],
        ["", "质量指标", "合格率", "100%"],
    ]
    assert [(r.line, r.end_line) for r in rows] == [(1, 1), (2, 2), (3, 4), (6, 8), (10, 13), (15, 18)]


def test_latin1_text_is_reported_as_mis_encoded(tmp_path: Path) -> None:
    f = tmp_path / "latin.txt"
    f.write_bytes(("Caf\u00e9 na\u00efve r\u00e9sum\u00e9 " * 40).encode("latin-1"))
    with pytest.raises(IngestError) as info:
        ingest(f)
    assert info.value.reason == "not valid UTF-8 (first bad byte at byte 3, line 1) nor GB18030 text"


def test_gb18030_pairs_without_chinese_are_rejected(tmp_path: Path) -> None:
    # 0x81 0x30 0x81 0x30 is a valid four-byte GB18030 sequence for a non-CJK code point.
    f = tmp_path / "odd.txt"
    f.write_bytes(b"\x810\x810" * 200)
    with pytest.raises(IngestError) as info:
        ingest(f)
    assert info.value.reason == ("not valid UTF-8 (first bad byte at byte 0, line 1), "
                                 "and GB18030 decoding gives no Chinese text")

"""Issue 16: odd input never crashes or hangs the parser, and every refusal says what is wrong.

Numbers too long to be figures, decoding (BOM + GBK, UTF-16/32, a cut last character, NULs
anywhere), odd files (FIFO, symlink loop, unreadable, too large), and formula cells in the
spreadsheet outputs.
"""

from __future__ import annotations

import csv
import errno
import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from semx.checks.amounts import cell_amount, fmt
from semx.files import read_input
from semx.ingest import IngestError, ingest, ingest_bytes
from semx.models import IndicatorValue
from semx.pipeline import parse_source
from semx.report.records import FindingRecord
from semx.report.tabular import spreadsheet_safe, write_findings_csv, write_indicators_xlsx
from semx.score.values import analyze_value
from semx.tables.text import is_int, parse_amount
from semx.targets.text import to_amount
from semx.targets.values import parse_value
from semx.vocab.numbers import MAX_DIGITS, fmt2, read_number, tidy, to_decimal

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "eval" / "corpus" / "000_0e92df39b5d37474.txt"
HUGE = "9" * 40

# ---------------------------------------------------------------- numbers


def test_one_number_reader() -> None:
    assert read_number("1,234.50") == Decimal("1234.50")
    assert read_number("-3") == Decimal(-3) and read_number(".5") == Decimal("0.5")
    assert read_number("12a") is None and read_number("") is None
    assert to_decimal("9" * MAX_DIGITS) == Decimal("9" * MAX_DIGITS)
    assert to_decimal("9" * (MAX_DIGITS + 1)) is None
    assert read_number("1" * 5000) is None  # beyond int()'s 4,300-digit limit: no exception either
    big = Decimal("9" * 40)
    assert tidy(big) == big and fmt2(big).endswith(".00")


def test_huge_numbers_are_no_numbers_in_every_parser() -> None:
    v = parse_value(f"≥{HUGE}万元")
    assert v.number is None and v.kind == "text" and v.op == "≥"
    facts = analyze_value(IndicatorValue(raw=f"≥{HUGE}万元"))
    assert facts.number is None
    assert cell_amount(HUGE) is None and fmt(Decimal(HUGE)) .endswith(".00")
    assert parse_amount(HUGE) == (None, False)
    assert to_amount(HUGE) is None
    assert not is_int("1" * 5000)


def test_document_with_huge_figures_parses() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    # a 29-digit indicator value and a 27-digit table amount crashed the parser before (issue 16)
    text = text.replace("1210.00", "9" * 27 + ".00", 1).replace("100%", "9" * 29 + "%", 1)
    doc = parse_source(ingest_bytes(text.encode("utf-8"), "huge.txt"))
    assert doc.tables


# ---------------------------------------------------------------- decoding


def _doc(data: bytes) -> tuple[str, list[str], str]:
    src = ingest_bytes(data, "x.txt")
    return src.encoding, [w.message for w in src.warnings if w.code == "decoding"], src.lines[0].text


def test_truncated_last_character_is_decoded_with_a_warning() -> None:
    data = SAMPLE.read_bytes().rstrip()
    cut = data + "预算".encode()[:-1]  # the last character cut after its second byte
    enc, warns, _ = _doc(cut)
    assert enc == "utf-8" and len(warns) == 1 and "不完整" in warns[0] and str(len(cut)) in warns[0]


def test_bom_followed_by_gbk_bytes() -> None:
    gbk = SAMPLE.read_text(encoding="utf-8").encode("gb18030")
    enc, warns, first = _doc(b"\xef\xbb\xbf" + gbk)
    assert enc == "gb18030" and "GB18030" in warns[0]
    assert first == ingest(SAMPLE).lines[0].text


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_are_text_not_binary(encoding: str) -> None:
    data = SAMPLE.read_text(encoding="utf-8").encode(encoding)
    enc, warns, first = _doc(data)
    assert enc.startswith(encoding.replace("utf-16", "utf-16").split("-")[0]) and warns == []
    assert first == ingest(SAMPLE).lines[0].text


def test_nul_bytes_after_64_kb_never_reach_the_json() -> None:
    data = SAMPLE.read_bytes()
    data = data + b"\n" + ("说明" * 20000).encode() + b"\x00\n"  # past the first 64 KB
    assert len(data) > 65536
    src = ingest_bytes(data, "nul.txt")
    assert "\x00" not in src.model_dump_json() and "\\u0000" not in src.model_dump_json()
    assert any("NUL" in w.message for w in src.warnings)
    many = SAMPLE.read_bytes() + b"\x00" * 5000
    with pytest.raises(IngestError, match="binary file"):
        ingest_bytes(many, "bin.txt")


def test_mis_encoded_byte_is_located() -> None:
    data = SAMPLE.read_bytes()
    at = data.index(b"\n", 30000) + 1  # start of a line, so no character is split
    bad = data[:at] + b"\xff\xfe\xfd" + data[at:]
    with pytest.raises(IngestError) as info:
        ingest_bytes(bad + bytes([0x80, 0x81, 0xFF]) * 50, "bad.txt")
    line = data[:at].count(b"\n") + 1
    assert f"byte {at}, line {line}" in info.value.reason


# ---------------------------------------------------------------- odd files


def test_fifo_is_refused_without_opening_it(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    good = tmp_path / "good.txt"
    good.write_bytes(SAMPLE.read_bytes())
    # a subprocess with a timeout: a regression would block for ever on open()
    proc = subprocess.run([sys.executable, "-m", "semx.cli", "parse", str(fifo), str(good), "--format", "jsonl"],
                          capture_output=True, text=True, timeout=120, cwd=ROOT, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 1
    assert f"semx: error: {fifo}: is a named pipe (FIFO), not a file; not read" in proc.stderr
    assert len(proc.stdout.strip().splitlines()) == 1  # the good file was still parsed


def test_symlink_loop_is_called_a_loop(tmp_path: Path) -> None:
    loop = tmp_path / "loop.txt"
    loop.symlink_to(loop)
    with pytest.raises(IngestError, match="symlink loop"):
        ingest(loop)
    dangling = tmp_path / "dangling.txt"
    dangling.symlink_to(tmp_path / "nowhere.txt")
    with pytest.raises(IngestError, match="broken symlink"):
        ingest(dangling)


def test_unreadable_file_says_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "locked.txt"
    f.write_bytes(SAMPLE.read_bytes())
    real_open = os.open

    def denied(path: object, flags: int, *args: object) -> int:
        if Path(str(path)) == f:
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    # Tests may run as root, for whom chmod 000 still reads: simulate the refusal instead.
    monkeypatch.setattr(os, "open", denied)
    with pytest.raises(IngestError, match=r"permission denied \(cannot read\)"):
        read_input(f)


def test_file_above_the_ceiling_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "big.txt"
    f.write_bytes(SAMPLE.read_bytes())
    monkeypatch.setenv("SEMX_MAX_INPUT_MB", "0.01")
    with pytest.raises(IngestError, match=r"too large \(0\.1 MB > 0 MB; raise SEMX_MAX_INPUT_MB"):
        ingest(f)
    monkeypatch.setenv("SEMX_MAX_INPUT_MB", "not a number")  # falls back to the default 20 MB
    assert ingest(f).lines


def test_device_is_refused() -> None:
    with pytest.raises(IngestError, match="is a device"):
        ingest("/dev/null")


# ---------------------------------------------------------------- spreadsheet formulas


@pytest.mark.parametrize("text", ["=1+1", "+1", "-2+3+cmd|' /C calc'!A0", "@SUM(A1)", "\tx", "\rx"])
def test_formula_cells_are_neutralised(text: str) -> None:
    assert spreadsheet_safe(text) == "'" + text
    assert spreadsheet_safe(-2.5) == -2.5 and spreadsheet_safe("正文") == "正文"


def test_csv_and_xlsx_outputs_are_inert(tmp_path: Path) -> None:
    evil = "-2+3+cmd|' /C calc'!A0"
    rec = FindingRecord(document=evil, sha256="0", unit_name="=HYPERLINK(\"x\")", year=None, id="i", code="C",
                        severity="error", message="@evil", tables="", lines="", expected=None, actual=-1.0,
                        difference=None, caused_by=None, evidence="+1")
    write_findings_csv(tmp_path / "f.csv", [rec])
    with (tmp_path / "f.csv").open(encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["document"] == "'" + evil and row["unit_name"].startswith("'=") and row["message"] == "'@evil"
    assert row["evidence"] == "'+1" and row["actual"] == "-1.0"  # numbers stay numbers
    write_indicators_xlsx(tmp_path / "i.xlsx", [], [rec], [])
    from openpyxl import load_workbook

    ws = load_workbook(tmp_path / "i.xlsx")["一致性问题"]
    values = [c.value for c in ws[2]]
    assert "'" + evil in values and all(not (isinstance(v, str) and v[:1] in "=+-@") for v in values)


def test_quiet_score_prints_no_model_loading_bar(tmp_path: Path) -> None:
    # Indicator names no run has embedded yet, so the embedding model is loaded (its loader
    # printed a "Loading weights" bar even under -q).
    text = (ROOT / "eval" / "corpus" / "002_c288364d933cd6f1.txt").read_text(encoding="utf-8")
    tag = os.urandom(6).hex()
    f = tmp_path / "fresh.txt"
    f.write_text(text.replace("使用者的满意度", f"使用者的满意度{tag}"), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SEMX_LLM")}
    proc = subprocess.run([sys.executable, "-m", "semx.cli", "score", str(f), "--out", str(tmp_path / "out"),
                           "--no-llm", "-q"], capture_output=True, text=True, timeout=600, cwd=ROOT, check=False,
                          env={**env, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stderr
    assert "Loading weights" not in proc.stderr and "it/s" not in proc.stderr and "━" not in proc.stderr
    assert "Default prompt name" not in proc.stderr

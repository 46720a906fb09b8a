"""The Chinese wording of ingest's refusal reasons, for the auditor's report.

errors.jsonl keeps the English reason that IngestError carries (scripts match it); the report
and the checklist show the auditor this rendering instead. The English reasons are built at the
raise sites (semx/files.py, semx/ingest/; discover's skip reasons too) and start with a fixed phrase, so each is recognised by
its opening words here; the figures inside (pages, bytes, sizes) are carried over.
A reason not listed keeps its English words behind a Chinese lead-in rather than vanishing.
"""

from __future__ import annotations

import re

# (English reason, anchored at its start; Chinese template over the pattern's named groups).
# Order matters where one phrase starts another (the more specific first).
INGEST_REASONS_ZH: list[tuple[re.Pattern[str], str]] = [(re.compile(p), zh) for p, zh in [
    # semx/files.py: the path itself
    (r"broken symlink", "符号链接失效（所指的文件不存在）"),
    (r"symlink loop \(a link to a folder already read", "符号链接循环（指向已读过的文件夹），未跟随"),
    (r"symlink loop", "符号链接循环（链接指回自身）"),
    (r"no such file", "文件不存在"),
    (r"permission denied", "没有读取权限"),
    (r"file name too long", "文件名过长"),
    (r"cannot read \((?P<why>.*)\)$", "无法读取（系统提示：{why}）"),
    (r"is a directory", "这是文件夹，不是文件"),
    (r"is a named pipe", "这是命名管道（FIFO），不是文件，未读取"),
    (r"is a device", "这是设备，不是文件，未读取"),
    (r"is a socket", "这是套接字，不是文件，未读取"),
    (r"not a regular file", "不是普通文件"),
    (r"too large \((?P<size>[\d.]+) MB > (?P<limit>\d+) MB",
     "文件过大（{size} MB，超过上限 {limit} MB；如确需读取，可调大环境变量 SEMX_MAX_INPUT_MB）"),
    (r"too large \(> (?P<limit>\d+) MB", "文件过大（超过上限 {limit} MB；如确需读取，可调大环境变量 SEMX_MAX_INPUT_MB）"),
    # semx/batch/discover.py: what a folder holds
    (r"cannot list folder \((?P<why>.*)\)$", "无法列出文件夹内容（系统提示：{why}）"),
    (r"unsupported file type '(?P<suffix>[^']*)' \(semx reads (?P<reads>[^)]*)\); not read \(save it as",
     "不支持的文件类型 {suffix}（semx 读取 {reads}），未读取；请另存为 .docx / .xlsx 后再读，或改用 PDF"),
    (r"unsupported file type '(?P<suffix>[^']*)' \(semx reads (?P<reads>[^)]*)\)",
     "不支持的文件类型 {suffix}（semx 读取 {reads}），未读取"),
    # semx/ingest/: what the bytes are
    (r"named \.pdf but neither", "文件名为 .pdf，但既不是 PDF（没有 %PDF- 文件头）也不是文本：文件已损坏，或是其他格式"),
    (r"named \.docx but neither", "文件名为 .docx，但既不是 Word 文档（不是 ZIP 包）也不是文本：文件已损坏，或是其他格式"),
    (r"a ZIP archive that is not a Word document", "这是 ZIP 压缩包，不是 Word 文档（.docx）或 Excel 工作簿（.xlsx）"),
    (r"a Word 97-2003 \(\.doc\) or other old Office file",
     "这是 Word 97-2003（.doc）等旧格式文件，semx 不读取：请另存为 .docx 后再读，或改用 PDF"),
    (r"empty file", "空文件"),
    (r"binary file \(contains NUL", "二进制文件（含 NUL 空字节），不是文本"),
    (r"binary file \(control characters", "二进制文件（文本中有控制字符），不是文本"),
    (r"not valid UTF-8 \(first bad byte at byte (?P<byte>\d+), line (?P<line>\d+)\), and GB18030",
     "不是有效的 UTF-8 文本（第 {line} 行、第 {byte} 字节起出错），按 GB18030 解码也没有中文"),
    (r"not valid UTF-8 \(first bad byte at byte (?P<byte>\d+), line (?P<line>\d+)\) nor GB18030",
     "既不是有效的 UTF-8 文本（第 {line} 行、第 {byte} 字节起出错），也不是 GB18030 文本"),
    (r"DOCX support needs python-docx", "读取 DOCX 需要安装 python-docx（pip install python-docx）"),
    (r"broken DOCX", "DOCX 文件已损坏，无法打开"),
    (r"empty DOCX", "DOCX 文件没有文字（段落、表格和文本框均为空）"),
    (r"broken (?P<kind>XLSX|XLS)", "{kind} 文件已损坏，无法打开"),
    (r"empty (?P<kind>XLSX|XLS)", "{kind} 文件没有内容（所有工作表均为空）"),
    (r"encrypted PDF", "加密的 PDF（需要密码才能打开）"),
    (r"PDF without pages", "PDF 没有页面（页面树为空）"),
    (r"truncated PDF \(no page survives", "PDF 文件不完整，没有一页可读"),
    (r"truncated PDF", "PDF 文件被截断，无法修复"),
    (r"broken PDF \(page (?P<page>\d+) cannot be", "PDF 已损坏（第 {page} 页无法读取）"),
    (r"broken PDF", "PDF 已损坏，无法读取"),
    (r"scanned PDF without a text layer \((?P<pages>\d+) pages",
     "扫描件 PDF，没有文字层（共 {pages} 页，无文字可读）：请先做 OCR 文字识别"),
    (r"PDF text layer cannot be decoded \((?P<share>\d+%)",
     "PDF 文字层无法解码（{share} 的字符没有 Unicode 含义：字体缺少 Unicode 映射）：请先做 OCR 文字识别，或重新导出 PDF"),
    (r"not a budget disclosure", "不是预算公开文件（没有“预算、万元、绩效、支出、科目”等用语）"),
]]


def ingest_reason_zh(reason: str) -> str | None:
    """The Chinese rendering of one ingest reason, or None when the reason is not one of ingest's."""
    for pattern, zh in INGEST_REASONS_ZH:
        m = pattern.match(reason)
        if m:
            return zh.format(**m.groupdict())
    return None


__all__ = ["INGEST_REASONS_ZH", "ingest_reason_zh"]

"""Words around a quantified target in free text: what ends a clause, what makes a number not a target,
which comparators precede a value beyond the table-cell grammar, and the qualitative targets kept
without a number.

The value grammar itself (`≥90%`, `12月底前`, units) is semx.targets.values.parse_value; this file
holds only what free prose adds to it.
"""

from __future__ import annotations

import re

from semx.models import ValueOp

# A clause ends at these marks; the ASCII comma only when it is not a thousands separator (1,000).
CLAUSE_BREAK = re.compile(r"[，。；;！？!?\n]|,(?!\d{3})")

# Prose comparators before a number that parse_value (written for table cells) does not know.
# 达/达到 state a level to reach, which auditors record as ≥; 为/是 just state the value.
EXTRA_LEAD_OPS: list[tuple[str, ValueOp]] = [
    ("达到", "≥"), ("达", "≥"), ("在", "="), ("为", "="), ("是", "="),
]

# 160余篇 / 30多人: "more than", recorded as ≥.
APPROX_MORE = ("余", "多")

# A number right after these is a rank or an ordinal, not an amount (第3季度, 前5名 is kept).
ORDINAL_BEFORE = ("第", "No.", "NO.", "编号")
# A number right before these at a clause start enumerates a list (1、 2. (3)).
LIST_MARK_AFTER = ("、", ".", "．", ")", "）")

# Calendar years (2021年, 2023 年度) are when, not how much.
YEAR = re.compile(r"(?:19|20)\d{2}$")
YEAR_AFTER = re.compile(r"\s*年")

# Targets an auditor keeps although they carry no number (the deadline or zero-defect kind).
# Deliberately narrow: general intentions (进一步提高, 有效促进) are not targets.
QUALITATIVE = re.compile(
    r"年底前|年末前|年内|当年|按期完成|按时完成|如期完成|限期完成|无差错|零差错|零失误|无事故|零事故|无投诉|零投诉"
)

# extract/v3 names a span without the model only when the model's answer stayed invalid; then the
# 二级 is the first rule whose words are in the quote or whose unit is the span's.
FALLBACK_LEVEL2: list[tuple[tuple[str, ...], tuple[str, ...], str]] = [
    (("满意",), (), "服务对象满意度指标"),
    (("及时", "年底", "月底", "期限", "按时", "按期"), ("月底", "月末", "月份", "个工作日", "工作日"), "时效指标"),
    (("无差错", "零差错"), ("%",), "质量指标"),
    (("费用", "资金", "经费", "成本"), ("万元", "元", "亿元", "千元", "百万元"), "成本指标"),
    (("率",), (), "质量指标"),
]

# Words that end an indicator name: the text before a value that ends in one of these already
# names the measured quantity the way the document's author (and the auditor) writes it.
MEASURE_ENDINGS = ("数量", "次数", "人数", "人次", "份数", "个数", "期数", "场次", "篇数", "条数", "件数", "户数",
                   "率", "比例", "比率", "时间", "时长", "金额", "费用", "满意度")

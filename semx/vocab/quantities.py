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

# Span grammar revision 2 (extract/v4) -------------------------------------------------------------

# Words a target is written with instead of a number, and the value they stand for, as the gold
# definitions record them (eval/README.md: 无差错 -> = 0; 年底 -> 12 月底, a deadline).
IMPLIED_VALUES: list[tuple[re.Pattern[str], int, str, ValueOp]] = [
    (re.compile(r"无差错|零差错|零失误|无事故|零事故|无投诉|零投诉"), 0, "次", "="),
    (re.compile(r"年底|年末"), 12, "月底", "≤"),
]

# A calendar date with its day (1 月 2 日) says when something happened; only a date followed by
# one of these is a deadline (10月1日前).
FULL_DATE = re.compile(r"\d{1,2}\s*月\s*\d{1,2}\s*[日号]")
DEADLINE_AFTER = ("前", "之前", "以前", "底")
# Document numbers (冀组字[2016]55号, 〔2021〕3号) and year ranges (2013-2016 年) are references, not amounts.
DOC_NUMBER = re.compile(r"[\[〔【(（]\s*(?:19|20)\d{2}\s*[\]〕】)）]\s*\d+\s*号")
YEAR_RANGE = re.compile(r"(?:19|20)\d{2}\s*[-—–~～至到]\s*(?:19|20)\d{2}\s*年")

# A number right after these is a place in a ranking (排名后 5), not an amount.
RANK_BEFORE = ("排名", "排名前", "排名后", "名次", "位次")

# Chinese numerals are amounts only right before a measure word of this closed list ("两个国家",
# "九月底之前"); elsewhere they are words (一批, 一体化, 十四五, 三重四创). A lone 一 is left out:
# "一个/一项" is far more often the article "a" (作为一个长期的工作) than a count.
CN_NUMBER = re.compile(r"(?:[二两三四五六七八九十]|[一二三四五六七八九十]{2,})"
                       r"(?=个|台|家|项|场|次|份|套|辆|篇|期|条|件|所|名|人|月底|月份|月末)")
# ... and not in a frequency or a distributive ("每年一次", "一村一月一场") or an ordinal (第三次).
CN_NOT_AFTER = ("每", "第", "一")

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

# extract/v4 keeps a name and a 二级 consistent with the span's unit (DOMAIN.md §3 rule 4: a
# timeliness indicator is a date or duration, a cost is money, satisfaction is a rate).
DATE_UNITS = ("月", "月份", "月底", "月末", "日")
TIME_NAME_ENDINGS = ("时间", "日期", "期限", "时限", "节点")
# A name of a count ends in a count word; these endings are replaced by 时间 on a date span.
COUNT_NAME_ENDINGS = ("次数", "数量", "个数", "数")
# Measure words of things counted one by one (a name gets 数 after them). values.COUNT_UNITS is
# wider: it also holds measures such as 平方米 or 吨, whose names do not take 数.
DISCRETE_UNITS = ("个", "台", "家", "项", "场", "次", "份", "套", "辆", "篇", "期", "条", "件", "所", "名", "人", "人次",
                  "户", "本", "册", "部", "批", "门", "处")
# What a count is never filed under: it is not a date, a satisfaction rate or an amount of money.
NOT_FOR_COUNTS = ("时效指标", "服务对象满意度指标", "成本指标")

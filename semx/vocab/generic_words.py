"""Words that say nothing about a project: what is left of an indicator once they are removed is
its content (eval/README, boilerplate rule 5, "content-free indicator").

Four groups, each fitting any project unchanged: money and budget words (预算成本, 经费),
time and schedule words (完成时间, 工作进度), administrative filler (开展各项工作, 按计划执行情况),
and abstract effects with their audience and scope (工作水平提升, 社会稳定, 全县干部素质,
持续发挥作用的年限). A satisfaction rate is not in any group: the served group it names is content.
"""

from __future__ import annotations

import re
from functools import lru_cache

MONEY_WORDS = ("预算数", "预算", "总成本", "成本", "控制数", "控制", "数额", "金额", "总额", "经费", "专项", "资金",
               "费用", "总需", "需要", "所需", "需")  # fmt: skip
TIME_WORDS = ("完成时间", "时间节点", "时间", "时限", "时长", "时效", "进度", "期限", "及时率", "及时性", "及时",
              "按时", "按期", "年底前", "年底", "年内", "全年", "年度", "当年", "本年", "月底", "节点")  # fmt: skip
ADMIN_WORDS = ("开展", "各项", "各类", "工作", "任务", "计划", "执行", "情况", "完成率", "完成", "是否", "按照",
               "按", "规定", "要求", "范围", "项目", "实施", "具体", "圆满", "安排", "部署", "相关", "日常", "正常",
               "运转", "运行", "保障", "落实", "推动", "有序", "程度", "比例", "比率", "总结", "制定", "协助", "交办",
               "上级", "单位", "业务", "职能", "指标", "服务", "汇总", "参照", "方案", "年初", "活动", "规模",
               "使用", "执行率")  # fmt: skip
EFFECT_WORDS = ("水平", "素质", "能力", "提升", "提高", "有所", "得到", "整体", "综合", "持续", "发挥", "作用",
                "影响", "可持续", "长期", "使用性", "概率", "较好", "满足", "需求", "能够", "稳定", "维护", "社会",
                "效益", "效率", "增强", "促进", "良好", "有效", "明显", "全面", "进一步", "年限", "性")  # fmt: skip
SCOPE_WORDS = ("全县", "全市", "全区", "全省", "我县", "我市", "我区", "本县", "本市", "本单位", "本部门", "广大",
               "干部", "党员", "党建", "基层", "专业", "人员")  # fmt: skip

# Activities without an object: a row left with only these "says a little" (运维成本 / 运维成本):
# content-free at the labeller's best guess, with less certainty.
BARE_ACTIVITY_WORDS = ("运维", "维护", "制作", "建设", "发放", "采购", "购置", "管理", "运营", "单次", "月均", "平均",
                       "人均", "数量")  # fmt: skip

_ALL = tuple(sorted({*MONEY_WORDS, *TIME_WORDS, *ADMIN_WORDS, *EFFECT_WORDS, *SCOPE_WORDS}, key=lambda w: (-len(w), w)))
# Function characters and marks that carry nothing once the words around them are gone.
_FILLER = re.compile(r"[的和与及对在占中等了为由于把被是其或之以并从向地得率、，,。；;：:（）()\s%％\d\.]")


# Pure and asked again for the same texts across a batch's rows and rules: once per distinct text
# (bounded, so memory stays fixed on a large batch).
@lru_cache(maxsize=1 << 16)
def content_left(text: str) -> str:
    """What remains of `text` once generic words and function characters are removed."""
    rest = text
    for w in _ALL:
        rest = rest.replace(w, "")
    return _FILLER.sub("", rest)


def is_content_free(text: str, max_left: int = 1) -> bool:
    """True when at most `max_left` characters of content remain (a stray character is no subject)."""
    return len(content_left(text)) <= max_left


def only_bare_activity(text: str, max_left: int = 1) -> bool:
    """True when what is left beyond generic words is only activities without an object."""
    rest = content_left(text)
    for w in sorted(BARE_ACTIVITY_WORDS, key=len, reverse=True):
        rest = rest.replace(w, "")
    return len(rest) <= max_left

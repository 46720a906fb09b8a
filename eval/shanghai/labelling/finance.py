import sys, json
sys.path.insert(0,'labelling')
from build import *
F='/work/wt/shlabel/eval/shanghai/putuo_finance_2024_final_testvariant.pdf'
inc=[('本年收入合计',389),('财政拨款收入',463),('上级补助收入',537),('事业收入',589),('经营收入',642),('附属单位上缴收入',708),('其他收入',764)]
t2=many(F,[8,9],[(0,999,inc)],140)
for c in t2:
    if c['row']=='类款项合计': c['row']='合计'
t3=many(F,[10,11],[(0,280,[('决算数',276)]),(280,999,[('合计',497),('一般公共预算财政拨款',587),('政府性基金预算财政拨款',673),('国有资本经营预算财政拨款',763)])])
t3=[c for c in t3 if not (c['page']==11 and c['row']=='一、一般公共预算财政拨款')]
tables=[
 T('收入支出决算总表',7,'万元',extract(F,7,[(0,298,[('决算数',292)]),(298,999,[('决算数',524)])])),
 T('收入决算表',8,'万元',t2),
 T('财政拨款收入支出决算总表',10,'万元',t3),
 T('一般公共预算财政拨款支出决算表',12,'万元',extract(F,12,[(0,999,[('合计',390),('基本支出',442),('项目支出',495)])],160)),
 T('一般公共预算财政拨款基本支出决算表',13,'万元',many(F,[13,14],[(0,320,[('决算数',313)],105),(320,999,[('决算数',534)],370)])),
 T('财政拨款“三公”经费支出决算表',15,'万元',[],True),
 T('政府性基金预算财政拨款收入支出决算表',16,'万元',[],True),
 T('国有资本经营预算财政拨款收入支出决算表',17,'万元',[],True),
]
doc={'kind':'部门决算','year':2024,'unit':'上海市普陀区财政局','tables':tables,'projects':[],
 'notes':('A 决算 (final accounts), not a budget: cover p1 "上海市普陀区财政局 / 2024 年度部门决算" (no 预算主管部门 line; the unit is the '
  'first cover line). Tables pair 决算数 (no 预算数 column except the empty 三公 table, which pairs 预算数/决算数), all in 万元, titles '
  'without a year prefix. THIS COPY WAS EDITED BY A PUBLIC BUDGET-CHECKING PROJECT TO PLANT ERRORS FOR ITS OWN TESTS; the planted '
  'errors are not ours to find and the cells here are simply what the page prints (e.g. 八、社会保障和就业支出 326.71 on p7/p10 but '
  '326.72 on p8/p12; the p7 heading says "上海市普陀区XX局"; p18 says 收入支出总计 0 万元 and "2023年度部门决算情况说明"). '
  'The 目录 lists nine tables including 三、支出决算表, which is not in the file (p8-9 收入决算表 is followed directly by p10 财政拨款收入支出决算总表): '
  'eight tables are labelled. 收入决算表 prints its 合计 row first (on the 类/款/项 header line, keyed "合计") and runs onto p9 (2 rows). '
  '财政拨款收入支出决算总表 runs p10-11 (column headers wrapped: 一般公共预算财政拨款, 政府性基金预算财政拨款, 国有资本经营预算财政拨款). '
  '一般公共预算财政拨款基本支出决算表 (p13-14) is two-sided: 301/303 codes on the left, 302/310 on the right, each with its own 决算数; '
  'last line 人员经费合计 2,152.26 / 公用经费合计 184.65 on p14. Empty: 三公 table p15 (header only, no data row, although the prose says '
  'a 0.95万元 budget), 政府性基金 p16 and 国有资本经营 p17 (本表无数据). No 绩效目标 forms; prose 十、预算绩效管理情况 reports 4 projects '
  '598.42万元 self-evaluated. Only non-blank cells are listed. Left out on purpose: p11 the line "一、一般公共预算财政拨款 21.63" under 年初财政拨款结转和结余, whose printed row name repeats the p10 income row (same key, other value).')}
json.dump(doc,open('/tmp/shl/finance.json','w'),ensure_ascii=False,indent=1)
for t in tables:
    print(t['title'],t['page'],len(t['cells']))
    for c in t['cells']: print('   ',c)

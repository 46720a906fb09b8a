import sys, json
sys.path.insert(0,'labelling')
from build import *
F='/work/wt/shlabel/eval/shanghai/putuo_justice_2026_unit.pdf'
Y='2026年预算单位'
def dd(cells):
    seen={}
    out=[]
    for c in cells:
        k=(c['row'],c['column'])
        if k in seen: assert seen[k]==c['value'],c; continue
        seen[k]=c['value']; out.append(c)
    return out
inc=[('合计',452),('财政拨款收入',534),('事业收入',617),('事业单位经营收入',699),('其他收入',782)]
tables=[
 T(Y+'财务收支预算总表',8,'元',extract(F,8,[(0,272,[('预算数',269)]),(272,999,[('合计',535),('人员经费',610),('公用经费',689),('项目支出',782)])])),
 T(Y+'收入预算总表',9,'元',many(F,[9,10],[(0,999,inc)])),
 T(Y+'支出预算总表',11,'元',many(F,[11,12],[(0,999,[('合计',530),('基本支出',625),('项目支出',720)])],220)),
 T(Y+'财政拨款收支预算总表',13,'元',dd(extract(F,13,[(0,243,[('预算数',241)]),(243,999,[('合计',492),('一般公共预算',587),('政府性基金预算',683),('国有资本经营预算',778)])]))),
 T(Y+'一般公共预算支出功能分类预算表',14,'元',many(F,[14,15],[(0,999,[('合计',548),('基本支出',660),('项目支出',780)])])),
 T(Y+'政府性基金预算支出功能分类预算表',16,'元',[],True),
 T(Y+'国有资本经营预算支出功能分类预算表',17,'元',[],True),
 T(Y+'一般公共预算基本支出部门预算经济分类预算表',18,'元',many(F,[18,19],[(0,999,[('合计',603),('人员经费',692),('公用经费',779)])],175)),
 T('2026年单位“三公”经费和机关运行经费预算表',20,'万元',sangong(20,[('合计','10.71'),('因公出国(境)费','0.00'),('公务接待费','0.73'),
   ('公务用车购置及运行费/小计','9.98'),('公务用车购置及运行费/购置费','0.00'),('公务用车购置及运行费/运行费','9.98'),('机关运行经费预算数','184.59')])),
]
for t in tables: t['cells']=dd(t['cells'])
doc={'kind':'单位预算','year':2026,'unit':'上海市普陀区司法局','tables':tables,'projects':[],
 'notes':('Cover p1: "上海市普陀区2026年区级单位预算", 预算单位：上海市普陀区司法局. Nine tables p8-20, 元 (two decimals, but see below) '
  'except 三公 (万元). Empty: 政府性基金 (p16) and 国有资本经营 (p17), each with a single row "无" and an empty 合计 row plus 本表为空表. '
  'This year prints 0.00 in empty columns (收入预算总表 事业收入/事业单位经营收入/其他收入 all 0.00; 0.00 in 基本支出/项目支出/公用经费 '
  'where the older files leave the cell blank). 财务收支预算总表 (p8) has the 预算数 → 合计 / 基本支出 (人员经费, 公用经费) / 项目支出 header '
  '(lowest header used as column). PRINTED INCONSISTENCIES of the real document (kept exactly as printed, checked on the rendered pages): '
  '(1) 支出预算总表 p11 and 功能分类表 p14, row 2040601 行政运行: 合计 14,348,853.34, 基本支出 14,348,853.34 but 项目支出 64,840,547.00 '
  '(the 项目支出 of the 204 rows above repeated; 合计 ≠ 基本+项目: a true arithmetic error of the source). '
  '(2) 合计 row 基本支出 printed "22,118,861" without decimals (p12, p15), true sum 22,118,861.34; 2210203 购房补贴 项目支出 printed "0". '
  '(3) 财务收支预算总表 p8: 一、公共安全支出 人员经费 12,604,173 / 公用经费 1,744,680 / 项目支出 64,840,547 and 支出总计 人员经费 '
  '20,374,181 / 公用经费 1,744,680 / 项目支出 64,840,547 printed without decimals; 人员+公用+项目 = 79,189,400 vs 合计 79,189,400.34 '
  '(and 86,959,408 vs 86,959,408.34); these 人员经费/公用经费 totals also differ from the 经济分类 table 合计 row (20,272,981.00 / '
  '1,845,880.34; difference 101,200). A checker that compares at 0.01 元 will flag (2)/(3) as 0.34 元 differences; (1) is a real error. '
  '三公 (p20) fully printed (0.00 where nothing). No 绩效目标 forms and no 项目经费情况说明 (prose p21: 19 projects, 6484.05万元). '
  'The 财政拨款收支预算总表 text layer repeats the total row (de-duplicated).')}
json.dump(doc,open('/tmp/shl/justice.json','w'),ensure_ascii=False,indent=1)
json.dump(tables,open('/tmp/shl/justice_tables.json','w'),ensure_ascii=False,indent=1)
for t in tables: print(t['title'],t['page'],len(t['cells']),[c for c in t['cells'] if not c['row']])

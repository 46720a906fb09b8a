import sys, json
sys.path.insert(0,'labelling')
from build import *
F='/work/wt/shlabel/eval/shanghai/putuo_commerce_2025_unit.pdf'
Y='2025年预算单位'
tables=[
 T(Y+'财务收支预算总表',9,'元',extract(F,9,[(0,285,[('预算数',283)]),(285,999,[('合计',538),('人员经费',621),('公用经费',694),('项目支出',784)])])),
 T(Y+'收入预算总表',10,'元',many(F,[10,11],[(0,999,[('合计',451),('财政拨款收入',541),('事业收入',607),('事业单位经营收入',687),('其他收入',767)])])),
 T(Y+'支出预算总表',12,'元',many(F,[12,13],[(0,999,[('合计',552),('基本支出',665),('项目支出',785)])])),
 T(Y+'财政拨款收支预算总表',14,'元',extract(F,14,[(0,286,[('预算数',284)]),(286,999,[('合计',516),('一般公共预算',598),('政府性基金预算',678),('国有资本经营预算',769)])])),
 T(Y+'一般公共预算支出功能分类预算表',15,'元',many(F,[15,16],[(0,999,[('合计',552),('基本支出',665),('项目支出',785)])])),
 T(Y+'政府性基金预算支出功能分类预算表',17,'元',[],True),
 T(Y+'国有资本经营预算支出功能分类预算表',18,'元',[],True),
 T(Y+'一般公共预算基本支出部门预算经济分类预算表',19,'元',many(F,[19,20],[(0,999,[('合计',606),('人员经费',696),('公用经费',785)])],175)),
 T('2025年单位“三公”经费和机关运行经费预算表',21,'万元',sangong(21,[('合计','1.00'),('因公出国(境)费',''),('公务接待费','1.00'),
   ('公务用车购置及运行费/小计',''),('公务用车购置及运行费/购置费',''),('公务用车购置及运行费/运行费',''),('机关运行经费预算数','171.01')])),
]
doc={'kind':'单位预算','year':2025,'unit':'上海市普陀区商务委员会','tables':tables,'projects':[],
 'notes':('Cover p1: "上海市普陀区2025年区级单位预算", 预算单位：上海市普陀区商务委员会; "编制单位：" on every table. Titles say 预算单位 '
  '(2025年预算单位财务收支预算总表 …) except the 三公 table ("2025年单位“三公”经费和机关运行经费预算表"). Nine tables p9-21, 元 with two '
  'decimals except 三公 (万元). Empty: 政府性基金 (p17) and 国有资本经营 (p18). The 财务收支预算总表 (p9) differs from the 部门 template: '
  'its expenditure side has a three-level header 预算数 → 合计 / 基本支出 (人员经费, 公用经费) / 项目支出; cells use the lowest header '
  '(合计, 人员经费, 公用经费, 项目支出). On p9 the 公用经费 figures 1,467,842.00 and 1,710,062.00 overlap the thick cell border in the '
  'rendering (leading "1" touches the line) but the text layer and the row arithmetic agree. Income-side rows printed indented '
  '("  1、一般公共预算资金"), keys without the spaces. 三公 (p21): 因公出国(境)费 and the three 公务用车 cells printed blank (value ""); '
  'pdftotext -layout shows "1.00   1.00" which could be misread as 合计 + 因公出国(境)费: the second 1.00 is 公务接待费. '
  'The economic table\'s name column is headed 部门经济分类科目名称 and its code column 经济分类科目编码. No 绩效目标 forms and no '
  '项目经费情况说明 (the prose p22 says 25 projects with targets, 11381.60万元).')}
json.dump(doc,open('/tmp/shl/commerce.json','w'),ensure_ascii=False,indent=1)
json.dump(tables,open('/tmp/shl/commerce_tables.json','w'),ensure_ascii=False,indent=1)
for t in tables: print(t['title'],t['page'],len(t['cells']),[c for c in t['cells'] if not c['row']])

import sys, json
sys.path.insert(0,'labelling')
from build import *
F='/work/wt/shlabel/eval/shanghai/putuo_office_2025_dept.pdf'
Y='2025年部门'
tables=[
 T(Y+'财务收支预算总表',8,'元',extract(F,8,[(0,415,[('预算数',413)]),(415,999,[('预算数',774)])])),
 T(Y+'收入预算总表',9,'元',many(F,[9,10],[(0,999,[('合计',500),('财政拨款收入',583),('事业收入',640),('事业单位经营收入',703),('其他收入',767)])])),
 T(Y+'支出预算总表',11,'元',many(F,[11,12],[(0,999,[('合计',551),('基本支出',664),('项目支出',784)])])),
 T(Y+'财政拨款收支预算总表',13,'元',extract(F,13,[(0,258,[('预算数',257)]),(258,999,[('合计',504),('一般公共预算',598),('政府性基金预算',684),('国有资本经营预算',784)])])),
 T(Y+'一般公共预算支出功能分类预算表',14,'元',many(F,[14,15],[(0,999,[('合计',551),('基本支出',664),('项目支出',784)])])),
 T(Y+'政府性基金预算支出功能分类预算表',16,'元',[],True),
 T(Y+'国有资本经营预算支出功能分类预算表',17,'元',[],True),
 T(Y+'一般公共预算基本支出部门预算经济分类预算表',18,'元',many(F,[18,19],[(0,999,[('合计',578),('人员经费',680),('公用经费',784)])])),
 T(Y+'“三公”经费和机关运行经费预算表',20,'万元',sangong(20,[('合计','867.50'),('因公出国(境)费','839.00'),('公务接待费','28.50'),
   ('公务用车购置及运行费/小计',''),('公务用车购置及运行费/购置费',''),('公务用车购置及运行费/运行费',''),('机关运行经费预算数','213.28')])),
]
doc={'kind':'部门预算','year':2025,'unit':'上海市普陀区人民政府办公室','tables':tables,'projects':[],
 'notes':('Cover p1: "上海市普陀区2025年区级部门预算", 预算主管部门：上海市普陀区人民政府办公室. Nine tables p8-20, amounts in 元 with two '
  'decimals (e.g. 91,016,775.35) except the 三公 table (万元). Empty: 政府性基金 (p16) and 国有资本经营 (p17) tables (本表为空表). '
  'Blank cells are not listed except in the 三公 table, where every cell is given and the three 公务用车购置及运行费 cells '
  '(小计/购置费/运行费) are printed blank (value ""); the last 三公 column is headed "机关运行经费预算数" (wrapped, no year). '
  'Several rows of the 支出/功能分类 tables have a blank 基本支出 (2010302, 2010399) or blank 项目支出 (208.., 210.., 221..). '
  'No 绩效目标 forms: the only 项目经费情况说明 (p22, 区政府督查及建议提案工作业务经费) ends "七、绩效目标 详见单位的项目绩效目标表"; '
  'the prose p21 says 11 projects with targets, 6626万元 — the forms are not published in this file. '
  'Text layer prints header words twice (fake bold); words were de-duplicated.')}
json.dump(doc,open('/tmp/shl/office.json','w'),ensure_ascii=False,indent=1)
json.dump(tables,open('/tmp/shl/office_tables.json','w'),ensure_ascii=False,indent=1)
for t in tables: print(t['title'],t['page'],len(t['cells']),[c for c in t['cells'] if not c['row']])

import sys, json
sys.path.insert(0,'labelling')
from ext import extract
F='/work/wt/shlabel/eval/shanghai/putuo_wanli_2023_dept.pdf'
def T(title,page,unit,cells,empty=False): return {'title':title,'page':page,'printed_unit':unit,'empty':empty,'cells':cells}
def many(pages,sides,code_xmax=170):
    c=[]
    for p in pages: c+=extract(F,p,sides,code_xmax)
    return c
tables=[
 T('2023年部门财务收支预算总表',10,'元',extract(F,10,[(0,410,[('预算数',407)]),(410,999,[('预算数',775)])])),
 T('2023年部门收入预算总表',11,'元',many(range(11,15),[(0,999,[('合计',440),('财政拨款收入',522),('事业收入',600),('事业单位经营收入',680),('其他收入',765)])])),
 T('2023年部门支出预算总表',15,'元',many(range(15,19),[(0,999,[('合计',546),('基本支出',659),('项目支出',779)])])),
 T('2023年部门财政拨款收支预算总表',19,'元',extract(F,19,[(0,290,[('预算数',286)]),(290,999,[('合计',484),('一般公共预算',567),('政府性基金预算',640),('国有资本经营预算',730)])])),
 T('2023年部门一般公共预算支出功能分类预算表',20,'元',many(range(20,24),[(0,999,[('合计',540),('基本支出',647),('项目支出',760)])],175)),
 T('2023年部门政府性基金预算支出功能分类预算表',24,'元',[],True),
 T('2023年部门国有资本经营预算支出功能分类预算表',25,'元',[],True),
 T('2023年部门一般公共预算基本支出部门预算经济分类预算表',26,'元',many([26,27],[(0,999,[('合计',573),('人员经费',676),('公用经费',779)])])),
 T('2023年部门“三公”经费和机关运行经费预算表',28,'万元',[]),
]
sg=[('合计','22.91'),('因公出国(境)费','0'),('公务接待费','1.35'),('公务用车购置及运行费/小计','21.56'),
    ('公务用车购置及运行费/购置费','0'),('公务用车购置及运行费/运行费','21.56'),('2023年机关运行经费预算数','786.09')]
tables[-1]['cells']=[{'row':'合计','column':c,'value':v,'page':28} for c,v in sg]
json.dump(tables,open('/tmp/shl/wanli_tables.json','w'),ensure_ascii=False,indent=1)
for t in tables:
    print(t['title'],t['page'],len(t['cells']),{c['row'] for c in t['cells'] if not c['row']})

import sys, json
sys.path.insert(0,'labelling')
from forms import region, parse_value
F='/work/wt/shlabel/eval/shanghai/putuo_wanli_2023_dept.pdf'
tables=json.load(open('/tmp/shl/wanli_tables.json'))
CO,ZL,CB,SH,FW='产出指标','效益指标','满意度指标',None,None
def ind(p,rows):
    out=[]
    for l1,l2,l3,v in rows:
        op,num,unit=parse_value(v)
        out.append({'level1':l1,'level2':l2,'level3':l3,'value_raw':v,'op':op,'number':num,'unit':unit,'page':p})
    return out
P31=[('产出指标','数量指标','规划建筑面积','≥13459.00(平方米)'),('产出指标','质量指标','完工及时率','及时率'),
     ('产出指标','成本指标','预算内经费','合规'),('效益指标','社会效益指标','完善社区基础设施建设','完善率'),
     ('满意度指标','服务对象满意度指标','居民满意度','满意度')]
P32=[('产出指标','数量指标','补贴对象申请审核完成率','=100.00(%)'),('产出指标','质量指标','补贴对象审核达标率','=100.00(%)'),
     ('效益指标','社会效益指标','补贴对象生活改善度','补贴对象生活改善度不低于80%'),
     ('满意度指标','服务对象满意度指标','补贴对象满意度','≥80.00(%)')]
P33=[('产出指标','数量指标','整治行动、病媒消杀','≥12.00(次)'),('产出指标','质量指标','项目质量可控性','可控性100%'),
     ('效益指标','社会效益指标','社区居民满意度、幸福感','不低于50%'),('满意度指标','服务对象满意度指标','市容环境满意度','不低于50%')]
S=('产出指标','数量指标'); Q=('产出指标','质量指标'); E_=('效益指标','社会效益指标'); M=('满意度指标','服务对象满意度指标')
P34=[S+x for x in [('成立社戒社康人员习得规范小组','>6.00(次)'),('开展特殊对象心理健康教育','开展至少1次团体心理治疗'),
  ('开展社区服刑人员团队训练','至少1次矫正人员的集中活动'),('针对特殊群体进行个案心理辅导','不低于50人次的个体心理咨询辅导'),
  ('开展社区法治宣传活动','开展不低于5次的社区法治宣传活动'),('按计划数量完成','慰问人数不少于100人,宣传用品不少于20000份'),
  ('寒托班、暑托班开设班级数','≥1.00(个)'),('基干民兵整组工作','≥100.00(人数)'),('日常走访企业','>150.00(家)'),
  ('企业服务活动','≥8.00(次)'),('商会活动及会长会议','=12.00(次)'),('质量月活动','=1.00(次)'),('节能减排宣传周活动','=1.00(次)'),
  ('统计法制宣传活动','=1.00(次)'),('15个居民区全覆盖','居民区全覆盖')]] + \
 [Q+x for x in [('做好禁毒示范城区标准化建设','做好禁毒示范城区标准化建设'),('心理健康教育活动有效','特殊对象及群体、居民心理健康有效提升'),
  ('法治宣传活动丰富有实效','提升社区法治宣传氛围及居民知法懂法守法用法'),('中心全年活动人次','=5.00(万人次)'),
  ('完善人大代表“家站点”建设','达标'),('夯实思想政治基础','凝聚统战各界人士力量'),('寒托班、暑托班完成班级数','≥1.00(个)'),
  ('民兵训练及备勤工作','根据区人武部安排，完成民兵训练任务及备勤任务')]] + \
 [E_+x for x in [('扩大禁毒宣传教育覆盖面','扩大'),('社区服刑人员融入社会','增强'),('社区法治氛围增强','增强'),
  ('居民依法、理性参与公众事务的能力增强','提升'),('提升住宅小区业委会规范化','加强引导业委会工作制度、履职行为、自治能力等'),
  ('助力社区发展','提升'),('宣传工作覆盖面不断扩大','宣传工作覆盖面不断扩大'),('政治觉悟及参与范围','政治觉悟及学习主动性不断提升，范围不断扩大'),
  ('解决小朋友寒暑假看护难问题','≥120.00(人次)'),('"提升居民、驻区单位质量及节能环保意识 提升驻区企业，依法统计意识 优化营商环境"','提升'),
  ('促进经济发展','有效'),('干部人事工作平稳有序','平稳有序'),('协调推动区域化党建工作的稳定有序发展','有效'),
  ('全面提升社区党员党性修养，提升书记综合素质，牢固树立全心全意为民服务意识','有效')]] + \
 [M+x for x in [('提升社区居民满意度','提升'),('特殊人员及群体满意','90.00(度)'),('家长及学生满意比例','满意率100%'),
  ('提高居民、驻区企业满意度','提升'),('提升经济服务满意度','提升'),('党员群众满意度','党员群众满意度不少于80%')]]
P35=[S+('开展活动300场','=300.00(场)'),S+('环境卫生及保安服务','卫生整洁、内部安全有序'),Q+('居民参与率','居民参与率不低于100%'),
     Q+('维修处理及时率','维修响应速度快'),Q+('房屋质量','房屋完好'),E_+('加强工作人员队伍建设','是'),E_+('安全责任事故','安全无事故'),
     M+('居民满意度','90%'),M+('工作人员满意度','≥95.00(%)')]
def proj(name,page,tot,wan,fiscal,other,b,x0,y0,y1,rows):
    return {'name':name,'page':page,'annual_total':tot,'annual_total_wan':wan,'fiscal':fiscal,'other':other,
            'total_goal':region(F,page,x0,b,y0,y1),'annual_goal':region(F,page,b,999,y0,y1),
            'period':'2023-01-01–2023-12-31','indicators':ind(page,rows)}
projects=[
 proj('新建万里街道社区公共服务中心',31,'4,100,000.00','410.00','4,100,000.00','0.00',372,95,265,355,P31),
 proj('就业援助基地补贴',32,'6,351,000.00','635.10','6,351,000.00','0.00',375,95,275,365,P32),
 proj('社区环境整治和建设经费',33,'4,563,800.00','456.38','4,563,800.00','0.00',379,95,265,360,P33),
 proj('各类工作经费',34,'7595500.00','759.55','7595500.00','0.00',322,130,225,416,P34),
 proj('公共服务设施运行经费',35,'10,903,043.00','1090.3043','11,419,043.00','0.00',372,95,258,362,P35),
]
doc={'kind':'部门预算','year':2023,'unit':'上海市普陀区人民政府万里街道办事处','tables':tables,'projects':projects,
 'notes':('Cover p1: "上海市普陀区2023年区级部门预算", 预算主管部门：上海市普陀区人民政府万里街道办事处. Nine tables p10-28, all in 元 except the '
  '三公 table (万元); the 政府性基金 (p24) and 国有资本经营 (p25) tables are empty (本表为空表, only a 合计 row with no figures). '
  '收入预算总表, 支出预算总表 and 一般公共预算支出功能分类预算表 run over 4 pages each, the column header repeated on continuation pages '
  'only for the 功能分类 table (p21-23); 科目编码 printed split into 类/款/项 columns ("201 05 06" -> row "2010506"). '
  'In the 收入预算总表 only 合计 and 财政拨款收入 carry figures (事业收入/事业单位经营收入/其他收入 blank). '
  'Row name 208 05 05 wraps in 收入预算总表 p12 ("机关事业单位基本养老保险缴费支"/"出"). '
  'Two-sided tables (财务收支预算总表 p10, 财政拨款收支预算总表 p19): income-side cells keyed by the income 项目, expenditure-side by the '
  'expenditure 项目; on p19 the expenditure side has columns 合计 / 一般公共预算 (政府性基金预算, 国有资本经营预算 blank); '
  '"四、文化旅游体育与传媒支出" wraps over two lines on p19. Forms p31-35 (财政项目支出绩效目标填报表, 2023年度), 5+4+4+43+9 = 65 indicator rows; '
  'the 年度(/项目)指标值 column; no 实施周期 cell, period = 计划开始日期–计划完成日期. Project 5 (p35) prints 年度资金申请总额 10,903,043.00 '
  'but 其中：当年财政拨款 11,419,043.00 (inconsistent on the page, kept as printed). Project 4 (p34) prints amounts without thousands '
  'separators (7595500.00). The five 年度资金申请总额 sum to 3351.3343万元 whereas the prose (p29, 四、绩效目标设置情况) says 5 projects, '
  '3328.13万元. The money unit of the forms is 元 (项目资金（元）). Value parsing: op from the first printed symbol or comparator word, '
  'number = first number in the value (trailing decimal zeros dropped), unit = bracketed text after it or the measure word right after it '
  '(次, 人次, 人, %, 份...); "慰问人数不少于100人,宣传用品不少于20000份" (p34) holds two targets, only the first is parsed. '
  'Spaces: pdftotext shows spaces before full-width punctuation and before numbers ("不低于 80%") that are not printed (glyph gaps < 2pt); '
  'they are removed. The one wide gap kept is inside the quoted 三级指标 on p34 ("…环保意识 提升驻区企业，依法统计意识 优化营商环境"), '
  'printed with ASCII double quotes. Prose p6-7: item 16 repeats item 15 figures (441.25万元, 60.54%) although the code 2080506 is 220.63万元 '
  '— a slip in the prose, not in the tables.')}
json.dump(doc,open('/tmp/shl/wanli.json','w'),ensure_ascii=False,indent=1)
print(sum(len(p['indicators']) for p in projects), sum(len(t['cells']) for t in tables))
for p in projects:
    for i in p['indicators']: print(p['page'],i['level2'],i['level3'][:14],'|',i['value_raw'],'|',i['op'],i['number'],i['unit'])

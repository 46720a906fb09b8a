import re, sys
sys.path.insert(0,'labelling')
from words import words, lines
def region(pdf,page,x0,x1,y0,y1):
    ws=[w for w in words(pdf,page) if x0<=w[0]<x1 and y0<w[1]<y1]
    return ''.join(w[4] for y,l in lines(ws,2) for w in l)
OPW=[('不低于','≥'),('不少于','≥'),('至少','≥'),('以上','≥'),('不超过','≤'),('不高于','≤'),('以内','≤'),('以下','≤'),
     ('控制在','≤'),('大于','>'),('高于','>'),('超过','>'),('小于','<'),('低于','<')]
UNITS=['万人次','平方米','人次','万元','人数','%','次','人','份','个','家','场','度','元','天','月','年','户','件','项','篇','期','名','小时','台','套','辆','公里','米','条','本','册','所','座','处','批','课时','分']
NUM=re.compile(r'\d+(?:\.\d+)?')
def parse_value(raw):
    """op/number/unit convention: op = first printed symbol (≥ ≤ = > <) or comparator word (list OPW, longest
    match first by position); number = first number, trailing decimal zeros dropped; unit = bracketed text right
    after the number, else the known unit word right after it."""
    s=raw
    m=NUM.search(s)
    op=None
    sym=re.search(r'[≥≤=><]',s)
    if sym and (not m or sym.start()<=m.start()): op=sym.group()
    else:
        best=None
        for w,o in OPW:
            i=s.find(w)
            if i>=0 and (not m or i<m.start() or w in ('以上','以下','以内')):
                # 高于 inside 不高于 / 低于 inside 不低于 are the longer words, checked first by position
                if best is None or i<best[0] or (i==best[0] and len(w)>len(best[2])): best=(i,o,w)
        if best: op=best[1]
        # words contained in longer words at the same spot
    if not m: return None, None, None
    num=m.group()
    if '.' in num: num=num.rstrip('0').rstrip('.')
    rest=s[m.end():]
    unit=None
    b=re.match(r'\s*[(（]([^)）]*)[)）]',rest)
    if b: unit=b.group(1)
    else:
        for u in sorted(UNITS,key=len,reverse=True):
            if rest.startswith(u): unit=u;break
    return op,num,unit

import sys, json
sys.path.insert(0,'labelling')
from ext import extract
def T(title,page,unit,cells,empty=False): return {'title':title,'page':page,'printed_unit':unit,'empty':empty,'cells':cells}
def many(F,pages,sides,code_xmax=170,**kw):
    c=[]
    for p in pages: c+=extract(F,p,sides,code_xmax,**kw)
    return c
def sangong(page, pairs):
    return [{'row':'合计','column':c,'value':v,'page':page} for c,v in pairs]

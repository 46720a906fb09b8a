import json,sys,collections
def n(v): return float(v.replace(',',''))
def rowsum(tables, parts):
    """parts: title-substring -> (total col, [part cols])"""
    for t in tables:
        for sub,(tot,ps) in parts.items():
            if sub in t['title']:
                rows=collections.OrderedDict()
                for c in t['cells']: rows.setdefault(c['row'],{})[c['column']]=c['value']
                bad=[(r,d) for r,d in rows.items() if tot in d and abs(n(d[tot])-sum(n(d.get(p,'0')) for p in ps))>0.001]
                print(t['title'],'rows',len(rows),'cols',collections.Counter(c['column'] for c in t['cells']),'bad',bad)
if __name__=='__main__':
    tables=json.load(open(sys.argv[1]))
    rowsum(tables,json.loads(sys.argv[2]))

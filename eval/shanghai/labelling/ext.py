import re, sys
sys.path.insert(0,'labelling')
from words import words, lines
AMT=re.compile(r'^-?[\d,]+(\.\d+)?$')
def extract(pdf, page, sides, code_xmax=0, tol=20, ymin=0, ymax=1e9):
    """sides: list of (x_from, x_to, [(colname, right_edge), ...]). Row key: code (joined 2-3 digit words left
    of code_xmax) else the side's name words (from neighbouring lines when the amount line has none)."""
    ls=[(y,ws) for y,ws in lines(words(pdf,page)) if ymin<=y<=ymax]
    out=[]
    for i,(y,ws) in enumerate(ls):
        for si,side in enumerate(sides):
            xa,xb,cols=side[:3]; cx=side[3] if len(side)>3 else code_xmax
            sw=[w for w in ws if xa<=w[0]<xb]
            codes=[w for w in sw if w[2]<=cx and re.fullmatch(r'\d{2,3}',w[4])]
            amts=[w for w in sw if w not in codes and AMT.fullmatch(w[4]) and any(abs(w[2]-e)<=tol for _,e in cols)]
            if not amts: continue
            names=[w for w in sw if w not in codes and w not in amts]
            if codes: key=''.join(w[4] for w in codes)
            else:
                if not names:
                    for y2,ws2 in ls:
                        if 0<abs(y2-y)<=10:
                            names+= [w for w in ws2 if xa<=w[0]<xb]
                key=''.join(w[4] for w in names)
            for a in amts:
                name=min(cols,key=lambda k:abs(k[1]-a[2]))[0]
                c={'row':key,'column':name,'value':a[4],'page':page}
                if len(sides)>1: c['side']=('left','right')[si]
                out.append(c)
    return out

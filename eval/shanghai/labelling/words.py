"""Word boxes of one PDF page from pdftotext -bbox; print lines with x-right of each word."""
import re, subprocess, sys, html
def words(pdf, page):
    out = subprocess.run(['pdftotext','-bbox','-f',str(page),'-l',str(page),pdf,'-'],capture_output=True,text=True).stdout
    ws=[]
    for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', out):
        ws.append((float(m[1]),float(m[2]),float(m[3]),float(m[4]),html.unescape(m[5])))
    return sorted(set(ws))
def lines(ws, tol=3):
    ws=sorted(ws,key=lambda w:(round(w[1]),w[0]))
    ls=[]
    for w in ws:
        if ls and abs(ls[-1][0]-w[1])<=tol: ls[-1][1].append(w)
        else: ls.append([w[1],[w]])
    for l in ls: l[1].sort()
    return ls
if __name__=='__main__':
    pdf,page=sys.argv[1],int(sys.argv[2])
    for y,ws in lines(words(pdf,page)):
        print(f'{y:6.1f} '+'  '.join(f'{w[4]}@{w[0]:.0f}-{w[2]:.0f}' for w in ws))

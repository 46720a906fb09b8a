import json, sys, os
P='/work/wt/shlabel/eval/shanghai/expected.json'
d=json.load(open(P)) if os.path.exists(P) else {}
name, src = sys.argv[1], sys.argv[2]
d[name]=json.load(open(src))
json.dump(d,open(P,'w'),ensure_ascii=False,indent=1)
json.load(open(P)); print('saved', list(d))

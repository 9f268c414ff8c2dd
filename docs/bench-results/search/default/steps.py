import json,sys
for t in sys.argv[1:]:
    d=json.load(open(f's1-{t}.json'))
    row=[]
    for p in d['phases']:
        if not p['name'].startswith('step'): continue
        e=p['endToEnd']; row.append(f"{int(p['targetRate'])}:{e['p50Ms']:.0f}/{e['p99Ms']:.0f}")
    print(f"{t:8s}", ' '.join(row))

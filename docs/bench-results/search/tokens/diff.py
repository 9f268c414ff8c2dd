import json,sys,re,collections
a=json.load(open(sys.argv[1])); b=json.load(open(sys.argv[2])); msgs=float(sys.argv[3])
agg=collections.Counter()
for k,v in b.items():
    d=v-a.get(k,0)
    if d<=0: continue
    if k.startswith('jvm:'):
        n=re.sub(r'[-#]?\d+$','',k); agg[n]+=d
    else:
        parts=k.split(':',2); cmd=parts[2]
        agg['pg:'+(cmd.split(' ',1)[1][:40] if ' ' in cmd else cmd)]+=d
tot=sum(agg.values())
print(f"total ticks {tot} = {tot/100:.1f} cpu-s; per msg {tot*10/msgs*1000:.1f} us")
for k,v in agg.most_common(25): print(f"{v:7d} {v*10/msgs*1000:8.1f} us/msg  {k}")

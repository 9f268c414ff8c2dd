import json, sys
tag = sys.argv[1]
def load(f):
    d = {}
    for l in open(f):
        p = l.split()
        if len(p) == 2:
            try: d[p[0]] = float(p[1])
            except ValueError: pass
    return d
a, b = load(f"snap-{tag}-0.txt"), load(f"snap-{tag}-1.txt")
sent = sum(p["sent"] for p in json.load(open(f"s1-{tag}.json"))["phases"])
d = {k: b[k] - a.get(k, 0) for k in b}
hz = 100
print(f"{tag} sent={sent} machine_us={d['machine']/hz/sent*1e6:.0f} server_us={d['server']/hz/sent*1e6:.0f} "
      f"pg_us={d['pgprocs']/hz/sent*1e6:.0f} iowait_s={d['iowait']/hz:.1f} wal_bytes/msg={d['wal_bytes']/sent:.0f} fpi/msg={d['wal_fpi']/sent:.3f} "
      f"walrec/msg={d['wal_records']/sent:.1f} ckpt={d['ckpt_timed']:.0f}+{d['ckpt_req']:.0f} ckpt_buf={d['ckpt_buffers']:.0f} "
      f"blks_read={d['blks_read']:.0f} indexed={d.get('indexed',0):.0f} "
      + " ".join(f"{k}={v:.0f}" for k, v in d.items() if k.startswith('av_') and v))

import json,glob,os
for label in ['old1','new1','new1t2','old2','new2','new2t2']:
    f=f's8-{label}.json'
    if not os.path.exists(f): continue
    r=json.load(open(f))['results']; l=r['load']; fi=r['findable']; ri=r.get('reindex',{})
    catch=(l['indexedEntries']-l['indexedByLastAck'])/l['indexerDoneSecondsAfterLastAck'] if l['indexerDoneSecondsAfterLastAck'] else 0
    line=f"{label}: load {l['messagesPerSecond']} msg/s ack p50/p99 {l['ackMs']['p50Ms']:.0f}/{l['ackMs']['p99Ms']:.0f}, failed {l['failed']}; indexed by last ack {l['indexedByLastAck']}, quiet {l['indexerDoneSecondsAfterLastAck']}s after (catch-up {catch:.0f}/s); " \
      f"findable@200 found {fi['found']}/{fi['probes']} p50/p99 {fi['ackToFoundMs']['p50Ms']:.0f}/{fi['ackToFoundMs']['p99Ms']:.0f} within1s {fi['foundWithin1sPercent']}%; reindex {ri.get('entriesPerSecond')}/s ({ri.get('entries')} in {ri.get('seconds')}s)"
    f4=f's8-{label}-400.json'
    if os.path.exists(f4):
        fi=json.load(open(f4))['results']['findable']
        line+=f"; findable@400 found {fi['found']}/{fi['probes']} p50/p99 {fi['ackToFoundMs']['p50Ms']:.0f}/{fi['ackToFoundMs']['p99Ms']:.0f} within1s {fi['foundWithin1sPercent']}%"
    print(line)

#!/bin/bash
# tracing: the saturation ladder (step 400, indexer off), then CPU per message at 1,200 msg/s
cd /tmp/trq
L=/work/main/docs/bench-results/tracing/quiet/ladder.sh
M=/work/main/docs/bench-results/tracing/cpu/measure.sh
python3 /work/main/bench/otlp-sink.py 34318 > sink.log 2>&1 &
sink=$!
export DATA=/tmp/trq-data INDEXER=false START=800 STEP=400 MAX=5200
for r in "off 1" "r001 1" "r1 1" "r1 2" "r001 2" "off 2"; do
  set -- $r; echo "$1$2 $(date +%H:%M) $(bash $L /tmp/main-a5d3432 $1 $2)"
done
export RATE=1200 DUR=40
for r in "off 1" "r001 1" "r1 1" "r1 2" "r001 2" "off 2"; do
  set -- $r; bash $M /tmp/main-a5d3432 $1 cpu-$1-$2; echo "cpu $1$2 $(date +%H:%M) $(tail -1 results.txt)"
done
kill $sink

#!/bin/bash
# after chain7's third ladder: stop it, then search + findable once more for each build
set -u
cd /tmp/g
wait_free() { while pgrep -f '[p]arley-server.jar' >/dev/null || pgrep -x postgres >/dev/null; do sleep 2; done; sleep 3; }
while [ "$(cat ladder8.txt 2>/dev/null | wc -l)" -lt 3 ]; do sleep 5; done
pkill -f '[c]hain7.sh'; sleep 1; pkill -f '[l]adder8.sh'; pkill -f '[p]arley-bench.jar'; pkill -f '[p]arley-server.jar'; wait_free
./srch.sh dg2 /tmp/dg; wait_free
./srch.sh gk5 /tmp/gk; wait_free
echo chain8 done

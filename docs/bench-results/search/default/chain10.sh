#!/bin/bash
set -u
cd /tmp/g
wait_free() { while pgrep -f '[p]arley-server.jar' >/dev/null || pgrep -x postgres >/dev/null; do sleep 2; done; sleep 3; }
while pgrep -f '[c]hain9.sh' >/dev/null; do sleep 5; done
wait_free
./ladder9.sh on onC; wait_free
./ladder9.sh off offC; wait_free
./ladder9.sh nogive ngB; wait_free
echo chain10 done

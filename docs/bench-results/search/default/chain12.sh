#!/bin/bash
set -u
cd /tmp/g
wait_free() { while pgrep -f '[p]arley-server.jar' >/dev/null || pgrep -x postgres >/dev/null; do sleep 2; done; sleep 3; }
wait_free
./ladder9.sh off offD; wait_free
./ladder9.sh on onD; wait_free
./ladder9.sh off offE; wait_free
./ladder9.sh on onE; wait_free
echo chain12 done

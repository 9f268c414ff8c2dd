#!/bin/bash
set -u
cd /tmp/g
wait_free() { while pgrep -f '[p]arley-server.jar' >/dev/null || pgrep -x postgres >/dev/null; do sleep 2; done; sleep 3; }
wait_free
./ladder9.sh off offA; wait_free
./ladder9.sh on onA; wait_free
./ladder9.sh nogive ngA; wait_free
./ladder9.sh off offB; wait_free
./ladder9.sh on onB; wait_free
./find9.sh on f-on-800 800; wait_free
./find9.sh nogive f-ng-800 800; wait_free
./find9.sh on f-on-200 200; wait_free
echo chain9 done

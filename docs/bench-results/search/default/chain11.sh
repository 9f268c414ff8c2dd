#!/bin/bash
set -u
cd /tmp/g
wait_free() { while pgrep -f '[p]arley-server.jar' >/dev/null || pgrep -x postgres >/dev/null; do sleep 2; done; sleep 3; }
wait_free
./find10.sh on g-on-800 800; wait_free
./find10.sh nogive g-ng-800 800; wait_free
./find10.sh on g-on-200 200; wait_free
./find10.sh on g-on-800b 800; wait_free
echo chain11 done

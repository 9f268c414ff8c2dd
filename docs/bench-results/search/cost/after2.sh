#!/bin/bash
cd /tmp/cost
while pgrep -f after.sh > /dev/null; do sleep 5; done
./ladder.sh old F-old1; echo LOOPDONE2 >> ladder.txt

#!/bin/bash
cd /tmp/cost
while pgrep -f all.sh > /dev/null; do sleep 5; done
./ladder.sh yield F-yield1; echo LOOPDONE >> ladder.txt

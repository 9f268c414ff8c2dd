#!/bin/bash
cd /tmp/cost
while ! grep -q done7 ladder2.txt; do sleep 10; done
./findable7.sh 800 1600

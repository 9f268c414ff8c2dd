#!/bin/bash
cd /tmp/cost
./ladder.sh yield F-yield2
./ladder.sh old F-old2
echo LOOPDONE3 >> ladder.txt

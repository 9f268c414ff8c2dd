#!/bin/bash
cd /tmp/cost
for m in thr be; do ./ladder3.sh $m $m-$(date +%H%M); done
echo done3 >> ladder2.txt

#!/bin/bash
cd /tmp/cost
for m in nice off nice0 nice off nice0; do ./ladder2.sh $m $m-$(date +%H%M); done
echo done >> ladder2.txt

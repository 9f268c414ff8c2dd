#!/bin/bash
cd /tmp/cost
for m in duty off duty on; do ./ladder7.sh $m $m-$(date +%H%M); done
echo done7 >> ladder2.txt

#!/bin/bash
cd /tmp/cost
while ! grep -q done5 ladder2.txt; do sleep 10; done
./ladder6.sh ag ag-$(date +%H%M); ./ladder2.sh nice0 unlogged-$(date +%H%M); ./ladder6.sh ag ag-$(date +%H%M)
echo done6 >> ladder2.txt

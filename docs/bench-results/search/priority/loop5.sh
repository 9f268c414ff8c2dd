#!/bin/bash
cd /tmp/cost
./ladder2.sh nice0 unlogged-$(date +%H%M); ./ladder2.sh off off-u-$(date +%H%M); ./ladder2.sh nice0 unlogged-$(date +%H%M)
echo done5 >> ladder2.txt

#!/bin/bash
cd /tmp/cost
JARS=/tmp/s8new3 ./loop.sh on:onF off:offF
./lloop.sh off:F-off1 new:F-new1 off:F-off2 new:F-new2 off:F-off3 new:F-new3

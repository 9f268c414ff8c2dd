#!/bin/bash
cd /tmp/cost
for r in "$@"; do m=${r%%:*}; t=${r#*:}; ./run.sh ${JARS:-/tmp/s8head} $m $t ${RATE:-1600}; done
echo LOOPDONE >> results.txt

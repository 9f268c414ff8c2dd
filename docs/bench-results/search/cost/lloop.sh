#!/bin/bash
cd /tmp/cost
for r in "$@"; do ./ladder.sh ${r%%:*} ${r#*:}; done
echo LOOPDONE >> ladder.txt

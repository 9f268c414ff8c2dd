#!/bin/bash
cd /tmp/cost
./diag.sh on d-on 3200; ./diag.sh off d-off 3200
echo done4 >> ladder2.txt

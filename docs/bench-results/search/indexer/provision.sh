#!/bin/bash
. /tmp/idx-bench/lib.sh
rm -rf /tmp/idx-template
start_server /tmp/idx-old/server/target/parley-server.jar /tmp/idx-template provision
$B provision --server http://127.0.0.1:28080 --data-dir /tmp/idx-template --users 1000 --out accounts.json
stop_server
echo PROVISIONED

#!/bin/sh
# EXPLAIN ANALYZE of MessageSearch's candidate query for the heavy user, with the most common token
# of the index (like "the" or a frequent CJK unigram) and a token of rank 200 (a rarer word).
cd /tmp/sbench
export PGPASSWORD="$(head -1 data/keys/postgres-superuser.password)"
P="psql -X -h 127.0.0.1 -p 15433 -d postgres -U postgres"
U=255458883177283584
for RANK in 0 200; do
T=$($P -Atc "select t from (select unnest(tokens) t from msg.search_docs) x group by t order by count(*) desc offset $RANK limit 1")
N=$($P -Atc "select count(*) from msg.search_docs where tokens @> array[$T]::bigint[]")
echo "== token of rank $RANK: in $N rows of $($P -Atc 'select count(*) from msg.search_docs')"
$P -c "EXPLAIN (ANALYZE, BUFFERS) SELECT d.conversation_id, d.seq, d.sent_at FROM msg.search_docs d JOIN msg.members m ON m.conversation_id = d.conversation_id AND m.user_id = $U WHERE d.seq >= m.first_visible_seq AND (m.last_visible_seq IS NULL OR d.seq <= m.last_visible_seq) AND ((d.key_id = 1 AND d.tokens @> array[$T]::bigint[])) ORDER BY d.sent_at DESC, d.conversation_id DESC, d.seq DESC LIMIT 50"
done

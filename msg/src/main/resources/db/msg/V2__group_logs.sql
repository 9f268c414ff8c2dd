-- Message core version 2 (docs/design.md 8.3, 8.11): a group entry is written once, to its group's
-- log; devices follow the log by seq (sync_groups), and a user's feed holds only the group entries that
-- changed their own membership.
--
-- Version 1 wrote one feed row per member for every group entry. Rows that point at group messages and
-- recalls (and rows whose entry retention already deleted) go; rows that point at service entries stay:
-- their content is encrypted, so this statement cannot tell which member an entry concerns, and a
-- device that was offline across the upgrade must still learn from its feed the groups it joined. The
-- positions of the deleted rows become holes: feed readers detect pruning by min_pts, not by contiguity.
DELETE FROM msg.feed f
USING msg.conversations c
WHERE f.kind = 1
  AND c.conversation_id = f.conversation_id
  AND c.type = 2
  AND NOT EXISTS (
    SELECT 1 FROM msg.entries e
    WHERE e.conversation_id = f.conversation_id AND e.seq = f.seq AND e.kind = 10);

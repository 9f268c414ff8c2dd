package dev.parley.msg.core;

import dev.parley.common.db.Database;
import dev.parley.msg.core.FileAttachments.EntryRef;
import dev.parley.msg.store.Members;
import dev.parley.msg.store.Tx;
import java.util.List;

/**
 * Whether a user may see some of a list of entries: what the file service asks before it lets a
 * user download (or forward) a file that messages reference (design.md 11.6). The rule is
 * get_history's: a member, current or former, whose visible range (first_visible_seq up to the
 * head, or up to last_visible_seq after leaving or removal) holds the entry, which is not recalled.
 * So a removed member keeps the files they could see and never gets those posted after.
 */
public final class VisibleEntries {
  private final Tx tx;
  private final Members members = new Members();

  public VisibleEntries(Database database) {
    this.tx = new Tx(database.jdbi());
  }

  public boolean anyVisible(long userId, List<EntryRef> entries) {
    if (entries.isEmpty()) return false;
    return tx.read(
        h ->
            members.seesAny(
                h,
                userId,
                entries.stream().mapToLong(EntryRef::conversationId).toArray(),
                entries.stream().mapToLong(EntryRef::seq).toArray()));
  }
}

package dev.parley.msg.recent;

import dev.parley.msg.store.Entry;

/**
 * No cache: every read goes to PostgreSQL. The single node's choice, where PostgreSQL is local
 * anyway.
 */
public final class NoRecentEntries implements RecentEntries {
  public static final NoRecentEntries INSTANCE = new NoRecentEntries();

  private static final Lookup NOTHING = id -> Cached.ABSENT;

  private NoRecentEntries() {}

  @Override
  public boolean enabled() {
    return false;
  }

  @Override
  public Lookup lookup(long[] conversationIds, int depth) {
    return NOTHING;
  }

  @Override
  public void store(RecentSnapshot snapshot) {}

  @Override
  public void appended(Entry entry, boolean changesOlder, long seedBelow) {}

  @Override
  public void close() {}
}

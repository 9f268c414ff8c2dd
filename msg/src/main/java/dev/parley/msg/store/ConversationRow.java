package dev.parley.msg.store;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

public record ConversationRow(
    long conversationId,
    int type,
    @Nullable String title,
    long ownerId,
    long lastSeq,
    int memberCount,
    Instant createdAt,
    Instant lastActivityAt,
    @Nullable Instant disbandedAt) {

  public static final int DIRECT = 1;
  public static final int GROUP = 2;

  public boolean direct() {
    return type == DIRECT;
  }

  public boolean group() {
    return type == GROUP;
  }

  public boolean disbanded() {
    return disbandedAt != null;
  }
}

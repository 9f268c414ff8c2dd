package dev.parley.client;

import dev.parley.proto.client.Conversation;
import dev.parley.proto.client.ConversationType;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.Role;
import dev.parley.proto.client.ServiceContent;

/**
 * What a group's service entries change in the user's summary of the group (groups.proto): the
 * title, the member count, the user's role, and the user's own membership window ({@code left},
 * {@code first_visible_seq}, {@code last_visible_seq}). Applied as each entry is delivered, in seq
 * order, so the summary follows the log; a rebuild takes the server's summary instead.
 */
final class Membership {
  private Membership() {}

  /**
   * Applies the service entry {@code entry} to the summary being built; other entries change
   * nothing.
   */
  static void apply(Conversation.Builder summary, Message entry, long self) {
    if (!entry.hasService()) {
      return;
    }
    ServiceContent service = entry.getService();
    long seq = entry.getSeq();
    switch (service.getAction()) {
      case GROUP_CREATED -> {
        summary
            .setType(ConversationType.CONVERSATION_TYPE_GROUP)
            .setTitle(service.getTitle())
            .setMemberCount(1 + service.getUserIdsCount());
        if (addsUser(entry, self)) {
          joined(summary, seq)
              .setRole(service.getActorId() == self ? Role.ROLE_OWNER : Role.ROLE_MEMBER);
        }
      }
      case MEMBERS_ADDED -> {
        summary.setMemberCount(summary.getMemberCount() + service.getUserIdsCount());
        if (addsUser(entry, self)) {
          joined(summary, seq).setRole(Role.ROLE_MEMBER);
        }
      }
      case MEMBER_REMOVED -> {
        summary.setMemberCount(Math.max(0, summary.getMemberCount() - 1));
        if (target(service) == self) {
          left(summary, seq);
        }
      }
      case MEMBER_LEFT -> {
        summary.setMemberCount(Math.max(0, summary.getMemberCount() - 1));
        if (service.getActorId() == self) {
          left(summary, seq);
        }
      }
      case TITLE_CHANGED -> summary.setTitle(service.getTitle());
      case ROLE_CHANGED -> {
        if (target(service) == self) {
          summary.setRole(service.getRole());
        }
      }
      case OWNER_CHANGED -> {
        if (target(service) == self) {
          summary.setRole(Role.ROLE_OWNER);
        } else if (service.getActorId() == self) {
          summary.setRole(Role.ROLE_ADMIN);
        }
      }
      case GROUP_DISBANDED -> left(summary.setDisbanded(true), seq);
      default -> {} // an action this client does not know changes nothing it keeps
    }
  }

  /**
   * Whether the entry makes {@code userId} a member (creates the group with them in it, or adds
   * them).
   */
  static boolean addsUser(Message entry, long userId) {
    if (!entry.hasService()) {
      return false;
    }
    ServiceContent service = entry.getService();
    return switch (service.getAction()) {
      case GROUP_CREATED ->
          service.getActorId() == userId || service.getUserIdsList().contains(userId);
      case MEMBERS_ADDED -> service.getUserIdsList().contains(userId);
      default -> false;
    };
  }

  /**
   * Whether the user still follows the group's log: a member, or a former member whose entries up
   * to the one that removed them are not all held yet.
   */
  static boolean following(Conversation summary) {
    return !summary.getLeft() || summary.getLastSeq() < summary.getLastVisibleSeq();
  }

  /** A new member reads from this entry on, with the read marker just before it (design.md 8.7). */
  private static Conversation.Builder joined(Conversation.Builder summary, long seq) {
    return summary
        .setLeft(false)
        .setFirstVisibleSeq(seq)
        .setLastVisibleSeq(0)
        .setReadSeq(Math.max(summary.getReadSeq(), seq - 1));
  }

  private static void left(Conversation.Builder summary, long seq) {
    summary.setLeft(true).setLastVisibleSeq(seq);
  }

  private static long target(ServiceContent service) {
    return service.getUserIdsCount() == 0 ? 0 : service.getUserIds(0);
  }
}

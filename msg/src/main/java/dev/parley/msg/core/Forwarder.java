package dev.parley.msg.core;

import dev.parley.common.error.ParleyException;
import dev.parley.common.privacy.Audience;
import dev.parley.common.privacy.PrivacySettings;
import dev.parley.msg.core.content.Content;
import dev.parley.msg.core.content.Extras;
import dev.parley.msg.core.log.LogCommand;
import dev.parley.msg.core.log.LogOutcome;
import dev.parley.msg.core.log.LogWriter;
import dev.parley.msg.store.ConversationRow;
import dev.parley.msg.store.Conversations;
import dev.parley.msg.store.Entries;
import dev.parley.msg.store.Entry;
import dev.parley.msg.store.MemberRow;
import dev.parley.msg.store.Members;
import dev.parley.msg.store.Relations;
import dev.parley.msg.store.Tx;
import dev.parley.proto.client.Error.Reason;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * forward_messages (design.md 13.1): copies messages of one conversation into others.
 *
 * <p>The source entries are read and checked once, before anything is queued: they must lie in the
 * forwarder's visible range and be live messages. A recall or removal that commits after that read
 * is ordered after the forward, exactly as if the forward had been sent a moment earlier; the copy
 * is the forwarder's message from then on and does not follow the original. Each copy is then an
 * ordinary {@link LogCommand.Send} to its target with a {@code client_msg_id} derived from the
 * request's, so the target's own rules (membership, blocks, friends-only one-to-one chat) and
 * exactly-once sending (8.4) apply unchanged, and a retry stores only what is missing.
 *
 * <p>Within a target the copies are submitted one after another, so they take ascending seqs in
 * source order; targets run in parallel (virtual threads), so their copies share batches.
 */
public final class Forwarder {
  public static final int MAX_SEQS = 100;
  public static final int MAX_TARGETS = 20;

  private final Tx tx;
  private final Conversations conversations;
  private final Members members;
  private final Entries entries;
  private final LogWriter writer;
  private final FileContents fileContents;
  private final Relations relations;
  private final UserDirectory users;

  public Forwarder(
      Tx tx,
      Conversations conversations,
      Members members,
      Entries entries,
      LogWriter writer,
      FileAttachments files,
      Relations relations,
      UserDirectory users) {
    this.tx = tx;
    this.relations = relations;
    this.users = users;
    this.conversations = conversations;
    this.members = members;
    this.entries = entries;
    this.writer = writer;
    this.fileContents = new FileContents(files);
  }

  /**
   * What one target got: the copies' seqs in source order (those stored before a refusal, if any),
   * whether all of them were stored by an earlier attempt, and the refusal.
   */
  public record Copies(
      long conversationId, List<Long> seqs, boolean duplicate, @Nullable ParleyException error) {
    public Copies {
      seqs = List.copyOf(seqs);
    }
  }

  /** A source message as it will be copied. */
  private record Source(long seq, Content content, Extras.Forward origin) {}

  /**
   * @param seqs distinct, ascending
   * @param targets distinct
   * @throws ParleyException when a source entry may not be forwarded (nothing is written then)
   */
  public List<Copies> forward(
      Caller caller, long fromConversationId, long[] seqs, long[] targets, String clientMsgId) {
    List<Source> read = read(caller, fromConversationId, seqs);
    Set<Long> hidden = hiddenSenders(caller, read);
    List<Source> sources = new ArrayList<>();
    for (Source s : read)
      // A file must be one the forwarder may see (11.10: a message they may see references it);
      // its details are filled in again from the file, as for any send.
      sources.add(
          new Source(
              s.seq(),
              fileContents.filled(caller.userId(), s.content()),
              hidden.contains(s.origin().senderId()) ? s.origin().hidden() : s.origin()));
    if (targets.length == 1) return List.of(copyInto(caller, targets[0], sources, clientMsgId));
    try (ExecutorService perTarget = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Copies>> running = new ArrayList<>();
      for (long target : targets)
        running.add(perTarget.submit(() -> copyInto(caller, target, sources, clientMsgId)));
      List<Copies> out = new ArrayList<>();
      for (Future<Copies> f : running) out.add(f.get());
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ParleyException(Reason.UNAVAILABLE, "Interrupted; retry");
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      throw new IllegalStateException(e.getCause());
    }
  }

  /**
   * The original senders whose {@code forwards} setting hides them from this forwarder (design.md
   * 13.2): decided once, when the copy is made, since a copy is written once for all the target's
   * members. One question to the user service per request, and one friendship read for the senders
   * who show themselves to contacts only. The forwarder's own messages always name them.
   */
  private Set<Long> hiddenSenders(Caller caller, List<Source> sources) {
    Set<Long> senders = new HashSet<>();
    for (Source s : sources) {
      long sender = s.origin().senderId();
      if (sender != Extras.Forward.HIDDEN && sender != caller.userId()) senders.add(sender);
    }
    if (senders.isEmpty()) return Set.of();
    Map<Long, PrivacySettings> settings = users.privacy(senders);
    Set<Long> contactsOnly = new HashSet<>();
    settings.forEach(
        (id, s) -> {
          if (s.forwards() == Audience.CONTACTS) contactsOnly.add(id);
        });
    Set<Long> friends =
        contactsOnly.isEmpty()
            ? Set.of()
            : tx.read(h -> relations.friendsAmong(h, caller.userId(), contactsOnly));
    Set<Long> hidden = new HashSet<>();
    for (long sender : senders) {
      PrivacySettings s = settings.getOrDefault(sender, PrivacySettings.DEFAULTS);
      if (!s.showsSenderOnForwardsTo(friends.contains(sender))) hidden.add(sender);
    }
    return hidden;
  }

  /** The client_msg_id of the copy of source seq {@code seq}; '#' never occurs in a client's id. */
  static String copyId(String clientMsgId, long seq) {
    return clientMsgId + "#" + seq;
  }

  private Copies copyInto(Caller caller, long target, List<Source> sources, String clientMsgId) {
    List<Long> seqs = new ArrayList<>();
    int duplicates = 0;
    for (Source s : sources) {
      LogOutcome outcome;
      try {
        outcome =
            writer.submit(
                new LogCommand.Send(
                    caller.userId(),
                    target,
                    0,
                    copyId(clientMsgId, s.seq()),
                    s.content(),
                    0,
                    List.of(),
                    s.origin()));
      } catch (ParleyException e) {
        return new Copies(target, seqs, false, e); // overloaded: a retry stores the rest
      }
      switch (outcome) {
        case LogOutcome.Stored st -> seqs.add(st.last().seq());
        case LogOutcome.Duplicate d -> {
          seqs.add(d.original().seq());
          duplicates++;
        }
        case LogOutcome.Refused r -> {
          return new Copies(target, seqs, false, r.error());
        }
        case LogOutcome.Unchanged u -> throw new IllegalStateException("a send changed nothing");
      }
    }
    return new Copies(target, seqs, duplicates == sources.size(), null);
  }

  /** The source messages, checked against the forwarder's visible range, in seq order. */
  private List<Source> read(Caller caller, long conversationId, long[] seqs) {
    return tx.read(
        h -> {
          ConversationRow conv =
              conversations.find(h, conversationId).orElseThrow(MessageManager::notFound);
          MemberRow me =
              members
                  .find(h, conversationId, caller.userId())
                  .orElseThrow(MessageManager::notFound);
          long[] ids = new long[seqs.length];
          Arrays.fill(ids, conversationId);
          Map<Long, Entry> found = new HashMap<>();
          for (Entry e : entries.byKeys(h, ids, seqs)) found.put(e.seq(), e);
          List<Source> out = new ArrayList<>();
          for (long seq : seqs) {
            Entry e = found.get(seq);
            // Before the forwarder joined, after they left, or never there: the same answer.
            if (e == null || !me.canSee(seq, conv.lastSeq()))
              throw new ParleyException(Reason.NOT_FOUND, "No such message: " + seq);
            if (!e.kind().countable)
              throw new ParleyException(
                  Reason.MESSAGE_NOT_FORWARDABLE,
                  "Only messages can be forwarded; entry " + seq + " is not one");
            if (e.recalled())
              throw new ParleyException(
                  Reason.MESSAGE_RECALLED, "Message " + seq + " was recalled");
            out.add(new Source(seq, Objects.requireNonNull(e.content()), origin(conv, e)));
          }
          return out;
        });
  }

  /** A forward of a forward names the first original, as Telegram does. */
  private static Extras.Forward origin(ConversationRow conv, Entry e) {
    Extras.Forward earlier = e.extras().forward();
    if (earlier != null) return earlier;
    return new Extras.Forward(
        e.senderId(), conv.group() ? conv.conversationId() : 0, e.createdAt());
  }
}

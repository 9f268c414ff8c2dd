package dev.parley.server.e2e;

import static dev.parley.server.e2e.TestUsers.group;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.client.ClientException;
import dev.parley.client.Credentials;
import dev.parley.client.Encoding;
import dev.parley.client.Futures;
import dev.parley.client.ParleyClient;
import dev.parley.client.Recipient;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.Platform;
import dev.parley.proto.client.Typing;
import dev.parley.proto.client.TypingState.Action;
import dev.parley.testkit.PostgresExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Typing indicators over the WebSocket protocol (issue 12 item 7, docs/protocol.md section 20):
 * they reach every device of the other members and none of the typer's, are refused to non-members
 * and removed members and between blocked users, and the per-connection limiter forwards one
 * indicator per conversation per two seconds and refuses a flood of conversations. One server for
 * all cases.
 */
class TypingIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();

  static TestNode node;
  static DevCodes codes;
  final List<Device> devices = new ArrayList<>();

  /** Every typing event each device received, in order. */
  final Map<Device, List<Typing>> seen = new ConcurrentHashMap<>();

  @BeforeAll
  static void start() {
    node = TestNode.start(postgres, Map.of());
    codes = new DevCodes(node.dataDir);
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  @AfterEach
  void closeDevices() {
    devices.forEach(Device::close);
  }

  /** A user with {@code n} devices, alternating JSON and protobuf, each recording typing events. */
  private List<Device> user(String name, int n) {
    ParleyClient json = node.client(Encoding.JSON);
    ParleyClient proto = node.client(Encoding.PROTOBUF);
    String email = DevCodes.uniqueEmail(name);
    List<Device> mine = new ArrayList<>();
    Credentials first = codes.register(json, email, name, name + "-0");
    mine.add(Device.online(json, first));
    for (int i = 1; i < n; i++) {
      ParleyClient c = i % 2 == 0 ? json : proto;
      mine.add(Device.online(c, Users.login(c, email, name + "-" + i, Platform.PLATFORM_ANDROID)));
    }
    for (Device d : mine) {
      List<Typing> events = new CopyOnWriteArrayList<>();
      seen.put(d, events);
      d.connection.onEvent(
          e -> {
            if (e.hasTyping()) events.add(e.getTyping());
          });
    }
    devices.addAll(mine);
    return mine;
  }

  private static void type(Device d, long conversation, Action action) {
    Futures.await(d.connection.setTyping(conversation, action));
  }

  private static ClientException refusal(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      Throwable t = e;
      while (t != null && !(t instanceof ClientException)) t = t.getCause();
      if (t instanceof ClientException c) return c;
      throw e;
    }
    throw new AssertionError("no error");
  }

  private List<Typing> typingOn(Device d, long conversation) {
    return seen.get(d).stream().filter(t -> t.getConversationId() == conversation).toList();
  }

  private void awaitTyping(Device d, long conversation, Action action) {
    d.messenger.awaitCondition(
        () -> typingOn(d, conversation).stream().anyMatch(t -> t.getAction() == action),
        Device.WAIT);
  }

  /**
   * A message from {@code from} seen by every device of {@code to}: everything relayed before it
   * has had its chance to arrive (one relay thread, frames in order per connection).
   */
  private static void barrier(Device from, long conversation, List<Device> to) {
    long seq =
        Futures.await(from.messenger.sendText(Recipient.conversation(conversation), "barrier"))
            .getSeq();
    for (Device d : to)
      d.messenger.awaitCondition(
          () -> d.store.messages(conversation).stream().anyMatch(m -> m.getSeq() == seq),
          Device.WAIT);
  }

  @Test
  void theOtherMembersDevicesSeeTypingAndTheTypersDoNot() {
    List<Device> ann = user("ann", 2);
    List<Device> ben = user("ben", 2);
    long g = group(ann.get(0), ben.get(0));

    type(ann.get(0), g, Action.TYPING);
    for (Device d : ben) {
      awaitTyping(d, g, Action.TYPING);
      Typing t = typingOn(d, g).get(0);
      assertThat(t.getUserId()).isEqualTo(ann.get(0).userId());
      assertThat(t.getExpiresInMs()).isEqualTo(6000);
    }
    type(ann.get(0), g, Action.UPLOADING_PHOTO);
    type(ann.get(0), g, Action.CANCEL);
    for (Device d : ben) {
      awaitTyping(d, g, Action.CANCEL);
      assertThat(typingOn(d, g))
          .extracting(Typing::getAction, Typing::getExpiresInMs)
          .containsExactly(
              org.assertj.core.api.Assertions.tuple(Action.TYPING, 6000),
              org.assertj.core.api.Assertions.tuple(Action.UPLOADING_PHOTO, 6000),
              org.assertj.core.api.Assertions.tuple(Action.CANCEL, 0));
    }

    // Ben types back: Ann's two devices see it, Ben's other device does not.
    type(ben.get(1), g, Action.UPLOADING_FILE);
    for (Device d : ann) awaitTyping(d, g, Action.UPLOADING_FILE);
    barrier(ann.get(0), g, List.of(ann.get(1), ben.get(0), ben.get(1)));
    assertThat(typingOn(ann.get(0), g))
        .extracting(Typing::getUserId)
        .containsOnly(ben.get(0).userId());
    assertThat(typingOn(ann.get(1), g))
        .extracting(Typing::getUserId)
        .containsOnly(ben.get(0).userId());
    assertThat(typingOn(ben.get(0), g))
        .extracting(Typing::getUserId)
        .containsOnly(ann.get(0).userId());
    assertThat(typingOn(ben.get(1), g))
        .extracting(Typing::getUserId)
        .containsOnly(ann.get(0).userId());
  }

  @Test
  void nonMembersRemovedMembersAndBlockedPeersGetNothingAndAreRefused() {
    Device ann = user("ann", 1).get(0);
    Device ben = user("ben", 1).get(0);
    Device cat = user("cat", 1).get(0);
    Device dan = user("dan", 1).get(0);

    // A non-member: refused, and refused again (the limiter does not answer a repeat with success).
    long g = group(ann, ben);
    for (int i = 0; i < 2; i++)
      assertThat(refusal(() -> type(cat, g, Action.TYPING)).reason()).isEqualTo(Reason.NOT_FOUND);
    assertThat(refusal(() -> type(ann, g, Action.ACTION_UNSPECIFIED)).reason())
        .isEqualTo(Reason.INVALID_ARGUMENT);

    // A removed member can neither send nor receive.
    long g2 = group(ann, ben, cat);
    Futures.await(ann.connection.removeMember(g2, ben.userId()));
    assertThat(refusal(() -> type(ben, g2, Action.TYPING)).reason()).isEqualTo(Reason.NOT_FOUND);
    type(ann, g2, Action.TYPING);
    awaitTyping(cat, g2, Action.TYPING);

    // A one-to-one where Dan blocked Ann: neither side's typing goes anywhere.
    long direct =
        Futures.await(ann.messenger.sendText(Recipient.user(dan.userId()), "hello"))
            .getConversationId();
    Futures.await(dan.connection.blockUser(ann.userId()));
    assertThat(refusal(() -> type(ann, direct, Action.TYPING)).reason()).isEqualTo(Reason.BLOCKED);
    assertThat(refusal(() -> type(dan, direct, Action.TYPING)).reason()).isEqualTo(Reason.BLOCKED);

    // Everything relayed so far has arrived by the time the barrier message has.
    barrier(ann, g2, List.of(cat));
    barrier(ann, g, List.of(ben));
    assertThat(seen.get(ben)).isEmpty();
    assertThat(seen.get(dan)).isEmpty();
    assertThat(seen.get(ann)).isEmpty();
    assertThat(seen.get(cat)).extracting(Typing::getConversationId).containsOnly(g2);
  }

  @Test
  void repeatsWithinTwoSecondsAreAnsweredButNotForwarded() {
    Device ann = user("ann", 1).get(0);
    Device ben = user("ben", 1).get(0);
    long g = group(ann, ben);

    int sent = 20;
    long start = System.nanoTime();
    for (int i = 0; i < sent; i++) type(ann, g, Action.TYPING);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    type(ann, g, Action.CANCEL); // a change of action goes through at once
    awaitTyping(ben, g, Action.CANCEL);

    long forwarded = typingOn(ben, g).stream().filter(t -> t.getAction() == Action.TYPING).count();
    // One per started two-second interval at most: the limiter's own rule, whatever the speed.
    long allowed = 1 + elapsed.toMillis() / 2000;
    System.out.printf(
        "TypingIT: %d set_typing in %d ms, %d forwarded (allowed %d)%n",
        sent, elapsed.toMillis(), forwarded, allowed);
    assertThat(forwarded).isBetween(1L, allowed);
    assertThat(forwarded).isLessThan(sent);
  }

  @Test
  void tooManyConversationsInAWindowAreRefused() {
    Device ann = user("ann", 1).get(0);
    Device ben = user("ben", 1).get(0);
    List<Long> groups = new ArrayList<>();
    for (int i = 0; i < 11; i++) groups.add(group(ann, ben));

    long start = System.nanoTime();
    for (int i = 0; i < 10; i++) type(ann, groups.get(i), Action.TYPING);
    ClientException refused = refusal(() -> type(ann, groups.get(10), Action.TYPING));
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    // The limit is per 10 s window from the first indicator: all eleven must fall inside it.
    assertThat(elapsed).isLessThan(Duration.ofSeconds(10));
    assertThat(refused.reason()).isEqualTo(Reason.RATE_LIMITED);
    assertThat(refused.retryAfter()).hasValueSatisfying(d -> assertThat(d).isPositive());
    // A conversation of this window is still served.
    type(ann, groups.get(0), Action.CANCEL);
    awaitTyping(ben, groups.get(0), Action.CANCEL);
  }
}

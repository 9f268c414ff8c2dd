package dev.parley.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.client.ClientException;
import dev.parley.client.Encoding;
import dev.parley.client.Futures;
import dev.parley.client.ParleyClient;
import dev.parley.client.Recipient;
import dev.parley.proto.client.ConversationType;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.NameMatch;
import dev.parley.proto.client.SearchChatsResponse.Chat;
import dev.parley.proto.client.SearchContactsResponse.Contact;
import dev.parley.proto.client.SearchMessagesResponse.Highlight;
import dev.parley.proto.client.UpdateProfileRequest;
import dev.parley.testkit.PostgresExtension;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 item 4 end to end (design.md 14.5, protocol.md 22.2, 22.3): search_chats finds the
 * caller's chats by group title, the peer's name or a member's name (English, German umlauts,
 * Chinese from one character, a prefix while typing, a username), ranked; a former member finds a
 * group only as it was when they left; search_contacts finds friends only (no stranger, no pending
 * request, no one after a block either way); bad queries are refused; the CLI prints both. Chats
 * and names are read at query time, so what was just created is found at once. One server.
 */
class ChatSearchIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();

  static TestNode node;
  static DevCodes codes;
  final TestUsers users = new TestUsers(node, codes);

  @TempDir static Path home;

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
    users.close();
  }

  /** A new user called {@code displayName} with one online device. */
  private Device user(String displayName) {
    ParleyClient client = node.client(Encoding.JSON);
    return users.track(
        Device.online(client, codes.register(client, DevCodes.uniqueEmail("u"), displayName, "d")));
  }

  private static long group(Device owner, String title, Device... others) {
    return Futures.await(
            owner.connection.createGroup(
                title, java.util.Arrays.stream(others).map(Device::userId).toList()))
        .getConversation()
        .getConversationId();
  }

  private static long direct(Device from, Device to) {
    return Futures.await(from.messenger.sendText(Recipient.user(to.userId()), "hi"))
        .getConversationId();
  }

  private static void befriend(Device a, Device b) {
    Futures.await(a.connection.sendFriendRequest(b.userId(), ""));
    Futures.await(b.connection.acceptFriendRequest(a.userId()));
  }

  private static List<Chat> chats(Device d, String query) {
    return Futures.await(d.messenger.searchChats(query)).getChatsList();
  }

  private static List<Contact> contacts(Device d, String query) {
    return Futures.await(d.messenger.searchContacts(query)).getContactsList();
  }

  private static List<Long> ids(List<Chat> chats) {
    return chats.stream().map(Chat::getConversationId).toList();
  }

  private static List<Long> userIds(List<Contact> contacts) {
    return contacts.stream().map(c -> c.getProfile().getUserId()).toList();
  }

  /** The highlighted parts of the match's text. */
  private static List<String> marked(NameMatch m) {
    return m.getHighlightsList().stream()
        .map((Highlight h) -> m.getText().substring(h.getOffset(), h.getOffset() + h.getLength()))
        .toList();
  }

  @Test
  void chatsAreFoundByTitlePeerNameAndMemberName() {
    Device ann = user("Ann");
    Device ben = user("Ben Müller");
    Device wang = user("王小明");
    Device jurgen = user("Jürgen Groß");
    Device stranger = user("Sam Stranger");
    long beijing = group(ann, "北京 team", ben);
    long weekly = group(ann, "Weekly sync", wang);
    long rocket = group(ann, "Team Rocket", jurgen);
    long withJurgen = direct(ann, jurgen);
    group(stranger, "Stranger things", ben);
    String username = "wang_xm_" + System.nanoTime() % 1_000_000_000L;
    Futures.await(
        wang.connection.updateProfile(
            UpdateProfileRequest.newBuilder().setUsername(username).build()));

    // A title in Chinese, by two characters and by one.
    Chat found = chats(ann, "北京").getFirst();
    assertThat(found.getConversationId()).isEqualTo(beijing);
    assertThat(found.getType()).isEqualTo(ConversationType.CONVERSATION_TYPE_GROUP);
    assertThat(found.getTitle()).isEqualTo("北京 team");
    assertThat(found.getFormer()).isFalse();
    assertThat(found.getMatch().getField()).isEqualTo(NameMatch.Field.TITLE);
    assertThat(marked(found.getMatch())).containsExactly("北京");
    assertThat(ids(chats(ann, "京"))).containsExactly(beijing);

    // A group by a member's name: 小明 inside 王小明.
    Chat byMember = chats(ann, "小明").getFirst();
    assertThat(byMember.getConversationId()).isEqualTo(weekly);
    assertThat(byMember.getTitle()).isEqualTo("Weekly sync");
    assertThat(byMember.getMatch().getField()).isEqualTo(NameMatch.Field.DISPLAY_NAME);
    assertThat(byMember.getMatch().getUserId()).isEqualTo(wang.userId());
    assertThat(marked(byMember.getMatch())).containsExactly("小明");
    // ... and by that member's username.
    Chat byUsername = chats(ann, "@" + username.substring(0, 6)).getFirst();
    assertThat(byUsername.getConversationId()).isEqualTo(weekly);
    assertThat(byUsername.getMatch().getField()).isEqualTo(NameMatch.Field.USERNAME);

    // German: case and umlauts fold, the last word is a prefix while typing.
    assertThat(ids(chats(ann, "muller"))).containsExactly(beijing);
    assertThat(ids(chats(ann, "MÜL"))).containsExactly(beijing);
    Chat peer = chats(ann, "jurgen gro").getFirst();
    assertThat(peer.getConversationId()).isEqualTo(withJurgen);
    assertThat(peer.getType()).isEqualTo(ConversationType.CONVERSATION_TYPE_DIRECT);
    assertThat(peer.getPeerUserId()).isEqualTo(jurgen.userId());
    assertThat(peer.getTitle()).isEqualTo("Jürgen Groß");
    assertThat(marked(peer.getMatch())).containsExactly("Jürgen", "Gro");
    // Jürgen is also a member of Team Rocket: the chat named after him ranks first.
    assertThat(ids(chats(ann, "jürgen"))).containsExactly(withJurgen, rocket);

    // English words: a title that starts with the query before one that has it later.
    assertThat(ids(chats(ann, "team"))).containsExactly(rocket, beijing);
    assertThat(ids(chats(ann, "wee"))).containsExactly(weekly);

    // Only the caller's own chats: the stranger's group and the stranger are not found.
    assertThat(chats(ann, "stranger")).isEmpty();
    assertThat(chats(ann, "sam")).isEmpty();
    assertThat(chats(ben, "stranger")).hasSize(1);
  }

  @Test
  void aFormerMemberFindsTheGroupOnlyAsItWasWhenTheyLeft() {
    Device owner = user("Olga Owner");
    Device ann = user("Ann");
    Device wang = user("王小明");
    long g = group(owner, "Old plans", ann);
    Futures.await(owner.connection.removeMember(g, ann.userId()));
    Futures.await(owner.connection.renameGroup(g, "New plans"));
    Futures.await(owner.connection.inviteMembers(g, List.of(wang.userId())));

    // get_conversations still lists the group for Ann as it was; search follows it.
    Chat old = chats(ann, "old").getFirst();
    assertThat(old.getConversationId()).isEqualTo(g);
    assertThat(old.getFormer()).isTrue();
    assertThat(old.getTitle()).isEqualTo("Old plans");
    assertThat(ids(chats(ann, "olga"))).containsExactly(g);
    // Nothing from after the removal: not the new title, not the member invited since.
    assertThat(chats(ann, "new")).isEmpty();
    assertThat(chats(ann, "小明")).isEmpty();
    // The members find it by both.
    assertThat(ids(chats(wang, "new plans"))).containsExactly(g);
    assertThat(chats(wang, "old")).isEmpty();
  }

  @Test
  void contactsAreFriendsOnly_andABlockEitherWayEndsThem() {
    Device ann = user("Ann");
    Device ben = user("Ben Müller");
    Device carl = user("Carl Benson");
    Device dora = user("Dora Bengtsson");
    Device stranger = user("Ben Stranger");
    Device pending = user("Ben Pending");
    befriend(ann, ben);
    befriend(carl, ann);
    befriend(ann, dora);
    group(ann, "Club", stranger);
    Futures.await(pending.connection.sendFriendRequest(ann.userId(), "hi"));

    // Whole name first, then a name that starts with it, then later words; no stranger, no
    // pending request, though the stranger shares a group with Ann.
    assertThat(userIds(contacts(ann, "ben")))
        .containsExactly(ben.userId(), carl.userId(), dora.userId());
    Contact first = contacts(ann, "ben").getFirst();
    assertThat(first.getProfile().getDisplayName()).isEqualTo("Ben Müller");
    assertThat(first.getMatch().getField()).isEqualTo(NameMatch.Field.DISPLAY_NAME);
    assertThat(marked(first.getMatch())).containsExactly("Ben");
    assertThat(userIds(contacts(ann, "muller"))).containsExactly(ben.userId());
    assertThat(contacts(ann, "stranger")).isEmpty();
    assertThat(contacts(ann, "pending")).isEmpty();
    // Chat search is not contact search: the stranger is a member of Ann's group.
    assertThat(chats(ann, "stranger")).hasSize(1);

    // Ann blocks Carl; Dora blocks Ann: both friendships end, neither is found.
    Futures.await(ann.connection.blockUser(carl.userId()));
    Futures.await(dora.connection.blockUser(ann.userId()));
    assertThat(userIds(contacts(ann, "ben"))).containsExactly(ben.userId());
    assertThat(contacts(dora, "ann")).isEmpty();
    assertThat(contacts(carl, "ann")).isEmpty();
  }

  @Test
  void aUserWhoBlockedTheCallerIsNotFoundByName() {
    Device ann = user("Ann");
    Device ben = user("Ben Blocker");
    Device carl = user("Carl Blocked");
    long withBen = direct(ann, ben);
    long withCarl = direct(ann, carl);
    long g = group(ann, "Friday", ben);
    assertThat(ids(chats(ann, "blo"))).containsExactlyInAnyOrder(withBen, withCarl, g);

    Futures.await(ben.connection.blockUser(ann.userId()));
    Futures.await(ann.connection.blockUser(carl.userId()));
    // Ben's name is hidden from Ann (as get_profiles hides it): neither the chat with him nor the
    // group is found by it; the chat stays in her list, and the group by its title.
    List<Chat> found = chats(ann, "blo");
    assertThat(ids(found)).containsExactly(withCarl);
    assertThat(found.getFirst().getTitle()).isEqualTo("Carl Blocked");
    assertThat(ids(chats(ann, "friday"))).containsExactly(g);
    // Ben still finds the chat with Ann: he may see her.
    assertThat(ids(chats(ben, "ann"))).containsExactly(withBen, g);
  }

  @Test
  void badQueriesAreRefusedWithTheFieldAtFault() {
    Device ann = user("Ann");
    for (String q : List.of("", "   ", "🎉 !?", "x".repeat(129))) {
      assertThatThrownBy(() -> chats(ann, q))
          .isInstanceOfSatisfying(
              ClientException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(Reason.INVALID_ARGUMENT);
                assertThat(e.error().getField()).isEqualTo("query");
              });
      assertThatThrownBy(() -> contacts(ann, q))
          .isInstanceOfSatisfying(
              ClientException.class, e -> assertThat(e.error().getField()).isEqualTo("query"));
    }
    assertThatThrownBy(() -> Futures.await(ann.connection.searchChats("ann", 51)))
        .isInstanceOfSatisfying(
            ClientException.class, e -> assertThat(e.error().getField()).isEqualTo("limit"));
    assertThatThrownBy(() -> Futures.await(ann.connection.searchContacts("ann", 51)))
        .isInstanceOfSatisfying(
            ClientException.class, e -> assertThat(e.error().getField()).isEqualTo("limit"));

    // The limit caps the answer, best first.
    for (int i = 0; i < 3; i++) group(ann, "Limit " + i);
    assertThat(Futures.await(ann.connection.searchChats("limit", 2)).getChatsList()).hasSize(2);
  }

  @Test
  void theCliSearchesChatsAndContacts() {
    ParleyClient client = node.client(Encoding.JSON);
    String email = DevCodes.uniqueEmail("cli");
    Device ann = users.track(Device.online(client, codes.register(client, email, "Ann", "a")));
    Device wang = user("王小明");
    befriend(ann, wang);
    long g = group(ann, "北京 team", wang);
    ok("login", email, "--password", Users.PASSWORD, "--server", node.baseUri().toString());

    assertThat(ok("search", "chats", "京")).isEqualTo("chat " + g + " group \"北京 team\": 北[京] team");
    assertThat(ok("search", "contacts", "小明"))
        .isEqualTo("user " + wang.userId() + " \"王小明\": 王[小明]");
    assertThat(ok("search", "contacts", "nobody")).isEqualTo("no contacts found");
  }

  private static String ok(String... args) {
    return InProcessCli.ok(home, args);
  }
}

package dev.parley.msg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.proto.client.BlockUserRequest;
import dev.parley.proto.client.Conversation;
import dev.parley.proto.client.ConversationType;
import dev.parley.proto.client.CreateGroupRequest;
import dev.parley.proto.client.DisbandGroupRequest;
import dev.parley.proto.client.Error;
import dev.parley.proto.client.Error.Reason;
import dev.parley.proto.client.GetConversationRequest;
import dev.parley.proto.client.GetConversationResponse;
import dev.parley.proto.client.GetConversationsRequest;
import dev.parley.proto.client.GetHistoryRequest;
import dev.parley.proto.client.GetReadCountsRequest;
import dev.parley.proto.client.GetReadCountsResponse;
import dev.parley.proto.client.InviteMembersRequest;
import dev.parley.proto.client.LeaveGroupRequest;
import dev.parley.proto.client.MarkReadRequest;
import dev.parley.proto.client.Member;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.RemoveMemberRequest;
import dev.parley.proto.client.RenameGroupRequest;
import dev.parley.proto.client.Role;
import dev.parley.proto.client.SendMessageRequest;
import dev.parley.proto.client.SendMessageResponse;
import dev.parley.proto.client.ServiceContent;
import dev.parley.proto.client.ServiceContent.Action;
import dev.parley.proto.client.SetMemberRoleRequest;
import dev.parley.proto.client.TextContent;
import dev.parley.proto.client.TransferOwnershipRequest;
import dev.parley.proto.client.Update;
import dev.parley.testkit.PostgresExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Groups through the gRPC services on real PostgreSQL: membership entries, visibility, roles,
 * limits.
 */
class GroupsIT {
  @RegisterExtension static final PostgresExtension postgres = new PostgresExtension();
  static MsgHarness msg;

  @BeforeAll
  static void start() {
    msg = new MsgHarness(postgres, c -> c);
  }

  @AfterAll
  static void stop() {
    msg.close();
  }

  @Test
  void createGivesEveryMemberTheGroupCreatedEntry() {
    long alice = msg.newUser();
    long carol = msg.newUser();
    long bob = msg.newUser();
    Conversation group =
        msg.groups(alice)
            .createGroup(
                CreateGroupRequest.newBuilder()
                    .setTitle("  Hiking  ")
                    .addUserIds(carol)
                    .addUserIds(bob)
                    .addUserIds(bob)
                    .build())
            .getConversation();
    assertThat(group.getType()).isEqualTo(ConversationType.CONVERSATION_TYPE_GROUP);
    assertThat(group.getTitle()).isEqualTo("Hiking");
    assertThat(group.getRole()).isEqualTo(Role.ROLE_OWNER);
    assertThat(group.getMemberCount()).isEqualTo(3);
    assertThat(group.getLastSeq()).isEqualTo(1);
    assertThat(group.getLastMessage().getService().getAction()).isEqualTo(Action.GROUP_CREATED);

    for (long user : List.of(alice, bob, carol)) {
      List<Message> entries = Feeds.entries(msg, user, group.getConversationId());
      assertThat(entries).hasSize(1);
      ServiceContent created = entries.get(0).getService();
      assertThat(created.getAction()).isEqualTo(Action.GROUP_CREATED);
      assertThat(created.getActorId()).isEqualTo(alice);
      assertThat(created.getUserIdsList()).containsExactlyInAnyOrder(bob, carol);
      assertThat(created.getTitle()).isEqualTo("Hiking");
    }
    // Published after the commit to all three, each with their own pts.
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(msg.deliveries)
                    .anySatisfy(
                        d -> {
                          assertThat(d.getEvent().getUpdate().getMessage().getConversationId())
                              .isEqualTo(group.getConversationId());
                          assertThat(d.getUserIdsList())
                              .containsExactlyElementsOf(
                                  Stream.of(alice, bob, carol).sorted().toList());
                          assertThat(d.getUserPtsList()).hasSize(3).doesNotContain(0L);
                        }));
    GetConversationResponse detail =
        msg.messages(bob).getConversation(conversation(group.getConversationId()));
    assertThat(detail.getMembersList())
        .extracting(Member::getUserId)
        .containsExactlyInAnyOrder(alice, bob, carol);
    assertThat(detail.getConversation().getRole()).isEqualTo(Role.ROLE_MEMBER);
  }

  @Test
  void titlesAndIdsAreValidated() {
    long alice = msg.newUser();
    assertThat(
            invalidField(
                () ->
                    msg.groups(alice)
                        .createGroup(CreateGroupRequest.newBuilder().setTitle("   ").build())))
        .isEqualTo("title");
    assertThat(
            invalidField(
                () ->
                    msg.groups(alice)
                        .createGroup(
                            CreateGroupRequest.newBuilder().setTitle("x".repeat(129)).build())))
        .isEqualTo("title");
    assertThat(
            invalidField(
                () ->
                    msg.groups(alice)
                        .createGroup(CreateGroupRequest.newBuilder().setTitle("a\u0007b").build())))
        .isEqualTo("title");
    assertThat(
            invalidField(
                () ->
                    msg.groups(alice)
                        .createGroup(
                            CreateGroupRequest.newBuilder().setTitle("ok").addUserIds(-1).build())))
        .isEqualTo("user_ids");
    assertThat(
            msg.groups(alice)
                .createGroup(CreateGroupRequest.newBuilder().setTitle("é".repeat(128)).build())
                .getConversation()
                .getTitle())
        .hasSize(128);
    assertThat(
            MsgHarness.error(
                    () ->
                        msg.groups(alice)
                            .createGroup(
                                CreateGroupRequest.newBuilder()
                                    .setTitle("ok")
                                    .addUserIds(31337)
                                    .build()))
                .getReason())
        .isEqualTo(Reason.NOT_FOUND);
    long group = create(alice, "g");
    assertThat(
            invalidField(
                () ->
                    msg.groups(alice)
                        .inviteMembers(
                            InviteMembersRequest.newBuilder().setConversationId(group).build())))
        .isEqualTo("user_ids");
    assertThat(
            invalidField(
                () -> msg.groups(alice).leaveGroup(LeaveGroupRequest.getDefaultInstance())))
        .isEqualTo("conversation_id");
    long bob = msg.newUser();
    invite(alice, group, bob);
    assertThat(
            invalidField(
                () ->
                    msg.groups(alice)
                        .setMemberRole(
                            SetMemberRoleRequest.newBuilder()
                                .setConversationId(group)
                                .setUserId(bob)
                                .setRole(Role.ROLE_OWNER)
                                .build())))
        .isEqualTo("role");
  }

  @Test
  void inviteUpToTheLimitAndNotOneMore() {
    long owner = msg.newUser();
    long[] first = newUsers(99);
    CreateGroupRequest.Builder create = CreateGroupRequest.newBuilder().setTitle("big");
    for (long u : first) create.addUserIds(u);
    long group =
        msg.groups(owner).createGroup(create.build()).getConversation().getConversationId();

    long[] more = newUsers(100);
    InviteMembersRequest.Builder invite =
        InviteMembersRequest.newBuilder().setConversationId(group).addUserIds(first[0]);
    for (long u : more) invite.addUserIds(u);
    long seq = msg.groups(owner).inviteMembers(invite.build()).getSeq();
    ServiceContent added = Feeds.service(msg, owner, group, seq);
    assertThat(added.getAction()).isEqualTo(Action.MEMBERS_ADDED);
    assertThat(added.getUserIdsList())
        .hasSize(100)
        .doesNotContain(first[0]); // existing members are skipped

    GetConversationResponse full = msg.messages(owner).getConversation(conversation(group));
    assertThat(full.getMembersCount()).isEqualTo(200);
    assertThat(full.getConversation().getMemberCount()).isEqualTo(200);

    long extra = msg.newUser();
    assertThat(reason(() -> invite(first[5], group, extra))).isEqualTo(Reason.GROUP_FULL);
    assertThat(msg.messages(owner).getConversation(conversation(group)).getMembersCount())
        .isEqualTo(200);
    // Only existing members: nothing to do.
    assertThat(invalidField(() -> invite(owner, group, first[1], more[2]))).isEqualTo("user_ids");
    // A group created over the limit is refused as well.
    CreateGroupRequest.Builder tooBig = CreateGroupRequest.newBuilder().setTitle("too big");
    for (long u : newUsers(200)) tooBig.addUserIds(u);
    assertThat(reason(() -> msg.groups(owner).createGroup(tooBig.build())))
        .isEqualTo(Reason.GROUP_FULL);
  }

  @Test
  void usersWhoBlockedTheInviterCannotBeAdded() {
    long alice = msg.newUser();
    long bob = msg.newUser();
    long carol = msg.newUser();
    msg.relations(bob).blockUser(BlockUserRequest.newBuilder().setUserId(alice).build());
    long group = create(alice, "g");
    assertThat(reason(() -> invite(alice, group, bob, carol))).isEqualTo(Reason.BLOCKED);
    assertThat(
            reason(
                () ->
                    msg.groups(alice)
                        .createGroup(
                            CreateGroupRequest.newBuilder().setTitle("g").addUserIds(bob).build())))
        .isEqualTo(Reason.BLOCKED);
    invite(alice, group, carol);
  }

  @Test
  void nonMembersCannotSeeOrTouchAGroup() {
    long alice = msg.newUser();
    long eve = msg.newUser();
    long group = create(alice, "private");
    send(alice, group, "secret");
    assertThat(
            reason(
                () ->
                    msg.messages(eve)
                        .getHistory(
                            GetHistoryRequest.newBuilder().setConversationId(group).build())))
        .isEqualTo(Reason.NOT_FOUND);
    assertThat(reason(() -> send(eve, group, "hi"))).isEqualTo(Reason.NOT_FOUND);
    assertThat(reason(() -> msg.messages(eve).getConversation(conversation(group))))
        .isEqualTo(Reason.NOT_FOUND);
    assertThat(reason(() -> invite(eve, group, msg.newUser()))).isEqualTo(Reason.NOT_FOUND);
    assertThat(
            reason(
                () ->
                    msg.groups(eve)
                        .leaveGroup(
                            LeaveGroupRequest.newBuilder().setConversationId(group).build())))
        .isEqualTo(Reason.NOT_FOUND);
    assertThat(
            reason(
                () ->
                    msg.groups(eve)
                        .renameGroup(
                            RenameGroupRequest.newBuilder()
                                .setConversationId(group)
                                .setTitle("x")
                                .build())))
        .isEqualTo(Reason.NOT_FOUND);
    assertThat(
            reason(
                () ->
                    msg.groups(eve)
                        .leaveGroup(
                            LeaveGroupRequest.newBuilder().setConversationId(424242).build())))
        .isEqualTo(Reason.NOT_FOUND);
  }

  @Test
  void aRemovedMemberKeepsHistoryUpToTheRemovalAndReceivesNothingLater() {
    long alice = msg.newUser();
    long bob = msg.newUser();
    long carol = msg.newUser();
    long group = create(alice, "g", bob, carol);
    long before = send(bob, group, "before").getSeq();
    long removed =
        msg.groups(alice)
            .removeMember(
                RemoveMemberRequest.newBuilder().setConversationId(group).setUserId(carol).build())
            .getSeq();
    long after = send(alice, group, "after").getSeq();

    ServiceContent s = Feeds.service(msg, alice, group, removed);
    assertThat(s.getAction()).isEqualTo(Action.MEMBER_REMOVED);
    assertThat(s.getActorId()).isEqualTo(alice);
    assertThat(s.getUserIdsList()).containsExactly(carol);

    // Followed by seq, the log gives carol everything up to her removal and bob everything.
    assertThat(Feeds.synced(msg, carol, group))
        .extracting(Message::getSeq)
        .containsExactly(1L, before, removed);
    assertThat(Feeds.synced(msg, bob, group))
        .extracting(Message::getSeq)
        .containsExactly(1L, before, removed, after);
    // The feeds hold only what changed the owner's own membership.
    assertThat(Feeds.entries(msg, carol, group))
        .extracting(Message::getSeq)
        .containsExactly(1L, removed);
    assertThat(Feeds.entries(msg, bob, group)).extracting(Message::getSeq).containsExactly(1L);
    assertThat(Feeds.history(msg, carol, group)).containsExactly(1L, before, removed);
    Conversation seen = msg.messages(carol).getConversation(conversation(group)).getConversation();
    assertThat(seen.getLeft()).isTrue();
    assertThat(seen.getLastVisibleSeq()).isEqualTo(removed);
    assertThat(reason(() -> send(carol, group, "let me in"))).isEqualTo(Reason.CONVERSATION_CLOSED);
    assertThat(
            msg.messages(alice)
                .getConversation(conversation(group))
                .getConversation()
                .getMemberCount())
        .isEqualTo(2);
    // Removing someone who is no longer a member, or oneself.
    assertThat(
            reason(
                () ->
                    msg.groups(alice)
                        .removeMember(
                            RemoveMemberRequest.newBuilder()
                                .setConversationId(group)
                                .setUserId(carol)
                                .build())))
        .isEqualTo(Reason.NOT_FOUND);
    assertThat(
            invalidField(
                () ->
                    msg.groups(alice)
                        .removeMember(
                            RemoveMemberRequest.newBuilder()
                                .setConversationId(group)
                                .setUserId(alice)
                                .build())))
        .isEqualTo("user_id");
  }

  @Test
  void aNewMemberReadsFromTheEntryThatAddedThem() {
    long alice = msg.newUser();
    long bob = msg.newUser();
    long dan = msg.newUser();
    long group = create(alice, "g", bob);
    send(alice, group, "old 1");
    send(bob, group, "old 2");
    long added = invite(alice, group, dan);
    long fresh = send(bob, group, "new").getSeq();

    assertThat(Feeds.history(msg, dan, group)).containsExactly(added, fresh);
    assertThat(Feeds.synced(msg, dan, group))
        .extracting(Message::getSeq)
        .containsExactly(added, fresh);
    assertThat(Feeds.entries(msg, dan, group)).extracting(Message::getSeq).containsExactly(added);
    ServiceContent s = Feeds.service(msg, dan, group, added);
    assertThat(s.getAction()).isEqualTo(Action.MEMBERS_ADDED);
    assertThat(s.getActorId()).isEqualTo(alice);
    assertThat(s.getUserIdsList()).containsExactly(dan);
    Conversation seen = msg.messages(dan).getConversation(conversation(group)).getConversation();
    assertThat(seen.getFirstVisibleSeq()).isEqualTo(added);
    // Earlier history never counts as unread: only the message after joining does.
    assertThat(seen.getUnreadCount()).isEqualTo(1);
    assertThat(
            msg.messages(dan)
                .getConversations(GetConversationsRequest.getDefaultInstance())
                .getTotalUnread())
        .isEqualTo(1);
  }

  @Test
  void rolesDecideWhoMayDoWhat() {
    long alice = msg.newUser();
    long bob = msg.newUser();
    long carol = msg.newUser();
    long dan = msg.newUser();
    long group = create(alice, "g", bob, carol, dan);

    // A plain member may invite, nothing else.
    assertThat(reason(() -> rename(bob, group, "mine"))).isEqualTo(Reason.PERMISSION_DENIED);
    assertThat(reason(() -> remove(bob, group, carol))).isEqualTo(Reason.PERMISSION_DENIED);
    assertThat(reason(() -> setRole(bob, group, carol, Role.ROLE_ADMIN)))
        .isEqualTo(Reason.PERMISSION_DENIED);
    assertThat(reason(() -> transfer(bob, group, carol))).isEqualTo(Reason.PERMISSION_DENIED);
    assertThat(reason(() -> disband(bob, group))).isEqualTo(Reason.PERMISSION_DENIED);

    long promoted = setRole(alice, group, bob, Role.ROLE_ADMIN);
    ServiceContent roleChanged = Feeds.service(msg, carol, group, promoted);
    assertThat(roleChanged.getAction()).isEqualTo(Action.ROLE_CHANGED);
    assertThat(roleChanged.getActorId()).isEqualTo(alice);
    assertThat(roleChanged.getUserIdsList()).containsExactly(bob);
    assertThat(roleChanged.getRole()).isEqualTo(Role.ROLE_ADMIN);
    assertThat(setRole(alice, group, bob, Role.ROLE_ADMIN))
        .isZero(); // already admin: nothing written

    // An admin renames and removes plain members, but not other admins or the owner, and sets no
    // roles.
    long renamed = rename(bob, group, "Bob's");
    ServiceContent titleChanged = Feeds.service(msg, alice, group, renamed);
    assertThat(titleChanged.getAction()).isEqualTo(Action.TITLE_CHANGED);
    assertThat(titleChanged.getActorId()).isEqualTo(bob);
    assertThat(titleChanged.getTitle()).isEqualTo("Bob's");
    assertThat(msg.messages(dan).getConversation(conversation(group)).getConversation().getTitle())
        .isEqualTo("Bob's");
    assertThat(rename(bob, group, "Bob's")).isZero();
    assertThat(reason(() -> remove(bob, group, alice))).isEqualTo(Reason.PERMISSION_DENIED);
    assertThat(reason(() -> setRole(bob, group, dan, Role.ROLE_ADMIN)))
        .isEqualTo(Reason.PERMISSION_DENIED);
    assertThat(reason(() -> disband(bob, group))).isEqualTo(Reason.PERMISSION_DENIED);
    assertThat(reason(() -> transfer(bob, group, dan))).isEqualTo(Reason.PERMISSION_DENIED);
    setRole(alice, group, carol, Role.ROLE_ADMIN);
    assertThat(reason(() -> remove(bob, group, carol))).isEqualTo(Reason.PERMISSION_DENIED);
    remove(bob, group, dan);

    // The owner removes an admin, and hands the group over: the old owner becomes an admin.
    remove(alice, group, carol);
    long transferred = transfer(alice, group, bob);
    ServiceContent ownerChanged = Feeds.service(msg, bob, group, transferred);
    assertThat(ownerChanged.getAction()).isEqualTo(Action.OWNER_CHANGED);
    assertThat(ownerChanged.getActorId()).isEqualTo(alice);
    assertThat(ownerChanged.getUserIdsList()).containsExactly(bob);
    assertThat(roles(alice, group))
        .containsExactlyInAnyOrder(alice + ":" + Role.ROLE_ADMIN, bob + ":" + Role.ROLE_OWNER);
    assertThat(reason(() -> disband(alice, group))).isEqualTo(Reason.PERMISSION_DENIED);
    assertThat(invalidField(() -> transfer(bob, group, bob))).isEqualTo("user_id");
    assertThat(reason(() -> transfer(bob, group, dan)))
        .isEqualTo(Reason.NOT_FOUND); // removed earlier
  }

  /** Issue 9: committed role changes are reported to the user service for security events. */
  @Test
  void committedRoleChangesAreReportedForTheMembersSecurityEvents() {
    long alice = msg.newUser();
    long bob = msg.newUser();
    long carol = msg.newUser();
    long group = create(alice, "g", bob, carol);

    setRole(alice, group, bob, Role.ROLE_ADMIN);
    setRole(alice, group, bob, Role.ROLE_ADMIN); // nothing changes, nothing reported
    setRole(alice, group, bob, Role.ROLE_MEMBER);
    transfer(alice, group, carol);
    msg.groups(carol).leaveGroup(LeaveGroupRequest.newBuilder().setConversationId(group).build());

    assertThat(msg.roleChanges.stream().filter(c -> c.contains(" " + group + " ")))
        .containsExactly(
            bob + " " + group + " " + alice + " admin",
            bob + " " + group + " " + alice + " member",
            carol + " " + group + " " + alice + " owner",
            alice + " " + group + " " + alice + " admin",
            alice + " " + group + " " + carol + " owner"); // the admin inherits from carol
  }

  @Test
  void theLongestStandingAdminInheritsFromALeavingOwner() {
    long alice = msg.newUser();
    long bob = msg.newUser();
    long carol = msg.newUser();
    long dan = msg.newUser();
    long group = create(alice, "g", bob, carol);
    invite(alice, group, dan);
    setRole(alice, group, dan, Role.ROLE_ADMIN);
    setRole(alice, group, carol, Role.ROLE_ADMIN);

    long left =
        msg.groups(alice)
            .leaveGroup(LeaveGroupRequest.newBuilder().setConversationId(group).build())
            .getSeq();
    // Two entries: ownership moves (while alice is still the owner), then alice leaves.
    ServiceContent handedOver = Feeds.service(msg, bob, group, left - 1);
    assertThat(handedOver.getAction()).isEqualTo(Action.OWNER_CHANGED);
    assertThat(handedOver.getActorId()).isEqualTo(alice);
    assertThat(handedOver.getUserIdsList()).containsExactly(carol); // joined before dan
    ServiceContent leaving = Feeds.service(msg, bob, group, left);
    assertThat(leaving.getAction()).isEqualTo(Action.MEMBER_LEFT);
    assertThat(leaving.getActorId()).isEqualTo(alice);
    assertThat(Feeds.synced(msg, alice, group))
        .extracting(Message::getSeq)
        .endsWith(left - 1, left);
    assertThat(Feeds.entries(msg, alice, group))
        .extracting(Message::getSeq)
        .containsExactly(1L, left);
    assertThat(roles(bob, group))
        .containsExactlyInAnyOrder(
            bob + ":" + Role.ROLE_MEMBER,
            carol + ":" + Role.ROLE_OWNER,
            dan + ":" + Role.ROLE_ADMIN);
    assertThat(
            msg.messages(alice)
                .getConversation(conversation(group))
                .getConversation()
                .getLastVisibleSeq())
        .isEqualTo(left);
    assertThat(
            reason(
                () ->
                    msg.groups(alice)
                        .leaveGroup(
                            LeaveGroupRequest.newBuilder().setConversationId(group).build())))
        .isEqualTo(Reason.CONVERSATION_CLOSED);

    // Without admins, the longest-standing member inherits.
    long g2 = create(bob, "g2", carol);
    invite(bob, g2, dan);
    msg.groups(bob).leaveGroup(LeaveGroupRequest.newBuilder().setConversationId(g2).build());
    assertThat(roles(carol, g2))
        .containsExactlyInAnyOrder(carol + ":" + Role.ROLE_OWNER, dan + ":" + Role.ROLE_MEMBER);
  }

  @Test
  void theLastMemberLeavingDisbandsTheGroup() {
    long alice = msg.newUser();
    long bob = msg.newUser();
    long group = create(alice, "g", bob);
    long bobLeft =
        msg.groups(bob)
            .leaveGroup(LeaveGroupRequest.newBuilder().setConversationId(group).build())
            .getSeq();
    assertThat(Feeds.service(msg, alice, group, bobLeft).getAction()).isEqualTo(Action.MEMBER_LEFT);
    long last =
        msg.groups(alice)
            .leaveGroup(LeaveGroupRequest.newBuilder().setConversationId(group).build())
            .getSeq();
    ServiceContent disbanded = Feeds.service(msg, alice, group, last);
    assertThat(disbanded.getAction()).isEqualTo(Action.GROUP_DISBANDED);
    assertThat(disbanded.getActorId()).isEqualTo(alice);
    Conversation c = msg.messages(alice).getConversation(conversation(group)).getConversation();
    assertThat(c.getDisbanded()).isTrue();
    assertThat(c.getLeft()).isTrue();
    assertThat(c.getMemberCount()).isZero();
    assertThat(reason(() -> send(alice, group, "anyone?"))).isEqualTo(Reason.CONVERSATION_CLOSED);
  }

  @Test
  void afterDisbandTheGroupIsReadOnlyForEverybody() {
    long alice = msg.newUser();
    long bob = msg.newUser();
    long carol = msg.newUser();
    long group = create(alice, "g", bob, carol);
    long hello = send(bob, group, "hello").getSeq();
    long disbanded = disband(alice, group);
    for (long user : List.of(alice, bob, carol)) {
      assertThat(Feeds.synced(msg, user, group))
          .extracting(Message::getSeq)
          .containsExactly(1L, hello, disbanded);
      assertThat(Feeds.entries(msg, user, group))
          .extracting(Message::getSeq)
          .containsExactly(1L, disbanded);
      assertThat(Feeds.history(msg, user, group)).containsExactly(1L, hello, disbanded);
      assertThat(reason(() -> send(user, group, "still there?")))
          .isEqualTo(Reason.CONVERSATION_CLOSED);
      Conversation c = msg.messages(user).getConversation(conversation(group)).getConversation();
      assertThat(c.getDisbanded()).isTrue();
      assertThat(c.getLastVisibleSeq()).isEqualTo(disbanded);
    }
    ServiceContent s = Feeds.service(msg, carol, group, disbanded);
    assertThat(s.getAction()).isEqualTo(Action.GROUP_DISBANDED);
    assertThat(s.getActorId()).isEqualTo(alice);
    assertThat(reason(() -> invite(alice, group, msg.newUser())))
        .isEqualTo(Reason.CONVERSATION_CLOSED);
    assertThat(reason(() -> disband(alice, group))).isEqualTo(Reason.CONVERSATION_CLOSED);
  }

  // --- helpers ---

  // --- former members (issue 9, items 1 and 2): the group as it stood at the entry that ended the
  // membership, and no read receipts for reads after it ---

  @Test
  void aRemovedMemberKeepsSeeingTheGroupAsItWasWhenRemoved() {
    long alice = msg.newUser();
    long bob = msg.newUser();
    long carol = msg.newUser();
    long dan = msg.newUser();
    long eve = msg.newUser();
    long group = create(alice, "club", bob, carol, dan);
    long bobs = send(bob, group, "hello").getSeq();
    long removed = remove(alice, group, carol);

    // Everything that happens afterwards is the members' business only.
    rename(alice, group, "without carol");
    invite(alice, group, eve);
    setRole(alice, group, bob, Role.ROLE_ADMIN);
    long latest = send(alice, group, "now we talk").getSeq();
    for (long reader : List.of(bob, dan, eve)) markRead(reader, group, latest);

    GetConversationResponse seen = msg.messages(carol).getConversation(conversation(group));
    Conversation c = seen.getConversation();
    assertThat(c.getLeft()).isTrue();
    assertThat(c.getTitle()).isEqualTo("club");
    assertThat(c.getMemberCount()).isEqualTo(3);
    assertThat(c.getLastSeq()).isEqualTo(removed);
    assertThat(seen.getMembersList())
        .extracting(Member::getUserId)
        .containsExactlyInAnyOrder(alice, bob, dan);
    for (Member m : seen.getMembersList()) {
      // Roles and read markers as they were at the removal: alice had read up to her removal entry,
      // bob
      // his own message, dan nothing.
      assertThat(m.getRole())
          .isEqualTo(m.getUserId() == alice ? Role.ROLE_OWNER : Role.ROLE_MEMBER);
      assertThat(m.getReadSeq())
          .isEqualTo(m.getUserId() == alice ? removed : m.getUserId() == bob ? bobs : 0);
    }
    Conversation listed =
        msg
            .messages(carol)
            .getConversations(GetConversationsRequest.getDefaultInstance())
            .getConversationsList()
            .stream()
            .filter(x -> x.getConversationId() == group)
            .findFirst()
            .orElseThrow();
    assertThat(listed.getTitle()).isEqualTo("club");
    assertThat(listed.getMemberCount()).isEqualTo(3);

    // bob's message: read by alice at the removal (dan, who read it later, does not count for
    // carol) …
    assertThat(readCount(carol, group, bobs)).isEqualTo(1);
    // … and by carol herself once she reads up to where she may.
    markRead(carol, group, removed);
    assertThat(readCount(carol, group, bobs)).isEqualTo(2);

    // The members see the group as it is.
    GetConversationResponse now = msg.messages(alice).getConversation(conversation(group));
    assertThat(now.getConversation().getTitle()).isEqualTo("without carol");
    assertThat(now.getMembersList())
        .extracting(Member::getUserId)
        .containsExactlyInAnyOrder(alice, bob, dan, eve);
    // alice, carol and dan (eve joined after it and cannot see it).
    assertThat(readCount(alice, group, bobs)).isEqualTo(3);
  }

  @Test
  void theOwnerWhoLeavesSeesTheHeirAndThoseWhoLeftBeforeADisbandingDoNotSeeIt() {
    long alice = msg.newUser();
    long bob = msg.newUser();
    long carol = msg.newUser();
    long group = create(alice, "team", bob, carol);
    msg.groups(carol).leaveGroup(LeaveGroupRequest.newBuilder().setConversationId(group).build());
    msg.groups(alice).leaveGroup(LeaveGroupRequest.newBuilder().setConversationId(group).build());
    disband(bob, group);

    GetConversationResponse alices = msg.messages(alice).getConversation(conversation(group));
    assertThat(alices.getConversation().getDisbanded()).isFalse();
    assertThat(roles(alice, group)).containsExactly(bob + ":" + Role.ROLE_OWNER);
    GetConversationResponse carols = msg.messages(carol).getConversation(conversation(group));
    assertThat(carols.getConversation().getDisbanded()).isFalse();
    assertThat(carols.getConversation().getMemberCount()).isEqualTo(2);
    assertThat(carols.getMembersList())
        .extracting(Member::getUserId)
        .containsExactlyInAnyOrder(alice, bob);
    GetConversationResponse bobs = msg.messages(bob).getConversation(conversation(group));
    assertThat(bobs.getConversation().getDisbanded()).isTrue();
    assertThat(bobs.getConversation().getMemberCount()).isZero();
  }

  @Test
  void readReceiptsGoOnlyToCurrentMembers() {
    long alice = msg.newUser();
    long bob = msg.newUser();
    long carol = msg.newUser();
    long group = create(alice, "receipts", bob, carol);
    send(carol, group, "from carol");
    remove(alice, group, carol);
    long latest = send(alice, group, "from alice").getSeq();
    markRead(bob, group, latest);

    assertThat(receipts(alice, group)).containsExactly(bob + ":" + latest);
    assertThat(receipts(carol, group)).isEmpty();
  }

  private static long create(long owner, String title, long... others) {
    CreateGroupRequest.Builder b = CreateGroupRequest.newBuilder().setTitle(title);
    for (long u : others) b.addUserIds(u);
    return msg.groups(owner).createGroup(b.build()).getConversation().getConversationId();
  }

  private static long invite(long by, long group, long... users) {
    InviteMembersRequest.Builder b = InviteMembersRequest.newBuilder().setConversationId(group);
    for (long u : users) b.addUserIds(u);
    return msg.groups(by).inviteMembers(b.build()).getSeq();
  }

  private static SendMessageResponse send(long from, long group, String text) {
    return msg.messages(from)
        .sendMessage(
            SendMessageRequest.newBuilder()
                .setConversationId(group)
                .setClientMsgId(UUID.randomUUID().toString())
                .setText(TextContent.newBuilder().setText(text))
                .build());
  }

  private static long rename(long by, long group, String title) {
    return msg.groups(by)
        .renameGroup(
            RenameGroupRequest.newBuilder().setConversationId(group).setTitle(title).build())
        .getSeq();
  }

  private static long remove(long by, long group, long user) {
    return msg.groups(by)
        .removeMember(
            RemoveMemberRequest.newBuilder().setConversationId(group).setUserId(user).build())
        .getSeq();
  }

  private static long setRole(long by, long group, long user, Role role) {
    return msg.groups(by)
        .setMemberRole(
            SetMemberRoleRequest.newBuilder()
                .setConversationId(group)
                .setUserId(user)
                .setRole(role)
                .build())
        .getSeq();
  }

  private static long transfer(long by, long group, long user) {
    return msg.groups(by)
        .transferOwnership(
            TransferOwnershipRequest.newBuilder().setConversationId(group).setUserId(user).build())
        .getSeq();
  }

  private static long disband(long by, long group) {
    return msg.groups(by)
        .disbandGroup(DisbandGroupRequest.newBuilder().setConversationId(group).build())
        .getSeq();
  }

  /** "userId:ROLE" of every current member, as {@code viewer} sees them. */
  private static List<String> roles(long viewer, long group) {
    List<String> out = new ArrayList<>();
    for (Member m : msg.messages(viewer).getConversation(conversation(group)).getMembersList())
      out.add(m.getUserId() + ":" + m.getRole());
    return out;
  }

  /** "reader:readSeq" of every read receipt about the group in the user's feed. */
  private static List<String> receipts(long user, long group) {
    return Feeds.all(msg, user).stream()
        .filter(Update::hasReadReceipt)
        .map(Update::getReadReceipt)
        .filter(r -> r.getConversationId() == group)
        .map(r -> r.getUserId() + ":" + r.getReadSeq())
        .toList();
  }

  private static long readCount(long viewer, long group, long seq) {
    GetReadCountsResponse r =
        msg.messages(viewer)
            .getReadCounts(
                GetReadCountsRequest.newBuilder().setConversationId(group).addSeqs(seq).build());
    assertThat(r.getCountsList()).hasSize(1);
    return r.getCounts(0).getReadCount();
  }

  private static void markRead(long user, long group, long seq) {
    msg.messages(user)
        .markRead(MarkReadRequest.newBuilder().setConversationId(group).setSeq(seq).build());
  }

  private static GetConversationRequest conversation(long id) {
    return GetConversationRequest.newBuilder().setConversationId(id).build();
  }

  private static long[] newUsers(int n) {
    return LongStream.range(0, n).map(i -> msg.newUser()).toArray();
  }

  private static Reason reason(Runnable call) {
    return MsgHarness.error(call).getReason();
  }

  private static String invalidField(Runnable call) {
    Error e = MsgHarness.error(call);
    assertThat(e.getReason()).isEqualTo(Reason.INVALID_ARGUMENT);
    return e.getField();
  }
}

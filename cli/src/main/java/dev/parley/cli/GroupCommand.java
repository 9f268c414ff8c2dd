package dev.parley.cli;

import dev.parley.client.Connection;
import dev.parley.client.Futures;
import dev.parley.proto.client.Conversation;
import dev.parley.proto.client.CreateGroupResponse;
import dev.parley.proto.client.DisbandGroupResponse;
import dev.parley.proto.client.GetConversationResponse;
import dev.parley.proto.client.InviteMembersResponse;
import dev.parley.proto.client.LeaveGroupResponse;
import dev.parley.proto.client.Member;
import dev.parley.proto.client.RemoveMemberResponse;
import dev.parley.proto.client.RenameGroupResponse;
import dev.parley.proto.client.Role;
import dev.parley.proto.client.SetMemberRoleResponse;
import dev.parley.proto.client.TransferOwnershipResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code cli group ...}: the group operations of protocol section 12, and {@code group show}
 * (get_conversation). Each change appends a service entry to the group's log; the human output
 * names its seq, so {@code cli history CHAT --after SEQ-1} shows it.
 */
@Command(
    name = "group",
    description = "Create and manage groups.",
    subcommands = {
      GroupCommand.Create.class,
      GroupCommand.Show.class,
      GroupCommand.Invite.class,
      GroupCommand.Remove.class,
      GroupCommand.Leave.class,
      GroupCommand.Rename.class,
      GroupCommand.SetRole.class,
      GroupCommand.Transfer.class,
      GroupCommand.Disband.class,
    })
final class GroupCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  @Command(name = "create", description = "Create a group with you as its owner.")
  static final class Create extends CliSubcommand {
    @Parameters(paramLabel = "TITLE", description = "1..128 characters.")
    String title;

    @Option(
        names = "--member",
        paramLabel = "ID",
        description = "Another first member; repeat for more.")
    List<Long> members = new ArrayList<>();

    @Override
    void run(CliContext context) {
      CreateGroupResponse created = Futures.await(context.connect().createGroup(title, members));
      Conversation c = created.getConversation();
      context.print(
          created,
          () ->
              "created group "
                  + c.getConversationId()
                  + " \""
                  + HumanFormat.clean(c.getTitle())
                  + "\" with "
                  + Integer.toUnsignedString(c.getMemberCount())
                  + " members");
    }
  }

  @Command(name = "show", description = "Show a conversation with its members and their roles.")
  static final class Show extends CliSubcommand {
    @Parameters(paramLabel = "CHAT", description = "The conversation (a direct one works too).")
    long conversationId;

    @Override
    void run(CliContext context) {
      Connection connection = context.connect();
      GetConversationResponse shown = Futures.await(connection.getConversation(conversationId));
      context.print(
          shown,
          () ->
              context
                  .format()
                  .chats()
                  .conversation(
                      shown,
                      UserNames.of(
                          connection,
                          shown.getMembersList().stream().map(Member::getUserId).toList())));
    }
  }

  @Command(name = "invite", description = "Add users to a group (any member may).")
  static final class Invite extends CliSubcommand {
    @Parameters(index = "0", paramLabel = "CHAT", description = "The group.")
    long conversationId;

    @Parameters(index = "1..*", arity = "1..*", paramLabel = "ID", description = "Users to add.")
    List<Long> userIds;

    @Override
    void run(CliContext context) {
      InviteMembersResponse done =
          Futures.await(context.connect().inviteMembers(conversationId, userIds));
      context.print(
          done,
          () ->
              "added "
                  + (userIds.size() == 1 ? "user " : "users ")
                  + userIds.stream().map(String::valueOf).collect(Collectors.joining(", "))
                  + " to group "
                  + conversationId
                  + " (#"
                  + done.getSeq()
                  + ")");
    }
  }

  @Command(
      name = "remove",
      description = "Remove a member (admins remove members, the owner anyone).")
  static final class Remove extends CliSubcommand {
    @Parameters(index = "0", paramLabel = "CHAT", description = "The group.")
    long conversationId;

    @Parameters(index = "1", paramLabel = "ID", description = "The member.")
    long userId;

    @Override
    void run(CliContext context) {
      RemoveMemberResponse done =
          Futures.await(context.connect().removeMember(conversationId, userId));
      context.print(
          done,
          () ->
              "removed user "
                  + userId
                  + " from group "
                  + conversationId
                  + " (#"
                  + done.getSeq()
                  + ")");
    }
  }

  @Command(name = "leave", description = "Leave a group; its history up to now stays readable.")
  static final class Leave extends CliSubcommand {
    @Parameters(paramLabel = "CHAT", description = "The group.")
    long conversationId;

    @Override
    void run(CliContext context) {
      LeaveGroupResponse done = Futures.await(context.connect().leaveGroup(conversationId));
      context.print(done, () -> "left group " + conversationId + " (#" + done.getSeq() + ")");
    }
  }

  @Command(name = "rename", description = "Change a group's title (admins and the owner).")
  static final class Rename extends CliSubcommand {
    @Parameters(index = "0", paramLabel = "CHAT", description = "The group.")
    long conversationId;

    @Parameters(index = "1", paramLabel = "TITLE", description = "1..128 characters.")
    String title;

    @Override
    void run(CliContext context) {
      RenameGroupResponse done =
          Futures.await(context.connect().renameGroup(conversationId, title));
      context.print(
          done,
          () ->
              "renamed group "
                  + conversationId
                  + " to \""
                  + HumanFormat.clean(title)
                  + "\" (#"
                  + done.getSeq()
                  + ")");
    }
  }

  @Command(name = "role", description = "Make a member an admin or an admin a member (the owner).")
  static final class SetRole extends CliSubcommand {
    @Parameters(index = "0", paramLabel = "CHAT", description = "The group.")
    long conversationId;

    @Parameters(index = "1", paramLabel = "ID", description = "The member.")
    long userId;

    @Parameters(
        index = "2",
        paramLabel = "admin|member",
        converter = Converters.RoleConverter.class,
        description = "The new role.")
    Role role;

    @Override
    void run(CliContext context) {
      SetMemberRoleResponse done =
          Futures.await(context.connect().setMemberRole(conversationId, userId, role));
      context.print(
          done,
          () ->
              "user "
                  + userId
                  + " is now "
                  + EntryFormat.role(role)
                  + " of group "
                  + conversationId
                  + " (#"
                  + done.getSeq()
                  + ")");
    }
  }

  @Command(
      name = "transfer",
      description = "Hand the group to another member; you become an admin.")
  static final class Transfer extends CliSubcommand {
    @Parameters(index = "0", paramLabel = "CHAT", description = "The group.")
    long conversationId;

    @Parameters(index = "1", paramLabel = "ID", description = "The new owner.")
    long userId;

    @Override
    void run(CliContext context) {
      TransferOwnershipResponse done =
          Futures.await(context.connect().transferOwnership(conversationId, userId));
      context.print(
          done,
          () ->
              "user " + userId + " now owns group " + conversationId + " (#" + done.getSeq() + ")");
    }
  }

  @Command(
      name = "disband",
      description = "End a group for everybody (the owner); it becomes read-only.")
  static final class Disband extends CliSubcommand {
    @Parameters(paramLabel = "CHAT", description = "The group.")
    long conversationId;

    @Override
    void run(CliContext context) {
      DisbandGroupResponse done = Futures.await(context.connect().disbandGroup(conversationId));
      context.print(done, () -> "disbanded group " + conversationId + " (#" + done.getSeq() + ")");
    }
  }
}

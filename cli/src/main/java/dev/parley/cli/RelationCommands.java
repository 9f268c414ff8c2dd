package dev.parley.cli;

import dev.parley.client.Connection;
import dev.parley.client.Futures;
import dev.parley.proto.client.AcceptFriendRequestResponse;
import dev.parley.proto.client.BlockUserResponse;
import dev.parley.proto.client.CancelFriendRequestResponse;
import dev.parley.proto.client.DeclineFriendRequestResponse;
import dev.parley.proto.client.DeleteFriendResponse;
import dev.parley.proto.client.FriendRequest;
import dev.parley.proto.client.ListBlockedResponse;
import dev.parley.proto.client.ListFriendRequestsResponse;
import dev.parley.proto.client.ListFriendsResponse;
import dev.parley.proto.client.SendFriendRequestResponse;
import dev.parley.proto.client.UnblockUserResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Friends and the blocklist (protocol section 13): {@code friends}, {@code requests}, {@code friend
 * add|accept|decline|cancel|remove USER}, {@code block USER}, {@code unblock USER}, {@code
 * blocked}. The lists show display names (one get_profiles, human output only).
 */
final class RelationCommands {
  private RelationCommands() {}

  @Command(name = "friends", description = "List your friends.")
  static final class Friends extends CliSubcommand {
    @Override
    void run(CliContext context) {
      Connection connection = context.connect();
      ListFriendsResponse friends = Futures.await(connection.listFriends());
      context.print(
          friends,
          () ->
              context
                  .format()
                  .relations()
                  .friends(
                      friends.getFriendsList(),
                      UserNames.of(
                          connection,
                          friends.getFriendsList().stream().map(f -> f.getUserId()).toList())));
    }
  }

  @Command(name = "requests", description = "List pending friend requests, incoming and outgoing.")
  static final class Requests extends CliSubcommand {
    @Override
    void run(CliContext context) {
      Connection connection = context.connect();
      ListFriendRequestsResponse requests = Futures.await(connection.listFriendRequests());
      context.print(
          requests,
          () -> {
            List<Long> users = new ArrayList<>();
            requests.getIncomingList().stream()
                .map(FriendRequest::getFromUserId)
                .forEach(users::add);
            requests.getOutgoingList().stream().map(FriendRequest::getToUserId).forEach(users::add);
            return context.format().relations().requests(requests, UserNames.of(connection, users));
          });
    }
  }

  @Command(
      name = "friend",
      description = "Send, accept, decline or cancel friend requests; end friendships.",
      subcommands = {Add.class, Accept.class, Decline.class, Cancel.class, Remove.class})
  static final class Friend implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().usage(spec.commandLine().getErr());
      return ExitCodes.USAGE;
    }
  }

  @Command(
      name = "add",
      description = "Send a friend request (or accept theirs, if they sent you one).")
  static final class Add extends CliSubcommand {
    @Parameters(paramLabel = "USER", description = "The user's id.")
    long userId;

    @Option(
        names = "--note",
        paramLabel = "TEXT",
        defaultValue = "",
        description = "A note for them to read.")
    String note;

    @Override
    void run(CliContext context) {
      SendFriendRequestResponse sent =
          Futures.await(context.connect().sendFriendRequest(userId, note));
      context.print(
          sent,
          () ->
              sent.getFriends()
                  ? "you and user " + userId + " are friends now (they had sent you a request)"
                  : "friend request sent to user " + userId);
    }
  }

  @Command(name = "accept", description = "Accept the friend request a user sent you.")
  static final class Accept extends CliSubcommand {
    @Parameters(paramLabel = "USER", description = "Who sent the request.")
    long userId;

    @Override
    void run(CliContext context) {
      AcceptFriendRequestResponse done =
          Futures.await(context.connect().acceptFriendRequest(userId));
      context.print(done, () -> "you and user " + userId + " are friends now");
    }
  }

  @Command(name = "decline", description = "Decline the friend request a user sent you.")
  static final class Decline extends CliSubcommand {
    @Parameters(paramLabel = "USER", description = "Who sent the request.")
    long userId;

    @Override
    void run(CliContext context) {
      DeclineFriendRequestResponse done =
          Futures.await(context.connect().declineFriendRequest(userId));
      context.print(done, () -> "declined the friend request of user " + userId);
    }
  }

  @Command(name = "cancel", description = "Withdraw the friend request you sent a user.")
  static final class Cancel extends CliSubcommand {
    @Parameters(paramLabel = "USER", description = "Whom you sent the request.")
    long userId;

    @Override
    void run(CliContext context) {
      CancelFriendRequestResponse done =
          Futures.await(context.connect().cancelFriendRequest(userId));
      context.print(done, () -> "withdrew the friend request to user " + userId);
    }
  }

  @Command(name = "remove", description = "End a friendship (for both of you).")
  static final class Remove extends CliSubcommand {
    @Parameters(paramLabel = "USER", description = "The friend.")
    long userId;

    @Override
    void run(CliContext context) {
      DeleteFriendResponse done = Futures.await(context.connect().deleteFriend(userId));
      context.print(done, () -> "user " + userId + " is no longer your friend");
    }
  }

  @Command(
      name = "block",
      description = "Block a user: they can no longer message you, send you requests or find you.")
  static final class Block extends CliSubcommand {
    @Parameters(paramLabel = "USER", description = "The user's id.")
    long userId;

    @Override
    void run(CliContext context) {
      BlockUserResponse done = Futures.await(context.connect().blockUser(userId));
      context.print(done, () -> "blocked user " + userId);
    }
  }

  @Command(name = "unblock", description = "Unblock a user.")
  static final class Unblock extends CliSubcommand {
    @Parameters(paramLabel = "USER", description = "The user's id.")
    long userId;

    @Override
    void run(CliContext context) {
      UnblockUserResponse done = Futures.await(context.connect().unblockUser(userId));
      context.print(done, () -> "unblocked user " + userId);
    }
  }

  @Command(name = "blocked", description = "List the users you blocked.")
  static final class Blocked extends CliSubcommand {
    @Override
    void run(CliContext context) {
      Connection connection = context.connect();
      ListBlockedResponse blocked = Futures.await(connection.listBlocked());
      context.print(
          blocked,
          () ->
              RelationFormat.blocked(
                  blocked.getUserIdsList(), UserNames.of(connection, blocked.getUserIdsList())));
    }
  }
}

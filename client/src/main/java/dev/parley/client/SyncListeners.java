package dev.parley.client;

import dev.parley.proto.client.BlockUpdate;
import dev.parley.proto.client.ChatStateUpdate;
import dev.parley.proto.client.FriendRequestUpdate;
import dev.parley.proto.client.FriendUpdate;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.NotifySettings;
import dev.parley.proto.client.ReadMarker;
import dev.parley.proto.client.ReadReceipt;
import dev.parley.proto.client.UserPresence;
import java.util.concurrent.Executor;

/**
 * The listeners of a {@link Messenger}, by kind. All kinds share one serial callback executor, so
 * every listener sees the values in the order the sync engine emitted them, one at a time.
 */
final class SyncListeners {
  final Listeners<Message> messages;
  final Listeners<Message> recalls;
  final Listeners<Message> edits;
  final Listeners<ReadMarker> readMarkers;
  final Listeners<ReadReceipt> readReceipts;
  final Listeners<FriendRequestUpdate> friendRequests;
  final Listeners<FriendUpdate> friends;
  final Listeners<BlockUpdate> blocks;
  final Listeners<ChatStateUpdate> chatStates;
  final Listeners<NotifySettings> notifySettings;
  final Listeners<SyncStats> synced;
  final Listeners<TypingIndicator> typing;
  final Listeners<UserPresence> presence;

  SyncListeners(String name, Executor callbacks) {
    messages = new Listeners<>(name, callbacks);
    recalls = new Listeners<>(name, callbacks);
    edits = new Listeners<>(name, callbacks);
    readMarkers = new Listeners<>(name, callbacks);
    readReceipts = new Listeners<>(name, callbacks);
    friendRequests = new Listeners<>(name, callbacks);
    friends = new Listeners<>(name, callbacks);
    blocks = new Listeners<>(name, callbacks);
    chatStates = new Listeners<>(name, callbacks);
    notifySettings = new Listeners<>(name, callbacks);
    synced = new Listeners<>(name, callbacks);
    typing = new Listeners<>(name, callbacks);
    presence = new Listeners<>(name, callbacks);
  }
}

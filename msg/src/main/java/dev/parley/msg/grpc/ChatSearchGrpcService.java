package dev.parley.msg.grpc;

import dev.parley.common.error.ParleyException;
import dev.parley.msg.core.Caller;
import dev.parley.msg.core.UserDirectory.Profile;
import dev.parley.msg.search.ChatSearch;
import dev.parley.msg.search.ContactSearch;
import dev.parley.msg.search.NameHit;
import dev.parley.msg.search.SearchQuery.Range;
import dev.parley.msg.store.ConversationRow;
import dev.parley.proto.client.ConversationType;
import dev.parley.proto.client.NameMatch;
import dev.parley.proto.client.SearchChatsRequest;
import dev.parley.proto.client.SearchChatsResponse;
import dev.parley.proto.client.SearchContactsRequest;
import dev.parley.proto.client.SearchContactsResponse;
import dev.parley.proto.client.SearchMessagesResponse.Highlight;
import dev.parley.proto.internal.ChatSearchServiceGrpc;
import io.grpc.stub.StreamObserver;

/**
 * The gRPC edge of chat and contact search (design.md 14.5): validation and proto conversion only.
 */
public final class ChatSearchGrpcService extends ChatSearchServiceGrpc.ChatSearchServiceImplBase {
  /** The longest query: a group title is at most 128 characters, a name 64. */
  static final int MAX_QUERY = 128;

  private final ChatSearch chats;
  private final ContactSearch contacts;

  public ChatSearchGrpcService(ChatSearch chats, ContactSearch contacts) {
    this.chats = chats;
    this.contacts = contacts;
  }

  @Override
  public void searchChats(SearchChatsRequest r, StreamObserver<SearchChatsResponse> out) {
    Caller caller = Callers.current();
    SearchChatsResponse.Builder b = SearchChatsResponse.newBuilder();
    for (ChatSearch.Found f :
        chats.search(caller.userId(), query(r.getQuery()), limit(r.getLimit()))) {
      Profile peer = f.peer();
      String title = f.chat().group() ? f.chat().title() : peer == null ? "" : peer.displayName();
      b.addChats(
          SearchChatsResponse.Chat.newBuilder()
              .setConversationId(f.chat().conversationId())
              .setType(
                  f.chat().type() == ConversationRow.GROUP
                      ? ConversationType.CONVERSATION_TYPE_GROUP
                      : ConversationType.CONVERSATION_TYPE_DIRECT)
              .setTitle(title == null ? "" : title)
              .setPeerUserId(f.chat().peerId())
              .setFormer(f.chat().former())
              .setLastActivityMs(f.chat().activeAt().toEpochMilli())
              .setMatch(match(f.hit())));
    }
    out.onNext(b.build());
    out.onCompleted();
  }

  @Override
  public void searchContacts(SearchContactsRequest r, StreamObserver<SearchContactsResponse> out) {
    Caller caller = Callers.current();
    SearchContactsResponse.Builder b = SearchContactsResponse.newBuilder();
    for (ContactSearch.Found f :
        contacts.search(caller.userId(), query(r.getQuery()), limit(r.getLimit()))) {
      Profile p = f.profile();
      b.addContacts(
          SearchContactsResponse.Contact.newBuilder()
              .setProfile(
                  dev.parley.proto.client.Profile.newBuilder()
                      .setUserId(p.userId())
                      .setDisplayName(p.displayName())
                      .setUsername(p.username())
                      .setAvatarFileId(p.avatarFileId()))
              .setMatch(match(f.hit())));
    }
    out.onNext(b.build());
    out.onCompleted();
  }

  private static String query(String query) {
    if (query.isBlank()) throw ParleyException.invalid("query", "query is required");
    if (query.length() > MAX_QUERY)
      throw ParleyException.invalid("query", "query is longer than " + MAX_QUERY);
    return query;
  }

  private static int limit(int limit) {
    return Limits.page(limit, 20, 50, "limit");
  }

  private static NameMatch match(NameHit hit) {
    NameMatch.Builder m =
        NameMatch.newBuilder()
            .setField(
                switch (hit.field()) {
                  case TITLE -> NameMatch.Field.TITLE;
                  case DISPLAY_NAME -> NameMatch.Field.DISPLAY_NAME;
                  case USERNAME -> NameMatch.Field.USERNAME;
                })
            .setUserId(hit.userId())
            .setText(hit.text());
    for (Range r : hit.match().ranges())
      m.addHighlights(Highlight.newBuilder().setOffset(r.start()).setLength(r.end() - r.start()));
    return m.build();
  }
}

package dev.parley.msg;

import dev.parley.common.bus.DeliveryBus;
import dev.parley.common.db.Database;
import dev.parley.common.id.Snowflake;
import dev.parley.common.presence.PresenceStatus;
import dev.parley.common.secret.SecretFiles;
import dev.parley.common.trace.Tracing;
import dev.parley.msg.audit.SyncAudit;
import dev.parley.msg.audit.SyncBacklogMetrics;
import dev.parley.msg.core.ConversationList;
import dev.parley.msg.core.FileAttachments;
import dev.parley.msg.core.Forwarder;
import dev.parley.msg.core.GroupManager;
import dev.parley.msg.core.GroupSync;
import dev.parley.msg.core.MessageManager;
import dev.parley.msg.core.NewestEntries;
import dev.parley.msg.core.NotifyFactsReader;
import dev.parley.msg.core.PinManager;
import dev.parley.msg.core.Publisher;
import dev.parley.msg.core.ReactionManager;
import dev.parley.msg.core.RelationManager;
import dev.parley.msg.core.RelationRules;
import dev.parley.msg.core.SettingsManager;
import dev.parley.msg.core.SyncManager;
import dev.parley.msg.core.UserDirectory;
import dev.parley.msg.core.content.ReactionRules;
import dev.parley.msg.core.log.LogWriter;
import dev.parley.msg.core.log.SendPressure;
import dev.parley.msg.crypto.ContentCipher;
import dev.parley.msg.grpc.ChatSearchGrpcService;
import dev.parley.msg.grpc.GroupGrpcService;
import dev.parley.msg.grpc.MessageGrpcService;
import dev.parley.msg.grpc.PinGrpcService;
import dev.parley.msg.grpc.PresenceGrpcService;
import dev.parley.msg.grpc.ReactionGrpcService;
import dev.parley.msg.grpc.RelationGrpcService;
import dev.parley.msg.grpc.SearchGrpcService;
import dev.parley.msg.grpc.SettingsGrpcService;
import dev.parley.msg.grpc.TypingGrpcService;
import dev.parley.msg.grpc.UpdatePublisher;
import dev.parley.msg.presence.PresenceAnnouncer;
import dev.parley.msg.presence.PresenceReader;
import dev.parley.msg.presence.PresenceRule;
import dev.parley.msg.recent.NoRecentEntries;
import dev.parley.msg.recent.RecentEntries;
import dev.parley.msg.recent.RedisRecentEntries;
import dev.parley.msg.search.ChatSearch;
import dev.parley.msg.search.ContactSearch;
import dev.parley.msg.search.MessageSearch;
import dev.parley.msg.search.PostgresSearchBackend;
import dev.parley.msg.search.SearchBackend;
import dev.parley.msg.search.SearchGate;
import dev.parley.msg.search.SearchIndexer;
import dev.parley.msg.search.TokenHasher;
import dev.parley.msg.search.opensearch.OpenSearchBackend;
import dev.parley.msg.settings.ChatStates;
import dev.parley.msg.store.BatchStatements;
import dev.parley.msg.store.ChatNames;
import dev.parley.msg.store.Conversations;
import dev.parley.msg.store.DeviceCursors;
import dev.parley.msg.store.Entries;
import dev.parley.msg.store.Feed;
import dev.parley.msg.store.Listing;
import dev.parley.msg.store.Members;
import dev.parley.msg.store.Relations;
import dev.parley.msg.store.SearchDocs;
import dev.parley.msg.store.Tx;
import dev.parley.msg.typing.TypingAudiences;
import dev.parley.msg.typing.TypingRelay;
import dev.parley.proto.internal.Delivery;
import io.grpc.BindableService;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Tracer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The message service, wired by hand: the composition root calls {@link #create} and binds its
 * services.
 */
public final class MsgModule implements AutoCloseable {
  /** The instrumentation scope of the msg service's spans. */
  public static final String TRACER = "dev.parley.msg";

  /** How stale a typing indicator's view of members and blocks may be (design.md 13.6). */
  static final Duration TYPING_AUDIENCE_TTL = Duration.ofSeconds(1);

  /** How often the search indexer looks for conversations its wake-ups missed (design.md 14.4). */
  static final Duration SEARCH_SCAN_EVERY = Duration.ofSeconds(30);

  private final List<BindableService> services;
  private final Janitor janitor;
  private final ContentScrubber scrubber;
  private final RecentEntries recent;
  private final LogWriter writer;
  private final Publisher publisher;
  private final TypingRelay typing;
  private final PresenceAnnouncer presence;
  private final SearchIndexer indexer;
  private final SyncAudit audit;
  private final SyncBacklogMetrics backlog;

  private MsgModule(
      List<BindableService> services,
      Janitor janitor,
      ContentScrubber scrubber,
      RecentEntries recent,
      LogWriter writer,
      Publisher publisher,
      TypingRelay typing,
      PresenceAnnouncer presence,
      SearchIndexer indexer,
      SyncAudit audit,
      SyncBacklogMetrics backlog) {
    this.services = services;
    this.typing = typing;
    this.presence = presence;
    this.indexer = indexer;
    this.audit = audit;
    this.backlog = backlog;
    this.janitor = janitor;
    this.scrubber = scrubber;
    this.recent = recent;
    this.writer = writer;
    this.publisher = publisher;
  }

  /** Without a cache of recent entries: the single node's. */
  public static MsgModule create(
      MsgConfig config,
      Database database,
      Clock clock,
      Snowflake ids,
      DeliveryBus deliveries,
      UserDirectory users,
      FileAttachments files,
      Path dataDir,
      MeterRegistry metrics,
      PresenceStatus presence) {
    return create(
        config,
        database,
        clock,
        ids,
        deliveries,
        users,
        files,
        dataDir,
        metrics,
        RecentCache.none(),
        presence);
  }

  /**
   * @param recentCache where the conversations' newest entries are cached (RecentCache.redis in a
   *     cluster)
   * @param presence who is online and when others were last seen, for get_presence (in memory on
   *     the single node, Redis in a cluster)
   */
  public static MsgModule create(
      MsgConfig config,
      Database database,
      Clock clock,
      Snowflake ids,
      DeliveryBus deliveries,
      UserDirectory users,
      FileAttachments files,
      Path dataDir,
      MeterRegistry metrics,
      RecentCache recentCache,
      PresenceStatus presence) {
    return create(
        config,
        database,
        clock,
        ids,
        deliveries,
        users,
        files,
        dataDir,
        metrics,
        recentCache,
        presence,
        deliveries::publish,
        Tracing.off().tracer(TRACER));
  }

  /**
   * @param typingSink where typing indicators and presence changes go: never onto a bus that stores
   *     them (design.md 13.6, 13.2); the single node's in-process bus, a cluster's direct hand-over
   *     to the gateways
   * @param tracer spans of the log writer (LogWriter), from {@link Tracing#tracer(String)} with
   *     {@link #TRACER}
   */
  public static MsgModule create(
      MsgConfig config,
      Database database,
      Clock clock,
      Snowflake ids,
      DeliveryBus deliveries,
      UserDirectory users,
      FileAttachments files,
      Path dataDir,
      MeterRegistry metrics,
      RecentCache recentCache,
      PresenceStatus presence,
      Consumer<Delivery> typingSink,
      Tracer tracer) {
    database.migrate("msg");
    Tx tx = new Tx(database.jdbi());
    ContentCipher cipher = cipher(config, dataDir);
    Conversations conversations = new Conversations();
    Members members = new Members();
    Entries entries = new Entries(cipher);
    Feed feed = new Feed();
    Relations relations = new Relations();
    RelationRules rules = new RelationRules(config.friendsOnly(), relations);
    RecentEntries recent =
        recentCache.enabled()
            ? new RedisRecentEntries(
                Objects.requireNonNull(recentCache.redis()),
                cipher,
                recentCache.size(),
                recentCache.ttl(),
                recentCache.readTimeout(),
                metrics)
            : NoRecentEntries.INSTANCE;
    NewestEntries newest =
        new NewestEntries(
            recent, recentCache.size(), entries, config.historyRetention(), clock, metrics);
    // Everything committed is published from one thread of its own, never from a writer's
    // (design.md 8.5).
    SearchBackend searchBackend = searchBackend(tx, config.search(), cipher, members);
    // The indexer gives way while sends queue for the log writer (design.md 14.4).
    SendPressure sendPressure =
        new SendPressure(config.search().indexerYieldAbove(), System::nanoTime);
    SearchIndexer indexer =
        new SearchIndexer(
            tx,
            entries,
            searchBackend,
            SEARCH_SCAN_EVERY,
            sendPressure,
            config.search().indexerYieldAtMost(),
            config.search().indexerGather(),
            metrics,
            config.search().runningIndexerThreads());
    Publisher publisher =
        new Publisher(
            indexer.wakingOn(newest.updating(new UpdatePublisher(deliveries, tracer))), metrics);

    ReactionRules reactionRules = config.reactions().rules();
    LogWriter writer =
        LogWriter.start(
            tx,
            conversations,
            new BatchStatements(cipher),
            entries,
            feed,
            rules,
            files,
            ids,
            config.maxGroupMembers(),
            config.recallWindow(),
            config.editWindow(),
            reactionRules.maxDistinct(),
            config.maxPinnedMessages(),
            publisher,
            clock,
            config.sendWriters(),
            sendPressure,
            metrics,
            tracer);
    ChatStates chatStates = new ChatStates(cipher);
    MessageManager messages =
        new MessageManager(
            tx,
            conversations,
            members,
            entries,
            newest,
            feed,
            users,
            publisher,
            clock,
            writer,
            files,
            chatStates);
    ReactionManager reactionManager = new ReactionManager(tx, conversations, members, writer);
    ConversationList list =
        new ConversationList(
            tx, conversations, members, entries, newest, new Listing(), chatStates, clock);
    SyncManager sync =
        new SyncManager(tx, feed, entries, new DeviceCursors(), list, chatStates, clock);
    GroupSync groupSync = new GroupSync(tx, members, entries);
    GroupManager groups = new GroupManager(config.maxGroupMembers(), writer, users, ids);
    RelationManager relationManager =
        new RelationManager(tx, relations, conversations, rules, feed, users, publisher, clock);

    TypingRelay typing =
        new TypingRelay(
            new TypingAudiences(
                tx, conversations, members, rules, clock, TYPING_AUDIENCE_TTL, 100_000),
            typingSink,
            4_096,
            metrics);

    // Live presence: to the gateways of the friends who may see it, the same way (design.md 13.2).
    PresenceReader presenceReader =
        new PresenceReader(tx, relations, users, presence, new PresenceRule(clock));
    PresenceAnnouncer announcer =
        new PresenceAnnouncer(
            presence, presenceReader, typingSink, config.presenceGrace(), clock, metrics);

    Janitor janitor = new Janitor(config, tx, feed, entries, files, searchBackend, clock);
    janitor.start(Duration.ofMinutes(10));
    // Recalled content leaves the database files within about a minute where the role may do what
    // that takes (the embedded database); elsewhere it stays until PostgreSQL recycles it (design
    // 8.7).
    ContentScrubber scrubber = new ContentScrubber(database.jdbi());
    if (ContentScrubber.permitted(database.jdbi())) scrubber.start(Duration.ofMinutes(1));
    SyncBacklogMetrics backlog =
        new SyncBacklogMetrics(database.jdbi(), clock, config.feedRetention(), metrics);
    backlog.start(Duration.ofMinutes(5));
    return new MsgModule(
        List.of(
            new MessageGrpcService(
                messages,
                list,
                sync,
                groupSync,
                new Forwarder(tx, conversations, members, entries, writer, files, relations, users),
                config.maxTextLength(),
                clock,
                reactionManager),
            new GroupGrpcService(groups, list),
            new ReactionGrpcService(reactionManager, reactionRules),
            new PinGrpcService(new PinManager(tx, conversations, members, entries, writer)),
            new RelationGrpcService(relationManager, presenceReader),
            new SettingsGrpcService(
                new SettingsManager(
                    tx, members, chatStates, feed, publisher, clock, config.maxPinnedChats()),
                new NotifyFactsReader(tx, conversations, members, chatStates, list),
                config.maxTextLength()),
            new TypingGrpcService(typing),
            new PresenceGrpcService(announcer),
            new SearchGrpcService(
                new MessageSearch(
                    tx,
                    entries,
                    members,
                    searchBackend,
                    new SearchGate(
                        config.search().runningSearches(),
                        Counter.builder("parley_search_refused_total")
                                .description(
                                    "Message searches refused because too many were waiting")
                                .register(metrics)
                            ::increment)),
                config.maxTextLength()),
            new ChatSearchGrpcService(
                new ChatSearch(tx, new ChatNames(), relations, users),
                new ContactSearch(tx, relations, users))),
        janitor,
        scrubber,
        recent,
        writer,
        publisher,
        typing,
        announcer,
        indexer,
        new SyncAudit(database.jdbi(), clock, config.feedRetention(), config.historyRetention()),
        backlog);
  }

  /** The configured search index (design.md 14.6): keyed tokens in PostgreSQL, or OpenSearch. */
  static SearchBackend searchBackend(
      Tx tx, MsgConfig.Search search, ContentCipher cipher, Members members) {
    if (!search.openSearch())
      return new PostgresSearchBackend(tx, new SearchDocs(), new TokenHasher(cipher));
    MsgConfig.OpenSearch os = search.opensearch();
    return new OpenSearchBackend(os.url(), os.index(), os.username(), os.password(), members);
  }

  /** Configured keys, or one generated key (id 1) in the data directory for development. */
  static ContentCipher cipher(MsgConfig config, Path dataDir) {
    Map<Integer, byte[]> keys = new HashMap<>();
    config
        .contentKeys()
        .forEach(
            (id, key) ->
                keys.put(
                    Integer.parseInt(id), SecretFiles.decode(key, "msg.content-keys." + id, 32)));
    if (keys.isEmpty())
      keys.put(1, SecretFiles.loadOrCreate(dataDir.resolve("keys"), "content-1.key", 32));
    int active =
        config.activeContentKey() != 0
            ? config.activeContentKey()
            : keys.keySet().stream().max(Integer::compare).orElseThrow();
    return new ContentCipher(keys, active);
  }

  public List<BindableService> grpcServices() {
    return services;
  }

  /**
   * One retention pass now; returns the rows deleted. The janitor's timer runs one every 10
   * minutes; tests call this after moving their clock.
   */
  public int runRetention() {
    return janitor.run();
  }

  /** The sync audit (EXT-8) over this module's database: {@code parley admin audit-user}. */
  public SyncAudit syncAudit() {
    return audit;
  }

  /** Refreshes the sync backlog gauges now (a timer does every 5 minutes; tests call this). */
  public void refreshSyncMetrics() {
    backlog.refresh();
  }

  /**
   * Starts a full rebuild of the search index, online (design.md 14.4, {@code parley admin
   * reindex}); returns the number of conversations whose position went back to the start.
   */
  public int reindexSearch() {
    return indexer.reindex();
  }

  @Override
  public void close() {
    backlog.close();
    writer.close();
    publisher.close();
    indexer.close();
    typing.close();
    presence.close();
    janitor.close();
    scrubber.close();
    recent.close();
  }
}

package dev.parley.user;

import dev.parley.common.bus.DeliveryBus;
import dev.parley.common.db.Database;
import dev.parley.common.id.Snowflake;
import dev.parley.common.ratelimit.RateLimiter;
import dev.parley.common.secret.SecretFiles;
import dev.parley.user.account.Accounts;
import dev.parley.user.account.ProfileManager;
import dev.parley.user.audit.SecurityEventJanitor;
import dev.parley.user.audit.SecurityLog;
import dev.parley.user.auth.AuthManager;
import dev.parley.user.auth.CodeManager;
import dev.parley.user.auth.HashingPool;
import dev.parley.user.auth.KeyDerivation;
import dev.parley.user.auth.PasswordHasher;
import dev.parley.user.auth.TokenService;
import dev.parley.user.auth.VerificationCodes;
import dev.parley.user.delivery.CodeDispatcher;
import dev.parley.user.delivery.CodeSender;
import dev.parley.user.delivery.DevCodeSink;
import dev.parley.user.delivery.HttpSmsCodeSender;
import dev.parley.user.delivery.SmtpCodeSender;
import dev.parley.user.privacy.PrivacyManager;
import dev.parley.user.privacy.PrivacyTable;
import dev.parley.user.push.PushTargetManager;
import dev.parley.user.push.PushTargets;
import dev.parley.user.session.RefreshTokens;
import dev.parley.user.session.SessionManager;
import dev.parley.user.session.Sessions;
import io.grpc.BindableService;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user service, wired: accounts, verification codes, sessions, tokens and profiles behind one
 * gRPC service. The composition root creates it, serves {@link #grpcService()} and closes it on
 * shutdown.
 */
public final class UserModule implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(UserModule.class);
  private static final int MIN_KEY_BYTES = 32;
  private static final java.time.Duration JANITOR_EVERY = java.time.Duration.ofHours(1);

  private final BindableService service;
  private final List<AutoCloseable> resources;

  private UserModule(BindableService service, List<AutoCloseable> resources) {
    this.service = service;
    this.resources = resources;
  }

  /**
   * Migrates schema {@code usr} and builds the service. The token key is {@code config.tokenKey()}
   * (base64, at least 32 bytes) or, when empty, a key generated once into {@code
   * dataDir/keys/token.key}.
   */
  public static UserModule create(
      UserConfig config,
      Database database,
      Clock clock,
      Snowflake ids,
      DeliveryBus deliveries,
      RateLimiter rateLimiter,
      Path dataDir,
      MeterRegistry metrics,
      BlockList blocks,
      AvatarRefs avatars,
      boolean allowPrivateWebPushEndpoints) {
    UserConfigCheck.verify(config);
    byte[] masterKey =
        config.tokenKey() == null || config.tokenKey().isBlank()
            ? SecretFiles.loadOrCreate(dataDir.resolve("keys"), "token.key", MIN_KEY_BYTES)
            : SecretFiles.decode(config.tokenKey(), "user.token-key", MIN_KEY_BYTES);
    database.migrate("usr");

    List<AutoCloseable> resources = new ArrayList<>();
    UserMetrics userMetrics = new UserMetrics(metrics);
    CodeSender mail = mailSender(config, dataDir, clock);
    CodeSender sms = smsSender(config, dataDir, resources);
    CodeDispatcher dispatcher =
        new CodeDispatcher(mail, mailQueue(config), sms, smsQueue(config), userMetrics, clock);
    resources.add(0, dispatcher); // stop delivery first, then the senders it uses

    Jdbi jdbi = database.jdbi();
    Throttle throttle = new Throttle(rateLimiter);
    UserEvents events = new BusUserEvents(deliveries);
    HashingPool hashing =
        new HashingPool(
            config.password().hashThreads(),
            config.password().hashQueue(),
            userMetrics::passwordHashRejected);
    resources.add(hashing);
    PasswordHasher passwords = new PasswordHasher(config.password(), hashing);
    TokenService tokens =
        new TokenService(
            KeyDerivation.derive(masterKey, "parley access token"), clock, config.accessTokenTtl());
    Accounts accounts = new Accounts();
    CodeManager codes =
        new CodeManager(
            config.code(),
            KeyDerivation.derive(masterKey, "parley verification code"),
            jdbi,
            new VerificationCodes(),
            dispatcher,
            clock);
    SecurityLog security = new SecurityLog(jdbi, ids, clock);
    SecurityEventJanitor janitor =
        new SecurityEventJanitor(security, config.securityEventRetention(), clock);
    janitor.start(JANITOR_EVERY);
    resources.add(janitor);
    Sessions sessionTable = new Sessions();
    PushTargets pushTargets = new PushTargets();
    SessionManager sessions =
        new SessionManager(
            config,
            jdbi,
            sessionTable,
            new RefreshTokens(),
            pushTargets,
            tokens,
            ids,
            events,
            throttle,
            userMetrics,
            security,
            clock);
    AuthManager auth =
        new AuthManager(
            config,
            jdbi,
            accounts,
            codes,
            passwords,
            sessions,
            ids,
            throttle,
            userMetrics,
            security,
            clock);
    ProfileManager profiles =
        new ProfileManager(
            config, jdbi, accounts, passwords, events, throttle, blocks, avatars, sessions,
            security, clock);
    PushTargetManager push = new PushTargetManager(jdbi, sessionTable, pushTargets, clock);
    return new UserModule(
        new UserGrpcService(
            auth,
            sessions,
            profiles,
            passwords,
            push,
            new PrivacyManager(jdbi, new PrivacyTable(), events, clock),
            allowPrivateWebPushEndpoints),
        resources);
  }

  /** The development sinks never block, so their queue only needs to absorb bursts. */
  private static final int DEV_SINK_QUEUE = 1000;

  private static int mailQueue(UserConfig config) {
    return "smtp".equals(config.mail().mode())
        ? CodeDispatcher.queueFor(config.code().ttl(), config.mail().smtp().timeout())
        : DEV_SINK_QUEUE;
  }

  private static int smsQueue(UserConfig config) {
    return "http".equals(config.sms().mode())
        ? CodeDispatcher.queueFor(config.code().ttl(), config.sms().http().timeout())
        : DEV_SINK_QUEUE;
  }

  private static CodeSender mailSender(UserConfig config, Path dataDir, Clock clock) {
    return switch (config.mail().mode()) {
      case "smtp" -> new SmtpCodeSender(config.mail(), clock);
      default -> devSink(config, dataDir);
    };
  }

  private static CodeSender smsSender(
      UserConfig config, Path dataDir, List<AutoCloseable> resources) {
    return switch (config.sms().mode()) {
      case "http" -> {
        HttpSmsCodeSender sender = new HttpSmsCodeSender(config.sms());
        resources.add(sender);
        yield sender;
      }
      default -> devSink(config, dataDir);
    };
  }

  private static DevCodeSink devSink(UserConfig config, Path dataDir) {
    String file = config.devCodeFile();
    return new DevCodeSink(file == null || file.isBlank() ? null : dataDir.resolve(file));
  }

  public BindableService grpcService() {
    return service;
  }

  /** Stops the code-delivery executor (waiting briefly for queued codes) and the HTTP client. */
  @Override
  public void close() {
    for (AutoCloseable r : resources) {
      try {
        r.close();
      } catch (Exception e) {
        log.warn("Error while closing {}", r, e);
      }
    }
  }
}

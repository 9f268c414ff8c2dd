package dev.parley.push.dispatch;

import dev.parley.proto.internal.Delivery;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The hand-off until push providers exist: counts offline recipients and logs them at debug. */
public final class LoggingPushHandOff implements PushHandOff {
  private static final Logger log = LoggerFactory.getLogger(LoggingPushHandOff.class);
  private final Counter recipients;

  public LoggingPushHandOff(MeterRegistry registry) {
    this.recipients =
        Counter.builder("parley.push.handoff.recipients")
            .description("Offline recipients handed to push (no provider yet: dropped)")
            .register(registry);
  }

  @Override
  public void offline(Delivery delivery) {
    recipients.increment(delivery.getUserIdsCount());
    if (log.isDebugEnabled()) {
      log.debug(
          "No online device for users {}: {}",
          delivery.getUserIdsList(),
          delivery.getEvent().getKindCase());
    }
  }
}

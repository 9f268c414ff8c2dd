package dev.parley.cli;

import dev.parley.client.Connection;
import dev.parley.client.Futures;
import dev.parley.proto.client.GetNotifySettingsResponse;
import dev.parley.proto.client.PreviewMode;
import dev.parley.proto.client.SetConversationMuteResponse;
import dev.parley.proto.client.SetConversationPreviewsResponse;
import dev.parley.proto.client.UpdateNotifySettingsRequest;
import dev.parley.proto.client.UpdateNotifySettingsResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

/**
 * Notification settings (protocol section 18): {@code mute CHAT [--for DURATION]}, {@code unmute
 * CHAT}, {@code previews CHAT show|hide|default}, {@code notify [--previews on|off]
 * [--mentions-in-muted on|off]}. Every change reaches the user's other devices through the feed
 * ({@code watch} and {@code sync} print it).
 */
final class NotifyCommands {
  private NotifyCommands() {}

  @Command(
      name = "mute",
      description = "Mute a conversation's notifications, forever or for a while (--for 8h).")
  static final class Mute extends CliSubcommand {
    @Parameters(index = "0", paramLabel = "CHAT", description = "The conversation.")
    long conversationId;

    @Option(
        names = "--for",
        paramLabel = "DURATION",
        converter = DurationConverter.class,
        description = "How long: 90s, 30m, 8h, 7d (at most 366d); default: until unmuted.")
    Duration duration;

    @Override
    void run(CliContext context) {
      Connection connection = context.connect();
      SetConversationMuteResponse muted;
      if (duration == null) {
        muted = Futures.await(connection.muteConversationForever(conversationId));
      } else {
        if (duration.isNegative() || duration.isZero()) {
          throw usage("--for must be positive, not " + duration);
        }
        long until = Instant.now().plus(duration).toEpochMilli();
        muted = Futures.await(connection.setConversationMute(conversationId, until));
      }
      context.print(muted, () -> NotifyFormat.chatState(conversationId, muted.getState()));
    }
  }

  @Command(name = "unmute", description = "Unmute a conversation.")
  static final class Unmute extends CliSubcommand {
    @Parameters(index = "0", paramLabel = "CHAT", description = "The conversation.")
    long conversationId;

    @Override
    void run(CliContext context) {
      SetConversationMuteResponse unmuted =
          Futures.await(context.connect().unmuteConversation(conversationId));
      context.print(unmuted, () -> NotifyFormat.chatState(conversationId, unmuted.getState()));
    }
  }

  @Command(
      name = "previews",
      description =
          "Show or hide message text in this conversation's notifications, or follow the global"
              + " setting (default).")
  static final class Previews extends CliSubcommand {
    @Parameters(index = "0", paramLabel = "CHAT", description = "The conversation.")
    long conversationId;

    @Parameters(index = "1", paramLabel = "MODE", description = "show, hide or default.")
    String mode;

    @Override
    void run(CliContext context) {
      PreviewMode previews =
          switch (mode.toLowerCase(Locale.ROOT)) {
            case "show" -> PreviewMode.PREVIEW_MODE_SHOW;
            case "hide" -> PreviewMode.PREVIEW_MODE_HIDE;
            case "default" -> PreviewMode.PREVIEW_MODE_DEFAULT;
            default -> throw usage("MODE is show, hide or default, not '" + mode + "'");
          };
      SetConversationPreviewsResponse set =
          Futures.await(context.connect().setConversationPreviews(conversationId, previews));
      context.print(set, () -> NotifyFormat.chatState(conversationId, set.getState()));
    }
  }

  @Command(
      name = "notify",
      description =
          "Show the global notification settings, or change them with --previews and"
              + " --mentions-in-muted.")
  static final class Notify extends CliSubcommand {
    @Option(
        names = "--previews",
        paramLabel = "on|off",
        description = "Notifications show sender and text (off: \"New message\" only).")
    String previews; // a String: picocli rewrites the values of Boolean options before converters

    @Option(
        names = "--mentions-in-muted",
        paramLabel = "on|off",
        description = "A mention of you notifies even in a muted conversation.")
    String mentions;

    @Override
    void run(CliContext context) {
      Connection connection = context.connect();
      if (previews == null && mentions == null) {
        GetNotifySettingsResponse shown = Futures.await(connection.getNotifySettings());
        context.print(shown, () -> NotifyFormat.settings(shown.getSettings()));
        return;
      }
      UpdateNotifySettingsRequest.Builder request = UpdateNotifySettingsRequest.newBuilder();
      if (previews != null) request.setShowPreviews(onOff(previews, "--previews"));
      if (mentions != null)
        request.setNotifyMentionsInMuted(onOff(mentions, "--mentions-in-muted"));
      UpdateNotifySettingsResponse updated =
          Futures.await(connection.updateNotifySettings(request.build()));
      context.print(updated, () -> NotifyFormat.settings(updated.getSettings()));
    }

    private boolean onOff(String value, String option) {
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "on" -> true;
        case "off" -> false;
        default -> throw usage(option + " is on or off, not '" + value + "'");
      };
    }
  }

  /** {@code 90s}, {@code 30m}, {@code 8h}, {@code 7d}, or ISO-8601 ({@code PT1H30M}). */
  static final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern SHORT = Pattern.compile("(\\d{1,9})([smhd])");

    @Override
    public Duration convert(String value) {
      Matcher m = SHORT.matcher(value.toLowerCase(Locale.ROOT));
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          default -> Duration.ofDays(n);
        };
      }
      try {
        return Duration.parse(value);
      } catch (DateTimeParseException e) {
        throw new TypeConversionException(
            "'" + value + "' is not a duration (90s, 30m, 8h, 7d or ISO-8601 like PT1H30M)");
      }
    }
  }
}

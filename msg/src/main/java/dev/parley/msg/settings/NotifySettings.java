package dev.parley.msg.settings;

/** A user's global notification settings. */
public record NotifySettings(boolean showPreviews, boolean notifyMentionsInMuted) {
  public static final NotifySettings DEFAULT = new NotifySettings(true, true);
}

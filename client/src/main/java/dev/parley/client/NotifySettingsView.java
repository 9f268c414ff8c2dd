package dev.parley.client;

import dev.parley.proto.client.NotifySettings;
import java.util.Optional;

/**
 * Keeps the user's global notification settings in the {@link SyncStore}. Two writers: the feed
 * ({@code NOTIFY_SETTINGS} updates, on the sync thread) and a {@code get_notify_settings} answer
 * fetched when the store had nothing (on a connection thread). The feed is the newer truth, so a
 * fetched answer is only saved if no update arrived since; both go through this one lock.
 */
final class NotifySettingsView {
  private final SyncStore store;

  NotifySettingsView(SyncStore store) {
    this.store = store;
  }

  synchronized void updated(NotifySettings settings) {
    store.saveNotifySettings(settings);
  }

  /** Saves a fetched answer unless an update got there first; returns what the store now holds. */
  synchronized NotifySettings fetched(NotifySettings settings) {
    Optional<NotifySettings> known = store.notifySettings();
    if (known.isPresent()) return known.get();
    store.saveNotifySettings(settings);
    return settings;
  }
}

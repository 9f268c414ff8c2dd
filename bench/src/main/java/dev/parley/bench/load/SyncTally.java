package dev.parley.bench.load;

/**
 * What one catch-up of a device asked for and received, across its feed loop and its group loop; it
 * becomes the device's {@link CatchUp}. Confined to the device's event loop.
 */
final class SyncTally {
  /** Sync requests: get_state, every get_difference page and every sync_groups request. */
  int requests;

  int differencePages;

  /** Feed updates received by get_difference. */
  long feedUpdates;

  int groupRequests;

  /** Group entries received by sync_groups. */
  long groupEntries;
}

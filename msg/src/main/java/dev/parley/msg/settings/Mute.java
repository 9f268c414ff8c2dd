package dev.parley.msg.settings;

import java.time.Instant;

/** What set_conversation_mute asks for. */
public sealed interface Mute {
  record Until(Instant until) implements Mute {}

  record Forever() implements Mute {}

  record Off() implements Mute {}
}

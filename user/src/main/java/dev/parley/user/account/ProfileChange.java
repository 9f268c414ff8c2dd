package dev.parley.user.account;

import java.util.Optional;

/**
 * A validated profile update: only present fields change. An empty username or avatar removes it.
 * Values are already normalized ({@link ProfileRules}).
 */
public record ProfileChange(
    Optional<String> displayName, Optional<String> username, Optional<String> avatarFileId) {

  public boolean isEmpty() {
    return displayName.isEmpty() && username.isEmpty() && avatarFileId.isEmpty();
  }
}

package dev.parley.user;

/**
 * The file service's side of an avatar change (design.md 11.3): files are referenced by what uses
 * them, and an avatar does. {@link dev.parley.user.account.ProfileManager} takes the new file's
 * reference, writes the profile, then releases the older references.
 */
public interface AvatarRefs {
  /**
   * References {@code fileId} ("" for none) as {@code userId}'s avatar and returns the reference's
   * generation; refuses a file that is not the user's own image (NOT_FOUND, INVALID_ARGUMENT).
   */
  long take(long userId, String fileId);

  /** Releases {@code userId}'s avatar references taken before {@code generation}. */
  void releaseBefore(long userId, long generation);
}

package dev.parley.file.refs;

/**
 * Whether a user may see another user's profile, which decides who may download an avatar
 * (design.md 11.6). Profiles are public to every signed-in user except those their owner blocked
 * (the rule of get_profiles); blocks live in the message service, so the server wires its answer
 * in, as for {@link MessageVisibility}.
 */
@FunctionalInterface
public interface ProfileVisibility {
  boolean maySee(long viewerId, long ownerId);

  /** No profile service: nobody but the owner sees an avatar. */
  ProfileVisibility NONE = (viewer, owner) -> false;
}

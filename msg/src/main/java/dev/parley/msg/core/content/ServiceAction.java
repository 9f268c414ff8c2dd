package dev.parley.msg.core.content;

/**
 * What a service entry records. The codes are stored (in the encrypted content) and equal the
 * client protocol's ServiceContent.Action numbers: never reuse one.
 */
public enum ServiceAction {
  /** The actor created the group with userIds as the other first members. */
  GROUP_CREATED(1),
  /** The actor added userIds. */
  MEMBERS_ADDED(2),
  /** The actor removed userIds[0]. */
  MEMBER_REMOVED(3),
  /** The actor left. */
  MEMBER_LEFT(4),
  TITLE_CHANGED(5),
  /** The actor set the role of userIds[0]. */
  ROLE_CHANGED(6),
  /** Ownership moved from the actor to userIds[0]. */
  OWNER_CHANGED(7),
  /** The actor disbanded the group: read-only for everybody. */
  GROUP_DISBANDED(8);

  public final int code;

  ServiceAction(int code) {
    this.code = code;
  }

  public static ServiceAction of(int code) {
    for (ServiceAction a : values()) if (a.code == code) return a;
    throw new IllegalArgumentException("unknown service action " + code);
  }
}

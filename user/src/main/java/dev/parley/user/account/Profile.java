package dev.parley.user.account;

/**
 * What anybody who may see a user sees.
 *
 * @param username empty when the user has none
 * @param avatarFileId empty when the user has none
 */
public record Profile(long userId, String displayName, String username, String avatarFileId) {}

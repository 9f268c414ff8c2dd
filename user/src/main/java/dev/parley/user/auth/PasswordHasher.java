package dev.parley.user.auth;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;
import dev.parley.common.error.ParleyException;
import dev.parley.proto.client.Error.Reason;
import dev.parley.user.UserConfig;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Argon2id password hashing and the password length policy. Hashes are stored as PHC strings, which
 * carry their own cost parameters: raising the configured cost affects new hashes while old ones
 * still verify.
 *
 * <p>{@link #verifyDummy} exists so that a login for an unknown account, or for an account without
 * a password, costs exactly one Argon2 computation with the configured parameters, like a wrong
 * password does; response time then says nothing about whether an account exists.
 *
 * <p>Every hash and verification runs on the {@link HashingPool}, which bounds how many run and
 * wait at once and refuses the excess with UNAVAILABLE.
 */
public final class PasswordHasher {
  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;

  private final UserConfig.Password config;
  private final Argon2Function argon2;
  private final String dummyHash;
  private final HashingPool pool;

  public PasswordHasher(UserConfig.Password config, HashingPool pool) {
    this.config = config;
    this.pool = pool;
    this.argon2 =
        Argon2Function.getInstance(
            config.memoryKib(), config.iterations(), config.parallelism(), HASH_BYTES, Argon2.ID);
    byte[] secret = new byte[16];
    new SecureRandom().nextBytes(secret);
    this.dummyHash = hashHere(HexFormat.of().formatHex(secret));
  }

  /** Throws WEAK_PASSWORD when the length (in code points) is outside the configured range. */
  public void checkPolicy(String password, String field) {
    int length = password.codePointCount(0, password.length());
    if (length < config.minLength() || length > config.maxLength()) {
      throw new ParleyException(
          Reason.WEAK_PASSWORD,
          "Password must have " + config.minLength() + " to " + config.maxLength() + " characters",
          field,
          Duration.ZERO);
    }
  }

  /**
   * The maximum length a stored password can have; longer input cannot match and is refused early.
   */
  public int maxLength() {
    return config.maxLength();
  }

  public String hash(String password) {
    return pool.run(() -> hashHere(password));
  }

  private String hashHere(String password) {
    return Password.hash(password).addRandomSalt(SALT_BYTES).with(argon2).getResult();
  }

  public boolean verify(String password, String phc) {
    return pool.run(() -> verifyHere(password, phc));
  }

  private static boolean verifyHere(String password, String phc) {
    try {
      return Password.check(password, phc).with(Argon2Function.getInstanceFromHash(phc));
    } catch (RuntimeException e) {
      // A malformed stored hash must not become a way in, nor an INTERNAL error that tells it
      // apart.
      return false;
    }
  }

  /** Burns the time of one verification; always false. */
  public boolean verifyDummy(String password) {
    verify(password, dummyHash);
    return false;
  }
}

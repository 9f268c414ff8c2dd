package dev.parley.bench.account;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code accounts.json}: the users made by {@code bench provision}, with their sessions' tokens.
 * Runs read it and write it back after refreshing tokens: a refresh token is single use, so the
 * file must always hold the latest one (it is replaced atomically, never half-written).
 */
public final class AccountsFile {
  private static final Gson GSON =
      new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

  private final Path path;
  private final String server;
  private final String prefix;
  private final List<Account> accounts;

  public AccountsFile(Path path, String server, String prefix, List<Account> accounts) {
    this.path = path;
    this.server = server;
    this.prefix = prefix;
    this.accounts = List.copyOf(accounts);
  }

  private record Stored(String server, String prefix, List<Account.Stored> accounts) {}

  public static AccountsFile load(Path path) {
    if (!Files.isReadable(path)) {
      throw new IllegalArgumentException(
          "Cannot read " + path + ": create it with `bench provision` first");
    }
    try {
      Stored s = GSON.fromJson(Files.readString(path, StandardCharsets.UTF_8), Stored.class);
      if (s == null || s.accounts() == null)
        throw new IllegalArgumentException(path + " holds no accounts");
      List<Account> list = new ArrayList<>();
      for (Account.Stored a : s.accounts()) list.add(Account.of(a));
      return new AccountsFile(path, s.server(), s.prefix(), list);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes the current tokens of every account (to a temporary file, then renamed over the old
   * one).
   */
  public synchronized void save() {
    List<Account.Stored> list = new ArrayList<>(accounts.size());
    for (Account a : accounts) list.add(a.stored());
    String json = GSON.toJson(new Stored(server, prefix, list));
    try {
      Path abs = path.toAbsolutePath();
      if (abs.getParent() != null) Files.createDirectories(abs.getParent());
      Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp");
      Files.writeString(tmp, json, StandardCharsets.UTF_8);
      Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path path() {
    return path;
  }

  public String server() {
    return server;
  }

  public String prefix() {
    return prefix;
  }

  public List<Account> accounts() {
    return accounts;
  }
}

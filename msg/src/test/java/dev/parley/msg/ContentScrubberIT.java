package dev.parley.msg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.common.db.Database;
import dev.parley.common.db.EmbeddedPostgresServer;
import dev.parley.common.secret.SecretFiles;
import dev.parley.msg.crypto.ContentCipher;
import dev.parley.msg.store.Entries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attack on recall: someone who gets the whole data directory (database files, WAL and the
 * content key beside them) after a message was recalled searches every file for its ciphertext,
 * which the key would decrypt.
 */
class ContentScrubberIT {
  private static final long CONVERSATION = 42;

  @TempDir Path dir;

  @Test
  void afterARecallAndAScrubNoFileOfTheDataDirectoryHoldsTheCiphertext() {
    Path data = dir.resolve("postgres");
    try (EmbeddedPostgresServer pg =
            EmbeddedPostgresServer.start(data, dir.resolve("keys"), 0, true);
        Database db =
            new Database(
                pg.jdbcUrl("postgres"),
                pg.user(),
                pg.password(),
                4,
                Duration.ofSeconds(10),
                "scrub")) {
      db.migrate("msg");
      ContentCipher cipher =
          new ContentCipher(
              Map.of(1, SecretFiles.loadOrCreate(dir.resolve("keys"), "content-1.key", 32)), 1);
      db.jdbi()
          .useHandle(
              h ->
                  h.execute(
                      "INSERT INTO msg.conversations (conversation_id, type, last_seq, created_at, last_activity_at) VALUES (?, 1, 2, ?, ?)",
                      CONVERSATION,
                      now(),
                      now()));
      byte[] first = store(db, cipher, 1);
      byte[] second = store(db, cipher, 2);
      db.jdbi()
          .useHandle(h -> h.execute("CHECKPOINT")); // older than a checkpoint, like most messages

      recall(db, cipher, 1);
      // What a recall alone leaves: the old row version in the table file, the insert in the WAL.
      assertThat(filesHolding(data, first))
          .anyMatch(f -> f.startsWith("base/"))
          .anyMatch(f -> f.startsWith("pg_wal/"));

      ContentScrubber scrubber = new ContentScrubber(db.jdbi());
      assertThat(ContentScrubber.permitted(db.jdbi())).isTrue();
      assertThat(scrubber.scrubIfChanged()).isTrue();
      assertThat(filesHolding(data, first)).noneMatch(f -> f.startsWith("pg_wal/"));
      assertThat(filesHolding(data, second)).as("an entry not recalled stays").isNotEmpty();
      assertThat(scrubber.scrubIfChanged()).as("the follow-up scrub").isTrue();
      assertThat(scrubber.scrubIfChanged()).as("nothing changed since").isFalse();

      recall(db, cipher, 2);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(scrubber::scrubIfChanged); // statistics arrive late
      assertThat(filesHolding(data, second)).noneMatch(f -> f.startsWith("pg_wal/"));
      // The table file may still hold the bytes in a page's free space, which PostgreSQL does not
      // zero
      // (measured here: entry 2's, not entry 1's, which the compaction happened to overwrite). The
      // operator's remedy (design.md 8.12) rewrites the table:
      db.jdbi()
          .useHandle(
              h -> {
                h.execute("VACUUM FULL msg.entries");
                h.execute("CHECKPOINT");
              });
      assertThat(filesHolding(data, first)).isEmpty();
      assertThat(filesHolding(data, second)).isEmpty();
    }
  }

  /** Stores entry {@code seq} with 300 bytes of text; returns its ciphertext. */
  private static byte[] store(Database db, ContentCipher cipher, long seq) {
    byte[] text =
        ("meet at the old mill at nine, entry " + seq + " ")
            .repeat(8)
            .getBytes(StandardCharsets.UTF_8);
    byte[] sealed = cipher.encrypt(text, CONVERSATION, seq);
    db.jdbi()
        .useHandle(
            h ->
                h.execute(
                    "INSERT INTO msg.entries (conversation_id, seq, message_id, sender_id, kind, key_id, content, created_at) "
                        + "VALUES (?, ?, ?, 7, 1, 1, ?, ?)",
                    CONVERSATION,
                    seq,
                    1000 + seq,
                    sealed,
                    now()));
    return sealed;
  }

  /** The recall's own statement (Entries), committed like the log writer's. */
  private static void recall(Database db, ContentCipher cipher, long seq) {
    db.jdbi()
        .useTransaction(
            h -> {
              new Entries(cipher)
                  .recallAll(h, new long[] {CONVERSATION}, new long[] {seq}, Instant.now());
              h.createQuery("SELECT pg_stat_force_next_flush()").mapTo(String.class).one();
            });
  }

  /**
   * The files (relative to {@code data}) holding any 16-byte window of {@code sealed}: windows,
   * since the WAL may split a record across its pages.
   */
  private static List<String> filesHolding(Path data, byte[] sealed) {
    try (Stream<Path> files = Files.walk(data)) {
      return files
          .filter(Files::isRegularFile)
          .filter(f -> holdsWindow(read(f), sealed))
          .map(f -> data.relativize(f).toString())
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] read(Path f) {
    try {
      return Files.readAllBytes(f);
    } catch (NoSuchFileException gone) {
      return new byte[0]; // removed while we walked (a WAL segment at a checkpoint)
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean holdsWindow(byte[] haystack, byte[] sealed) {
    List<byte[]> windows = new ArrayList<>();
    boolean[] starts = new boolean[256]; // a cheap first test: the files are tens of megabytes
    for (int from = 0; from + 16 <= sealed.length; from += 16) {
      windows.add(Arrays.copyOfRange(sealed, from, from + 16));
      starts[sealed[from] & 0xff] = true;
    }
    for (int i = 0; i + 16 <= haystack.length; i++) {
      if (!starts[haystack[i] & 0xff]) continue;
      for (byte[] w : windows) {
        if (Arrays.equals(haystack, i, i + 16, w, 0, 16)) return true;
      }
    }
    return false;
  }

  private static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC);
  }
}

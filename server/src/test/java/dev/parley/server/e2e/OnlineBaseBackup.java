package dev.parley.server.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The single node's backup and restore, step by step as docs/operations.md §8 ("Backing up the
 * single node") tells an operator to do them with psql and tar: PostgreSQL's low-level online base
 * backup ({@code pg_backup_start}/{@code pg_backup_stop} in one session, non-exclusive) of {@code
 * <data-dir>/postgres}, the WAL written meanwhile, and {@code <data-dir>/keys}. There is no {@code
 * pg_basebackup} or {@code pg_dump} matching the embedded PostgreSQL 17 on the machine (Debian's
 * client tools are 15, zonky ships none), so the files are copied while the server runs.
 *
 * <p>Backup layout: {@code <backup>/postgres} (the data files, {@code pg_wal} and the {@code
 * backup_label} that {@code pg_backup_stop} returned) and {@code <backup>/keys}.
 */
final class OnlineBaseBackup {
  /**
   * Entries of the data directory a base backup leaves out (PostgreSQL's documentation, "Making a
   * Base Backup Using the Low Level API"): the pid file, the socket and its lock (which live in the
   * data directory on the node), and the contents of directories that are rebuilt at start. {@code
   * pg_wal} is copied after {@code pg_backup_stop}.
   */
  private static final Set<String> SKIPPED_FILES = Set.of("postmaster.pid", "postmaster.opts");

  private static final Set<String> EMPTIED_DIRS =
      Set.of(
          "pg_wal",
          "pg_replslot",
          "pg_dynshmem",
          "pg_notify",
          "pg_serial",
          "pg_snapshots",
          "pg_stat_tmp",
          "pg_subtrans");

  private OnlineBaseBackup() {}

  /**
   * Backs up the running node of {@code dataDir} whose PostgreSQL listens on {@code port} into
   * {@code backup}; runs {@code whileCopying} between the start of the copy and {@code
   * pg_backup_stop}, where the node keeps taking writes.
   */
  static void take(Path dataDir, int port, Path backup, Runnable whileCopying) throws Exception {
    Path pgData = dataDir.resolve("postgres");
    Path pgBackup = backup.resolve("postgres");
    String password =
        Files.readAllLines(dataDir.resolve("keys").resolve("postgres-superuser.password")).get(0);
    // One session from start to stop: a non-exclusive backup ends when its session does.
    try (Connection session =
            DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", password);
        Statement sql = session.createStatement()) {
      sql.execute("SELECT pg_backup_start(label => 'parley', fast => true)");
      copyDataFiles(pgData, pgBackup);
      whileCopying.run();
      try (ResultSet stop =
          sql.executeQuery(
              "SELECT labelfile, spcmapfile FROM pg_backup_stop(wait_for_archive => false)")) {
        stop.next();
        Files.writeString(pgBackup.resolve("backup_label"), stop.getString("labelfile"));
        String tablespaceMap = stop.getString("spcmapfile");
        if (!tablespaceMap.isEmpty())
          Files.writeString(pgBackup.resolve("tablespace_map"), tablespaceMap);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("Base backup of " + pgData + " failed", e);
    }
    // pg_backup_stop switched to a new WAL segment: everything up to its end is in pg_wal now.
    copyTree(pgData.resolve("pg_wal"), pgBackup.resolve("pg_wal"));
    copyTree(dataDir.resolve("keys"), backup.resolve("keys"));
  }

  /**
   * Lays {@code backup} out as the data directory {@code newDataDir} (which must not hold a
   * database yet); the node started on it recovers PostgreSQL from the backup_label's checkpoint.
   */
  static void restore(Path backup, Path newDataDir) throws IOException {
    Path pgData = newDataDir.resolve("postgres");
    if (Files.exists(pgData)) throw new IllegalStateException(pgData + " exists already");
    copyTree(backup.resolve("keys"), newDataDir.resolve("keys"));
    copyTree(backup.resolve("postgres"), pgData);
    // PostgreSQL refuses a data directory others may read.
    Files.setPosixFilePermissions(pgData, PosixFilePermissions.fromString("rwx------"));
  }

  /** The data directory without what a base backup leaves out ({@link #SKIPPED_FILES} …). */
  private static void copyDataFiles(Path pgData, Path target) throws IOException {
    copy(
        pgData,
        target,
        dir -> !dir.equals(pgData) && EMPTIED_DIRS.contains(dir.getFileName().toString()),
        file -> {
          String name = file.getFileName().toString();
          return !SKIPPED_FILES.contains(name)
              && !name.startsWith(".s.PGSQL.")
              && !name.equals("pg_internal.init");
        });
  }

  private static void copyTree(Path from, Path to) throws IOException {
    copy(from, to, dir -> false, file -> true);
  }

  /**
   * Copies the regular files of {@code from} that {@code copied} accepts into {@code to}, keeping
   * the directory tree; directories {@code emptied} accepts are made empty.
   */
  private static void copy(Path from, Path to, Predicate<Path> emptied, Predicate<Path> copied)
      throws IOException {
    Files.walkFileTree(
        from,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            Files.createDirectories(to.resolve(from.relativize(dir)));
            return emptied.test(dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (attrs.isRegularFile() && copied.test(file))
              copyIfStillThere(file, to.resolve(from.relativize(file)));
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) return FileVisitResult.CONTINUE;
            throw e;
          }
        });
  }

  /**
   * A file PostgreSQL deletes while we copy (a dropped table's, a recycled WAL segment) is not
   * needed: the WAL replay at restore knows it is gone.
   */
  private static void copyIfStillThere(Path file, Path target) {
    try {
      Files.copy(
          file, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
    } catch (NoSuchFileException gone) {
      // see above
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot copy " + file, e);
    }
  }
}

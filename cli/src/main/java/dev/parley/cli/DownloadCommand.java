package dev.parley.cli;

import dev.parley.client.Connection;
import dev.parley.client.Futures;
import dev.parley.proto.client.FileInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cli download FILE_ID [--variant 320] [-o PATH]}: get_download_url, then the presigned GET,
 * streamed to disk and checked against the file's size (progress on stderr).
 */
@Command(
    name = "download",
    description = {
      "Download a file (or one of an image's thumbnails) by its id, as found in an image or file "
          + "message.",
      "Prints the file's description."
    })
final class DownloadCommand extends CliSubcommand {
  @Parameters(paramLabel = "FILE_ID", description = "The file.")
  String fileId;

  @Option(
      names = "--variant",
      paramLabel = "VARIANT",
      defaultValue = "",
      description = "A thumbnail instead of the original: 320 or 1280.")
  String variant;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "PATH",
      description =
          "Where to write it, replacing an existing file (default: the file's name in the current "
              + "directory, which must not exist yet; a thumbnail gets -VARIANT.jpg).")
  Path output;

  @Override
  void run(CliContext context) {
    Connection connection = context.connect();
    ProgressLine progress = new ProgressLine(context.err(), "downloading " + fileId);
    Path[] written = new Path[1];
    FileInfo file;
    try {
      file =
          Futures.await(
              context
                  .client()
                  .files(connection)
                  .download(fileId, variant, f -> written[0] = target(f), progress));
    } finally {
      progress.done();
    }
    context.print(file, () -> ChatFormat.downloaded(file, variant, written[0]));
  }

  /** {@code -o}, or a name of the server's choosing that cannot leave the current directory. */
  private Path target(FileInfo file) {
    if (output != null) return output;
    String name =
        Path.of(file.getName().isEmpty() ? file.getFileId() : file.getName())
            .getFileName()
            .toString();
    if (!variant.isEmpty()) {
      int dot = name.lastIndexOf('.');
      name = (dot > 0 ? name.substring(0, dot) : name) + "-" + variant + ".jpg";
    }
    Path target = Path.of(name);
    if (Files.exists(target)) {
      throw new CliException(
          "FILE_EXISTS", target + " exists; choose another path with -o", ExitCodes.FAILED);
    }
    return target;
  }
}

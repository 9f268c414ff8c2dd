package dev.parley.cli;

import dev.parley.client.Connection;
import dev.parley.client.Futures;
import dev.parley.client.Messenger;
import dev.parley.client.UploadResult;
import dev.parley.client.UploadSource;
import dev.parley.proto.client.FileContent;
import dev.parley.proto.client.FileInfo;
import dev.parley.proto.client.ImageContent;
import dev.parley.proto.client.SendMessageRequest;
import dev.parley.proto.client.SendMessageResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cli send-file (--to-user ID | --chat ID) PATH [--caption TEXT]}: uploads the file with the
 * SDK (dedup, parts, retries; progress on stderr), then sends it as an image message if it is an
 * image, else as a file message, with the same retries as {@code send}.
 */
@Command(
    name = "send-file",
    description = {
      "Upload a file and send it: images (JPEG, PNG, GIF, WebP, HEIC) as image messages, anything "
          + "else as a file message.",
      "Prints the uploaded file, then the sent message."
    })
final class SendFileCommand extends CliSubcommand {
  @ArgGroup(exclusive = true, multiplicity = "1")
  SendCommand.To to;

  @Parameters(paramLabel = "PATH", description = "The file to send.")
  Path path;

  @Option(names = "--caption", paramLabel = "TEXT", description = "Shown with the file.")
  String caption = "";

  @Option(
      names = "--mime",
      paramLabel = "TYPE",
      description =
          "The MIME type (default: from the file's first bytes for images and PDF, else from its "
              + "extension, else application/octet-stream).")
  String mimeType;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "The name shown (default: the file's name).")
  String name;

  @Option(
      names = "--retry-for",
      paramLabel = "SECONDS",
      defaultValue = "60",
      description =
          "Keep resending the message for up to SECONDS without an answer (default: "
              + "${DEFAULT-VALUE}).")
  int retryForSeconds;

  @Override
  void run(CliContext context) {
    if (!Files.isRegularFile(path)) throw usage("no such file: " + path);
    if (retryForSeconds <= 0) throw usage("--retry-for must be positive, not " + retryForSeconds);
    String type = mimeType != null ? mimeType : MimeTypes.of(path);
    String shownName = name != null ? name : path.getFileName().toString();

    Connection connection = context.connect();
    ProgressLine progress = new ProgressLine(context.err(), "uploading " + shownName);
    UploadResult uploaded;
    try {
      uploaded =
          Futures.await(
              context
                  .client()
                  .files(connection)
                  .upload(UploadSource.of(path), type, shownName, progress)
                  .result());
    } finally {
      progress.done();
    }
    FileInfo file = uploaded.file();
    context.print(file, () -> ChatFormat.uploaded(file, uploaded.deduplicated()));

    SendMessageRequest request = message(file).setClientMsgId(Messenger.newClientMsgId()).build();
    SendMessageResponse sent = SendCommand.deliver(context, connection, request, retryForSeconds);
    context.print(sent, () -> ChatFormat.sent(sent, request.getClientMsgId()));
  }

  /**
   * The message for an uploaded file. The server fills in an image's dimensions, preview and
   * thumbnails and a file's size and type from the verified file; the values sent here are what a
   * server that does not yet do so shows.
   */
  SendMessageRequest.Builder message(FileInfo file) {
    SendMessageRequest.Builder request = SendMessageRequest.newBuilder();
    if (to.userId != null) {
      request.setUserId(to.userId);
    } else {
      request.setConversationId(to.conversationId);
    }
    if (file.getMimeType().startsWith("image/")) {
      ImageSize size =
          file.getWidth() > 0
              ? new ImageSize(file.getWidth(), file.getHeight())
              : ImageSize.read(path);
      return request.setImage(
          ImageContent.newBuilder()
              .setFileId(file.getFileId())
              .setMimeType(file.getMimeType())
              .setSize(file.getSize())
              .setWidth(size.width())
              .setHeight(size.height())
              .setCaption(caption));
    }
    return request.setFile(
        FileContent.newBuilder()
            .setFileId(file.getFileId())
            .setName(file.getName())
            .setMimeType(file.getMimeType())
            .setSize(file.getSize())
            .setCaption(caption));
  }
}

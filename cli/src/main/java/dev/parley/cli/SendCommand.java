package dev.parley.cli;

import dev.parley.client.ClientException;
import dev.parley.client.Connection;
import dev.parley.client.ConnectionException;
import dev.parley.client.Messenger;
import dev.parley.proto.client.FileContent;
import dev.parley.proto.client.Request;
import dev.parley.proto.client.SendMessageRequest;
import dev.parley.proto.client.SendMessageResponse;
import dev.parley.proto.client.TextContent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cli send (--to-user ID | --chat ID) TEXT...}: send_message, resent with the same {@code
 * client_msg_id} after timeouts and dropped connections (see {@link SendRetry}), so it is stored
 * once. Unlike the other commands it also keeps trying while no connection comes up, for {@code
 * --retry-for}. With {@code --file-id}, a file message (the file uploaded before) whose caption is
 * the text.
 */
@Command(
    name = "send",
    description = {
      "Send a text (or file) message; resent with the same client_msg_id until the server answers.",
      "Put -- before a text that starts with '-'."
    })
final class SendCommand extends CliSubcommand {
  /** The protocol's client_msg_id: 1..64 characters of [A-Za-z0-9._:-]. */
  private static final Pattern CLIENT_MSG_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  @ArgGroup(exclusive = true, multiplicity = "1")
  To to;

  static final class To {
    @Option(
        names = "--to-user",
        paramLabel = "ID",
        required = true,
        description = "The one-to-one conversation with this user (created by the first message).")
    Long userId;

    @Option(
        names = "--chat",
        paramLabel = "CHAT",
        required = true,
        description = "An existing conversation.")
    Long conversationId;
  }

  @Parameters(
      paramLabel = "TEXT",
      arity = "0..*",
      description = "The text; words are joined with one space.")
  List<String> words = new ArrayList<>();

  @ArgGroup(exclusive = false, heading = "File message (the text, if any, is the caption):%n")
  FileOptions file;

  static final class FileOptions {
    @Option(
        names = "--file-id",
        paramLabel = "ID",
        required = true,
        description = "The uploaded file.")
    String fileId;

    @Option(
        names = "--file-name",
        paramLabel = "NAME",
        required = true,
        description = "The name shown.")
    String name;

    @Option(
        names = "--mime",
        paramLabel = "TYPE",
        defaultValue = "application/octet-stream",
        description = "MIME type (default: ${DEFAULT-VALUE}).")
    String mimeType;

    @Option(
        names = "--size",
        paramLabel = "BYTES",
        defaultValue = "0",
        description = "The file's size.")
    long size;
  }

  @Option(
      names = "--client-msg-id",
      paramLabel = "ID",
      description =
          "The idempotency key (default: a new UUID). Sending again with the same one never "
              + "stores a second message.")
  String clientMsgId;

  @Option(
      names = "--retry-for",
      paramLabel = "SECONDS",
      defaultValue = "60",
      description =
          "Keep resending for up to SECONDS without an answer (default: ${DEFAULT-VALUE}).")
  int retryForSeconds;

  @Override
  void run(CliContext context) {
    SendMessageRequest request = request();
    if (retryForSeconds <= 0) {
      throw usage("--retry-for must be positive, not " + retryForSeconds);
    }
    // Not awaiting READY here: an attempt waits for it within its timeout, so a server that is down
    // or restarting when the command starts is retried like one that drops the connection later.
    Connection connection = context.newConnection().start();
    SendMessageResponse sent = deliver(context, connection, request, retryForSeconds);
    context.print(sent, () -> ChatFormat.sent(sent, request.getClientMsgId()));
  }

  /**
   * Sends with {@link SendRetry}: the same {@code client_msg_id} again after timeouts and dropped
   * connections, for up to {@code retryForSeconds}.
   */
  static SendMessageResponse deliver(
      CliContext context, Connection connection, SendMessageRequest request, int retryForSeconds) {
    SendRetry retry =
        SendRetry.standard(
            Duration.ofSeconds(retryForSeconds),
            context.timeout(),
            note -> {
              if (context.verbose()) {
                context.err().println(note);
                context.err().flush();
              }
            });
    try {
      return retry.send(
          request,
          (attempt, timeout) -> sendMessage(connection, attempt, timeout),
          () -> connection.state().isFinal());
    } catch (RuntimeException e) {
      if (connection.state() == Connection.State.LOGGED_OUT) {
        throw context.loggedOut(connection);
      }
      throw e;
    }
  }

  /**
   * {@link Connection#sendMessage} with a timeout of its own: the last attempt gets what is left of
   * the budget.
   */
  private static CompletableFuture<SendMessageResponse> sendMessage(
      Connection connection, SendMessageRequest request, Duration timeout) {
    return connection
        .send(Request.newBuilder().setSendMessage(request), timeout)
        .thenApply(
            response -> {
              if (response.hasError()) {
                throw new ClientException(response.getError());
              }
              if (!response.hasSendMessage()) {
                throw new ConnectionException(
                    "send_message was answered with " + response.getResultCase());
              }
              return response.getSendMessage();
            });
  }

  /** The request the options describe; usage errors for what the server would refuse anyway. */
  SendMessageRequest request() {
    SendMessageRequest.Builder request = SendMessageRequest.newBuilder();
    if (to.userId != null) {
      request.setUserId(to.userId);
    } else {
      request.setConversationId(to.conversationId);
    }
    String text = String.join(" ", words);
    if (file != null) {
      if (file.size < 0) {
        throw usage("--size must not be negative, not " + file.size);
      }
      request.setFile(
          FileContent.newBuilder()
              .setFileId(file.fileId)
              .setName(file.name)
              .setMimeType(file.mimeType)
              .setSize(file.size)
              .setCaption(text));
    } else if (text.isBlank()) {
      throw usage("no text to send (give TEXT, or --file-id and --file-name for a file)");
    } else {
      request.setText(TextContent.newBuilder().setText(text));
    }
    String id = clientMsgId != null ? clientMsgId : Messenger.newClientMsgId();
    if (!CLIENT_MSG_ID.matcher(id).matches()) {
      throw usage(
          "--client-msg-id must be 1..64 characters of A-Z a-z 0-9 . _ : -, not '" + id + "'");
    }
    return request.setClientMsgId(id).build();
  }
}

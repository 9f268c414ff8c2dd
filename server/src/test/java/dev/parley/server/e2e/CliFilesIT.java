package dev.parley.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import dev.parley.cli.CliCommand;
import dev.parley.client.Connection;
import dev.parley.client.Credentials;
import dev.parley.client.Encoding;
import dev.parley.client.Futures;
import dev.parley.client.ParleyClient;
import dev.parley.proto.client.FileInfo;
import dev.parley.proto.client.GetHistoryRequest;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.SendMessageResponse;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code cli send-file} and {@code cli download} against a real single node: a photo goes out as an
 * image message, a PDF as a file message, and the uploader downloads the bytes back.
 */
class CliFilesIT {
  @RegisterExtension
  static final dev.parley.testkit.PostgresExtension postgres =
      new dev.parley.testkit.PostgresExtension();

  static TestNode node;
  static String aliceEmail = DevCodes.uniqueEmail("alice");
  static Credentials bob;
  static Connection bobConnection;
  static long groupId;

  @TempDir static Path home;
  @TempDir Path dir;

  record Run(int exitCode, String out, String err) {}

  static Run cli(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine =
        new CommandLine(
            new CliCommand(
                Map.of("PARLEY_CLI_HOME", home.toString()), InputStream.nullInputStream()));
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return new Run(commandLine.execute(args), out.toString(), err.toString());
  }

  @BeforeAll
  static void start() {
    node = TestNode.start(postgres, Map.of());
    ParleyClient client = node.client(Encoding.JSON);
    DevCodes codes = new DevCodes(node.dataDir);
    Credentials alice = codes.register(client, aliceEmail, "Alice", "a");
    bob = codes.register(client, DevCodes.uniqueEmail("bob"), "Bob", "b");
    bobConnection = client.connect(bob);
    groupId =
        Futures.await(bobConnection.createGroup("photos", List.of(alice.userId())))
            .getConversation()
            .getConversationId();
    Run login =
        cli(
            "login",
            aliceEmail,
            "--password",
            Users.PASSWORD,
            "--server",
            node.baseUri().toString());
    assertThat(login.exitCode()).as(login.err()).isZero();
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  /** The two JSON lines of {@code send-file --json}: the uploaded file, then the sent message. */
  record Sent(FileInfo file, SendMessageResponse message) {}

  static Sent sendFile(Path file, String... more) throws Exception {
    List<String> args =
        new java.util.ArrayList<>(List.of("send-file", "--json", "--chat", Long.toString(groupId)));
    args.addAll(List.of(more));
    args.add(file.toString());
    Run run = cli(args.toArray(String[]::new));
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err()).contains("100%");
    String[] lines = run.out().strip().split("\n");
    assertThat(lines).hasSize(2);
    FileInfo.Builder info = FileInfo.newBuilder();
    JsonFormat.parser().merge(lines[0], info);
    SendMessageResponse.Builder sent = SendMessageResponse.newBuilder();
    JsonFormat.parser().merge(lines[1], sent);
    return new Sent(info.build(), sent.build());
  }

  static Message bobsView(SendMessageResponse sent) {
    return Futures.await(
            bobConnection.getHistory(
                GetHistoryRequest.newBuilder()
                    .setConversationId(sent.getConversationId())
                    .setLimit(10)
                    .build()))
        .getMessagesList()
        .stream()
        .filter(m -> m.getSeq() == sent.getSeq())
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aPhotoGoesOutAsAnImageMessageAndDownloadsBack() throws Exception {
    Path photo = dir.resolve("holiday photo.jpg");
    BufferedImage image = new BufferedImage(64, 48, BufferedImage.TYPE_INT_RGB);
    for (int x = 0; x < 64; x++)
      for (int y = 0; y < 48; y++) image.setRGB(x, y, x * 4 << 16 | y * 5);
    ImageIO.write(image, "jpg", photo.toFile());

    Sent sent = sendFile(photo, "--caption", "the beach");

    assertThat(sent.file().getMimeType()).isEqualTo("image/jpeg");
    Message message = bobsView(sent.message());
    assertThat(message.hasImage()).as(message.toString()).isTrue();
    assertThat(message.getImage().getFileId()).isEqualTo(sent.file().getFileId());
    assertThat(message.getImage().getCaption()).isEqualTo("the beach");
    assertThat(message.getImage().getWidth()).isEqualTo(64);
    assertThat(message.getImage().getHeight()).isEqualTo(48);

    Path copy = dir.resolve("copy.jpg");
    Run download = cli("download", sent.file().getFileId(), "-o", copy.toString());
    assertThat(download.exitCode()).as(download.err()).isZero();
    assertThat(download.out()).contains("downloaded: file " + sent.file().getFileId());
    assertThat(Files.readAllBytes(copy)).isEqualTo(Files.readAllBytes(photo));
  }

  @Test
  void aDocumentGoesOutAsAFileMessage() throws Exception {
    Path pdf = dir.resolve("notes.pdf");
    Files.writeString(pdf, "%PDF-1.7\n% notes\n", StandardCharsets.US_ASCII);

    Sent sent = sendFile(pdf);

    Message message = bobsView(sent.message());
    assertThat(message.hasFile()).as(message.toString()).isTrue();
    assertThat(message.getFile().getFileId()).isEqualTo(sent.file().getFileId());
    assertThat(message.getFile().getName()).isEqualTo("notes.pdf");
    assertThat(message.getFile().getMimeType()).isEqualTo("application/pdf");
  }

  @Test
  void aFileThatIsNotThereIsAUsageError() {
    Run run =
        cli("send-file", "--chat", Long.toString(groupId), dir.resolve("nope.jpg").toString());
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("no such file");
  }

  @Test
  void anUnknownFileIdIsNotFound() {
    Run run = cli("download", "12345", "-o", dir.resolve("x").toString());
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("NOT_FOUND");
  }
}

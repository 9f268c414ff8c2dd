package dev.parley.cli;

import static dev.parley.cli.CliRunner.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.proto.client.GetHistoryRequest;
import dev.parley.proto.client.Role;
import dev.parley.proto.client.SendMessageRequest;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParameterException;

/** How the messaging commands read their arguments; parsing only, nothing runs. */
class MessagingArgumentsTest {
  @Test
  void sendJoinsTheWordsAndMakesAClientMsgId() {
    SendMessageRequest request =
        parse(SendCommand.class, "send", "--to-user", "8", "Hi", "Bob!").request();

    assertThat(request.getUserId()).isEqualTo(8);
    assertThat(request.hasConversationId()).isFalse();
    assertThat(request.getText().getText()).isEqualTo("Hi Bob!");
    assertThat(request.getClientMsgId()).matches("[0-9a-f-]{36}");
    assertThat(parse(SendCommand.class, "send", "--to-user", "8", "x").request().getClientMsgId())
        .isNotEqualTo(request.getClientMsgId());
  }

  @Test
  void sendToAChatWithAGivenIdAndATextStartingWithADash() {
    SendMessageRequest request =
        parse(
                SendCommand.class,
                "send",
                "--chat",
                "55",
                "--client-msg-id",
                "msg:1",
                "--",
                "-1 for that")
            .request();

    assertThat(request.getConversationId()).isEqualTo(55);
    assertThat(request.getClientMsgId()).isEqualTo("msg:1");
    assertThat(request.getText().getText()).isEqualTo("-1 for that");
  }

  @Test
  void aFileMessageTakesTheTextAsCaption() {
    SendMessageRequest request =
        parse(
                SendCommand.class,
                "send",
                "--chat",
                "55",
                "--file-id",
                "f_1",
                "--file-name",
                "report.pdf",
                "--mime",
                "application/pdf",
                "--size",
                "12345",
                "Q3",
                "numbers")
            .request();

    assertThat(request.hasText()).isFalse();
    assertThat(request.getFile().getFileId()).isEqualTo("f_1");
    assertThat(request.getFile().getName()).isEqualTo("report.pdf");
    assertThat(request.getFile().getMimeType()).isEqualTo("application/pdf");
    assertThat(request.getFile().getSize()).isEqualTo(12345);
    assertThat(request.getFile().getCaption()).isEqualTo("Q3 numbers");
    assertThat(
            parse(
                    SendCommand.class,
                    "send",
                    "--chat",
                    "55",
                    "--file-id",
                    "f_1",
                    "--file-name",
                    "a.bin")
                .request()
                .getFile()
                .getMimeType())
        .isEqualTo("application/octet-stream");
  }

  @Test
  void sendRefusesWhatTheServerWould() {
    assertThatThrownBy(() -> parse(SendCommand.class, "send", "--chat", "55").request())
        .isInstanceOf(ParameterException.class)
        .hasMessageStartingWith("no text to send");
    assertThatThrownBy(() -> parse(SendCommand.class, "send", "--chat", "55", " ").request())
        .isInstanceOf(ParameterException.class);
    assertThatThrownBy(
            () ->
                parse(SendCommand.class, "send", "--chat", "55", "--client-msg-id", "a b", "x")
                    .request())
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("--client-msg-id");
    assertThatThrownBy(
            () -> parse(SendCommand.class, "send", "--chat", "55", "--to-user", "8", "x"))
        .isInstanceOf(ParameterException.class);
    assertThatThrownBy(() -> parse(SendCommand.class, "send", "x"))
        .isInstanceOf(ParameterException.class);
    assertThatThrownBy(
            () -> parse(SendCommand.class, "send", "--chat", "55", "--file-id", "f_1", "x"))
        .isInstanceOf(ParameterException.class); // --file-name is missing
  }

  @Test
  void historyDirections() {
    assertThat(parse(HistoryCommand.class, "history", "55").request())
        .isEqualTo(GetHistoryRequest.newBuilder().setConversationId(55).build());
    assertThat(
            parse(HistoryCommand.class, "history", "55", "--before", "40", "--limit", "20")
                .request())
        .isEqualTo(
            GetHistoryRequest.newBuilder()
                .setConversationId(55)
                .setBeforeSeq(40)
                .setLimit(20)
                .build());
    assertThat(parse(HistoryCommand.class, "history", "55", "--forward").request())
        .isEqualTo(GetHistoryRequest.newBuilder().setConversationId(55).setForward(true).build());
    GetHistoryRequest after =
        parse(HistoryCommand.class, "history", "55", "--after", "7").request();
    assertThat(after)
        .isEqualTo(
            GetHistoryRequest.newBuilder()
                .setConversationId(55)
                .setForward(true)
                .setAfterSeq(7)
                .build());
    assertThat(HistoryCommand.oldestFirst(after)).isTrue();

    assertThatThrownBy(
            () ->
                parse(HistoryCommand.class, "history", "55", "--before", "4", "--after", "2")
                    .request())
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("--before");
    assertThatThrownBy(
            () ->
                parse(HistoryCommand.class, "history", "55", "--before", "4", "--forward")
                    .request())
        .isInstanceOf(ParameterException.class);
    assertThatThrownBy(() -> parse(HistoryCommand.class, "history", "55", "--limit", "0").request())
        .isInstanceOf(ParameterException.class);
  }

  @Test
  void groupArguments() {
    GroupCommand.Create create =
        parse(
            GroupCommand.Create.class,
            "group",
            "create",
            "Trip 2026",
            "--member",
            "8",
            "--member",
            "9");
    assertThat(create.title).isEqualTo("Trip 2026");
    assertThat(create.members).containsExactly(8L, 9L);
    assertThat(parse(GroupCommand.Create.class, "group", "create", "Solo").members).isEmpty();

    assertThat(parse(GroupCommand.Invite.class, "group", "invite", "66", "8", "9").userIds)
        .containsExactly(8L, 9L);
    assertThat(parse(GroupCommand.SetRole.class, "group", "role", "66", "8", "admin").role)
        .isEqualTo(Role.ROLE_ADMIN);
    assertThat(parse(GroupCommand.SetRole.class, "group", "role", "66", "8", "Member").role)
        .isEqualTo(Role.ROLE_MEMBER);
    assertThatThrownBy(() -> parse(GroupCommand.SetRole.class, "group", "role", "66", "8", "owner"))
        .isInstanceOf(ParameterException.class)
        .hasMessageContaining("admin, member");
    assertThatThrownBy(() -> parse(GroupCommand.Invite.class, "group", "invite", "66"))
        .isInstanceOf(ParameterException.class);
  }

  @Test
  void readAndReaders() {
    assertThat(parse(ReadCommand.class, "read", "55").seq).isNull();
    assertThat(parse(ReadCommand.class, "read", "55", "12").seq).isEqualTo(12L);
    assertThat(parse(ReadersCommand.class, "readers", "66", "4", "5").seqs).containsExactly(4L, 5L);
    assertThatThrownBy(() -> parse(ReadersCommand.class, "readers", "66"))
        .isInstanceOf(ParameterException.class);
    assertThat(parse(RelationCommands.Add.class, "friend", "add", "8", "--note", "hi").note)
        .isEqualTo("hi");
    assertThat(parse(RelationCommands.Add.class, "friend", "add", "8").note).isEmpty();
  }
}

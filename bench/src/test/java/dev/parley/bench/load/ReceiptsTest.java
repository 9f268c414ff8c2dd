package dev.parley.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.bench.account.Account;
import dev.parley.bench.net.NetLoops;
import dev.parley.client.Encoding;
import dev.parley.proto.client.AuthTokens;
import dev.parley.proto.client.Message;
import dev.parley.proto.client.TextContent;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The correctness checks of a receiving device and the ledger's accounting, without a server. */
class ReceiptsTest {
  private static final long CONV = 77;

  private NetLoops net;
  private Fleet fleet;
  private PhaseStats phase;

  @BeforeEach
  void setUp() {
    net = new NetLoops(1, 1);
    List<Account> accounts = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Account a = new Account(i, "u" + i + "@example.com", "d" + i);
      a.update(AuthTokens.newBuilder().setUserId(1000 + i).build());
      accounts.add(a);
    }
    Fleet.Settings settings =
        new Fleet.Settings(
            URI.create("http://127.0.0.1:1"),
            Encoding.PROTOBUF,
            60,
            Duration.ofSeconds(1),
            128,
            1,
            Duration.ZERO,
            false);
    fleet = new Fleet(settings, net, null, accounts, "run1");
    phase = fleet.ledger().startPhase("p", 1);
  }

  @AfterEach
  void tearDown() {
    net.close();
  }

  private SentMessage send(int sender, int counter, int... recipients) {
    return fleet
        .ledger()
        .open(sender, counter, System.nanoTime(), recipients, phase, 0, recipients[0]);
  }

  private static Message entry(long seq, int sender, int counter, long intended) {
    return Message.newBuilder()
        .setConversationId(CONV)
        .setSeq(seq)
        .setSenderId(1000 + sender)
        .setText(
            TextContent.newBuilder().setText(Payload.text("run1", sender, counter, intended, 64)))
        .build();
  }

  @Test
  void deliveredOnceAndAckedCompletesTheMessage() {
    SentMessage m = send(0, 0, 1);
    Receipts r = new Receipts(fleet, 1);
    r.apply(entry(1, 0, 0, m.intendedNanos), System.nanoTime(), false);
    fleet.ledger().acked(m, System.nanoTime(), 1, false);
    assertThat(fleet.ledger().openCount()).isZero();
    assertThat(phase.delivered.sum()).isEqualTo(1);
    assertThat(phase.endToEnd.getTotalCount()).isEqualTo(1);
    assertThat(phase.ack.getTotalCount()).isEqualTo(1);
  }

  @Test
  void aSecondCopyIsADuplicateEvenWithAnotherSeq() {
    SentMessage m = send(0, 0, 1);
    fleet.ledger().acked(m, System.nanoTime(), 1, false);
    Receipts r = new Receipts(fleet, 1);
    r.apply(entry(1, 0, 0, m.intendedNanos), System.nanoTime(), false);
    r.apply(entry(2, 0, 0, m.intendedNanos), System.nanoTime(), true);
    assertThat(fleet.counters().duplicates.sum()).isEqualTo(1);
    assertThat(phase.duplicates.sum()).isEqualTo(1);
  }

  @Test
  void aMissingSeqIsAGapAndAnUndeliveredMessageIsLost() {
    SentMessage a = send(0, 0, 1);
    SentMessage b = send(0, 1, 1);
    SentMessage c = send(0, 2, 1);
    for (SentMessage m : List.of(a, b, c))
      fleet.ledger().acked(m, System.nanoTime(), m.counter + 1, false);
    Receipts r = new Receipts(fleet, 1);
    r.apply(entry(1, 0, 0, a.intendedNanos), System.nanoTime(), false);
    r.apply(entry(3, 0, 2, c.intendedNanos), System.nanoTime(), false);
    assertThat(fleet.counters().seqGaps.sum()).isEqualTo(1);
    fleet.ledger().finish();
    assertThat(phase.lost.sum()).isEqualTo(1);
    assertThat(fleet.counters().lostSample()).hasSize(1);
  }

  @Test
  void countersAgainstSeqOrderAreReorders() {
    SentMessage a = send(0, 0, 1);
    SentMessage b = send(0, 1, 1);
    Receipts r = new Receipts(fleet, 1);
    r.apply(entry(1, 0, 1, b.intendedNanos), System.nanoTime(), false);
    r.apply(entry(2, 0, 0, a.intendedNanos), System.nanoTime(), false);
    assertThat(phase.reordered.sum()).isEqualTo(1);
    assertThat(fleet.counters().seqGaps.sum()).isZero();
  }

  @Test
  void aTextWhoseSenderIsNotTheEntrysSenderIsCorrupt() {
    SentMessage m = send(0, 0, 1);
    Receipts r = new Receipts(fleet, 1);
    r.apply(
        entry(1, 0, 0, m.intendedNanos).toBuilder().setSenderId(1002).build(),
        System.nanoTime(),
        false);
    assertThat(fleet.counters().corrupt.sum()).isEqualTo(1);
  }

  @Test
  void aFailedMessageThatArrivesIsUnexpectedAndAnUnansweredOneIsCounted() {
    SentMessage failed = send(0, 0, 1);
    fleet.ledger().failed(failed);
    send(0, 1, 1); // never answered
    Receipts r = new Receipts(fleet, 1);
    r.apply(entry(1, 0, 0, failed.intendedNanos), System.nanoTime(), false);
    assertThat(fleet.counters().unexpected.sum()).isEqualTo(1);
    fleet.ledger().finish();
    assertThat(phase.unanswered.sum()).isEqualTo(1);
    assertThat(phase.failed.sum()).isEqualTo(1);
  }

  @Test
  void theLastRecipientOfAGroupMessageIsTimed() {
    SentMessage m = send(0, 0, 1, 2);
    fleet.ledger().acked(m, System.nanoTime(), 1, false);
    new Receipts(fleet, 1).apply(entry(1, 0, 0, m.intendedNanos), System.nanoTime(), false);
    assertThat(phase.lastRecipient.getTotalCount()).isZero();
    new Receipts(fleet, 2).apply(entry(1, 0, 0, m.intendedNanos), System.nanoTime(), false);
    assertThat(phase.lastRecipient.getTotalCount()).isEqualTo(1);
    assertThat(fleet.ledger().openCount()).isZero();
  }

  @Test
  void otherRunsAndOwnEchoesAreIgnored() {
    SentMessage m = send(0, 0, 1);
    Receipts own = new Receipts(fleet, 0);
    own.apply(entry(1, 0, 0, m.intendedNanos), System.nanoTime(), false);
    Message foreign =
        Message.newBuilder()
            .setConversationId(CONV)
            .setSeq(2)
            .setSenderId(1000)
            .setText(TextContent.newBuilder().setText(Payload.text("otherrun", 0, 0, 1, 64)))
            .build();
    Receipts r = new Receipts(fleet, 1);
    r.apply(foreign, System.nanoTime(), false);
    assertThat(phase.delivered.sum()).isZero();
    assertThat(fleet.ledger().openCount()).isEqualTo(1);
  }
}

package dev.parley.bench.scenario;

import dev.parley.bench.BenchRun;
import dev.parley.bench.Durations;
import dev.parley.bench.ScenarioCommand;
import dev.parley.bench.account.Account;
import dev.parley.bench.load.OpenLoopPacer;
import dev.parley.bench.load.PhaseStats;
import dev.parley.bench.load.RunCounters;
import dev.parley.bench.net.WsConnection;
import dev.parley.bench.report.LatencySummary;
import dev.parley.bench.report.RunReport;
import dev.parley.bench.report.ServerMetrics;
import dev.parley.proto.client.AuthenticateRequest;
import dev.parley.proto.client.Event;
import dev.parley.proto.client.PingRequest;
import dev.parley.proto.client.Request;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * S4, idle connections: authenticated connections that do nothing, stepped up to each total in
 * {@code --connections}. At each step, after opening, the connections are held for {@code --hold}
 * while a sample of them sends {@code ping} requests at {@code --ping-rate} (open loop: the round
 * trip is taken from the intended time); the server's heap, RSS and CPU are read at every step.
 * Connections cycle over the accounts (a session may have several connections), so the count is not
 * limited by the accounts. The server's own heartbeats (a WebSocket ping after 25 s of silence) are
 * answered by Netty.
 */
@Command(
    name = "s4",
    mixinStandardHelpOptions = true,
    description =
        "Idle connections stepped up; heartbeat (ping request) round trip and server memory per step.")
public final class S4IdleConnections extends ScenarioCommand {
  @Option(
      names = "--connections",
      paramLabel = "N",
      split = ",",
      defaultValue = "1000",
      description =
          "Totals to step through, e.g. 1000,5000,10000,20000. Default: ${DEFAULT-VALUE}.")
  List<Integer> steps;

  @Option(
      names = "--hold",
      paramLabel = "DURATION",
      defaultValue = "30s",
      converter = Durations.class,
      description = "How long each step is held (and pinged). Default: ${DEFAULT-VALUE}.")
  Duration hold;

  @Option(
      names = "--ping-rate",
      paramLabel = "PINGS/S",
      defaultValue = "50",
      description =
          "Ping requests per second over all connections during the hold. Default: ${DEFAULT-VALUE}.")
  double pingRate;

  @Option(
      names = "--users",
      paramLabel = "U",
      description = "Accounts to use (default: min(all, largest step)).")
  Integer users;

  @Override
  protected int accountsNeeded(int available) {
    int max = steps.stream().mapToInt(Integer::intValue).max().orElse(1);
    return users != null ? users : Math.min(available, max);
  }

  @Override
  protected RunReport run(BenchRun run) throws Exception {
    List<Account> accounts = run.accounts(accountsNeeded(run.accountsAvailable()));
    int largest = steps.stream().mapToInt(Integer::intValue).max().orElse(0);
    long fds = dev.parley.bench.report.MachineInfo.current().maxFileDescriptors();
    if (fds > 0 && fds < largest + 200L) {
      String warning =
          "the bench may open only "
              + fds
              + " files (ulimit -n) but the largest step needs "
              + largest
              + " connections";
      run.out().println("warning: " + warning);
      run.note(warning);
    }
    RunCounters counters = new RunCounters();
    List<WsConnection> conns = new CopyOnWriteArrayList<>();
    AtomicInteger closedDuringRun = new AtomicInteger();
    List<Map<String, Object>> perStep = new ArrayList<>();
    String stopReason = "all steps done";
    for (int target : steps) {
      BenchRun.Phase phase = run.beginPhase(null, target + "conns", pingRate);
      int need = target - conns.size();
      int closedBefore = closedDuringRun.get();
      long openStart = System.nanoTime();
      int failed = open(run, accounts, conns, need, phase.stats, counters, closedDuringRun);
      double openSeconds = (System.nanoTime() - openStart) / 1e9;
      OpenLoopPacer.run(
          pingRate,
          System.nanoTime(),
          hold,
          Long.MAX_VALUE,
          (k, intended) -> {
            int n = conns.size();
            if (n == 0) return;
            WsConnection c = conns.get((int) Math.floorMod(Senders.mix(k), (long) n));
            c.request(
                Request.newBuilder().setPing(PingRequest.getDefaultInstance()),
                (r, failure, nanos) -> {
                  if (r != null && r.hasPing()) {
                    PhaseStats.record(phase.stats.ack, nanos - intended);
                  } else {
                    phase.stats.error(
                        failure != null
                            ? failure
                            : r != null ? r.getError().getReason().name() : "no answer");
                  }
                });
          },
          () -> false);
      phase.end(failed > 0 ? failed + " connections failed to open" : "");
      long open = conns.stream().filter(WsConnection::isOpen).count();
      Runtime rt = Runtime.getRuntime();
      double benchHeapMb = Math.round((rt.totalMemory() - rt.freeMemory()) / 1048576.0 * 10) / 10.0;
      ServerMetrics.Delta server = phase.server();
      LatencySummary connect = LatencySummary.of(phase.stats.other);
      LatencySummary ping = LatencySummary.of(phase.stats.ack);
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("connections", target);
      s.put("open", open);
      s.put("openedThisStep", need - failed);
      s.put("failedThisStep", failed);
      s.put("openSeconds", Math.round(openSeconds * 100) / 100.0);
      s.put("connectMs", connect);
      s.put("pingMs", ping);
      s.put("pingErrors", phase.stats.errors());
      s.put("closedByServerThisStep", closedDuringRun.get() - closedBefore);
      s.put("serverHeapUsedMb", server.heapUsedMb());
      s.put("serverHeapPeakMb", server.heapUsedPeakMb());
      s.put("serverRssMb", server.rssMb());
      s.put("serverCpuCores", server.cpuCores());
      s.put("benchHeapUsedMb", benchHeapMb);
      perStep.add(s);
      run.out()
          .printf(
              "  %d connections (%d open, %d failed): connect p99 %.1f ms, ping p50/p99/p99.9/max %s ms, "
                  + "server heap %s MB, RSS %s MB%n",
              target,
              open,
              failed,
              connect.p99Ms(),
              ping.brief(),
              server.heapUsedMb(),
              server.rssMb());
      if (failed > 0) {
        stopReason = failed + " connections failed at step " + target;
        break;
      }
    }
    List<CompletableFuture<Void>> closing = new ArrayList<>();
    for (WsConnection c : conns) closing.add(c.close());
    try {
      CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      run.note("not every connection closed within 60 s");
    }
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("steps", perStep);
    results.put("stopReason", stopReason);
    return run.finish(
        "idle connections stepped "
            + steps
            + ", held "
            + Durations.format(hold)
            + ", "
            + run.options().encoding.name().toLowerCase(),
        results,
        counters);
  }

  /**
   * Opens {@code n} authenticated connections, cycling over the accounts; returns how many failed.
   */
  private int open(
      BenchRun run,
      List<Account> accounts,
      List<WsConnection> conns,
      int n,
      PhaseStats stats,
      RunCounters counters,
      AtomicInteger closedByServer) {
    Semaphore permits = new Semaphore(run.options().connectConcurrency);
    AtomicInteger failed = new AtomicInteger();
    List<CompletableFuture<?>> all = new ArrayList<>();
    int base = conns.size();
    for (int i = 0; i < n; i++) {
      Account a = accounts.get((base + i) % accounts.size());
      permits.acquireUninterruptibly();
      long t0 = System.nanoTime();
      WsConnection.Listener idle =
          new WsConnection.Listener() {
            @Override
            public void onEvent(Event event, long arrivalNanos) {}

            @Override
            public void onClosed(int code, String reason, boolean closedByUs) {
              if (!closedByUs) {
                counters.unexpectedClose(code, reason);
                closedByServer.incrementAndGet();
              }
            }
          };
      CompletableFuture<Void> done = new CompletableFuture<>();
      // Tokens last 15 minutes: a long run refreshes them before opening more connections.
      run.sessions()
          .freshAsync(a, Duration.ofMinutes(2))
          .thenCompose(
              v ->
                  WsConnection.open(
                      run.net(),
                      run.net().next(),
                      run.options().server,
                      run.options().encoding,
                      idle,
                      run.options().maxInFlight,
                      run.options().requestTimeout))
          .whenComplete(
              (c, e) -> {
                if (e != null) {
                  done.completeExceptionally(e);
                  return;
                }
                c.request(
                    Request.newBuilder()
                        .setAuthenticate(
                            AuthenticateRequest.newBuilder().setAccessToken(a.accessToken())),
                    (r, failure, nanos) -> {
                      if (r != null && r.hasAuthenticate()) {
                        PhaseStats.record(stats.other, nanos - t0);
                        PhaseStats.record(counters.connect, nanos - t0);
                        conns.add(c);
                        done.complete(null);
                      } else {
                        c.close();
                        done.completeExceptionally(
                            new IllegalStateException(
                                "authenticate: "
                                    + (r != null ? r.getError().getReason() : failure)));
                      }
                    });
              });
      all.add(
          done.whenComplete(
              (v, e) -> {
                if (e != null) {
                  failed.incrementAndGet();
                  counters.connectFailures.increment();
                }
                permits.release();
              }));
    }
    try {
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
    } catch (Exception e) {
      // counted above
    }
    return failed.get();
  }
}

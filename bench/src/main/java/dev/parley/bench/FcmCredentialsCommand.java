package dev.parley.bench;

import dev.parley.bench.push.ServiceAccountFile;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code fcm-credentials}: the key file that points a server's FCM client at the bench's fake FCM
 * (scenario s7), written before the server starts.
 */
@Command(
    name = "fcm-credentials",
    mixinStandardHelpOptions = true,
    description =
        "Write a service-account key file whose token endpoint is the fake FCM that s7 runs on --fake-port.")
public final class FcmCredentialsCommand implements Callable<Integer> {
  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write it.")
  Path out;

  @Option(
      names = "--fake-port",
      paramLabel = "PORT",
      defaultValue = "19600",
      description = "Port s7's fake FCM will listen on. Default: ${DEFAULT-VALUE}.")
  int fakePort;

  @Override
  public Integer call() throws Exception {
    ServiceAccountFile.write(out, fakePort);
    System.out.printf(
        "wrote %s (project %s, token endpoint http://127.0.0.1:%d/token)%n",
        out, ServiceAccountFile.PROJECT, fakePort);
    return 0;
  }
}

package dev.parley.cli;

import dev.parley.proto.client.DeviceInfo;
import dev.parley.proto.client.Platform;
import java.net.InetAddress;
import java.net.UnknownHostException;
import picocli.CommandLine.Option;

/** The device a new session is opened for (register, login). */
final class DeviceOptions {
  /** The server's limit on device names. */
  private static final int MAX_NAME = 64;

  @Option(
      names = "--device-id",
      paramLabel = "ID",
      description =
          "Stable id of this device (default: generated once per profile and kept in it).")
  String deviceId;

  @Option(
      names = "--platform",
      paramLabel = "PLATFORM",
      defaultValue = "desktop",
      converter = Converters.PlatformConverter.class,
      description = "desktop, web, android or ios (default: ${DEFAULT-VALUE}).")
  Platform platform;

  @Option(
      names = "--device-name",
      paramLabel = "NAME",
      description = "Shown in the session list (default: \"parley-cli on <hostname>\").")
  String deviceName;

  DeviceInfo toProto(ProfileStore profile) {
    String name = deviceName != null ? deviceName : "parley-cli on " + hostname();
    return DeviceInfo.newBuilder()
        .setDeviceId(deviceId != null ? deviceId : profile.deviceId())
        .setPlatform(platform)
        .setName(name.length() > MAX_NAME ? name.substring(0, MAX_NAME) : name)
        .build();
  }

  private static String hostname() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "unknown host";
    }
  }
}

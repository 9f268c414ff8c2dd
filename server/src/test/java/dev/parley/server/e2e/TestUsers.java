package dev.parley.server.e2e;

import dev.parley.client.Credentials;
import dev.parley.client.Encoding;
import dev.parley.client.Futures;
import dev.parley.client.ParleyClient;
import dev.parley.client.Recipient;
import dev.parley.proto.client.Platform;
import java.util.ArrayList;
import java.util.List;

/**
 * The users and devices of one end-to-end test against a {@link TestNode}: registers users with
 * several online devices (the first speaks JSON, then protobuf and JSON in turn, so both encodings
 * are exercised) and closes every device it made or was given. Make one per test, close it after.
 */
final class TestUsers implements AutoCloseable {
  private final TestNode node;
  private final DevCodes codes;
  private final List<Device> devices = new ArrayList<>();

  TestUsers(TestNode node, DevCodes codes) {
    this.node = node;
    this.codes = codes;
  }

  /** A new user with {@code n} online devices. */
  List<Device> user(String name, int n) {
    ParleyClient json = node.client(Encoding.JSON);
    ParleyClient proto = node.client(Encoding.PROTOBUF);
    String email = DevCodes.uniqueEmail(name);
    List<Device> mine = new ArrayList<>();
    Credentials first = codes.register(json, email, name, name + "-0");
    mine.add(Device.online(json, first));
    for (int i = 1; i < n; i++) {
      ParleyClient c = i % 2 == 0 ? json : proto;
      mine.add(Device.online(c, Users.login(c, email, name + "-" + i, Platform.PLATFORM_ANDROID)));
    }
    devices.addAll(mine);
    return mine;
  }

  /** Closes {@code device} with the others (one a test made itself). */
  Device track(Device device) {
    devices.add(device);
    return device;
  }

  /** Every device made or tracked so far, in order. */
  List<Device> all() {
    return List.copyOf(devices);
  }

  @Override
  public void close() {
    devices.forEach(Device::close);
    devices.clear();
  }

  /** A group titled "g" that {@code owner} creates with the users of {@code others}. */
  static long group(Device owner, Device... others) {
    List<Long> ids = new ArrayList<>();
    for (Device d : others) ids.add(d.userId());
    return Futures.await(owner.connection.createGroup("g", ids))
        .getConversation()
        .getConversationId();
  }

  /** Sends {@code text} from {@code d}'s messenger; returns its seq. */
  static long send(Device d, long conversation, String text) {
    return Futures.await(d.messenger.sendText(Recipient.conversation(conversation), text)).getSeq();
  }
}

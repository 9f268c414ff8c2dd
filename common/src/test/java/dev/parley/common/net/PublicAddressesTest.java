package dev.parley.common.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PublicAddressesTest {
  private static InetAddress address(String literal) {
    return PublicAddresses.literal(literal.contains(":") ? "[" + literal + "]" : literal)
        .orElseThrow(() -> new AssertionError(literal + " is not parsed as a literal"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0.0.0.0",
        "10.1.2.3",
        "100.64.0.1",
        "127.0.0.1",
        "127.255.0.1",
        "169.254.169.254",
        "172.16.0.1",
        "172.31.255.255",
        "192.0.0.8",
        "192.0.2.1",
        "192.168.1.1",
        "198.18.0.1",
        "198.51.100.7",
        "203.0.113.9",
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::",
        "::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "64:ff9b::a9fe:a9fe",
        "2002:7f00:1::",
        "2001::1",
        "2001:db8::1",
        "fc00::1",
        "fd12:3456::1",
        "fe80::1",
        "fec0::1",
        "ff02::1",
        "100::1"
      })
  void nonPublicAddressesAreRefused(String literal) {
    assertThat(PublicAddresses.isPublic(address(literal))).isFalse();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "8.8.8.8",
        "142.250.185.10",
        "172.32.0.1",
        "100.128.0.1",
        "2a00:1450:4001:82a::200a",
        "2606:4700::6810:84e5",
        "::ffff:8.8.8.8",
        "64:ff9b::808:808"
      })
  void publicAddressesAreAccepted(String literal) {
    assertThat(PublicAddresses.isPublic(address(literal))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "127.0.0.1",
        "[::1]",
        "localhost",
        "LOCALHOST.",
        "push.localhost",
        "127.1",
        "2130706433",
        "10.65535",
        "192.168.258"
      })
  void literalsAndLocalhostNamesAreKnownWithoutALookup(String host) {
    assertThat(PublicAddresses.literal(host))
        .hasValueSatisfying(a -> assertThat(PublicAddresses.isPublic(a)).isFalse());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "fcm.googleapis.com",
        "localhost.example.com",
        "10.0.0.1.nip.io",
        "1.2.3.4.5",
        "256.1.1.1",
        "4294967296"
      })
  void otherNamesNeedALookup(String host) {
    assertThat(PublicAddresses.literal(host)).isEmpty();
  }
}

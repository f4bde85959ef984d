package dev.switchboard.reliability;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import okhttp3.Dns;

/**
 * A resolver that never asks DNS: {@code localhost} is loopback, names under the reserved
 * {@code .invalid} top-level domain (RFC 6761) fail at once, and any other name fails too, so a
 * test can never send traffic off the machine however it is configured. OkHttp does not consult
 * it for IP literals such as 127.0.0.1.
 */
final class LoopbackDns implements Dns {
  static final LoopbackDns INSTANCE = new LoopbackDns();

  @Override
  public List<InetAddress> lookup(String hostname) throws UnknownHostException {
    String h = hostname.toLowerCase(Locale.ROOT);
    if (h.equals("localhost")) return List.of(InetAddress.getLoopbackAddress());
    if (h.endsWith(".invalid") || h.equals("invalid")) {
      throw new UnknownHostException(hostname + ": names under .invalid never resolve (RFC 6761)");
    }
    throw new UnknownHostException(hostname + ": the reliability tests resolve no names but localhost");
  }
}

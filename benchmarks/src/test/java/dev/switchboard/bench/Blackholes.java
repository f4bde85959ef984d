package dev.switchboard.bench;

import org.openjdk.jmh.infra.Blackhole;

/** A JMH blackhole for calling benchmark methods from plain tests. */
final class Blackholes {
  private Blackholes() {}

  static Blackhole create() {
    return new Blackhole("Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
  }
}

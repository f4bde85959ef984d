package dev.switchboard.reliability;

import dev.switchboard.Attempt;
import dev.switchboard.SwitchboardException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.IdentityHashMap;
import java.util.Map;

/** Asserts that no configured secret appears anywhere an exception can show text. */
final class Secrets {
  private Secrets() {}

  /**
   * Checks {@code e} as a user would see it: its message (which lists every attempt), its
   * printed stack trace with every cause and suppressed exception, and, recursively, the error
   * of every attempt it carries.
   */
  static void assertNone(String what, Throwable e) {
    check(what, e, new IdentityHashMap<>());
  }

  private static void check(String what, Throwable e, Map<Throwable, Boolean> seen) {
    if (e == null || seen.put(e, Boolean.TRUE) != null) return;
    StringWriter w = new StringWriter();
    e.printStackTrace(new PrintWriter(w));
    String text = e.getMessage() + "\n" + e + "\n" + w;
    for (String secret : Kind.SECRETS) {
      if (text.contains(secret)) {
        throw new AssertionError(what + " shows a secret (" + secret.substring(0, 6) + "…):\n" + text);
      }
    }
    if (e instanceof SwitchboardException se) {
      for (Attempt a : se.attempts()) a.error().ifPresent(err -> check(what + " / " + a.target(), err, seen));
    }
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) check(what, t, seen);
  }
}

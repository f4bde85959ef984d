package dev.switchboard.resilience;

import dev.switchboard.ErrorKind;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/** Validation shared by the policy records; messages name the setting as the config file does. */
final class Checks {
  private Checks() {}

  static Duration positive(Duration d, String name) {
    Objects.requireNonNull(d, name + " == null");
    if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(name + " must be positive, got " + d);
    return d;
  }

  static Duration nonNegative(Duration d, String name) {
    Objects.requireNonNull(d, name + " == null");
    if (d.isNegative()) throw new IllegalArgumentException(name + " must not be negative, got " + d);
    return d;
  }

  /** The kinds for which {@code flag} holds: a default set read from {@link ErrorKind}'s table. */
  static Set<ErrorKind> kindsWhere(Predicate<ErrorKind> flag) {
    EnumSet<ErrorKind> kinds = EnumSet.noneOf(ErrorKind.class);
    for (ErrorKind k : ErrorKind.values()) {
      if (flag.test(k)) kinds.add(k);
    }
    return Set.copyOf(kinds);
  }

  static Set<ErrorKind> kinds(Collection<ErrorKind> kinds, String name) {
    Objects.requireNonNull(kinds, name + " == null");
    for (ErrorKind k : kinds) {
      if (k == null) throw new IllegalArgumentException(name + " contains null");
    }
    if (kinds.contains(ErrorKind.CANCELLED)) {
      throw new IllegalArgumentException(name + " may not contain CANCELLED: a cancelled call is over");
    }
    return kinds.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(kinds));
  }
}

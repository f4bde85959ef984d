/**
 * Shared state through Redis: cooldowns and quota use seen by many Switchboard instances.
 *
 * <p>{@code provides} registers the factory with core's {@code uses SharedStateFactory} on the
 * module path; {@code META-INF/services} does the same on the classpath. Lettuce and Micrometer
 * are automatic modules; the public builder takes a Micrometer {@code MeterRegistry}, hence
 * {@code requires transitive micrometer.core}.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.switchboard.redis {
  requires transitive dev.switchboard.core;
  requires lettuce.core;
  requires transitive micrometer.core;
  requires org.slf4j;

  exports dev.switchboard.redis;

  provides dev.switchboard.state.SharedStateFactory with dev.switchboard.redis.RedisSharedStateFactory;
}

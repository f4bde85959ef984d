package dev.switchboard.reliability;

import dev.switchboard.ChatRequest;
import dev.switchboard.TargetRef;
import dev.switchboard.http.HttpClients;
import dev.switchboard.HttpSettings;
import dev.switchboard.spi.ProviderRequest;
import dev.switchboard.testing.ProviderTestKit;
import dev.switchboard.testing.RealTimeScheduler;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderContext;
import dev.switchboard.spi.ProviderFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import okhttp3.OkHttpClient;

/**
 * {@link UrlSafetyTest}'s wire check for generated names: any string of URL syntax, spaces,
 * controls and non-ASCII letters, sent as the model of a chat and a stream to each provider,
 * arrives with exactly the documented path and query.
 */
class UrlSafetyPropertyTest {
  static final Map<Kind, HealthyServer> SERVERS = new EnumMap<>(Kind.class);
  static final Map<Kind, ChatProvider> PROVIDERS = new EnumMap<>(Kind.class);
  static OkHttpClient client;
  static RealTimeScheduler scheduler;

  @BeforeContainer
  static void start() throws Exception {
    client = HttpClients.create(HttpSettings.DEFAULTS);
    scheduler = new RealTimeScheduler();
    ProviderContext context = new ProviderContext(client, ProviderTestKit.newObjectMapper(), new SimpleMeterRegistry(), Clock.systemUTC(),
        scheduler, HttpSettings.DEFAULTS);
    for (Kind k : Kind.values()) {
      HealthyServer server = new HealthyServer(k);
      SERVERS.put(k, server);
      ProviderFactory factory = ServiceLoader.load(ProviderFactory.class).stream().map(ServiceLoader.Provider::get)
          .filter(f -> f.type().equals(k.type)).findFirst().orElseThrow();
      PROVIDERS.put(k, factory.create(k.deployment("target", server.url()), context));
    }
  }

  @AfterContainer
  static void stop() {
    PROVIDERS.values().forEach(ChatProvider::close);
    SERVERS.values().forEach(HealthyServer::close);
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
    scheduler.close();
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.strings()
        .withCharRange(' ', '~').withChars("/?#%.&=;+\\\t\n\u0000\u007f").withChars("..//??##%%")
        .withCharRange('\u00a0', '\u024f').withCharRange('\u4e00', '\u4e3f').withCharRange('\u2000', '\u206f')
        .ofMinLength(1).ofMaxLength(40)
        .filter(s -> !s.isBlank() && !s.equals(".") && !s.equals(".."));
  }

  @Property(tries = 60)
  void anyNameArrivesAsOneSegmentOrOnlyInTheBody(@ForAll("names") String name) throws Exception {
    for (Kind k : Kind.values()) {
      ProviderCall call = new ProviderCall(ProviderRequest.from(ChatRequest.of(Rig.ALIAS, "hi")), new TargetRef("target", k.type, name), Duration.ofSeconds(10), 1);
      PROVIDERS.get(k).chat(call).get(10, TimeUnit.SECONDS);
      UrlSafetyTest.assertOnTheWire(k, name, false, SERVERS.get(k).take());
    }
  }
}

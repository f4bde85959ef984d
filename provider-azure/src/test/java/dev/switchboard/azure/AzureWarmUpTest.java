package dev.switchboard.azure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.spi.ChatProvider;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@code warmUp()} loads the codec in memory: no request reaches the server and no Entra token is fetched. */
class AzureWarmUpTest extends AzureTestBase {

  @Test
  void warmUpSendsNothingAndFetchesNoToken() {
    AtomicInteger fetches = new AtomicInteger();
    ChatProvider p = provider(new AzureOpenAiProviderFactory().withTokenSupplier("az", () -> {
      fetches.incrementAndGet();
      return AzureAccessToken.of("eyJ-warm-up-test", time.instant().plus(Duration.ofHours(1)));
    }), deployment().urlStyle(UrlStyle.V1).entraId().build());
    p.warmUp();
    p.warmUp();
    assertThat(server.getAllServeEvents()).isEmpty();
    assertThat(fetches).hasValue(0);
  }
}

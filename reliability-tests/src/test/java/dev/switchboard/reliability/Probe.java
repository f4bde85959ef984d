package dev.switchboard.reliability;

import dev.switchboard.ChatResponse;
import dev.switchboard.Deployment;
import dev.switchboard.ErrorKind;
import dev.switchboard.SwitchboardException;
import dev.switchboard.spi.Capabilities;
import dev.switchboard.spi.ChatProvider;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.spi.ProviderContext;
import dev.switchboard.spi.ProviderFactory;
import dev.switchboard.spi.ProviderStreamListener;
import dev.switchboard.spi.StreamHandle;
import java.util.concurrent.CompletableFuture;

/**
 * A provider factory of type {@code probe} that only captures the {@link ProviderContext} a
 * switchboard hands its providers: its one OkHttp client (connection pool, dispatcher, TLS
 * settings) is what the leak and transport checks inspect. Register it with a deployment that
 * no model alias targets.
 */
final class Probe implements ProviderFactory {
  static final String TYPE = "probe";
  static final Deployment DEPLOYMENT = Deployment.builder("probe", TYPE).build();

  private volatile ProviderContext context;

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public int specVersion() {
    return 3;
  }

  @Override
  public ChatProvider create(Deployment deployment, ProviderContext context) {
    this.context = context;
    return new ChatProvider() {
      @Override
      public String type() {
        return TYPE;
      }

      @Override
      public Capabilities capabilities() {
        return Capabilities.ALL;
      }

      @Override
      public CompletableFuture<ChatResponse> chat(ProviderCall call) {
        return CompletableFuture.failedFuture(SwitchboardException.of(ErrorKind.NOT_FOUND, "the probe serves nothing"));
      }

      @Override
      public StreamHandle stream(ProviderCall call, ProviderStreamListener listener) {
        listener.onError(SwitchboardException.of(ErrorKind.NOT_FOUND, "the probe serves nothing"));
        return () -> { };
      }
    };
  }

  ProviderContext context() {
    if (context == null) throw new IllegalStateException("the probe deployment was not built");
    return context;
  }
}

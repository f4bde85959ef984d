package dev.switchboard.modulepath;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.Switchboard;
import dev.switchboard.config.ConfigLoader;
import dev.switchboard.spi.ProviderFactory;
import dev.switchboard.state.SharedStateFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.module.ModuleDescriptor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.TreeSet;

/**
 * Prints, one fact a line, how Switchboard looks from an application: the module core is in and
 * what it exports, the provider and shared-state factories {@link ServiceLoader} finds (and
 * their modules), then
 * one chat through each of the three providers against a loopback server. Run on the module path
 * and on the classpath by {@code ModulePathTest}, which asserts the lines.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    Module core = Switchboard.class.getModule();
    System.out.println("core " + name(core));
    if (core.isNamed()) {
      TreeSet<String> exports = new TreeSet<>();
      for (ModuleDescriptor.Exports e : core.getDescriptor().exports()) {
        exports.add("export " + e.source() + (e.isQualified() ? " to " + new TreeSet<>(e.targets()) : ""));
      }
      exports.forEach(System.out::println);
    }

    // The engine's discovery, called by reflection as a user might try: refused when core is a
    // module (internal is exported to no one), allowed on the classpath.
    try {
      Class.forName("dev.switchboard.internal.ProviderDiscovery")
          .getMethod("discover", ClassLoader.class, List.class, boolean.class)
          .invoke(null, Main.class.getClassLoader(), List.of(), false);
      System.out.println("internal allowed");
    } catch (IllegalAccessException e) {
      System.out.println("internal refused: " + e.getClass().getSimpleName());
    }

    TreeSet<String> factories = new TreeSet<>();
    for (ProviderFactory f : ServiceLoader.load(ProviderFactory.class)) {
      factories.add("factory " + f.type() + " " + name(f.getClass().getModule()));
    }
    for (SharedStateFactory f : ServiceLoader.load(SharedStateFactory.class)) {
      factories.add("shared-state " + f.type() + " " + name(f.getClass().getModule()));
    }
    factories.forEach(System.out::println);

    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", Main::answer);
    server.start();
    try {
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      String yaml = String.join("\n",
          "deployments:",
          "  oa: {type: openai, base-url: '" + base + "/v1', api-key: sk-modulepath-test}",
          "  az: {type: azure-openai, endpoint: '" + base + "', api-key: azure-modulepath-test}",
          "  br: {type: bedrock, region: us-east-1, endpoint: '" + base + "', auth: static,"
              + " access-key-id: AKIAMODULEPATHTEST, secret-access-key: modulepathSecretKey0123456789}",
          "models:",
          "  openai: {targets: [{deployment: oa, model: gpt-4o-mini}]}",
          "  azure: {targets: [{deployment: az, model: gpt4o-prod}]}",
          "  bedrock: {targets: [{deployment: br, model: us.amazon.nova-micro-v1:0}]}",
          "");
      List<String> lines = new ArrayList<>();
      try (Switchboard sb = ConfigLoader.create().load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).build()) {
        for (String alias : List.of("openai", "azure", "bedrock")) {
          ChatResponse r = sb.chat(ChatRequest.of(alias, "hello"));
          lines.add("chat " + alias + " " + r.servedBy().provider() + " " + r.text());
        }
      }
      lines.forEach(System.out::println);
    } finally {
      server.stop(0);
    }
  }

  private static String name(Module m) {
    return m.isNamed() ? m.getName() : "unnamed";
  }

  /** A chat answer in the wire format the request's path belongs to, naming that format. */
  private static void answer(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    exchange.getRequestBody().readAllBytes();
    String body;
    if (path.startsWith("/model/") && path.endsWith("/converse")) {
      body = "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":[{\"text\":\"converse-answer\"}]}},"
          + "\"stopReason\":\"end_turn\",\"usage\":{\"inputTokens\":9,\"outputTokens\":3,\"totalTokens\":12},"
          + "\"metrics\":{\"latencyMs\":42}}";
    } else if (path.endsWith("/chat/completions")) {
      String who = path.startsWith("/openai/") ? "azure-answer" : "openai-answer";
      body = "{\"id\":\"chatcmpl-mp\",\"object\":\"chat.completion\",\"created\":1767225600,\"model\":\"m\","
          + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + who + "\"},"
          + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":3,\"total_tokens\":12}}";
    } else {
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
      return;
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}

package dev.switchboard.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.ChatRequest;
import dev.switchboard.ErrorKind;
import dev.switchboard.ModelAlias;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.HttpSettings;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okhttp3.OkHttpClient;
import okhttp3.internal.tls.OkHostnameVerifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The transport is safe by default. Plain {@code http://} is refused for any host but loopback
 * unless {@code http.allowPlainHttp} is set; TLS verification is never turned off by the library
 * (OkHttp's hostname verifier and the platform trust store stay in place, and a caller's own TLS
 * settings are kept as given), which a real handshake against an untrusted and a wrongly named
 * certificate proves for every provider; redirects are never followed, so credentials cannot be
 * sent to another host.
 */
@ExtendWith(LeakGuard.class)
class TransportSafetyTest {
  static final char[] PASSWORD = "changeit".toCharArray();
  static Path trusted;
  static Path wrongHost;

  /** Self-signed server certificates made with the JDK's keytool: one for 127.0.0.1, one for another name. */
  @BeforeAll
  static void makeCertificates() throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "tls"));
    trusted = keystore(dir.resolve("loopback.p12"), "CN=127.0.0.1", "SAN=ip:127.0.0.1,dns:localhost");
    wrongHost = keystore(dir.resolve("wrong-host.p12"), "CN=wrong.example.invalid", "SAN=dns:wrong.example.invalid");
  }

  static Path keystore(Path file, String dname, String san) throws Exception {
    Files.deleteIfExists(file);
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", dname, "-ext", san,
        "-validity", "2", "-storetype", "PKCS12", "-keystore", file.toString(), "-storepass", "changeit", "-keypass", "changeit",
        "-noprompt").redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("keytool: %s", output).isZero();
    return file;
  }

  static KeyStore load(Path file) throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(file.toFile())) {
      ks.load(in, PASSWORD);
    }
    return ks;
  }

  static MockWebServer httpsServer(Path keystore, Kind kind) throws Exception {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(load(keystore), PASSWORD);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(kmf.getKeyManagers(), null, null);
    MockWebServer server = new MockWebServer();
    server.useHttps(ssl.getSocketFactory());
    server.setDispatcher(new mockwebserver3.Dispatcher() {
      @Override
      public MockResponse dispatch(mockwebserver3.RecordedRequest request) {
        return new MockResponse.Builder().code(200).setHeader("Content-Type", "application/json")
            .body(new okio.Buffer().write(kind.chat("hello over TLS"))).build();
      }
    });
    server.start(InetAddress.getLoopbackAddress(), 0);
    return server;
  }

  /** A caller's client that trusts exactly {@code keystore}'s certificate, verifying host names as OkHttp does. */
  static OkHttpClient trusting(Path keystore) throws Exception {
    Certificate cert = load(keystore).getCertificate("server");
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("server", cert);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    X509TrustManager tm = (X509TrustManager) tmf.getTrustManagers()[0];
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(null, new javax.net.ssl.TrustManager[] {tm}, null);
    return new OkHttpClient.Builder().sslSocketFactory(ssl.getSocketFactory(), tm).dns(LoopbackDns.INSTANCE).build();
  }

  static Switchboard switchboard(Kind kind, String url, OkHttpClient base, Probe probe) {
    Switchboard.Builder b = Switchboard.builder().deployment(kind.deployment("target", url))
        .model(ModelAlias.builder(Rig.ALIAS).target("target", kind.model).build());
    if (base != null) b.httpClient(base);
    if (probe != null) b.providerFactory(probe).deployment(Probe.DEPLOYMENT);
    return b.build();
  }

  // ---- plain http ----------------------------------------------------------------------------------

  /** A URL whose user info looks like loopback is refused for its user info, plain http allowed or not (issue 22 item 17). */
  @ParameterizedTest
  @EnumSource(Kind.class)
  void aUrlWithUserInfoIsRefusedEvenWithPlainHttpAllowed(Kind kind) {
    HttpSettings allowed = HttpSettings.DEFAULTS.withAllowPlainHttp(true);
    assertThatThrownBy(() -> Switchboard.builder().http(allowed).deployment(kind.deployment("target", "http://127.0.0.1@example.invalid"))
        .model(ModelAlias.builder(Rig.ALIAS).target("target", kind.model).build()).build().close())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not have user info");
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void plainHttpIsRefusedForAnyHostButLoopbackUnlessAllowed(Kind kind) {
    for (String url : List.of("http://api.example.invalid", "http://10.0.0.8:8080", "http://127.0.0.1.example.invalid",
        "http://localhost.example.invalid", "http://2130706433", "http://[::2]")) {
      assertThatThrownBy(() -> switchboard(kind, url, null, null).close())
          .as(url).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("target")
          .hasMessageContaining("https");
      HttpSettings allowed = HttpSettings.DEFAULTS.withAllowPlainHttp(true);
      assertThatCode(() -> Switchboard.builder().http(allowed).deployment(kind.deployment("target", url))
          .model(ModelAlias.builder(Rig.ALIAS).target("target", kind.model).build()).build().close())
          .as("%s with allowPlainHttp", url).doesNotThrowAnyException();
    }
    for (String url : List.of("http://127.0.0.1:1", "http://localhost:1", "http://[::1]:1", "https://api.example.invalid")) {
      assertThatCode(() -> switchboard(kind, url, null, null).close()).as(url).doesNotThrowAnyException();
    }
  }

  // ---- TLS ---------------------------------------------------------------------------------------

  @Test
  void theSharedClientKeepsOkHttpsHostnameVerifierAndThePlatformTrustStore() throws Exception {
    Probe probe = new Probe();
    try (Switchboard sb = switchboard(Kind.OPENAI, "https://api.example.invalid", null, probe)) {
      OkHttpClient shared = probe.context().httpClient();
      assertThat(shared.hostnameVerifier()).isSameAs(OkHostnameVerifier.INSTANCE);
      assertThat(shared.certificatePinner().getPins()).as("no pins added").isEmpty();
      assertThat(shared.connectionSpecs()).isEqualTo(new OkHttpClient().connectionSpecs());
      TrustManagerFactory platform = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      platform.init((KeyStore) null);
      X509Certificate[] expected = ((X509TrustManager) platform.getTrustManagers()[0]).getAcceptedIssuers();
      assertThat(shared.x509TrustManager()).isNotNull();
      assertThat(Arrays.asList(shared.x509TrustManager().getAcceptedIssuers())).containsExactlyInAnyOrder(expected);
    }
  }

  @Test
  void aCallersOwnTlsSettingsAreKeptAsGiven() throws Exception {
    OkHttpClient callers = trusting(trusted);
    Probe probe = new Probe();
    try (Switchboard sb = switchboard(Kind.OPENAI, "https://api.example.invalid", callers, probe)) {
      OkHttpClient shared = probe.context().httpClient();
      assertThat(shared.sslSocketFactory()).isSameAs(callers.sslSocketFactory());
      assertThat(shared.x509TrustManager()).isSameAs(callers.x509TrustManager());
      assertThat(shared.hostnameVerifier()).isSameAs(callers.hostnameVerifier()).isSameAs(OkHostnameVerifier.INSTANCE);
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void anUntrustedCertificateFailsTheHandshake(Kind kind) throws Exception {
    try (MockWebServer server = httpsServer(trusted, kind);
        Switchboard sb = switchboard(kind, "https://127.0.0.1:" + server.getPort(), null, null)) {
      assertTlsFailure(sb);
      assertThat(server.getRequestCount()).as("no request went over the unverified connection").isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aTrustedCertificateForAnotherHostFailsHostnameVerification(Kind kind) throws Exception {
    try (MockWebServer server = httpsServer(wrongHost, kind);
        Switchboard sb = switchboard(kind, "https://127.0.0.1:" + server.getPort(), trusting(wrongHost), null)) {
      assertTlsFailure(sb);
      assertThat(server.getRequestCount()).isZero();
    }
  }

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aTrustedCertificateForTheRightHostWorks(Kind kind) throws Exception {
    try (MockWebServer server = httpsServer(trusted, kind);
        Switchboard sb = switchboard(kind, "https://127.0.0.1:" + server.getPort(), trusting(trusted), null)) {
      assertThat(sb.chat(ChatRequest.of(Rig.ALIAS, "hi")).text()).isEqualTo("hello over TLS");
    }
  }

  static void assertTlsFailure(Switchboard sb) {
    assertThatThrownBy(() -> sb.chat(ChatRequest.of(Rig.ALIAS, "hi")))
        .isInstanceOfSatisfying(SwitchboardException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.NETWORK);
          assertThat(e.detail()).contains("TLS failure");
        });
  }

  // ---- redirects ---------------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Kind.class)
  void aRedirectIsNeverFollowedSoCredentialsStayWithTheirHost(Kind kind) throws IOException {
    try (HealthyServer elsewhere = new HealthyServer(kind);
        FaultServer redirecting = new FaultServer(ex -> ex.respond(307, "text/plain", Kind.utf8("moved"),
            "Location", elsewhere.url() + ex.request.target()));
        Switchboard sb = switchboard(kind, redirecting.url(), null, null)) {
      assertThatThrownBy(() -> sb.chat(ChatRequest.of(Rig.ALIAS, "hi")))
          .isInstanceOfSatisfying(SwitchboardException.class, e -> assertThat(e.httpStatus()).hasValue(307));
      assertThat(elsewhere.calls()).as("requests that followed the redirect").isZero();
    }
  }
}

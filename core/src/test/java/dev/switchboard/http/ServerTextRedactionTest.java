package dev.switchboard.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.Secret;
import java.nio.charset.StandardCharsets;
import java.util.List;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;

/** What a server or proxy sends (bodies, ids, codes) and configured URLs never carry a credential into a message. */
class ServerTextRedactionTest {
  /** Shaped like an Azure key: 32 hex digits, which no key-shaped pattern recognises, only the configured value. */
  private static final String AZURE_KEY = "0123456789abcdef0123456789abcdef";
  private final List<Secret> secrets = List.of(Secret.of(AZURE_KEY));

  @Test
  void aKeyStraddlingByte800OfABodyLeavesNoFragment() {
    // 790 line breaks collapse to one space, so what lies at bytes 790..800 would be the start of the snippet.
    byte[] body = ("\n".repeat(790) + AZURE_KEY + " was rejected").getBytes(StandardCharsets.UTF_8);
    String s = HttpErrors.snippet(body, secrets);
    assertThat(s).doesNotContain(AZURE_KEY.substring(0, 10)).startsWith("**** was rejected");
  }

  @Test
  void echoedKeysAreRemovedInEveryFormAServerMayEchoThem() {
    String awsLike = "abc/def+ghi/0123456789ABCDEF";
    List<Secret> both = List.of(Secret.of(AZURE_KEY), Secret.of(awsLike));
    String s = HttpErrors.snippet("{\"k\":\"abc\\/def+ghi\\/0123456789ABCDEF\",\"u\":\"abc%2Fdef%2Bghi%2F0123456789ABCDEF\","
        + "\"q\":\"https://h/x?api-key=someotherkey&x=1\",\"h\":\"Api-Key: anotherkey123\"}", both);
    assertThat(s).doesNotContain("0123456789ABCDEF").doesNotContain("someotherkey").doesNotContain("anotherkey123")
        .contains("api-key=****").contains("Api-Key: ****");
  }

  @Test
  void serverFieldsAreScrubbedFlattenedAndBounded() {
    assertThat(HttpErrors.field("req-" + AZURE_KEY, secrets)).isEqualTo("req-****");
    assertThat(HttpErrors.field("Bearer sk-proj-abcdefghijklmnop", List.of())).isEqualTo("****");
    assertThat(HttpErrors.field("a\r\nb", List.of())).isEqualTo("a b");
    String longId = "x".repeat(5000);
    assertThat(HttpErrors.field(longId, List.of())).hasSize(HttpErrors.FIELD_CHARS + 1).endsWith("…");
    assertThat(HttpErrors.field(" ", List.of())).isNull();
    Headers h = Headers.of("x-request-id", "id-" + AZURE_KEY, "apim-request-id", " ");
    assertThat(HttpErrors.header(h, "x-request-id", secrets)).contains("id-****");
    assertThat(HttpErrors.header(h, "apim-request-id", secrets)).isEmpty();
    assertThat(HttpErrors.header(h, "missing", secrets)).isEmpty();
  }

  @Test
  void providerMessagesAreScrubbedBeforeTheyAreCutAtTheLongerBound() {
    String text = "Incorrect key " + AZURE_KEY + " given. " + "x".repeat(5000);
    String m = HttpErrors.message(text, secrets);
    assertThat(m).startsWith("Incorrect key **** given.").hasSize(HttpErrors.MESSAGE_CHARS + 1).endsWith("…");
    // A key straddling the cut is masked whole, not half-shown.
    String straddling = "y".repeat(HttpErrors.MESSAGE_CHARS - 5) + " sk-proj-abcdefghijklmnopqrstuvwxyz";
    assertThat(HttpErrors.message(straddling, List.of())).doesNotContain("sk-proj").doesNotContain("abcdef");
    assertThat(HttpErrors.message("a\r\nb", List.of())).isEqualTo("a b");
    assertThat(HttpErrors.message(" ", List.of())).isNull();
    // A SigV4 Authorization header echoed back: the signature is masked, the parameter names stay.
    String sigv4 = "rejected: AWS4-HMAC-SHA256 Credential=AKIAREDACTIONTEST001/20260304/us-east-1/bedrock/aws4_request, "
        + "SignedHeaders=host;x-amz-date, Signature=" + "ab12".repeat(16);
    assertThat(HttpErrors.message(sigv4, List.of())).doesNotContain("ab12ab12").doesNotContain("AKIAREDACTION")
        .contains("Signature=****").contains("SignedHeaders=host;x-amz-date");
  }

  @Test
  void urlsLoseUserinfoAndQueryValues() {
    HttpUrl url = HttpUrl.get("https://user:hunter2pass@example.com:8443/v1?api-key=" + AZURE_KEY + "&x=1#frag");
    String shown = HttpErrors.redactUrl(url);
    assertThat(shown).isEqualTo("https://****@example.com:8443/v1?api-key=****&x=****");
    assertThat(HttpErrors.redactUrl("https://example.com/v1")).isEqualTo("https://example.com/v1");
    // Not a URL OkHttp parses: still no password, no query.
    assertThat(HttpErrors.redactUrl("ftp://user:hunter2pass@host/x?api-key=" + AZURE_KEY))
        .doesNotContain("hunter2pass").doesNotContain(AZURE_KEY).isEqualTo("ftp://****@host/x?****");
  }

  @Test
  void endpointErrorsNeverEchoAPasswordOrAQueryValue() {
    for (String url : List.of(
        "https://user:hunter2pass@example.com/v1",
        "https://example.com/v1?api-key=" + AZURE_KEY,
        "http://user:hunter2pass@example.com/v1",
        "http://example.com/v1?api-key=" + AZURE_KEY,
        "nope://user:hunter2pass@example.com/?api-key=" + AZURE_KEY)) {
      assertThatThrownBy(() -> Endpoints.parse("d", "endpoint", url, false))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("deployments.d.endpoint: ")
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain("hunter2pass").doesNotContain(AZURE_KEY));
    }
    assertThatThrownBy(() -> Endpoints.parse("d", "endpoint", "https://user:hunter2pass@example.com/v1", false))
        .hasMessageContaining("must not have user info");
  }

  @Test
  void headerValueProblemsAreNamedWithoutTheValue() {
    assertThat(HeaderValues.problem(AZURE_KEY)).isEmpty();
    assertThat(HeaderValues.problem("with\ttab and space")).isEmpty();
    for (String bad : List.of(AZURE_KEY + "\n", AZURE_KEY + "\r\n", "ab\u0000" + AZURE_KEY, "caf\u00e9" + AZURE_KEY, "x\u007f")) {
      assertThat(HeaderValues.problem(bad)).hasValueSatisfying(p ->
          assertThat(p).contains("HTTP header").doesNotContain(AZURE_KEY).doesNotContain("caf"));
    }
    assertThat(HeaderValues.problem(AZURE_KEY + "\n")).hasValueSatisfying(p -> assertThat(p).contains("line break at its end"));
  }
}

package dev.switchboard.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.aws.testing.SigV4Checker;
import org.junit.jupiter.api.Test;

/**
 * The SigV4 checker on one vector kept in the project, so that a clone without the shared
 * fixtures still proves the checker that the provider's signing tests rely on. The vector is
 * {@code get-vanilla} of AWS's published Signature Version 4 test suite (the full suite runs in
 * {@link SigV4SuiteTest} when the fixtures are present).
 */
class SigV4CheckerOwnVectorTest {
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  static final String SIGNED = """
      GET / HTTP/1.1
      Host:example.amazonaws.com
      X-Amz-Date:20150830T123600Z
      Authorization:AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, \
      SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31

      """;

  @Test
  void getVanillaReproducesTheCanonicalRequestStringToSignAndSignature() {
    SigV4Checker.Result r = SigV4Checker.verify(SigV4Checker.parseSuiteRequest(SIGNED), SECRET, true);
    assertThat(r.canonicalRequest()).isEqualTo("""
        GET
        /

        host:example.amazonaws.com
        x-amz-date:20150830T123600Z

        host;x-amz-date
        e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855""");
    assertThat(r.stringToSign()).isEqualTo("""
        AWS4-HMAC-SHA256
        20150830T123600Z
        20150830/us-east-1/service/aws4_request
        bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63""");
    assertThat(r.computedSignature()).isEqualTo("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
    assertThat(r.valid()).isTrue();
    assertThat(r.region()).isEqualTo("us-east-1");
    assertThat(r.service()).isEqualTo("service");
  }

  @Test
  void aTamperedPathOrAWrongSecretFailsVerification() {
    SigV4Checker.HttpRequest signed = SigV4Checker.parseSuiteRequest(SIGNED);
    SigV4Checker.HttpRequest moved = new SigV4Checker.HttpRequest(signed.method(), "/other", signed.headers(), signed.body());
    assertThat(SigV4Checker.verify(moved, SECRET, true).valid()).isFalse();
    assertThat(SigV4Checker.verify(signed, "wrong", true).valid()).isFalse();
  }
}

package dev.switchboard.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.switchboard.ErrorKind;
import dev.switchboard.SwitchboardException;
import dev.switchboard.openai.OpenAiCodec;
import java.time.Clock;
import java.time.Duration;
import okhttp3.Headers;
import org.junit.jupiter.api.Test;

/** A response's headers are parsed into one {@link AzureResponseInfo}, whichever reader asks first. */
class AzureDialectHeadersTest {
  private static final Headers HEADERS = Headers.of("apim-request-id", "apim-1", "x-ms-region", "Sweden Central",
      "x-ms-deployment-name", "gpt4o-prod");

  @Test
  void theRequestIdTheMetadataAndARefinedErrorShareOneParse() {
    AzureDialect dialect = new AzureDialect(new AzureErrors(new OpenAiCodec(new ObjectMapper(), Clock.systemUTC()), Duration.ofSeconds(60)));

    assertThat(dialect.requestId(HEADERS)).contains("apim-1");
    AzureResponseInfo info = dialect.info(HEADERS);
    assertThat(dialect.metadata(HEADERS).get(AzureMetadata.RESPONSE_INFO)).isSameAs(info);
    AzureOpenAiException refined = (AzureOpenAiException) dialect.refine(SwitchboardException.of(ErrorKind.PROTOCOL, "bad frame"), HEADERS);
    assertThat(refined.responseInfo()).isSameAs(info);
    assertThat(refined.region()).contains("Sweden Central");
  }

  @Test
  void anotherHeadersObjectIsParsedAgain() {
    AzureDialect dialect = new AzureDialect(new AzureErrors(new OpenAiCodec(new ObjectMapper(), Clock.systemUTC()), Duration.ofSeconds(60)));
    AzureResponseInfo first = dialect.info(HEADERS);
    AzureResponseInfo second = dialect.info(Headers.of("x-request-id", "r-2"));
    assertThat(second).isNotSameAs(first);
    assertThat(second.bestRequestId()).contains("r-2");
  }
}

package dev.switchboard.examples.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.ErrorKind;
import dev.switchboard.ModelAlias;
import dev.switchboard.Switchboard;
import dev.switchboard.SystemMessage;
import dev.switchboard.UserMessage;
import dev.switchboard.resilience.CircuitBreakerPolicy;
import dev.switchboard.resilience.RetryPolicy;
import dev.switchboard.routing.RoutingPolicy;
import dev.switchboard.spi.ProviderCall;
import dev.switchboard.testing.MockProvider;
import dev.switchboard.testing.StreamScript;
import dev.switchboard.testing.VirtualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How an application tests its own behaviour during a cloud outage: the Switchboard it depends
 * on is built on scripted mock providers and virtual time, so an Azure outage, a 429 cooldown
 * and a circuit breaker run in milliseconds, with no network and no sleeping.
 */
class SupportAssistantTest {
  private final VirtualTime time = new VirtualTime();
  private final MockProvider azure = MockProvider.create(time);
  private final MockProvider bedrock = MockProvider.create(time).otherwiseReply("Restart the VM from the console.");
  private Switchboard switchboard;

  /** The application's switchboard, as production builds it but on mocks: Azure first, Bedrock second. */
  private SupportAssistant assistant() {
    switchboard = Switchboard.builder()
        .time(time, time)
        .deployment("azure-east", azure)
        .deployment("bedrock-west", bedrock)
        .model(ModelAlias.builder("support").target("azure-east", "gpt-4o").target("bedrock-west", "openai.gpt-oss-120b-1:0").build())
        // No same-target retries: this test is about failover, and a retry's backoff would wait on the virtual clock.
        .routing(RoutingPolicy.builder().retry(RetryPolicy.NONE).build())
        .circuitBreaker(CircuitBreakerPolicy.builder().slidingWindowSize(4).minimumCalls(4).waitInOpen(Duration.ofSeconds(30)).build())
        .build();
    return new SupportAssistant(switchboard, "support", Duration.ofSeconds(20));
  }

  @AfterEach
  void close() {
    if (switchboard != null) switchboard.close();
  }

  @Test
  void anAzureOutageIsInvisibleToCustomers() {
    azure.otherwiseFail(ErrorKind.UNAVAILABLE);
    SupportAssistant assistant = assistant();

    for (String question : List.of("My VM is stuck.", "It is still stuck.", "Can I restart it?")) {
      SupportAssistant.Reply reply = assistant.answer(question);
      assertThat(reply.outcome()).isEqualTo(SupportAssistant.Outcome.ANSWERED);
      assertThat(reply.text()).isEqualTo("Restart the VM from the console.");
      assertThat(reply.servedBy()).contains("bedrock-west");
    }
    // Bedrock got exactly what the application sent: its system prompt and the customer's question.
    ProviderCall last = bedrock.lastCall();
    assertThat(last.request().messages().get(0)).isEqualTo(new SystemMessage(SupportAssistant.SYSTEM_PROMPT));
    assertThat(((UserMessage) last.request().messages().get(1)).text()).isEqualTo("Can I restart it?");
    // The application's 20 s deadline reached Bedrock (no virtual time passed on the failover).
    assertThat(last.timeout()).isEqualTo(Duration.ofSeconds(20));
  }

  @Test
  void afterTheOutageAzureServesAgainOnceItsCircuitLetsAProbeThrough() {
    azure.thenFail(ErrorKind.UNAVAILABLE, 4).otherwiseReply("Azure is back.");
    SupportAssistant assistant = assistant();
    for (int i = 0; i < 4; i++) assertThat(assistant.answer("question " + i).servedBy()).contains("bedrock-west");
    assertThat(azure.callCount()).isEqualTo(4);

    // Four failures in a window of four: the circuit is open, Azure is not even called.
    assertThat(assistant.answer("one more").servedBy()).contains("bedrock-west");
    assertThat(azure.callCount()).isEqualTo(4);

    time.advance(Duration.ofSeconds(30).plusMillis(1)); // just past the circuit's wait-in-open
    SupportAssistant.Reply probe = assistant.answer("and now?");
    assertThat(probe.servedBy()).contains("azure-east");
    assertThat(probe.text()).isEqualTo("Azure is back.");
  }

  @Test
  void aRateLimitedAzureIsSkippedUntilItsRetryAfterHasPassed() {
    azure.thenFail(MockProvider.rateLimited(Duration.ofSeconds(10))).otherwiseReply("from Azure");
    SupportAssistant assistant = assistant();
    assertThat(assistant.answer("first").servedBy()).contains("bedrock-west");
    assertThat(assistant.answer("second").servedBy()).contains("bedrock-west");
    assertThat(azure.callCount()).isEqualTo(1); // cooling down: no call wasted on it

    time.advance(Duration.ofSeconds(10));
    assertThat(assistant.answer("third").servedBy()).contains("azure-east");
  }

  @Test
  void whenEveryProviderIsDownTheCustomerGetsAPoliteReply() {
    azure.otherwiseFail(ErrorKind.UNAVAILABLE);
    bedrock.thenFail(ErrorKind.SERVER_ERROR);
    SupportAssistant.Reply reply = assistant().answer("Hello?");
    assertThat(reply.outcome()).isEqualTo(SupportAssistant.Outcome.UNAVAILABLE);
    assertThat(reply.text()).isEqualTo(SupportAssistant.UNAVAILABLE_REPLY);
    assertThat(reply.servedBy()).isEmpty();
  }

  @Test
  void aQuestionRefusedByTheContentFilterIsNotSentToTheOtherCloud() {
    azure.thenFail(ErrorKind.CONTENT_FILTERED);
    SupportAssistant.Reply reply = assistant().answer("something the filter refuses");
    assertThat(reply.outcome()).isEqualTo(SupportAssistant.Outcome.REFUSED);
    bedrock.assertCallCount(0);
  }

  @Test
  void aStreamThatBreaksBeforeItsFirstTokenFailsOverUnseen() {
    azure.thenStream(StreamScript.builder().fail(ErrorKind.UNAVAILABLE));
    bedrock.thenStream(StreamScript.text("Restart", " the VM", " from the console."));
    List<String> shown = new ArrayList<>();
    SupportAssistant.Reply reply = assistant().answerStreaming("My VM is stuck.", shown::add);
    assertThat(shown).containsExactly("Restart", " the VM", " from the console.");
    assertThat(reply.servedBy()).contains("bedrock-west");
  }

  @Test
  void aStreamThatBreaksAfterItStartedEndsWithThePoliteReply() {
    azure.thenStream(StreamScript.builder().text("Restart the").fail(ErrorKind.NETWORK));
    List<String> shown = new ArrayList<>();
    SupportAssistant.Reply reply = assistant().answerStreaming("My VM is stuck.", shown::add);
    assertThat(shown).containsExactly("Restart the", "\n" + SupportAssistant.UNAVAILABLE_REPLY);
    assertThat(reply.outcome()).isEqualTo(SupportAssistant.Outcome.UNAVAILABLE);
    bedrock.assertCallCount(0); // text had reached the customer: no silent restart elsewhere
  }

  @Test
  void badQuestionsAreRejectedBeforeAnyCall() {
    SupportAssistant assistant = assistant();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> assistant.answer(" "))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("the question is empty");
    azure.assertCallCount(0);
  }
}

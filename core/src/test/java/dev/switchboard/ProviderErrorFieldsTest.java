package dev.switchboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.switchboard.http.HttpErrors;
import dev.switchboard.testing.MockProvider;
import org.junit.jupiter.api.Test;

/** The provider's own message, type and inner code on {@link SwitchboardException}: masked, bounded, copied, and kept by the call's final error. */
class ProviderErrorFieldsTest {
  private static final String KEY = "sk-proj-plantedInAField0123456789";

  private static SwitchboardException planted() {
    return SwitchboardException.builder(ErrorKind.CONTENT_FILTERED, "filtered").provider("mock").target("a").httpStatus(400)
        .providerCode("content_filter").providerType("invalid_request_error " + KEY)
        .providerInnerCode("ResponsibleAIPolicyViolation " + KEY).providerMessage("The prompt was filtered; key " + KEY).build();
  }

  @Test
  void fieldsAreMaskedWhenSetAndSurviveToBuilder() {
    SwitchboardException e = planted();
    assertThat(e.providerType()).contains("invalid_request_error ****");
    assertThat(e.providerInnerCode()).contains("ResponsibleAIPolicyViolation ****");
    assertThat(e.providerMessage()).contains("The prompt was filtered; key ****");
    SwitchboardException copy = e.toBuilder().build();
    assertThat(copy.providerType()).isEqualTo(e.providerType());
    assertThat(copy.providerInnerCode()).isEqualTo(e.providerInnerCode());
    assertThat(copy.providerMessage()).isEqualTo(e.providerMessage());
    assertThat(SwitchboardException.of(ErrorKind.NETWORK, "x").providerMessage()).isEmpty();
  }

  @Test
  void fieldsAreBounded() {
    String huge = "z".repeat(10_000);
    SwitchboardException e = SwitchboardException.builder(ErrorKind.SERVER_ERROR, "x")
        .providerType(huge).providerInnerCode(huge).providerMessage(huge).build();
    assertThat(e.providerType().orElseThrow()).hasSize(HttpErrors.FIELD_CHARS + 1);
    assertThat(e.providerInnerCode().orElseThrow()).hasSize(HttpErrors.FIELD_CHARS + 1);
    assertThat(e.providerMessage().orElseThrow()).hasSize(HttpErrors.MESSAGE_CHARS + 1);
  }

  @Test
  void theCallsFinalErrorKeepsTheLastAttemptsProviderFields() {
    MockProvider a = MockProvider.create().thenFail(planted());
    try (Switchboard sb = Switchboard.builder().deployment("a", a).model(ModelAlias.builder("chat").target("a", "m").build()).build()) {
      SwitchboardException e = catchThrowableOfType(() -> sb.chat(ChatRequest.of("chat", "hi")), SwitchboardException.class);
      assertThat(e.providerCode()).contains("content_filter");
      assertThat(e.providerType()).contains("invalid_request_error ****");
      assertThat(e.providerInnerCode()).contains("ResponsibleAIPolicyViolation ****");
      assertThat(e.providerMessage()).contains("The prompt was filtered; key ****");
      assertThat(e.getMessage()).doesNotContain(KEY);
    }
  }
}

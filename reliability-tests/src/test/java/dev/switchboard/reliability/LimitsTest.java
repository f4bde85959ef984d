package dev.switchboard.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.StreamReadConstraints;
import dev.switchboard.ChatEvent;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ChatStream;
import dev.switchboard.ErrorKind;
import dev.switchboard.StreamInterruptedException;
import dev.switchboard.SwitchboardException;
import dev.switchboard.HttpSettings;
import dev.switchboard.testing.ProviderTestKit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every read limit, for every provider, tested end to end with an input just over it (a typed
 * PROTOCOL error, nothing buffered without bound) and one comfortably under it (the answer is
 * read), so the limit, not something else, is what stops the oversized one:
 * the response body size ({@code maxResponseBytes}, here with no Content-Length declared), the
 * SSE line / event-stream frame size ({@code maxStreamLineBytes}), and Jackson's read
 * constraints (the constraints of core's mapper,
 * {@link ProviderTestKit#objectMapper()}: nesting depth, string, number and name length).
 */
@ExtendWith(LeakGuard.class)
class LimitsTest {
  static final int MAX_BODY = 64 * 1024;
  static final int MAX_LINE = 16 * 1024;
  /** Jackson's read constraints as core configures them for every provider. */
  static final StreamReadConstraints JSON_LIMITS = ProviderTestKit.objectMapper().getFactory().streamReadConstraints();
  static final HttpSettings SMALL = HttpSettings.DEFAULTS.withMaxResponseBytes(MAX_BODY).withMaxStreamLineBytes(MAX_LINE);

  /** One limit: a JSON member just over it and one under it, or a body size. */
  enum Limit {
    NESTING_DEPTH(true) {
      @Override
      String member(boolean over) {
        int depth = over ? JSON_LIMITS.getMaxNestingDepth() + 1 : 150;
        return "\"x\":" + "[".repeat(depth) + "]".repeat(depth);
      }
    },
    NUMBER_LENGTH(true) {
      @Override
      String member(boolean over) {
        return "\"x\":" + "7".repeat(over ? JSON_LIMITS.getMaxNumberLength() + 1 : 900);
      }
    },
    NAME_LENGTH(true) {
      @Override
      String member(boolean over) {
        return "\"" + "n".repeat(over ? JSON_LIMITS.getMaxNameLength() + 1 : 1000) + "\":1";
      }
    },
    /**
     * Strings up to 16 MiB, as the answer's text: a string the parser skips (an unknown member)
     * is never held, so only one it reads can hit the limit; and only a non-streamed body can
     * carry one (a stream line stops at 1 MiB first).
     */
    STRING_LENGTH(false) {
      @Override
      byte[] chat(Kind k, boolean over) {
        return k.chat("s".repeat(over ? JSON_LIMITS.getMaxStringLength() + 1 : 1024 * 1024));
      }
    },
    /** The whole body, sent without Content-Length so the limit is enforced while reading. */
    RESPONSE_SIZE(false),
    /** One SSE line or event-stream frame. */
    STREAM_LINE(true);

    final boolean streams;

    Limit(boolean streams) {
      this.streams = streams;
    }

    String member(boolean over) {
      throw new UnsupportedOperationException(name());
    }

    /** A non-streamed answer over or under the limit. */
    byte[] chat(Kind k, boolean over) {
      return k.chatWith("hello", member(over));
    }

    boolean json() {
      return this != RESPONSE_SIZE && this != STREAM_LINE;
    }
  }

  static Stream<Arguments> cases() {
    List<Arguments> out = new ArrayList<>();
    for (Kind k : Kind.values()) {
      for (Limit l : Limit.values()) {
        for (boolean over : new boolean[] {true, false}) {
          if (l != Limit.STREAM_LINE) out.add(Arguments.of(k, l, false, over));
          if (l.streams) out.add(Arguments.of(k, l, true, over));
        }
      }
    }
    return out.stream();
  }

  static FaultServer.Script script(Kind k, Limit l, boolean streaming, boolean over) {
    return ex -> {
      if (streaming) {
        byte[] piece = l == Limit.STREAM_LINE ? k.streamText("x".repeat(over ? MAX_LINE + 1 : MAX_LINE - 512))
            : k.streamTextWith("hello", l.member(over));
        ex.head(200, k.streamContentType(), -1).write(k.streamPreamble()).write(piece).write(k.streamEnd()).close();
      } else if (l == Limit.RESPONSE_SIZE) {
        ex.head(200, k.chatContentType(), -1).write(k.chat("x".repeat(over ? MAX_BODY + 1 : MAX_BODY - 1024))).close();
      } else {
        ex.respond(200, k.chatContentType(), l.chat(k, over));
      }
    };
  }

  @ParameterizedTest(name = "{0} {1} stream={2} over={3}")
  @MethodSource("cases")
  void anInputOverALimitIsAProtocolErrorAndOneUnderItIsRead(Kind k, Limit l, boolean streaming, boolean over) throws Exception {
    HttpSettings http = l == Limit.STRING_LENGTH ? HttpSettings.DEFAULTS : SMALL; // a 16 MiB string needs the default 32 MiB body limit
    try (FaultServer server = new FaultServer(script(k, l, streaming, over));
        Rig rig = Rig.builder(k, server.url()).http(http).build()) {
      ChatRequest request = ChatRequest.of(Rig.ALIAS, "hi");
      if (over) {
        SwitchboardException e = streaming ? streamError(rig, request) : chatError(rig, request);
        assertThat(e).isNotInstanceOf(StreamInterruptedException.class); // stopped before any event reached the caller
        assertThat(e.kind()).isEqualTo(ErrorKind.PROTOCOL);
        assertThat(e.attempts()).hasSize(1);
        assertThat(server.served()).as("PROTOCOL is not retried on the same target").isEqualTo(1);
      } else if (streaming) {
        try (ChatStream s = rig.switchboard.stream(request)) {
          for (ChatEvent ignored : s) {
            // drain
          }
          assertThat(s.response().join().text()).isNotEmpty();
        }
      } else {
        ChatResponse r = rig.switchboard.chat(request);
        assertThat(r.text()).isNotEmpty();
      }
      rig.assertQuiescent();
    }
  }

  static SwitchboardException chatError(Rig rig, ChatRequest request) {
    List<SwitchboardException> caught = new ArrayList<>();
    assertThatThrownBy(() -> rig.switchboard.chat(request)).isInstanceOfSatisfying(SwitchboardException.class, caught::add);
    return caught.get(0);
  }

  static SwitchboardException streamError(Rig rig, ChatRequest request) {
    List<SwitchboardException> caught = new ArrayList<>();
    try (ChatStream s = rig.switchboard.stream(request)) {
      assertThatThrownBy(() -> s.forEach(e -> { })).isInstanceOfSatisfying(SwitchboardException.class, caught::add);
    }
    return caught.get(0);
  }
}

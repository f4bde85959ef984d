package dev.switchboard.examples.demo;

import dev.switchboard.Attempt;
import dev.switchboard.ChatEvent;
import dev.switchboard.ChatRequest;
import dev.switchboard.ChatResponse;
import dev.switchboard.ChatStream;
import dev.switchboard.ErrorKind;
import dev.switchboard.Switchboard;
import dev.switchboard.SwitchboardException;
import dev.switchboard.Usage;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Makes the demo's calls, prints a short trace of each (who served it, every attempt, latency,
 * tokens) and checks each step's outcome against what the step is meant to show, so that a
 * regression makes the demo fail instead of telling a story that did not happen.
 */
public final class Walkthrough {
  private final Switchboard switchboard;
  private final Recorder recorder;
  private final PrintStream out;
  private final String alias;
  private final List<StepRecord> steps = new ArrayList<>();
  private final List<CallRecord> allCalls = new ArrayList<>();
  private String title;
  private List<CallRecord> calls;
  private List<String> unmet;

  public Walkthrough(Switchboard switchboard, Recorder recorder, PrintStream out, String alias) {
    this.switchboard = Objects.requireNonNull(switchboard, "switchboard == null");
    this.recorder = Objects.requireNonNull(recorder, "recorder == null");
    this.out = Objects.requireNonNull(out, "out == null");
    this.alias = Objects.requireNonNull(alias, "alias == null");
  }

  /** Starts step {@code number}; {@code what} says in a line what is about to happen. */
  public void step(int number, String title, String what) {
    endStep();
    this.title = number + ". " + title;
    this.calls = new ArrayList<>();
    this.unmet = new ArrayList<>();
    out.println();
    out.println(this.title);
    out.println("   " + what);
  }

  public void note(String text) {
    out.println("   " + text);
  }

  /** A non-streamed call with {@code prompt}. */
  public CallRecord chat(String label, String prompt) {
    Recorder.Events events;
    long start = System.nanoTime();
    CallRecord record;
    try {
      ChatResponse r = switchboard.chat(ChatRequest.builder(alias).user(prompt).maxTokens(200).build());
      events = recorder.lastCall();
      record = new CallRecord(label, Optional.of(r.servedBy().deployment()), r.attempts(), since(start), r.usage(), r.text(),
          Optional.empty(), events.retryDelays(), events.circuitChanges());
    } catch (SwitchboardException e) {
      events = recorder.lastCall();
      record = new CallRecord(label, Optional.empty(), e.attempts(), since(start), Usage.EMPTY, "", Optional.of(e.kind()),
          events.retryDelays(), events.circuitChanges());
    }
    print(record);
    return add(record);
  }

  /** A streamed call with {@code prompt}: tokens are printed as they arrive. */
  public CallRecord stream(String label, String prompt) {
    long start = System.nanoTime();
    out.print("   " + label + " (streaming)  ");
    StringBuilder text = new StringBuilder();
    CallRecord record;
    try (ChatStream stream = switchboard.stream(ChatRequest.builder(alias).user(prompt).maxTokens(200).build())) {
      for (ChatEvent event : stream) {
        if (event instanceof ChatEvent.TextDelta d) {
          text.append(d.text());
          out.print(d.text());
          out.flush();
        }
      }
      out.println();
      ChatResponse r = stream.response().join();
      Recorder.Events events = recorder.lastCall();
      record = new CallRecord(label, Optional.of(r.servedBy().deployment()), r.attempts(), since(start), r.usage(),
          text.toString(), Optional.empty(), events.retryDelays(), events.circuitChanges());
    } catch (SwitchboardException e) {
      out.println();
      Recorder.Events events = recorder.lastCall();
      record = new CallRecord(label, Optional.empty(), e.attempts(), since(start), Usage.EMPTY, text.toString(),
          Optional.of(e.kind()), events.retryDelays(), events.circuitChanges());
    }
    print(record);
    return add(record);
  }

  /** Checks that {@code call} was served by {@code servedBy} after exactly {@code attempts} ({@code deployment:OUTCOME[:KIND]}). */
  public void expect(CallRecord call, String servedBy, String... attempts) {
    List<String> expected = Arrays.asList(attempts);
    boolean ok = call.servedBy().equals(Optional.of(servedBy)) && call.attemptSummary().equals(expected);
    if (!ok) {
      unmet.add(call.label() + ": expected " + servedBy + " after " + expected + ", got "
          + call.servedBy().orElse(call.failure().map(k -> "failure " + k).orElse("nothing")) + " after " + call.attemptSummary());
      out.println("   !! UNEXPECTED: " + unmet.get(unmet.size() - 1));
    }
  }

  /** Checks a condition the step is meant to show. */
  public void expect(boolean condition, String what) {
    if (!condition) {
      unmet.add(what);
      out.println("   !! UNEXPECTED: " + what);
    }
  }

  /** Every step so far (closing the current one). */
  public List<StepRecord> steps() {
    endStep();
    return List.copyOf(steps);
  }

  public List<CallRecord> allCalls() {
    return List.copyOf(allCalls);
  }

  private void endStep() {
    if (title != null) {
      steps.add(new StepRecord(title, calls, unmet));
      title = null;
    }
  }

  private CallRecord add(CallRecord record) {
    calls.add(record);
    allCalls.add(record);
    return record;
  }

  private void print(CallRecord r) {
    String served = r.servedBy().map(s -> "-> " + s).orElse("-> FAILED " + r.failure().map(ErrorKind::name).orElse(""));
    out.printf("   %-7s %-16s %5d ms   tokens %d in / %d out%n", r.label(), served, r.latency().toMillis(),
        r.usage().inputTokens(), r.usage().outputTokens());
    int retry = 0;
    int number = 0;
    List<Attempt> attempts = r.attempts();
    for (int i = 0; i < attempts.size(); i++) {
      Attempt a = attempts.get(i);
      String next = "";
      if (a.outcome() == Attempt.Outcome.FAILED) {
        Attempt following = i + 1 < attempts.size() ? attempts.get(i + 1) : null;
        if (following != null && following.target().deployment().equals(a.target().deployment())
            && following.outcome() != Attempt.Outcome.SKIPPED) {
          next = retry < r.retryDelays().size() ? "retry in " + r.retryDelays().get(retry++).toMillis() + " ms" : "retry";
        } else if (following != null) {
          next = "fail over";
        }
      }
      if (a.outcome() == Attempt.Outcome.SKIPPED) {
        out.printf("        skipped   %-13s %s%n", a.target().deployment(), a.note().orElse(""));
      } else {
        String outcome = a.outcome() == Attempt.Outcome.SUCCEEDED ? "OK" : a.outcome().name();
        String why = a.error().map(e -> e.kind() + e.httpStatus().stream().mapToObj(s -> " (HTTP " + s + ")").findFirst().orElse(""))
            .orElse("");
        out.printf("        attempt %d %-13s %-9s %-26s %4d ms  %s%n", ++number, a.target().deployment(), outcome, why,
            a.duration().toMillis(), next);
      }
    }
    for (String change : r.circuitChanges()) out.println("        circuit   " + change);
    if (!r.text().isEmpty()) out.println("        answer    \"" + abbreviate(r.text(), 90) + "\"");
  }

  private static String abbreviate(String s, int max) {
    String one = s.replace('\n', ' ');
    return one.length() <= max ? one : one.substring(0, max - 3) + "...";
  }

  private static Duration since(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }
}

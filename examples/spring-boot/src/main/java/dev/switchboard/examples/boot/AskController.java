package dev.switchboard.examples.boot;

import dev.switchboard.Attempt;
import dev.switchboard.examples.sim.Fault;
import dev.switchboard.springai.SwitchboardChatModel;
import dev.switchboard.springai.SwitchboardMetadata;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The example's endpoints: a question answered through ChatClient, and an outage switch for the simulator. */
@RestController
class AskController {
  private final ChatClient chat;
  private final ObjectProvider<Simulators> simulators;

  AskController(SwitchboardChatModel model, ObjectProvider<Simulators> simulators) {
    this.chat = ChatClient.create(model);
    this.simulators = simulators;
  }

  /** The answer, who served it, and every attempt the call made. */
  @GetMapping("/ask")
  Map<String, Object> ask(@RequestParam(defaultValue = "Say hello") String q) {
    ChatResponse response = chat.prompt().user(q).call().chatResponse();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("answer", response.getResult().getOutput().getText());
    out.put("servedBy", SwitchboardMetadata.servedBy(response).map(Object::toString).orElse(""));
    List<String> attempts = SwitchboardMetadata.attempts(response).stream().map(Attempt::toString).toList();
    out.put("attempts", attempts);
    return out;
  }

  /** The next {@code requests} requests to the simulated Azure endpoint answer 503. */
  @PostMapping("/sim/azure/outage")
  Map<String, Object> azureOutage(@RequestParam(defaultValue = "10") int requests) {
    Simulators sims = simulators.getIfAvailable();
    if (sims == null) throw new IllegalStateException("no simulators in this application");
    sims.azure().enqueue(requests, Fault.serviceUnavailable());
    return Map.of("azure", "the next " + requests + " requests answer 503");
  }
}

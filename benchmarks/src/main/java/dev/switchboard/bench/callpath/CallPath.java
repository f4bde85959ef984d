package dev.switchboard.bench.callpath;

import com.sun.jdi.Bootstrap;
import com.sun.jdi.Method;
import com.sun.jdi.VirtualMachine;
import com.sun.jdi.connect.Connector;
import com.sun.jdi.connect.LaunchingConnector;
import com.sun.jdi.event.Event;
import com.sun.jdi.event.EventSet;
import com.sun.jdi.event.MethodEntryEvent;
import com.sun.jdi.event.MethodExitEvent;
import com.sun.jdi.event.VMDeathEvent;
import com.sun.jdi.event.VMDisconnectEvent;
import com.sun.jdi.request.EventRequest;
import com.sun.jdi.request.MethodEntryRequest;
import com.sun.jdi.request.MethodExitRequest;
import java.io.OutputStream;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Counts the project methods one blocking call passes through: launches {@link CallPathApp} in a
 * JVM under the JDK's debugger interface (JDI), and records every {@code dev.switchboard} method
 * entered, on any thread, from the entry into the second {@code Switchboard.chat} on the main thread
 * to its return. Prints the calls, distinct methods and classes (all project code, and the engine's
 * {@code internal} package alone), the threads that ran project code and how often consecutive
 * calls changed thread. A count, not a timing: the same on a loaded machine.
 *
 * <pre>java -cp benchmarks.jar dev.switchboard.bench.callpath.CallPath chat|failover [classpath of the build to watch]</pre>
 *
 * The second argument lets the same program watch an older build (the benchmarks jar of that commit,
 * put before this one on the watched JVM's class path, so its classes win).
 */
public final class CallPath {
  private CallPath() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "chat";
    // The build to watch comes first, so its classes win over this jar's copies of them.
    String own = System.getProperty("java.class.path");
    String classpath = args.length > 1 ? args[1] + java.io.File.pathSeparator + own : own;
    LaunchingConnector connector = Bootstrap.virtualMachineManager().defaultConnector();
    Map<String, Connector.Argument> launch = connector.defaultArguments();
    launch.get("main").setValue(CallPathApp.class.getName() + " " + mode);
    launch.get("options").setValue("-Dswitchboard.warmUp=false -cp " + classpath);
    VirtualMachine vm = connector.launch(launch);
    copy(vm.process().getInputStream(), System.out);
    copy(vm.process().getErrorStream(), OutputStream.nullOutputStream());
    MethodEntryRequest entries = vm.eventRequestManager().createMethodEntryRequest();
    entries.addClassFilter("dev.switchboard.*");
    entries.addClassExclusionFilter("dev.switchboard.bench.*");
    entries.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
    entries.enable();
    MethodExitRequest exits = vm.eventRequestManager().createMethodExitRequest();
    exits.addClassFilter("dev.switchboard.Switchboard");
    exits.setSuspendPolicy(EventRequest.SUSPEND_EVENT_THREAD);
    exits.enable();
    Count all = new Count();
    Count engine = new Count();
    int depth = 0;
    int topLevelCalls = 0;
    boolean counting = false;
    String lastThread = null;
    int switches = 0;
    Set<String> threads = new LinkedHashSet<>();
    events:
    while (true) {
      EventSet set = vm.eventQueue().remove();
      for (Event e : set) {
        if (e instanceof VMDeathEvent || e instanceof VMDisconnectEvent) break events;
        if (e instanceof MethodEntryEvent entry) {
          Method m = entry.method();
          String type = m.declaringType().name();
          String thread = entry.thread().name();
          if (isChat(type, m) && thread.equals("main")) {
            if (depth == 0 && ++topLevelCalls == 2) counting = true;
            depth++;
          }
          if (!counting) continue;
          all.add(type, m.name());
          if (type.startsWith("dev.switchboard.internal.")) engine.add(type, m.name());
          threads.add(thread.replaceAll("[0-9]+", "N").replaceAll("http://\\S+", "<url>"));
          if (lastThread != null && !lastThread.equals(thread)) switches++;
          lastThread = thread;
        } else if (e instanceof MethodExitEvent exit && isChat(exit.method().declaringType().name(), exit.method())
            && exit.thread().name().equals("main") && --depth == 0 && counting) {
          counting = false;
          entries.disable();
          exits.disable();
        }
      }
      set.resume();
    }
    System.out.printf("%s: %d project method calls, %d distinct methods, %d classes; engine (internal) %d calls, %d methods,"
        + " %d classes; %d thread changes; threads %s%n", mode, all.calls, all.methods.size(), all.classes.size(), engine.calls,
        engine.methods.size(), engine.classes.size(), switches, threads);
  }

  private static boolean isChat(String type, Method m) {
    return type.equals("dev.switchboard.Switchboard") && m.name().equals("chat");
  }

  /** Copies the watched JVM's output on a daemon thread, so that it never blocks on a full pipe. */
  private static void copy(java.io.InputStream from, OutputStream to) {
    Thread t = new Thread(() -> {
      try {
        from.transferTo(to);
      } catch (java.io.IOException e) {
        // the watched JVM ended
      }
    }, "call-path-output");
    t.setDaemon(true);
    t.start();
  }

  private static final class Count {
    int calls;
    final Set<String> methods = new LinkedHashSet<>();
    final Map<String, Integer> classes = new TreeMap<>();

    void add(String type, String method) {
      calls++;
      methods.add(type + "." + method);
      classes.merge(type.replaceAll("\\$.*", ""), 1, Integer::sum);
    }
  }
}

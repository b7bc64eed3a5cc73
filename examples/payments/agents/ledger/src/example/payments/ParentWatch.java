package example.payments;

import java.util.function.Consumer;

/** Leaves when the harness that started the ledger is gone (PARENT_PID): no agent may outlive it. */
final class ParentWatch {
  private static final long GRACE_MS = 5000;

  private ParentWatch() {}

  static void start(String parentPid, Consumer<String> log) {
    if (parentPid == null || parentPid.isBlank()) return;
    long pid = Long.parseLong(parentPid.trim());
    Thread watch = new Thread(() -> {
      while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        try {
          Thread.sleep(1000);
        } catch (InterruptedException e) {
          return;
        }
      }
      log.accept("parent " + pid + " is gone: stopping");
      Thread backstop = new Thread(() -> {
        try {
          Thread.sleep(GRACE_MS);
        } catch (InterruptedException ignored) {
          // exiting anyway
        }
        Runtime.getRuntime().halt(1); // the clean stop did not finish; nobody else is left to end us
      });
      backstop.setDaemon(true);
      backstop.start();
      System.exit(1); // runs the shutdown hook: the group is left, not timed out
    }, "parent-watch");
    watch.setDaemon(true);
    watch.start();
  }
}

package org.trailbook.health;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lowers the CPU priority of the calling thread, for work that may wait: the search index's merges, which after a purge
 * or a bulk load take a core for minutes. When every core is busy the kernel then runs acknowledgements, queries and
 * indexing first and the merges get what they leave; on an idle machine they run as fast as before (docs/adr/0005).
 *
 * <p>On Linux every thread has a nice value of its own: {@code renice} on the thread's id (read from {@code
 * /proc/thread-self}) sets it to {@value #NICE} (a thread already at nice {@value #NICE} or more is left alone), which
 * needs no privilege and cannot be undone. Where that is not possible (another system, no {@code renice}) the thread
 * keeps its priority, and the first failure is logged.
 *
 * <p>Only for threads that never start or wake threads serving requests: a new thread inherits the nice value of the
 * thread that starts it, and the JDK starts a virtual thread's carrier on the thread that wakes it. So neither purge
 * passes (which answer a request) nor the journal's compaction (which wakes readers it held off) are lowered.
 */
public final class BackgroundPriority {
  private static final Logger log = LoggerFactory.getLogger(BackgroundPriority.class);
  /** The nice value of background threads (0 is the default, 19 the lowest priority): about a tenth of a normal thread's share. */
  public static final int NICE = 10;
  private static final Path THREAD_SELF = Path.of("/proc/thread-self");
  private static final AtomicBoolean reported = new AtomicBoolean();
  /** Whether this thread was lowered already (a thread is lowered once). */
  private static final ThreadLocal<Boolean> lowered = ThreadLocal.withInitial(() -> false);

  private BackgroundPriority() {}

  /** Whether {@link #lower} lowered the calling thread. */
  public static boolean isLowered() {
    return lowered.get();
  }

  /** The calling thread's nice value as the kernel sees it: field 19 of /proc/thread-self/stat, the 17th after the name. */
  public static int niceOfThisThread() throws IOException {
    String stat = Files.readString(THREAD_SELF.resolve("stat"));
    return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[16]);
  }

  /**
   * Lowers the calling platform thread's priority; whether it now runs at nice {@value #NICE} or lower. A thread already
   * there is left as it is. Virtual threads share their carriers: never.
   */
  public static boolean lower() {
    if (Thread.currentThread().isVirtual()) return false;
    if (lowered.get()) return true;
    try {
      if (niceOfThisThread() >= NICE) { // the whole server may run niced: never raise a thread above it
        lowered.set(true);
        return true;
      }
      String tid = Files.readSymbolicLink(THREAD_SELF).getFileName().toString(); // "<pid>/task/<tid>"
      // util-linux takes -n as the nice value, BSD and BusyBox as an increment: from 0 (checked above) both give NICE
      Process p = new ProcessBuilder("renice", "-n", Integer.toString(NICE), "-p", tid)
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException("renice did not finish within 5 s");
      }
      if (p.exitValue() != 0) throw new IOException("renice -n " + NICE + " -p " + tid + " exited with " + p.exitValue());
      int now = niceOfThisThread();
      if (now < NICE) throw new IOException("renice left the thread at nice " + now);
      lowered.set(true);
      return true;
    } catch (IOException | UnsupportedOperationException e) {
      if (reported.compareAndSet(false, true)) log.info("background work runs at the normal CPU priority: {}", e.toString());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}

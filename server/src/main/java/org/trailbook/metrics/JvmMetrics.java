package org.trailbook.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.lang.management.ManagementFactory;

/**
 * Micrometer's JVM and process binders (memory, garbage collection, threads, class loading, CPU, uptime, open
 * files), with two of {@link ProcessorMetrics}' names changed so that {@code promtool check metrics} finds nothing
 * to lint:
 *
 * <ul>
 *   <li>{@code process_cpu_time_ns_total} ("ns" is an abbreviated unit, and Prometheus wants seconds) is replaced by
 *       the name every Prometheus client library uses, {@code process_cpu_seconds_total}.
 *   <li>{@code system_cpu_count} (a gauge must not end in {@code _count}, which histograms and summaries use) is
 *       {@code system_cpu_processors}.
 * </ul>
 */
final class JvmMetrics implements AutoCloseable {
  private final JvmGcMetrics gc = new JvmGcMetrics();

  JvmMetrics(MeterRegistry registry) {
    registry.config().meterFilter(MeterFilter.deny(id -> id.getName().equals("process.cpu.time")));
    registry.config().meterFilter(new MeterFilter() {
      @Override
      public Meter.Id map(Meter.Id id) {
        return id.getName().equals("system.cpu.count") ? id.withName("system.cpu.processors") : id;
      }
    });
    new ClassLoaderMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    gc.bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
    new FileDescriptorMetrics().bindTo(registry);
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      FunctionCounter.builder("process.cpu", os, o -> Math.max(0, o.getProcessCpuTime()) / 1e9).baseUnit("seconds")
          .description("CPU time used by the server process").register(registry);
    }
  }

  /** Stops listening to garbage collections. */
  @Override
  public void close() {
    gc.close();
  }
}

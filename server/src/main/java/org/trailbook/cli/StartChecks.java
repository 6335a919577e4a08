package org.trailbook.cli;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.trailbook.server.ServerConfig;

/**
 * Checks the options of {@code serve} before anything is created: a start that is going to fail
 * (a port out of range or taken, a data path that is a file) says why in words and leaves no data
 * directory, key or lock behind.
 */
final class StartChecks {
  private StartChecks() {}

  /** Problems with the options themselves (bad usage), each naming the option; empty when fine. */
  static List<String> usageProblems(ServerConfig c) {
    List<String> problems = new ArrayList<>();
    if (c.port() < 0 || c.port() > 65535) problems.add("--port (or TRAILBOOK_PORT) must be from 0 to 65535, not " + c.port());
    try {
      InetAddress.getByName(c.host());
    } catch (UnknownHostException e) {
      problems.add("--host (or TRAILBOOK_HOST) '" + c.host() + "' is not an address of this machine or a known host name");
    }
    String dataProblem = dataDirProblem(c.dataDir());
    if (dataProblem != null) problems.add(dataProblem);
    return problems;
  }

  /** Why the server cannot listen where asked (the port is taken), or null. Port 0 is always free. */
  static String listenProblem(ServerConfig c) {
    if (c.port() == 0) return null;
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(c.host(), c.port()));
      return null;
    } catch (IOException e) {
      return "cannot listen on " + c.host() + ":" + c.port() + ": " + e.getMessage()
          + " (another process holds the port: stop it, or choose another port with --port or TRAILBOOK_PORT)";
    }
  }

  private static String dataDirProblem(Path dir) {
    Path abs = dir.toAbsolutePath().normalize();
    if (Files.exists(abs)) {
      if (!Files.isDirectory(abs)) return "--data (or TRAILBOOK_DATA) " + abs + " is a file, not a directory";
      if (!Files.isWritable(abs)) return "--data (or TRAILBOOK_DATA) " + abs + " is not writable by this user";
      return null;
    }
    Path ancestor = abs.getParent();
    while (ancestor != null && !Files.exists(ancestor)) ancestor = ancestor.getParent();
    if (ancestor == null) return null;
    if (!Files.isDirectory(ancestor)) return "--data (or TRAILBOOK_DATA) " + abs + " cannot be created: " + ancestor + " is a file";
    if (!Files.isWritable(ancestor)) return "--data (or TRAILBOOK_DATA) " + abs + " cannot be created: " + ancestor + " is not writable by this user";
    return null;
  }
}

package dev.anyorder.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM ends a server process promptly even in the middle of a long burst request: the stop reaches the
 * inference thread at its next network call instead of after the whole request.
 */
class ShutdownTest {
  @TempDir
  Path tmp;

  @Test
  void sigtermExitsWithinTwoSecondsMidBurst() throws Exception {
    Path model = TestModels.textModel(tmp, 128);
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(List.of(javaBin, "--add-modules", "jdk.incubator.vector", "-Xmx512m", "-Dai.djl.offline=true",
        "-cp", System.getProperty("java.class.path"), ServeUntilTerminated.class.getName(), model.toString()))
        .redirectErrorStream(true).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      int port = -1;
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith("port ")) {
          port = Integer.parseInt(line.substring(5).trim());
          break;
        }
      }
      assertTrue(port > 0, "the server process did not start");
      Thread drain = new Thread(() -> {
        try {
          out.transferTo(java.io.Writer.nullWriter());
        } catch (java.io.IOException e) {
          // the process ended
        }
      });
      drain.setDaemon(true);
      drain.start();
      // Many calls of moderate size (8 orders × 4 samples × the remaining positions, up to 254 calls): a stop
      // waits for the call under way, so this measures the stop, not one huge call, and the burst outlasts 2 s.
      String burst = "{\"length\": 128, \"sampler\": \"burst\", \"orders\": 8, \"num_samples\": 4, \"stream\": true}";
      try (Socket stream = FairnessTest.streamUntilFirstCommit(port, burst)) {
        long t0 = System.nanoTime();
        process.destroy(); // SIGTERM
        boolean exited = process.waitFor(20, TimeUnit.SECONDS);
        double millis = (System.nanoTime() - t0) / 1e6;
        System.out.printf("SIGTERM mid-burst: the server process exited after %.0f ms%n", millis);
        assertTrue(exited, "the server process did not exit within 20 s");
        assertTrue(millis < 2000, "the server process took " + millis + " ms to exit");
      }
    } finally {
      process.destroyForcibly();
    }
  }
}

package dev.anyorder.server;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A server process for {@link ShutdownTest}, run as {@code anyorder serve} runs one: it serves the model
 * directory of its argument on a free loopback port, prints {@code port N}, and stops when the process is
 * asked to end ({@link ModelServer#awaitTermination()}).
 */
final class ServeUntilTerminated {
  private ServeUntilTerminated() {}

  public static void main(String[] args) throws Exception {
    ModelServer server = ModelServer.start(Path.of(args[0]), ServerConfig.defaults().withPort(0).withMaxWork(Duration.ofMinutes(10))
        .withRequestTimeout(Duration.ofMinutes(10)));
    System.out.println("port " + server.port());
    System.out.flush();
    server.awaitTermination();
  }
}

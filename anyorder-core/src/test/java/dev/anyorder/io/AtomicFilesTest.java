package dev.anyorder.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path tmp;

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(tmp)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void writesAndReplacesWithSizeAndChecksum() throws IOException {
    Path target = tmp.resolve("a.txt");
    AtomicFiles.writeString(target, "first");
    AtomicFiles.WrittenFile w = AtomicFiles.writeString(target, "second");
    assertEquals("second", Files.readString(target));
    assertEquals(6, w.bytes());
    assertEquals(AtomicFiles.sha256Hex("second".getBytes(StandardCharsets.UTF_8)), w.sha256());
    assertEquals(w.sha256(), AtomicFiles.digest(target).sha256());
    assertEquals(List.of("a.txt"), names());
  }

  @Test
  void failureInTheMiddleLeavesThePreviousFileIntact() throws IOException {
    Path target = tmp.resolve("a.bin");
    AtomicFiles.writeString(target, "previous");
    var e = assertThrows(IOException.class, () -> AtomicFiles.write(target, out -> {
      out.write(new byte[1 << 20]);
      throw new IOException("disk on fire");
    }));
    assertEquals("disk on fire", e.getMessage());
    assertThrows(UncheckedIOException.class, () -> AtomicFiles.write(target, out -> {
      out.write(new byte[100]);
      throw new UncheckedIOException(new IOException("boom"));
    }));
    assertEquals("previous", Files.readString(target));
    assertEquals(List.of("a.bin"), names(), "no temporary files are left behind");
  }

  @Test
  void stagedFileIsInvisibleUntilCommitted() throws IOException {
    Path target = tmp.resolve("s.txt");
    AtomicFiles.writeString(target, "old");
    try (AtomicFiles.StagedFile staged = AtomicFiles.stage(target, out -> out.write("new".getBytes(StandardCharsets.UTF_8)))) {
      assertEquals("old", Files.readString(target));
      assertEquals(2, names().size());
    }
    assertEquals("old", Files.readString(target));
    assertEquals(List.of("s.txt"), names());
    try (AtomicFiles.StagedFile staged = AtomicFiles.stage(target, out -> out.write("new".getBytes(StandardCharsets.UTF_8)))) {
      staged.commit();
    }
    assertEquals("new", Files.readString(target));
    assertFalse(names().stream().anyMatch(n -> n.endsWith(".tmp")));
  }

  @Test
  void copiesStreams() throws IOException {
    Path target = tmp.resolve("c.bin");
    byte[] data = new byte[300_000];
    new java.util.Random(3).nextBytes(data);
    AtomicFiles.copy(target, new java.io.ByteArrayInputStream(data));
    org.junit.jupiter.api.Assertions.assertArrayEquals(data, Files.readAllBytes(target));
  }
}

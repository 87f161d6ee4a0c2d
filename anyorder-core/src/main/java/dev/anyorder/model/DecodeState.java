package dev.anyorder.model;

/**
 * The KV caches of a batch of independent sequences being decoded by a {@link Network}. Each sequence
 * has its own length; {@link #rollback} drops a sequence's most recent steps (the rejected drafts of
 * speculative decoding) without touching the others.
 */
public interface DecodeState extends AutoCloseable {

  int batch();

  /** Number of steps in sequence {@code b}'s cache. */
  int length(int b);

  /** Forgets the last {@code steps} steps of sequence {@code b}. */
  void rollback(int b, int steps);

  /** Releases the cache's native memory. */
  @Override
  void close();
}

package dev.anyorder.spark;

/** What a job does with a row it cannot process (unknown characters, too long, bad placeholders). */
public enum OnError {
  /** The task fails, and with it the job, naming the row's problem. */
  FAIL,
  /** The row is kept with its problem in the {@code error} column and null results. */
  COLUMN;

  /** {@code fail} or {@code column}, case-insensitively. */
  public static OnError parse(String value) {
    for (OnError e : values()) {
      if (e.name().equalsIgnoreCase(value.trim())) {
        return e;
      }
    }
    throw new IllegalArgumentException("on-error must be fail or column, got '" + value + "'");
  }
}

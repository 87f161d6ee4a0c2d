package dev.anyorder.io;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The contents of one safetensors file: its tensors in file order and its {@code __metadata__} map.
 *
 * @param tensors tensors with distinct names, in the order of their data in the file
 * @param metadata free-form string pairs of the header's {@code __metadata__} entry (empty if absent)
 */
public record TensorFile(List<NamedTensor> tensors, Map<String, String> metadata) {

  public TensorFile {
    tensors = List.copyOf(Objects.requireNonNull(tensors, "tensors must not be null"));
    Objects.requireNonNull(metadata, "metadata must not be null (use an empty map)");
    Set<String> names = new HashSet<>();
    for (NamedTensor t : tensors) {
      if (!names.add(t.name())) {
        throw new IllegalArgumentException("duplicate tensor name '" + t.name() + "'");
      }
      if (t.name().equals(Safetensors.METADATA_KEY)) {
        throw new IllegalArgumentException("'" + Safetensors.METADATA_KEY + "' is reserved and cannot name a tensor");
      }
    }
    Map<String, String> copy = new LinkedHashMap<>();
    metadata.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "metadata key must not be null"),
        Objects.requireNonNull(v, () -> "metadata value of '" + k + "' must not be null")));
    metadata = java.util.Collections.unmodifiableMap(copy);
  }

  /** Tensors only, without metadata. */
  public static TensorFile of(List<NamedTensor> tensors) {
    return new TensorFile(tensors, Map.of());
  }

  /** The tensor called {@code name}, if present. */
  public Optional<NamedTensor> find(String name) {
    return tensors.stream().filter(t -> t.name().equals(name)).findFirst();
  }
}

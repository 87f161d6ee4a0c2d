package dev.anyorder.io;

import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.WeightLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One named float tensor as stored in a safetensors file: its shape and its values in row-major order.
 *
 * <p>The shape is copied on construction and on access. The data array is <em>not</em> copied, since
 * checkpoints hold hundreds of megabytes: the tensor takes ownership of the array and callers must not
 * modify it afterwards (nor the array returned by {@link #data()}). Equality compares names, shapes and
 * values bit for bit ({@link Float#floatToIntBits}, so NaN equals NaN and 0.0 differs from -0.0).
 *
 * @param name tensor name, non-empty
 * @param shape dimensions, each non-negative; {@code []} is a scalar holding one value
 * @param data values, {@code product(shape)} of them
 */
public record NamedTensor(String name, long[] shape, float[] data) {

  public NamedTensor {
    Objects.requireNonNull(name, "tensor name must not be null");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("tensor name must not be empty");
    }
    Objects.requireNonNull(shape, () -> "tensor '" + name + "': shape must not be null");
    Objects.requireNonNull(data, () -> "tensor '" + name + "': data must not be null");
    shape = shape.clone();
    long count = elementCount(shape, name);
    if (count != data.length) {
      throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape) + " holds "
          + count + " values but data has " + data.length);
    }
  }

  /** Number of values a tensor of {@code shape} holds; fails on negative dimensions or overflow. */
  /** Plain arrays keyed by tensor name, in order; the arrays are shared, not copied. */
  public static Map<String, float[]> byName(List<NamedTensor> tensors) {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (NamedTensor t : tensors) {
      out.put(t.name(), t.data());
    }
    return out;
  }

  /** Named tensors in the shapes {@link WeightLayout} gives {@code config}, from arrays keyed by name. */
  public static List<NamedTensor> inLayout(ModelConfig config, Map<String, float[]> weights) {
    List<NamedTensor> out = new ArrayList<>();
    for (Map.Entry<String, long[]> e : WeightLayout.expected(config).entrySet()) {
      out.add(new NamedTensor(e.getKey(), e.getValue(), weights.get(e.getKey())));
    }
    return out;
  }

  public static long elementCount(long[] shape, String name) {
    long count = 1;
    for (long dim : shape) {
      if (dim < 0) {
        throw new IllegalArgumentException("tensor '" + name + "': negative dimension in shape " + Arrays.toString(shape));
      }
      try {
        count = Math.multiplyExact(count, dim);
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("tensor '" + name + "': shape " + Arrays.toString(shape) + " is too large");
      }
    }
    return count;
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  /** The values, row-major; the array itself, not a copy (do not modify it). */
  @Override
  public float[] data() {
    return data;
  }

  /** True when {@code other} has exactly this shape. */
  public boolean hasShape(long[] other) {
    return Arrays.equals(shape, other);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NamedTensor t && name.equals(t.name) && Arrays.equals(shape, t.shape)
        && Arrays.equals(data, t.data);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, Arrays.hashCode(shape), Arrays.hashCode(data));
  }

  @Override
  public String toString() {
    return "NamedTensor[" + name + " " + Arrays.toString(shape) + "]";
  }
}

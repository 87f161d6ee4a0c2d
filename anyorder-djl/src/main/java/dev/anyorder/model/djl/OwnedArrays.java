package dev.anyorder.model.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The only way Java arrays become PyTorch tensors here. DJL's PyTorch engine does not copy a Java array
 * into engine memory: {@code NDManager.create(float[])} wraps a direct {@code ByteBuffer} with
 * {@code torch::from_blob}, and {@code NDArray.set(float[])} re-points an existing tensor's storage at
 * such a buffer. The buffer lives only as long as the Java {@code NDArray} object, is aligned to 16 bytes
 * rather than the 64 PyTorch's allocator guarantees, and its address depends on when the garbage
 * collector last ran. Tensors built that way made training results depend on GC timing (and, once the
 * buffer is collected while a native view still points at it, read freed memory). Every tensor made
 * here is copied into memory PyTorch allocated and owns.
 *
 * <p>The same trap hides in DJL's arithmetic with a Java number ({@code x.mul(2)}, {@code x.div(n)}): it
 * wraps the number in such a tensor and closes it as soon as the op returns, while autograd keeps the
 * operand for the backward pass. A garbage collection between forward and backward then frees it and the
 * gradient is computed from freed memory: this was the intermittent NaN and the run-to-run drift of
 * training. Code that builds a differentiated graph multiplies by {@link #scalar} tensors instead.
 */
public final class OwnedArrays {
  private OwnedArrays() {}

  /** A PyTorch-owned float32 tensor holding {@code data}, belonging to {@code scope}. */
  public static NDArray floats(NDManager scope, float[] data, Shape shape) {
    try (NDArray staged = scope.create(data, shape)) {
      return staged.duplicate();
    }
  }

  /** A PyTorch-owned int64 tensor holding {@code data}, belonging to {@code scope}. */
  public static NDArray longs(NDManager scope, long[] data, Shape shape) {
    try (NDArray staged = scope.create(data, shape)) {
      return staged.duplicate();
    }
  }

  /** A PyTorch-owned float32 scalar, safe to keep in an autograd graph. */
  public static NDArray scalar(NDManager scope, float value) {
    return floats(scope, new float[] {value}, new Shape());
  }

  /** A PyTorch-owned int64 vector. */
  public static NDArray longs(NDManager scope, long[] data) {
    return longs(scope, data, new Shape(data.length));
  }

  /** Copies the values of {@code source} into the existing storage of {@code target}, outside autograd. */
  public static void copyInto(NDArray target, NDArray source) {
    boolean gradMode = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    try {
      target.set(new NDIndex("..."), source);
    } finally {
      JniUtils.setGradMode(gradMode);
    }
  }

  /**
   * Copies {@code data} into the existing storage of {@code target} (a slice assignment), so the tensor
   * keeps memory PyTorch owns and every holder of {@code target} sees the new values.
   */
  public static void copyInto(NDArray target, float[] data) {
    if (data.length != target.size()) {
      throw new IllegalArgumentException("cannot copy " + data.length + " values into a tensor of shape " + target.getShape());
    }
    try (NDManager scope = target.getManager().newSubManager()) {
      // an in-place write to a leaf that requires a gradient must not be recorded
      copyInto(target, floats(scope, data, target.getShape()));
    }
  }

  /**
   * The memory of a contiguous float32 tensor as a Java buffer in native byte order, without a copy: reads
   * see the tensor's current values and writes change them. Valid only while the tensor (or another tensor sharing its
   * storage) lives. The tensor must be contiguous (parameters and their gradients are): for any other,
   * DJL hands back a view of a temporary copy, and DJL 0.35 offers no way to tell the two apart.
   */
  public static ByteBuffer view(NDArray tensor) {
    if (tensor.getDataType() != DataType.FLOAT32) {
      throw new IllegalArgumentException("only float32 tensors have a float view, not " + tensor.getDataType());
    }
    ByteBuffer bytes = ((PtNDArray) tensor).toByteBuffer(true);
    if (!bytes.isDirect()) {
      throw new IllegalStateException("tensor of shape " + tensor.getShape() + " has no direct view of its memory");
    }
    return bytes.order(ByteOrder.nativeOrder());
  }
}

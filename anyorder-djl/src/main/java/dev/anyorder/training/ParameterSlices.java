package dev.anyorder.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.anyorder.model.djl.OwnedArrays;
import dev.anyorder.model.djl.SigmaGpt;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The trainable tensors of a model and its data-parallel replicas, seen as Java memory and cut into fixed
 * slices, so the optimizer step (summing the replicas' gradients, the global norm, AdamW, copying the new
 * weights to the replicas) is two passes over each element spread evenly over the workers, instead of
 * a few dozen PyTorch kernels per tensor. The slices do not depend on the number of workers, and the
 * global norm adds the slices' sums in slice order, so the step's arithmetic does not either.
 */
final class ParameterSlices {
  /** Slices are at most this many elements (256 KB of floats: a slice's four arrays stay in cache). */
  static final int SLICE = 1 << 16;

  /** Elements {@code [from, to)} of tensor {@code tensor}; {@code index} orders the slices. */
  record Slice(int index, int tensor, int from, int to) {}

  private final List<SigmaGpt> replicas;
  private final List<String> names;
  private final List<Slice> slices = new ArrayList<>();
  /** {@code [tensor][replica]}: direct views of each replica's weights, valid while the replicas live. */
  private final ByteBuffer[][] parameters;

  ParameterSlices(List<SigmaGpt> replicas) {
    this.replicas = replicas;
    Map<String, NDArray> first = replicas.get(0).parameters();
    this.names = List.copyOf(first.keySet());
    this.parameters = new ByteBuffer[names.size()][replicas.size()];
    for (int t = 0; t < names.size(); t++) {
      for (int w = 0; w < replicas.size(); w++) {
        parameters[t][w] = OwnedArrays.view(replicas.get(w).parameters().get(names.get(t)));
      }
      int size = Math.toIntExact(first.get(names.get(t)).size());
      for (int from = 0; from < size; from += SLICE) {
        slices.add(new Slice(slices.size(), t, from, Math.min(size, from + SLICE)));
      }
    }
  }

  /** Every slice, in order ({@link OptimizerKernels} does the work on each). */
  List<Slice> slices() {
    return slices;
  }

  /**
   * The slices split into {@code groups} consecutive runs of about equal element counts, one per worker.
   */
  List<List<Slice>> groups(int groups) {
    long total = slices.stream().mapToLong(s -> s.to() - s.from()).sum();
    List<List<Slice>> out = new ArrayList<>();
    for (int g = 0; g < groups; g++) {
      out.add(new ArrayList<>());
    }
    long done = 0;
    for (Slice s : slices) {
      int g = (int) Math.min(groups - 1, done * groups / Math.max(1, total));
      out.get(g).add(s);
      done += s.to() - s.from();
    }
    return out;
  }

  /** The copies of tensor {@code tensor}'s weights, the model's first. */
  ByteBuffer[] parameters(int tensor) {
    return parameters[tensor];
  }

  /**
   * {@code [tensor][replica]}: direct views of each replica's gradients, fetched anew each step (the
   * handles belong to {@code scope}, which keeps the memory alive while the views are used).
   */
  ByteBuffer[][] gradients(NDManager scope) {
    ByteBuffer[][] out = new ByteBuffer[names.size()][replicas.size()];
    for (int t = 0; t < names.size(); t++) {
      for (int w = 0; w < replicas.size(); w++) {
        NDArray gradient = replicas.get(w).parameters().get(names.get(t)).getGradient();
        gradient.attach(scope);
        out[t][w] = OwnedArrays.view(gradient);
      }
    }
    return out;
  }
}

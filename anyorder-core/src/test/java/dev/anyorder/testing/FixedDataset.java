package dev.anyorder.testing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyorder.data.Dataset;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/** A dataset of a few given sequences, used both for training and validation. */
public record FixedDataset(int[][] sequences, int vocabSize) implements Dataset {
  @Override
  public int sequenceLength() {
    return sequences[0].length;
  }

  @Override
  public int[][] batch(int batchSize, RandomGenerator rng) {
    int[][] out = new int[batchSize][];
    for (int i = 0; i < batchSize; i++) {
      out[i] = sequences[rng.nextInt(sequences.length)].clone();
    }
    return out;
  }

  @Override
  public List<int[][]> validationBatches(int batchSize, int maxBatches) {
    List<int[][]> out = new ArrayList<>();
    out.add(sequences.clone());
    return out;
  }

  @Override
  public ObjectNode provenance() {
    return JsonNodeFactory.instance.objectNode().put("format", "fixed");
  }
}

package dev.anyorder.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a model trained for gaps of unknown length lays out the <em>length phase</em> of an infilling request
 * (docs/algorithms.md#gaps-of-unknown-length). Masked and any-order models fill only gaps whose length is
 * given; Patel et al. (2025, "Insertion Language Models") name that as their limit. This layout lifts it with
 * one extra token per gap, keeping every other part of the model as it is:
 *
 * <ul>
 *   <li>The last {@code slots} rows of the position table are <em>length slots</em>: position
 *       {@code block() + g} holds the length of the {@code g}-th gap of unknown length, written as the token
 *       id equal to that length (so lengths {@code 0..maxGap} reuse ids {@code 0..maxGap}: the slot position,
 *       not the id, says that the token is a length, and no vocabulary or weight layout changes).
 *   <li>In the length phase the context is laid out with each unknown-length gap as one <em>marker</em>
 *       position holding the start token (an input-only id that never appears at a real position otherwise),
 *       and each fixed-length gap as its true number of never-fed positions. Context positions thus do not
 *       depend on the lengths still to be drawn.
 *   <li>The length stream feeds the known context in increasing position order (the prompt-first layout),
 *       then, for each gap {@code g} in turn, its marker and its slot: the step that reads the marker
 *       predicts the slot, so the model is told which gap it sizes by where the marker is, with no counting.
 * </ul>
 *
 * Once the lengths are drawn, each gap becomes that many ordinary unknown positions and the content is a
 * plain fixed-length infilling request, filled and scored by the existing samplers and scorer. Hence
 * {@code log p(fill) = log p(lengths | context) + log p(content | context, lengths)}, each factor a product
 * of normalized conditionals, and the probabilities of all fills sum to 1.
 *
 * <p>This is why length tokens were chosen over an end-of-gap token (which needs a content layout with
 * room for the longest fill at every gap, and a model that never emits text after it) or insertion slots
 * (which change what a position means): the content phase is exactly today's infilling, with its KV cache,
 * exact speculative decoding and adaptive orders, and models without gap training are untouched.
 *
 * @param slots how many gaps of unknown length one request may have; the model's {@code maxLength} is the
 *     content block plus these slots
 * @param maxGap the longest gap the model was trained to size; at most {@code vocabSize - 1}
 */
public record GapLayout(int slots, int maxGap) {
  /** Field of the training config ({@code training.config} in {@code config.json}) that records the layout. */
  public static final String FIELD = "gaps";

  public GapLayout {
    if (slots < 1) {
      throw new IllegalArgumentException("a gap layout needs at least 1 length slot, got " + slots);
    }
    if (maxGap < 1) {
      throw new IllegalArgumentException("the longest gap must be at least 1 token, got " + maxGap);
    }
  }

  /** Checks the layout against a model's shape, naming what does not fit; returns this layout. */
  public GapLayout validate(ModelConfig c) {
    if (!c.startSlot()) {
      throw new IllegalArgumentException("gaps of unknown length need a model with a start slot (its start token marks a gap)");
    }
    if (maxGap > c.vocabSize() - 1) {
      throw new IllegalArgumentException("the longest gap (" + maxGap + ") must be below the vocabulary size ("
          + c.vocabSize() + "): lengths are written as token ids");
    }
    if (c.maxLength() - slots < 1) {
      throw new IllegalArgumentException(slots + " length slots leave no room for content in " + c.maxLength() + " positions");
    }
    return this;
  }

  /** Positions available to content: the model's positions before the length slots. */
  public int block(ModelConfig c) {
    return c.maxLength() - slots;
  }

  /** The position of gap {@code g}'s length slot. */
  public int slotPosition(ModelConfig c, int g) {
    if (g < 0 || g >= slots) {
      throw new IllegalArgumentException("gap " + g + " has no length slot: this model has " + slots);
    }
    return block(c) + g;
  }

  /**
   * The layout a model records in its training config ({@code config.gaps}), if it was trained for gaps
   * of unknown length.
   *
   * @throws IllegalArgumentException when the record is there but malformed, naming the field
   */
  public static Optional<GapLayout> recorded(JsonNode training) {
    if (training == null) {
      return Optional.empty();
    }
    JsonNode gaps = training.path("config").path(FIELD);
    if (gaps.isMissingNode() || gaps.isNull()) {
      return Optional.empty();
    }
    JsonNode slots = gaps.get("slots");
    JsonNode maxGap = gaps.get("maxGap");
    if (slots == null || !slots.canConvertToInt() || maxGap == null || !maxGap.canConvertToInt()) {
      throw new IllegalArgumentException("training.config." + FIELD + " must hold integers \"slots\" and \"maxGap\", got " + gaps);
    }
    return Optional.of(new GapLayout(slots.intValue(), maxGap.intValue()));
  }

  /**
   * The steps of the length stream of one request, through the step that predicts gap {@code through}'s
   * length, and which steps predict a length.
   *
   * @param c the model
   * @param layout the request in the length-phase layout: a token id, {@link #HOLE} for a position of a
   *     fixed-length gap (never fed), or {@link #MARKER} for the one position of a gap of unknown length
   * @param lengths the lengths of the gaps before {@code through} (more entries are ignored)
   * @param through the last gap whose length step is wanted
   */
  public LengthStream stream(ModelConfig c, int[] layout, int[] lengths, int through) {
    validate(c);
    int block = block(c);
    if (layout.length > block) {
      throw new IllegalArgumentException("the length layout has " + layout.length + " positions, more than the "
          + block + " of the model's content block");
    }
    List<Integer> markers = new ArrayList<>();
    List<Integer> order = new ArrayList<>();
    for (int p = 0; p < layout.length; p++) {
      if (layout[p] >= 0) {
        if (layout[p] >= c.vocabSize()) {
          throw new IllegalArgumentException("token id " + layout[p] + " at position " + p + " is outside the vocabulary");
        }
        order.add(p);
      } else if (layout[p] == MARKER) {
        markers.add(p);
      } else if (layout[p] != HOLE) {
        throw new IllegalArgumentException("layout[" + p + "] = " + layout[p] + ": use a token id, HOLE or MARKER");
      }
    }
    if (markers.size() > slots) {
      throw new IllegalArgumentException(markers.size() + " gaps of unknown length, but this model has " + slots + " length slots");
    }
    if (through < 0 || through >= markers.size()) {
      throw new IllegalArgumentException("gap " + through + " does not exist: the request has " + markers.size());
    }
    int known = order.size();
    for (int g = 0; g <= through; g++) {
      order.add(markers.get(g));
      order.add(block + g);
    }
    List<Step> steps = new ArrayList<>(order.size());
    int[] slotSteps = new int[through + 1];
    for (int t = 0; t < order.size(); t++) {
      int to = order.get(t);
      if (t == 0) {
        steps.add(new Step(c.startToken(), c.nonePosition(), to));
      } else {
        int from = order.get(t - 1);
        int token;
        if (from >= block) {
          int g = from - block;
          if (g >= lengths.length || lengths[g] < 0 || lengths[g] > maxGap) {
            throw new IllegalArgumentException("gap " + g + " needs a length in 0.." + maxGap);
          }
          token = lengths[g];
        } else {
          token = layout[from] == MARKER ? c.startToken() : layout[from];
        }
        steps.add(new Step(token, from, to));
      }
      if (to >= block) {
        slotSteps[to - block] = t;
      }
    }
    assert steps.size() == known + 2 * (through + 1);
    return new LengthStream(steps, slotSteps);
  }

  /** A position of a fixed-length gap in the length-phase layout: unknown, never fed. */
  public static final int HOLE = -1;
  /** The position of a gap of unknown length in the length-phase layout: fed as the start token. */
  public static final int MARKER = -2;

  /**
   * The steps of a length stream and the index of the step predicting each gap's length.
   *
   * @param steps teacher-forced steps, in order
   * @param slotSteps {@code slotSteps[g]} is the index of the step whose output is gap {@code g}'s length
   */
  public record LengthStream(List<Step> steps, int[] slotSteps) {
    public LengthStream {
      steps = List.copyOf(steps);
      slotSteps = slotSteps.clone();
    }

    @Override
    public int[] slotSteps() {
      return slotSteps.clone();
    }
  }
}

package dev.anyorder.evaluation;

import dev.anyorder.model.PositionEncoding;
import dev.anyorder.orders.OrderSchedule;
import dev.anyorder.sampling.PositionRule;
import dev.anyorder.sampling.SamplerConfig;
import dev.anyorder.sampling.SamplerKind;
import java.util.List;
import java.util.Objects;

/**
 * The recipe a task's models are trained and decoded with: model shape, optimiser settings, order
 * schedules, how the known positions enter training, and the decoding temperature. It is the one place
 * the defaults of the demo and of {@code bench maze|sudoku|text|images} come from; every field can be
 * overridden on the command line, and the chosen values are written to the report and, through the
 * training configuration, to each model's {@code config.json}.
 *
 * <p>The demo's maze recipe is the result of a measured search ({@code anyorder bench recipes}, the runs
 * and their curves in {@code docs/recipes/maze-7x7/report.md}); the others are starting points. Change them here
 * when a measured recipe beats them.
 *
 * <p><b>Mazes train prompt first on the lean encoding</b> (the fixed solution cells are known in training
 * as at solve time), for three reasons: a left-to-right model is only usable on the lean encoding if it
 * was trained in that layout (it has never seen a later cell before an earlier one otherwise); the loss
 * then falls on the open cells, the only ones a model is ever asked for, instead of being mostly copies of
 * the maze (the fixed cells are about two thirds of a 7×7 solution grid); and it is the published σ-GPT
 * maze protocol (prompt first, loss on the solution), with the fixed cells counted as prompt. The price:
 * such a model never learned to generate the fixed cells, so it must be given them ({@code
 * MazeConfig.fixedCellsGiven}) wherever it is used. {@code --no-prompt-first} trains on whole sequences
 * in the drawn orders instead, which any sampler can still decode in the lean encoding (any-order models
 * only).
 *
 * @param layers transformer blocks
 * @param heads attention heads
 * @param dim residual width
 * @param batch sequences per optimizer step
 * @param learningRate peak learning rate
 * @param steps optimizer steps per model; 0 derives them from the time budget
 * @param orders training order schedules ({@link OrderSchedule#parse} labels), one model each
 * @param positions position tables
 * @param trainInstances size of the generated training pool
 * @param temperature sampling temperature of every sampler
 * @param targetLoss loss on the positions unknown at solve time only, in the orders the schedule draws
 * @param promptFirst train in the solve-time layout: each instance's known positions (for a lean maze,
 *     the maze and the solution cells it fixes) first, in position order, then the targets in the order
 *     the schedule draws, loss on the targets only (implies {@code targetLoss}); needs a task that derives
 *     its known positions from its instances
 * @param waypoints path cells given in the waypoint scenario of maze tasks (0 = no waypoint scenario)
 * @param detourShare maze tasks: the share of training mazes with several shortest paths that take another
 *     route through a given waypoint ({@code MazeConfig.detourShare}); 0 for other tasks
 * @param variedShare maze tasks: the share of training mazes drawn from the wider family of {@code
 *     MazeGenerator.generateVaried} ({@code MazeConfig.variedShare}); 0 for other tasks
 */
public record TaskRecipe(int layers, int heads, int dim, int batch, double learningRate, int steps, List<String> orders,
    PositionEncoding positions, int trainInstances, double temperature, boolean targetLoss, boolean promptFirst,
    int waypoints, double detourShare, double variedShare) {

  public TaskRecipe {
    Objects.requireNonNull(positions, "positions");
    if (orders == null || orders.isEmpty()) {
      throw new IllegalArgumentException("a recipe needs at least one training order");
    }
    orders = List.copyOf(orders);
    orders.forEach(OrderSchedule::parse);
    if (layers < 1 || heads < 1 || dim < 2 || dim % heads != 0) {
      throw new IllegalArgumentException("a recipe needs layers, heads >= 1 and dim divisible by heads, got " + layers + ", "
          + heads + ", " + dim);
    }
    if (batch < 1 || !(learningRate > 0) || steps < 0 || trainInstances < 1 || !(temperature > 0) || waypoints < 0
        || !(detourShare >= 0 && detourShare <= 1) || !(variedShare >= 0 && variedShare <= 1)) {
      throw new IllegalArgumentException("a recipe needs batch >= 1, learning rate > 0, steps >= 0, train instances >= 1,"
          + " temperature > 0, waypoints >= 0 and detour and varied shares in [0, 1]");
    }
  }

  /** A recipe whose training instances all follow the task's own shape (no varied maze share). */
  public TaskRecipe(int layers, int heads, int dim, int batch, double learningRate, int steps, List<String> orders,
      PositionEncoding positions, int trainInstances, double temperature, boolean targetLoss, boolean promptFirst,
      int waypoints, double detourShare) {
    this(layers, heads, dim, batch, learningRate, steps, orders, positions, trainInstances, temperature, targetLoss,
        promptFirst, waypoints, detourShare, 0);
  }

  /** The same recipe with {@code share} of its maze training instances from the varied family. */
  public TaskRecipe withVariedShare(double share) {
    return new TaskRecipe(layers, heads, dim, batch, learningRate, steps, orders, positions, trainInstances, temperature,
        targetLoss, promptFirst, waypoints, detourShare, share);
  }

  /**
   * The decoding this recipe's any-order models are made for, which each records in its {@code config.json}
   * ({@code training.decoding}) so that every front end opens on it: adaptive decoding with the margin rule,
   * one position per network call (the most confident open cell first; Kim et al. 2025), at the recipe's
   * temperature. The puzzles have one answer, and deciding the surest cells first is how an any-order model
   * finds it; the library's default (exact speculative decoding in a random order, temperature 1) draws
   * faithful samples of the model instead, and on the demo's mazes solves few.
   */
  public SamplerConfig decoding() {
    return SamplerConfig.defaults(SamplerKind.ADAPTIVE).withRule(PositionRule.MARGIN).withK(1).withTemperature(temperature);
  }

  /**
   * The demo's 7×7 maze solver, an any-order model that solves mazes in its own order: uniformly random
   * orders over the open cells, prompt first (the maze and the cells it fixes first, loss on the open cells
   * only: the lean, interior-only encoding of 50 tokens), grid positions (a solution cell shares its row and
   * column embeddings with the maze cell it answers), width 96, batch 32, 5,000 steps, decoded adaptively
   * (margin rule, {@link #decoding()}) at temperature 0.1, since the puzzles have one answer. A quarter of the
   * training mazes with several shortest paths take another route through a waypoint given in the prompt
   * ({@code MazeConfig.detourShare}), so the model follows a given path cell.
   *
   * <p>Measured one thread per run, seed 1, 400 held-out mazes (issue 21's search; {@code
   * docs/recipes/maze-7x7/report.md} has the earlier one): the previous recipe (three quarters left to right,
   * learned positions, width 128, batch 16) decoded in its own order solved 36%; random orders with grid
   * positions at batch 16 solved 79%, at batch 32 (twice the sequences) 89%, and at width 96 93% (left to
   * right 83%, exact speculative decoding 85% at 4.4 network calls against 16.5), where three layers of 128
   * were worse (validation loss 0.12 against 0.07 at step 2,900). A peak learning rate of 6e-3 stalls on the
   * early plateau.
   *
   * <p>Half the training mazes come from the varied family ({@link #MAZE_VARIED_SHARE}). Trained on the
   * configured generator alone (three wall segments, start and goal half the diameter apart), the model solved
   * 92% of its own held-out mazes but 61% of depth-first perfect mazes and 58% of open rooms with two to six
   * segments and any start-to-goal distance (200 each, written by independent generators); with the varied
   * half, seed 1, one thread: 90.3% of its own, 86.0%, 86.0% and 88.5% of Prim mazes with loops.
   */
  public static TaskRecipe mazeDemo() {
    return new TaskRecipe(4, 4, 96, 32, 3e-3, 5000, List.of("random"), PositionEncoding.GRID, 20000, 0.1,
        false, true, 1, 0.25, MAZE_VARIED_SHARE);
  }

  /** Share of maze training instances from the varied family ({@code MazeGenerator.generateVaried}). */
  public static final double MAZE_VARIED_SHARE = 0.5;

  /**
   * {@code bench maze}: the demo's any-order model (random orders, grid positions, width 96, batch 32) against a
   * left-to-right model of the same shape at equal compute, both prompt first on the lean encoding, half their
   * training mazes from the varied family as the demo's.
   */
  public static TaskRecipe maze() {
    return new TaskRecipe(4, 4, 96, 32, 3e-3, 0, List.of("random", "left-to-right"), PositionEncoding.GRID, 20000, 0.1,
        false, true, 1, 0, MAZE_VARIED_SHARE);
  }

  /**
   * {@code bench sudoku}: a random-order model and a left-to-right one, both in the solve-time layout (the
   * givens first, then the blanks in the drawn order, loss on the blanks only: a model trained on whole grids
   * spends its capacity generating givens it is always handed), with grid positions (one embedding per row,
   * column and box, summed), trained on puzzles of {@link #SUDOKU_TRAINING_GIVENS} givens and more, each seen as
   * a fresh symmetric variant ({@code SudokuTask.trainingVariant}). Decoded with the margin rule at
   * temperature 0.1: the puzzles have one answer.
   */
  public static TaskRecipe sudoku() {
    return new TaskRecipe(4, 4, 128, 64, 1e-3, 0, List.of("random", "left-to-right"), PositionEncoding.GRID, 20000, 0.1,
        true, true, 0, 0);
  }

  /** Fewest givens of a Sudoku training puzzle; training draws reveal up to {@link #SUDOKU_TRAINING_MAX_GIVENS}. */
  public static final int SUDOKU_TRAINING_GIVENS = 25;
  /**
   * Hypotheses of the beam search {@code bench sudoku} reports beside greedy adaptive decoding. Measured on the
   * 45-minute random-order model ({@code docs/benchmarks/sudoku-32}): on 100 32-given puzzles from an independent
   * generator, greedy margin decoding solved 59, a beam of 8 reranked by consistency 79 (at about 80 times the
   * compute). Earlier probes on 100 of our own held-out puzzles: greedy 68, a beam of 4 82, a beam of 8 88; ranked
   * by the commit-order log-probability instead of consistency, the beam stayed at 68.
   */
  public static final int SUDOKU_BEAM = 8;
  /** Most givens of a Sudoku training puzzle. */
  public static final int SUDOKU_TRAINING_MAX_GIVENS = 45;

  /** {@code bench text} and {@code bench images}: the orders are fixed by the benchmark. */
  public static TaskRecipe generic() {
    return new TaskRecipe(4, 4, 128, 16, 1e-3, 0, List.of("random", "left-to-right"), PositionEncoding.LEARNED, 20000, 0.5,
        false, false, 0, 0);
  }
}

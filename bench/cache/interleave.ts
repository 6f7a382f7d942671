import { type Measurement, summarize } from '../lib/measure';

/**
 * Contenders measured in small interleaved batches rather than one after the other, so that a noisy
 * machine (other processes, GC, CPU frequency) slows them all alike, instead of whichever ran last.
 */
type Operation = () => Promise<unknown>;

interface InterleaveOptions {
  rounds: number;
  batch: number;
  warmup: number;
}

/** Times one contender's turn of `batch` calls, pushing its samples (ns) into `into`. */
type TimeTurn = (operation: Operation, batch: number, into: number[]) => Promise<void>;

async function warm(contenders: Record<string, Operation>, warmup: number): Promise<void> {
  for (const operation of Object.values(contenders))
    for (let call = 0; call < warmup; call++) await operation();
}

/** Warms every contender, then runs `rounds` rounds of one timed turn per contender; samples by name. */
async function interleave(
  contenders: Record<string, Operation>,
  { rounds, batch, warmup }: InterleaveOptions,
  timeTurn: TimeTurn,
): Promise<Record<string, number[]>> {
  await warm(contenders, warmup);
  const names = Object.keys(contenders);
  const samples = Object.fromEntries(names.map((name) => [name, [] as number[]]));
  for (let round = 0; round < rounds; round++) {
    // Rotate who goes first, so that no contender always follows the same neighbour.
    for (let offset = 0; offset < names.length; offset++) {
      const name = names[(round + offset) % names.length]!;
      await timeTurn(contenders[name]!, batch, samples[name]!);
    }
  }
  return samples;
}

/** Per-call latency: every call timed on its own, `batch` calls per contender per round. */
export async function interleavedLatency(
  contenders: Record<string, Operation>,
  options: InterleaveOptions,
): Promise<Record<string, Measurement>> {
  const samples = await interleave(contenders, options, async (operation, batch, into) => {
    for (let call = 0; call < batch; call++) {
      const start = process.hrtime.bigint();
      await operation();
      into.push(Number(process.hrtime.bigint() - start));
    }
  });
  return Object.fromEntries(Object.entries(samples).map(([name, timed]) => [name, summarize(timed)]));
}

/** Sequential throughput: each sample times `batch` awaited calls; figures are per call. */
export async function interleavedThroughput(
  contenders: Record<string, Operation>,
  options: InterleaveOptions,
): Promise<Record<string, Measurement>> {
  const samples = await interleave(contenders, options, async (operation, batch, into) => {
    const start = process.hrtime.bigint();
    for (let call = 0; call < batch; call++) await operation();
    into.push(Number(process.hrtime.bigint() - start));
  });
  return Object.fromEntries(
    Object.entries(samples).map(([name, timed]) => [name, summarize(timed, options.batch)]),
  );
}

import { type Measurement, summarize } from '../lib/measure';

/**
 * Contenders measured in small interleaved batches rather than one after the other, so that a noisy
 * machine (other processes, GC, CPU frequency) slows them all alike, instead of whichever ran last.
 */
type Operation = () => Promise<unknown>;

async function warm(contenders: Record<string, Operation>, warmup: number): Promise<void> {
  for (const operation of Object.values(contenders))
    for (let call = 0; call < warmup; call++) await operation();
}

/** Per-call latency: every call timed on its own, `batch` calls per contender per round. */
export async function interleavedLatency(
  contenders: Record<string, Operation>,
  { rounds, batch, warmup }: { rounds: number; batch: number; warmup: number },
): Promise<Record<string, Measurement>> {
  await warm(contenders, warmup);
  const names = Object.keys(contenders);
  const samples = Object.fromEntries(names.map((name) => [name, [] as number[]]));
  for (let round = 0; round < rounds; round++) {
    // Rotate who goes first, so that no contender always follows the same neighbour.
    for (let offset = 0; offset < names.length; offset++) {
      const name = names[(round + offset) % names.length]!;
      const operation = contenders[name]!;
      const into = samples[name]!;
      for (let call = 0; call < batch; call++) {
        const start = process.hrtime.bigint();
        await operation();
        into.push(Number(process.hrtime.bigint() - start));
      }
    }
  }
  return Object.fromEntries(names.map((name) => [name, summarize(samples[name]!)]));
}

/** Sequential throughput: each sample times `batch` awaited calls; figures are per call. */
export async function interleavedThroughput(
  contenders: Record<string, Operation>,
  { rounds, batch, warmup }: { rounds: number; batch: number; warmup: number },
): Promise<Record<string, Measurement>> {
  await warm(contenders, warmup);
  const names = Object.keys(contenders);
  const samples = Object.fromEntries(names.map((name) => [name, [] as number[]]));
  for (let round = 0; round < rounds; round++) {
    for (let offset = 0; offset < names.length; offset++) {
      const name = names[(round + offset) % names.length]!;
      const operation = contenders[name]!;
      const start = process.hrtime.bigint();
      for (let call = 0; call < batch; call++) await operation();
      samples[name]!.push(Number(process.hrtime.bigint() - start));
    }
  }
  return Object.fromEntries(names.map((name) => [name, summarize(samples[name]!, batch)]));
}

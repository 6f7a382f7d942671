import type { BenchUser, LabelledQuery } from './generate-dataset';
import { createRandom, zipfSampler } from './random';

export interface BenchRequest {
  readonly index: number;
  readonly user: BenchUser;
  readonly query: LabelledQuery;
  readonly queryIndex: number;
  /** A task of this user is completed (and the cache invalidated) just before the request. */
  readonly writeBefore: boolean;
}

/**
 * The request sequence: users drawn by a Zipf law (s = `exponent`) over every workspace × user, each
 * asking one of their four questions, with a write before a share of the requests. Who is popular is a
 * seeded shuffle, so hot users are spread over workspaces.
 */
export function requestMix(
  users: readonly BenchUser[],
  options: { seed: number; count: number; exponent: number; writeRate: number },
): BenchRequest[] {
  const random = createRandom(options.seed);
  const order = users.map((_, index) => index);
  for (let index = order.length - 1; index > 0; index--) {
    const other = random.integer(0, index);
    [order[index], order[other]] = [order[other]!, order[index]!];
  }
  const nextRank = zipfSampler(users.length, options.exponent, random);
  return Array.from({ length: options.count }, (_, index) => {
    const user = users[order[nextRank()]!]!;
    const queryIndex = random.integer(0, user.queries.length - 1);
    return {
      index,
      user,
      query: user.queries[queryIndex]!,
      queryIndex,
      writeBefore: random.chance(options.writeRate),
    };
  });
}

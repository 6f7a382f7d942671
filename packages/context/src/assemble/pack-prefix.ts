/** One way to show an element, with its cost in tokens (separator included). */
export interface ElementForm {
  readonly mode: 'full' | 'summary';
  readonly text: string;
  readonly tokens: number;
}

/** A section header paid once, by the first element kept under it. */
export interface SectionHeader {
  readonly key: string;
  readonly tokens: number;
}

/** Something to pack: its forms in order of preference, and the headers it needs. */
export interface PackCandidate<Source> {
  readonly source: Source;
  readonly forms: readonly ElementForm[];
  readonly headers: readonly SectionHeader[];
}

export interface PackResult<Source> {
  readonly kept: ReadonlyArray<{ readonly candidate: PackCandidate<Source>; readonly form: ElementForm }>;
  readonly dropped: readonly PackCandidate<Source>[];
  readonly usedTokens: number;
}

/**
 * Packs candidates in rank order into `budgetTokens`, each in the first form that fits (full, then its
 * summary). Stops at the first candidate that fits in no form, and drops it and everything after it:
 * a lower-ranked element is never kept in place of a higher-ranked one, and no element is cut.
 */
export function packPrefix<Source>(
  candidates: readonly PackCandidate<Source>[],
  budgetTokens: number,
): PackResult<Source> {
  const kept: Array<{ candidate: PackCandidate<Source>; form: ElementForm }> = [];
  const paidHeaders = new Set<string>();
  let usedTokens = 0;
  for (const [index, candidate] of candidates.entries()) {
    let headerTokens = 0;
    for (const header of candidate.headers) if (!paidHeaders.has(header.key)) headerTokens += header.tokens;
    const form = candidate.forms.find((option) => usedTokens + headerTokens + option.tokens <= budgetTokens);
    if (form === undefined) return { kept, dropped: candidates.slice(index), usedTokens };
    for (const header of candidate.headers) paidHeaders.add(header.key);
    usedTokens += headerTokens + form.tokens;
    kept.push({ candidate, form });
  }
  return { kept, dropped: [], usedTokens };
}

/** Tokens to include every candidate in its preferred form: what a section would use with no limit. */
export function demandTokens<Source>(candidates: readonly PackCandidate<Source>[]): number {
  const paid = new Set<string>();
  let total = 0;
  for (const candidate of candidates) {
    for (const header of candidate.headers) {
      if (paid.has(header.key)) continue;
      paid.add(header.key);
      total += header.tokens;
    }
    total += candidate.forms[0]?.tokens ?? 0;
  }
  return total;
}

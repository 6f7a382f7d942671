import { allocateBudget, SECTION_NAMES, type SectionName } from './allocate-budget';
import type { Candidate } from './build-candidates';
import { demandTokens, packPrefix } from './pack-prefix';
import type { KeptElement } from './render-messages';

/** Per section: what was kept (in rank order), what was dropped for budget, and the tokens used. */
export type Packed = Record<SectionName, { kept: KeptElement[]; dropped: Candidate[]; usedTokens: number }>;

/**
 * Allocates by share (what a section does not need flows to the others), packs each section, then
 * offers the tokens still unused to the sections that had to drop something, in section order.
 */
export function packSections(
  candidates: Record<SectionName, Candidate[]>,
  available: number,
  shares: Readonly<Record<SectionName, number>>,
): Packed {
  const demands = {
    context: demandTokens(candidates.context),
    passages: demandTokens(candidates.passages),
    memory: demandTokens(candidates.memory),
  };
  const allocation = allocateBudget(available, demands, shares);
  const packSection = (section: SectionName, budget: number) => {
    const result = packPrefix(candidates[section], budget);
    return {
      kept: result.kept.map(({ candidate, form }) => ({ source: candidate.source, form })),
      dropped: [...result.dropped],
      usedTokens: result.usedTokens,
    };
  };
  const packed = {} as Packed;
  for (const section of SECTION_NAMES) packed[section] = packSection(section, allocation[section]);
  for (const section of SECTION_NAMES) {
    const used = SECTION_NAMES.reduce((sum, name) => sum + packed[name].usedTokens, 0);
    const leftover = available - used;
    if (leftover <= 0 || packed[section].dropped.length === 0) continue;
    const repacked = packSection(section, packed[section].usedTokens + leftover);
    if (repacked.usedTokens > packed[section].usedTokens) packed[section] = repacked;
  }
  return packed;
}

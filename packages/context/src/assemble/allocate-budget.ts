export type SectionName = 'context' | 'passages' | 'memory';

export const SECTION_NAMES: readonly SectionName[] = ['context', 'passages', 'memory'];

/**
 * Splits `available` tokens between the sections by their shares, without giving any section more than
 * it can use: a section that needs less than its share keeps what it needs and the rest flows to the
 * others, again by share (water-filling). Sections with a share of 0 get only what the others leave.
 */
export function allocateBudget(
  available: number,
  demands: Readonly<Record<SectionName, number>>,
  shares: Readonly<Record<SectionName, number>>,
): Record<SectionName, number> {
  const allocation: Record<SectionName, number> = { context: 0, passages: 0, memory: 0 };
  let remaining = Math.max(0, available);
  let open = SECTION_NAMES.filter((section) => demands[section] > 0);
  while (open.length > 0 && remaining > 0) {
    const weighted = open.filter((section) => shares[section] > 0);
    const receiving = weighted.length > 0 ? weighted : open;
    const totalShare = receiving.reduce(
      (sum, section) => sum + (weighted.length > 0 ? shares[section] : 1),
      0,
    );
    const fair = (section: SectionName) =>
      (remaining * (weighted.length > 0 ? shares[section] : 1)) / totalShare;
    const satisfied = receiving.filter((section) => demands[section] - allocation[section] <= fair(section));
    if (satisfied.length === 0) {
      const grants = receiving.map((section) => [section, Math.floor(fair(section))] as const);
      for (const [section, grant] of grants) allocation[section] += grant;
      break;
    }
    for (const section of satisfied) {
      remaining -= demands[section] - allocation[section];
      allocation[section] = demands[section];
    }
    open = open.filter((section) => !satisfied.includes(section));
  }
  return allocation;
}

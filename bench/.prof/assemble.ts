import { assembleContext } from '@neptune/context';
import { createTokenizer } from '@neptune/core/tokenizer';

const tokenizer = await createTokenizer({ encoding: 'o200k_base' });
const now = Date.now();
const items = [
  {
    id: 'account',
    kind: 'account',
    type: 'account',
    title: 'Enterprise plan, 40 seats',
    detail: 'Enterprise plan, 40 seats, renews in May',
    summary: 'Enterprise, 40 seats',
    signals: {},
  },
  ...Array.from({ length: 20 }, (_, index) => ({
    id: `t${index}`,
    kind: 'tickets',
    type: 'ticket',
    title: `Ticket ${index}: question about cell biology assay ${index}`,
    detail: 'The customer asks how the results were measured and whether the protein levels were normalised.',
    summary: `Ticket ${index}: assay question`,
    timestampMs: now - index * 3_600_000,
    signals: { overdue: index < 3 },
  })),
  ...Array.from({ length: 8 }, (_, index) => ({
    id: `e${index}`,
    kind: 'calendar',
    type: 'event',
    title: `Review meeting ${index}`,
    detail: `Review meeting ${index} with the lab`,
    summary: `Review ${index}`,
    startsAtMs: now + index * 6 * 3_600_000,
    signals: {},
  })),
];
const passage =
  'Alterations of the architecture of cerebral white matter in the developing human brain can affect cortical development and result in functional disabilities. A line scan diffusion-weighted magnetic resonance imaging sequence with diffusion tensor analysis was applied to measure the apparent diffusion coefficient.';
const passages = Array.from({ length: 4 }, (_, index) => ({
  id: `p${index}`,
  text: `${passage} ${passage}`,
  citation: { documentId: `d${index}`, title: `Doc ${index}` },
}));
const messages = Array.from({ length: 30 }, (_, index) => ({
  role: index % 2 === 0 ? ('user' as const) : ('assistant' as const),
  content:
    index % 2 === 0
      ? 'What is the effect of 0-dimensional biomaterials on inductive properties?'
      : `Turn ${index}: the passages say the measurements were normalised [1].`,
}));
const input = {
  query: 'What is the effect of protein levels on cell assays?',
  items,
  passages,
  memory: { messages, summary: 'Earlier the user asked about assays.' },
  budget: { maxTokens: 6000 },
  tokenizer,
};
for (let i = 0; i < 50; i++) await assembleContext(input);
const times: number[] = [];
for (let i = 0; i < 300; i++) {
  const t = performance.now();
  await assembleContext(input);
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);
console.log('p50', times[150]!.toFixed(3), 'p95', times[285]!.toFixed(3));

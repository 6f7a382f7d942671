import type { AssembleContextInput, ResolvedAssembleInput } from './assemble-context-input';
import type { AssembledCitation, AssembledElement, DroppedElement } from './assembled-context';
import type { ElementSource } from './build-candidates';
import type { KeptElement } from './render-messages';

/** How the result names what was kept and dropped. */

function elementId(input: ResolvedAssembleInput, source: ElementSource): string {
  if (source.section === 'context') return source.item.id;
  if (source.section === 'passages') return input.passages[source.index]!.id;
  return source.part === 'summary' ? 'summary' : `${source.part}:${source.index}`;
}

export function describeKept(input: ResolvedAssembleInput, element: KeptElement): AssembledElement {
  const { source, form } = element;
  return {
    section: source.section,
    id: elementId(input, source),
    ...(source.section === 'context' ? { kind: source.item.kind, score: source.score } : {}),
    mode: form.mode,
    rank: source.rank,
    tokens: form.tokens,
    ...(source.section === 'passages' ? { marker: source.marker } : {}),
  };
}

export function describeDropped(
  input: ResolvedAssembleInput,
  source: ElementSource,
  reason: DroppedElement['reason'],
): DroppedElement {
  return {
    section: source.section,
    id: elementId(input, source),
    ...(source.section === 'context' ? { kind: source.item.kind, score: source.score } : {}),
    rank: source.rank,
    reason,
  };
}

export function citationOf(input: AssembleContextInput, source: ElementSource): AssembledCitation {
  if (source.section !== 'passages') throw new Error('unreachable: only passages carry citations');
  const passage = input.passages![source.index]!;
  const citation = passage.citation;
  return {
    marker: source.marker,
    passageId: passage.id,
    ...(citation?.documentId === undefined ? {} : { documentId: citation.documentId }),
    ...(citation?.title === undefined ? {} : { title: citation.title }),
    ...(citation?.source === undefined ? {} : { source: citation.source }),
    ...(citation?.start === undefined ? {} : { start: citation.start }),
    ...(citation?.end === undefined ? {} : { end: citation.end }),
  };
}

import type { ChatMessage } from '@neptune/core';
import type { ResolvedAssembleInput } from './assemble-context-input';
import type { ElementSource } from './build-candidates';
import type { ElementForm } from './pack-prefix';
import { contextHeader, FACTS_HEADER, KNOWLEDGE_HEADER, MEMORY_HEADER } from './render-elements';

export interface KeptElement {
  readonly source: ElementSource;
  readonly form: ElementForm;
}

/**
 * The messages for kept elements: one system message (instructions, app context, knowledge, memory
 * summary and facts), the kept conversation turns in their original order, then the user's query.
 */
export function renderMessages(
  input: ResolvedAssembleInput,
  now: number,
  kept: Readonly<Record<'context' | 'passages' | 'memory', readonly KeptElement[]>>,
): ChatMessage[] {
  const blocks: string[] = [];
  const instructions = input.instructions.trim();
  if (instructions !== '') blocks.push(instructions);
  if (kept.context.length > 0) {
    blocks.push(
      [contextHeader(now, input.timeZone), ...kept.context.map((element) => element.form.text)].join('\n'),
    );
  }
  if (kept.passages.length > 0) {
    blocks.push([KNOWLEDGE_HEADER, ...kept.passages.map((element) => element.form.text)].join('\n\n'));
  }
  const byIndex = (left: KeptElement, right: KeptElement) => indexOf(left) - indexOf(right);
  const memoryLines: string[] = [];
  const summary = kept.memory.find((element) => partOf(element) === 'summary');
  if (summary !== undefined) memoryLines.push(summary.form.text);
  const facts = kept.memory.filter((element) => partOf(element) === 'fact').sort(byIndex);
  if (facts.length > 0) memoryLines.push(FACTS_HEADER, ...facts.map((element) => element.form.text));
  if (memoryLines.length > 0) blocks.push([MEMORY_HEADER, ...memoryLines].join('\n'));

  const messages: ChatMessage[] = [];
  if (blocks.length > 0) messages.push({ role: 'system', content: blocks.join('\n\n') });
  const turns = kept.memory.filter((element) => partOf(element) === 'message').sort(byIndex);
  for (const turn of turns) {
    const message = input.memory.messages[indexOf(turn)]!;
    messages.push({ role: message.role, content: message.content });
  }
  messages.push({ role: 'user', content: input.query });
  return messages;
}

function partOf(element: KeptElement): string | undefined {
  return element.source.section === 'memory' ? element.source.part : undefined;
}

function indexOf(element: KeptElement): number {
  return element.source.section === 'context' ? element.source.rank : element.source.index;
}

import { describe, expect, it } from 'vitest';
import { progressBar } from './progress-bar';

function fakeStream(isTTY: boolean, columns?: number) {
  const writes: string[] = [];
  return { writes, stream: { write: (text: string) => writes.push(text), isTTY, columns } };
}

describe('progressBar', () => {
  it('redraws one line on a terminal, at most once per interval, and always at the end', () => {
    let clock = 0;
    const { writes, stream } = fakeStream(true);
    const bar = progressBar(stream, { redrawIntervalMs: 100, now: () => clock });
    bar.start('bm25 indexing', 200);
    clock = 50;
    bar.update(10); // too soon after the first draw
    clock = 150;
    bar.update(100);
    bar.update(200); // the last step is always drawn
    bar.finish('done in 1 s');
    expect(writes).toHaveLength(4);
    expect(writes[0]).toBe(`\r\u001b[Kbm25 indexing ${'░'.repeat(24)} 0% 0/200`);
    expect(writes[1]).toBe(`\r\u001b[Kbm25 indexing ${'█'.repeat(12)}${'░'.repeat(12)} 50% 100/200`);
    expect(writes[2]).toContain('100% 200/200');
    expect(writes[3]).toBe('\r\u001b[Kbm25 indexing: done in 1 s\n');
  });

  it('cuts the line to the terminal width so that it never wraps', () => {
    const { writes, stream } = fakeStream(true, 20);
    progressBar(stream).start('a long task label', 5);
    expect(writes[0]!.replace('\r\u001b[K', '')).toHaveLength(19);
  });

  it('writes only the finishing line when the stream is not a terminal', () => {
    const { writes, stream } = fakeStream(false);
    const bar = progressBar(stream);
    bar.start('hybrid querying', 3);
    bar.update(1);
    bar.update(3);
    bar.finish('3 queries');
    expect(writes).toEqual(['hybrid querying: 3 queries\n']);
  });
});

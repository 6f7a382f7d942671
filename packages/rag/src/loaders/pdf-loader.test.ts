import { describe, expect, it } from 'vitest';
import { createKnowledgeBase } from '../knowledge-base';
import { DocumentLoadError } from './document-load-error';
import { loadPdf } from './pdf-loader';
import { pdfBytes } from './testing/pdf-bytes';

describe('loadPdf', () => {
  it('gives one document per page with text, the page number in id, source and metadata', async () => {
    const content = await pdfBytes(
      [
        ['Refunds are issued to the original card.'],
        ['Shipping takes three days.'],
        [],
        ['Chargebacks are answered within ten days.', 'Disputes go to the bank.'],
      ],
      { title: 'Billing handbook', author: 'Finance team' },
    );
    const documents = await loadPdf({ id: 'handbook.pdf', content });
    expect(documents.map((document) => document.id)).toEqual([
      'handbook.pdf#page=1',
      'handbook.pdf#page=2',
      'handbook.pdf#page=4',
    ]);
    expect(documents[2]).toMatchObject({
      title: 'Billing handbook',
      source: 'handbook.pdf#page=4',
      text: 'Chargebacks are answered within ten days.\nDisputes go to the bank.',
      metadata: { page: 4, pageCount: 4, author: 'Finance team' },
    });
  });

  it('keeps the page in what retrieval cites, so an answer can say "p. 4"', async () => {
    const content = await pdfBytes([
      ['Cover page.'],
      ['Intro.'],
      ['Prices.'],
      ['Chargebacks are answered within ten days.'],
    ]);
    const knowledgeBase = createKnowledgeBase();
    const scope = { workspaceId: 'pdf-test' };
    const report = await knowledgeBase.ingest(scope, await loadPdf({ id: 'handbook.pdf', content }));
    expect(report.added).toHaveLength(4);
    const { passages } = await knowledgeBase.retrieve(scope, 'chargebacks answered', {
      topK: 1,
      neighbours: 0,
    });
    expect(passages[0]!.metadata.page).toBe(4);
    expect(passages[0]!.citation.source).toBe('handbook.pdf#page=4');
    expect(passages[0]!.citation.page).toBe(4);
  });

  it('fails a file that is not a PDF, or one without any text layer, naming the file', async () => {
    const notPdf = loadPdf({ id: 'fake.pdf', content: new TextEncoder().encode('<html>not a pdf</html>') });
    await expect(notPdf).rejects.toSatisfy(
      (error) => DocumentLoadError.isInstance(error) && error.file === 'fake.pdf',
    );
    const scan = loadPdf({ id: 'scan.pdf', content: await pdfBytes([[], []]) });
    await expect(scan).rejects.toThrow(/scan\.pdf: has no text layer on any of its 2 pages/);
  });
});

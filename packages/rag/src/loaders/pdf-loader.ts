import type { SourceDocument } from '../ingestion/source-document';
import { DocumentLoadError } from './document-load-error';
import { bytesOf, checkedDocuments, type DocumentLoader, fileTitle, loading } from './loader-input';
import { optionalPackage } from './optional-package';

interface TextItem {
  readonly str?: string;
  readonly hasEOL?: boolean;
}

/** One page's text: pdf.js gives positioned runs; a run that ends a line says so (`hasEOL`). */
function pageText(items: readonly TextItem[]): string {
  return items
    .map((item) => (item.str ?? '') + (item.hasEOL ? '\n' : ''))
    .join('')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function infoString(info: unknown, key: string): string | undefined {
  const value = (info as Record<string, unknown> | undefined)?.[key];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/**
 * PDF: one document per page with text, id `file#page=N`, `metadata.page` N and `metadata.pageCount`,
 * source `file#page=N` (the fragment PDF viewers open at that page), so a citation can say "p. 4" and a
 * page can be filtered on. Pages without a text layer (scans) are skipped; a PDF with none fails, since
 * it needs OCR first. Needs the optional package `pdfjs-dist` (its legacy build runs on Node 20).
 */
export const loadPdf: DocumentLoader = (input) =>
  loading(input.id, 'PDF', async () => {
    const pdfjs = await optionalPackage(
      input.id,
      'pdfjs-dist',
      () => import('pdfjs-dist/legacy/build/pdf.mjs'),
    );
    // pdf.js takes ownership of the buffer it is given, so it gets a copy.
    const data = new Uint8Array(bytesOf(input));
    const task = pdfjs.getDocument({ data, isEvalSupported: false, disableFontFace: true, verbosity: 0 });
    const pdf = await task.promise;
    try {
      const { info } = await pdf.getMetadata().catch(() => ({ info: undefined }));
      const title = infoString(info, 'Title') ?? fileTitle(input.id);
      const author = infoString(info, 'Author');
      const documents: SourceDocument[] = [];
      for (let page = 1; page <= pdf.numPages; page++) {
        const content = await (await pdf.getPage(page)).getTextContent();
        const text = pageText(content.items as TextItem[]);
        if (text === '') continue;
        const source = `${input.source ?? input.id}#page=${page}`;
        documents.push({
          id: `${input.id}#page=${page}`,
          text,
          title,
          source,
          metadata: { ...(author ? { author } : {}), page, pageCount: pdf.numPages, ...input.metadata },
        });
      }
      if (documents.length === 0) {
        throw new DocumentLoadError({
          file: input.id,
          reason: `has no text layer on any of its ${pdf.numPages} pages (a scan?): run OCR on it first`,
        });
      }
      return checkedDocuments(input.id, documents);
    } finally {
      await task.destroy();
    }
  });

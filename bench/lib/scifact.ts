import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SciFactDocument {
  readonly id: string;
  readonly title: string;
  readonly text: string;
}

/** The BEIR SciFact corpus (5,183 abstracts), from `<dataDirectory>/scifact/corpus.jsonl`. */
export function readSciFactCorpus(dataDirectory: string): SciFactDocument[] {
  const path = join(dataDirectory, 'scifact', 'corpus.jsonl');
  if (!existsSync(path)) {
    throw new Error(
      `SciFact corpus not found at ${path}. Set NEPTUNE_DATA_DIR to the folder holding scifact/.`,
    );
  }
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const document = JSON.parse(line) as { _id: string; title: string; text: string };
      return { id: document._id, title: document.title, text: document.text };
    });
}

/** A document as one text, the way it is embedded and counted: title, newline, abstract. */
export function documentText(document: SciFactDocument): string {
  return `${document.title}\n${document.text}`;
}

import { describe, expect, it } from 'vitest';
import { DocumentLoadError } from './document-load-error';
import { optionalPackage } from './optional-package';

const missing = () => Promise.reject(new Error("Cannot find package 'x'"));

describe('optionalPackage', () => {
  it('fails the file with the install command for the one package it needs', async () => {
    const error = await optionalPackage('a.pdf', 'pdfjs-dist', missing).catch((caught) => caught);
    expect(DocumentLoadError.isInstance(error)).toBe(true);
    expect(error.file).toBe('a.pdf');
    expect(error.reason).toBe('needs the optional package pdfjs-dist: install it (npm install pdfjs-dist)');
  });

  it('names every package a format needs in one install command', async () => {
    const error = await optionalPackage('a.html', ['@mozilla/readability', 'linkedom'], missing).catch(
      (caught) => caught,
    );
    expect(error.reason).toBe(
      'needs the optional packages @mozilla/readability and linkedom: install them (npm install @mozilla/readability linkedom)',
    );
  });

  it('returns the module when it loads', async () => {
    expect(await optionalPackage('a.md', 'yaml', async () => ({ parse: 1 }))).toEqual({ parse: 1 });
  });
});

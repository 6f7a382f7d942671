export { DocumentLoadError } from './document-load-error';
export {
  DEFAULT_LOADERS,
  type FolderEntry,
  type FolderLoadResult,
  loadFile,
  loadFolder,
  type ReadFolderOptions,
  readFolder,
} from './folder-reader';
export { type FrontMatter, parseFrontMatter } from './front-matter';
export { globMatcher } from './glob-pattern';
export { loadHtml } from './html-loader';
export type { DocumentLoader, LoaderInput } from './loader-input';
export { loadPdf } from './pdf-loader';
export { firstHeading, loadJsonLines, loadMarkdown, loadText } from './text-loaders';

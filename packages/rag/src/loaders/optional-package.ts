import { DocumentLoadError } from './document-load-error';

/**
 * Imports a loader's library only when a file needs it, so that `@neptune/rag/loaders` works without the
 * libraries of formats an app never reads. A missing library fails the file with the install command.
 */
export async function optionalPackage<Module>(
  file: string,
  /** The package, or every package the format needs, so that one message names them all. */
  name: string | readonly string[],
  load: () => Promise<Module>,
): Promise<Module> {
  try {
    return await load();
  } catch (error) {
    const names = typeof name === 'string' ? [name] : name;
    throw new DocumentLoadError({
      file,
      reason:
        names.length === 1
          ? `needs the optional package ${names[0]}: install it (npm install ${names[0]})`
          : `needs the optional packages ${names.join(' and ')}: install them (npm install ${names.join(' ')})`,
      cause: error,
    });
  }
}

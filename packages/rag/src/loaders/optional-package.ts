import { DocumentLoadError } from './document-load-error';

/**
 * Imports a loader's library only when a file needs it, so that `@neptune/rag/loaders` works without the
 * libraries of formats an app never reads. A missing library fails the file with the install command.
 */
export async function optionalPackage<Module>(
  file: string,
  name: string,
  load: () => Promise<Module>,
): Promise<Module> {
  try {
    return await load();
  } catch (error) {
    throw new DocumentLoadError({
      file,
      reason: `needs the optional package ${name}: install it (npm install ${name})`,
      cause: error,
    });
  }
}

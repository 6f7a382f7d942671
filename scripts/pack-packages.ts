/**
 * `pnpm pack:packages <destination> [--app <app directory>]`: packs every package into <destination>
 * (build first) and prints what an app outside the monorepo puts in its package.json to install them:
 * the `file:` dependencies, and for pnpm the same as `pnpm.overrides` (see tarballDependencies). Paths
 * are relative to --app when given, else absolute. docs/getting-started.md ("Install from a clone").
 */
import { resolve } from 'node:path';
import { packPackages, tarballDependencies } from './pack-install';

async function main(): Promise<void> {
  const [destination] = process.argv.slice(2).filter((argument) => !argument.startsWith('--'));
  if (!destination) {
    console.error('usage: pnpm pack:packages <destination> [--app <app directory>]');
    process.exitCode = 1;
    return;
  }
  const appIndex = process.argv.indexOf('--app');
  const app = appIndex === -1 ? undefined : resolve(process.argv[appIndex + 1] ?? '.');
  const packed = await packPackages(resolve(destination));
  const { dependencies, pnpm } = tarballDependencies(app, packed, 'pnpm');
  console.log(`Packed ${packed.length} packages into ${resolve(destination)}. In your app's package.json:`);
  console.log(JSON.stringify({ dependencies, pnpm }, null, 2));
}

await main();

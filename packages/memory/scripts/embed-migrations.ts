import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderMigrationsModule } from './render-migrations-module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'src', 'drizzle', 'migrations.ts');
writeFileSync(target, renderMigrationsModule(join(root, 'drizzle')));
console.log(`wrote ${target}`);

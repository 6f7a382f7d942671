import { runDemo } from './src/demo';

await runDemo();

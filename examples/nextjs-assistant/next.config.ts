import type { NextConfig } from 'next';

const config: NextConfig = {
  // The help articles are read at start-up: ship them with the chat route when deployed.
  outputFileTracingIncludes: { '/api/chat': ['./data/**'] },
};

export default config;

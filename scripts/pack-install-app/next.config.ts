import type { NextConfig } from 'next';

// A plain config, as a user would start with: no transpilePackages, no custom resolve conditions, so the
// packages are consumed exactly as published.
const nextConfig: NextConfig = {};

export default nextConfig;

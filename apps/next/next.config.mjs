/** @type {import('next').NextConfig} */
const nextConfig = {
  // Workspace packages are built (dist/) ESM+CJS: nothing to transpile.
  poweredByHeader: false,
};

export default nextConfig;

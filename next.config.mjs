/** @type {import('next').NextConfig} */
const nextConfig = {
  // The MDX compiler and the highlighter run only on the server, from node_modules.
  serverExternalPackages: ['@mdx-js/mdx', 'shiki', '@shikijs/rehype', 'better-sqlite3'],
  poweredByHeader: false,
  // Turbopack must not treat the repository's parent folders as the workspace root.
  turbopack: { root: import.meta.dirname },
  outputFileTracingRoot: import.meta.dirname,
};

export default nextConfig;

/** @type {import('next').NextConfig} */
const nextConfig = {
  // The MDX compiler and the highlighter run only on the server, from node_modules.
  serverExternalPackages: ['@mdx-js/mdx', 'shiki', '@shikijs/rehype', 'better-sqlite3'],
  poweredByHeader: false,
  // The AWS SDKs call paths such as /aws/lambda/2015-03-31/functions/ and sign
  // them as sent: a redirect that drops the slash would break the signature.
  skipTrailingSlashRedirect: true,
  // Turbopack must not treat the repository's parent folders as the workspace root.
  turbopack: { root: import.meta.dirname },
  outputFileTracingRoot: import.meta.dirname,
};

export default nextConfig;

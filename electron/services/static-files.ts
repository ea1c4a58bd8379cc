import { extname, join, normalize, sep } from 'node:path'

/**
 * Serving the built renderer (Electron's app:// protocol and the preview host share this):
 * the Content-Security-Policy, content types and a path resolver that cannot escape the root.
 */

/** The renderer's CSP (Fluent's Griffel needs inline styles, toolchain.md §3). */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ')

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
}

/** Content type of a renderer file. */
export function contentType(file: string): string {
  return TYPES[extname(file)] ?? 'application/octet-stream'
}

/** Resolve a request path inside `root`, or null if it escapes it (`..`, encoded slashes, NUL). */
export function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string
  try {
    decoded = decodeURIComponent(urlPath)
  } catch {
    return null
  }
  if (decoded.includes('\0')) return null
  const rel = normalize(decoded === '/' || decoded === '' ? '/index.html' : decoded).replace(/^([/\\])+/, '')
  const full = join(root, rel)
  const base = root.endsWith(sep) ? root : root + sep
  return full.startsWith(base) ? full : null
}

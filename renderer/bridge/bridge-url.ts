/**
 * The preview bridge's WebSocket URL, relative to the page: the preview host serves the page at
 * `http://127.0.0.1:<port>/s/<token>/` and the socket at `/s/<token>/bridge`, so the token travels with the
 * path and nothing here has to know it. Returns null when the page is not served over http(s) (file://).
 */
export function bridgeUrl(pageHref: string): string | null {
  const url = new URL('bridge', pageHref)
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
  url.search = ''
  url.hash = ''
  return url.href
}

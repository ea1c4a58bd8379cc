import { readFile } from 'node:fs/promises'
import type { Protocol } from 'electron'
import { contentType, CSP, resolveInside } from '../services/static-files'

/** The custom scheme the renderer is served from (Electron security checklist: prefer it over file://). */
export const APP_SCHEME = 'app'
/** Origin of the station page. */
export const APP_ORIGIN = `${APP_SCHEME}://station`

/** Serve the built renderer from `root` on app://station/…, with the CSP on every response. */
export function installAppProtocol(protocol: Pick<Protocol, 'handle'>, root: string): void {
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url)
    const file = url.host === 'station' ? resolveInside(root, url.pathname) : null
    if (!file) return new Response('not found', { status: 404 })
    try {
      const body = await readFile(file)
      return new Response(body, {
        headers: {
          'content-type': contentType(file),
          'content-security-policy': CSP,
          'x-content-type-options': 'nosniff',
        },
      })
    } catch {
      return new Response('not found', { status: 404 })
    }
  })
}

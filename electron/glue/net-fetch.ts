import type { Net } from 'electron'
import type { CmFetch } from '../services/cm/http'

/**
 * The CM client's transport in Electron: Chromium's network stack via net.fetch — Kerberos/NTLM
 * (Negotiate) with no prompt for allow-listed servers, the system proxy and the Windows certificate
 * store (field-notes §4). The client asks for `credentials: 'include'` so ambient Windows credentials go.
 */
export function createNetFetch(net: Pick<Net, 'fetch'>): CmFetch {
  return (url, init) => net.fetch(url, init)
}

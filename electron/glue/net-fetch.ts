import type { Net } from 'electron'

/**
 * The CM client's transport in Electron: Chromium's network stack via net.fetch — Kerberos/NTLM
 * (Negotiate) with no prompt for allow-listed servers, the system proxy and the Windows certificate
 * store (field-notes §4). `credentials: 'include'` sends ambient Windows credentials.
 */
export function createNetFetch(net: Pick<Net, 'fetch'>): typeof fetch {
  return ((input: Parameters<typeof fetch>[0], init?: RequestInit) =>
    net.fetch(input instanceof URL ? input.href : typeof input === 'string' ? input : input.url, {
      ...init,
      credentials: 'include',
    } as RequestInit)) as typeof fetch
}

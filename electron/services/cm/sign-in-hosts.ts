import type { StationConfig } from '../config'

/**
 * Which servers the desk's Windows credentials may go to (Negotiate: Kerberos or NTLM). Chromium sends ambient
 * Windows credentials only to allow-listed servers; an unlisted server gets no credentials, the fetch ends in IIS's
 * 401, and the operator sees "Windows sign-in failed". Pure: the Electron glue hands the list to the session.
 */

/**
 * The sign-in allow-list: `cm.windowsSignInHosts` when set (`cm.contoso.com`, `*.contoso.com`), else exactly the CM
 * host of `cm.appRoot` (no port: a pattern names a host). Training mode (no CM server): none — nothing signs in.
 */
export function windowsSignInAllowList(cm: StationConfig['cm']): string[] {
  if (!cm) return []
  if (cm.windowsSignInHosts.length > 0) return [...cm.windowsSignInHosts]
  return [new URL(cm.appRoot).hostname]
}

/**
 * True when one pattern covers `host` the way Chromium matches them for the CM host's names: `name` exactly (case
 * does not matter), `*.domain` any host under `domain`. Used to warn when a configured list leaves the CM host out.
 */
export function allowListCovers(patterns: readonly string[], host: string): boolean {
  const h = host.toLowerCase()
  return patterns.some((raw) => {
    const p = raw.toLowerCase()
    return p.startsWith('*.') ? h.endsWith(p.slice(1)) : h === p
  })
}

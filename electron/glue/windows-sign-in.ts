import type { Session } from 'electron'
import type { StationConfig } from '../services/config'
import { allowListCovers, windowsSignInAllowList } from '../services/cm/sign-in-hosts'
import type { Logger } from '../services/log'

/**
 * Let Chromium answer the CM server's Negotiate/NTLM challenge with the desk's Windows account, without a prompt, for
 * the configured hosts only (`cm.windowsSignInHosts`, default: the CM host; field-notes §4 "Windows Integrated
 * Authentication"). Electron documents two ways to set this allow-list:
 * - the `--auth-server-whitelist` command-line switch (docs/api/command-line-switches.md), which must be appended
 *   with `app.commandLine.appendSwitch` before the app's `ready` event — but the station reads its configuration
 *   after `ready` (boot() in main.ts), so the switch would have to be decided before the configuration exists;
 * - `session.allowNTLMCredentialsForDomains(domains)` (docs/api/session.md; in Electron 45's typings), which takes
 *   the same comma-separated patterns at any time after `ready`. Electron applies it to the whole network service
 *   (it calls ConfigureHttpAuthPrefs with `server_allowlist` = `domains`), so net.fetch — the CM client's transport —
 *   uses it, before the first CM request as long as it is called before the station starts.
 * This uses the session method. It replaces what the switch would have set; `--auth-negotiate-delegate-whitelist`
 * (Kerberos delegation of the operator's ticket to the server) is not needed: CM does its own constrained
 * delegation server-side, and a desk should never forward a delegable ticket. Electron PR #21572 (this call used to
 * change Kerberos SPN generation, `enable_negotiate_port`) is fixed; SPN/CNAME troubleshooting is in the README.
 *
 * Training mode (no CM server): nothing — the simulator needs no Windows credentials, and Chromium's own default
 * stays. Returns the list set (empty when none).
 */
export function allowWindowsSignIn(
  session: Pick<Session, 'allowNTLMCredentialsForDomains'>,
  config: Pick<StationConfig, 'cm'>,
  log: Logger,
): string[] {
  const hosts = windowsSignInAllowList(config.cm)
  if (!config.cm || hosts.length === 0) {
    log.info('windows sign-in: training mode, no allow-list')
    return []
  }
  session.allowNTLMCredentialsForDomains(hosts.join(','))
  const cmHost = new URL(config.cm.appRoot).hostname
  log.info('windows sign-in: allowed hosts', { hosts, cmHost })
  if (!allowListCovers(hosts, cmHost)) {
    // A list that leaves the CM host out makes every CM call a 401: say so where IT looks first.
    log.warn('windows sign-in: the CM host is not in cm.windowsSignInHosts', { hosts, cmHost })
  }
  return hosts
}

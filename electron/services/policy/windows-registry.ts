/**
 * The Windows policy source: the values under `HKLM\SOFTWARE\Policies\CMEnrollment\CM Enrollment Station`, read with
 * winreg (1.2.5, field-notes §5), which runs `reg.exe QUERY` and parses its text. winreg is imported dynamically, on
 * the first read, so that no other platform ever loads it; config-load.ts creates this source on win32 only.
 *
 * Known limit of reading through reg.exe: its output is in the console code page, so a value with characters outside
 * it (rare in URLs, host names and reader names; possible in a folder name) may arrive altered. The schema then
 * names the value if it no longer validates.
 */
import type Winreg from 'winreg'
import { ConfigError } from '../config'
import { POLICY_KEY, POLICY_SOURCE_NAME, type PolicySource, type RegistryValue } from './registry-policy'

/** The winreg module's constructor (what `require('winreg')` returns). */
export type WinregModule = typeof Winreg

/** Production loader: winreg, imported only when a Windows policy source first reads. */
export const loadWinreg = async (): Promise<WinregModule> => (await import('winreg')).default

/**
 * Turn one `reg.exe QUERY` item (winreg's `RegistryItem`: type name and value text) into a RegistryValue:
 * REG_DWORD/REG_QWORD are printed as `0x…` hex, REG_MULTI_SZ as its strings joined by a literal `\0`.
 * Returns null for a type the station does not know.
 */
export function fromRegQueryText(type: string, text: string): RegistryValue | null {
  switch (type) {
    case 'REG_SZ':
    case 'REG_EXPAND_SZ':
      return { type, value: text }
    case 'REG_MULTI_SZ':
      return { type, value: text.split('\\0').filter((s) => s !== '') }
    case 'REG_DWORD':
    case 'REG_QWORD': {
      const match = /^0x([0-9a-f]+)$/i.exec(text.trim())
      return match ? { type, value: Number.parseInt(match[1]!, 16) } : null
    }
    case 'REG_BINARY':
    case 'REG_NONE':
      return { type, value: text }
    default:
      return null
  }
}

/**
 * The policy key of this machine through winreg. `load` is injectable so the adapter is tested with a fake winreg;
 * in production it is {@link loadWinreg}. Key absent (reg.exe exit code 1) = no policy; any other failure rejects
 * with a ConfigError naming the key (the station refuses to start without its enforced settings).
 */
export function createWindowsPolicySource(load: () => Promise<WinregModule> = loadWinreg): PolicySource {
  return {
    name: POLICY_SOURCE_NAME,
    async readPolicies() {
      const Registry = await load()
      const key = new Registry({ hive: Registry.HKLM, key: `\\${POLICY_KEY}` })
      const items = await new Promise<Winreg.RegistryItem[] | null>((resolve, reject) => {
        key.values((error, found) => {
          if (!error) return resolve(found)
          const code = (error as Error & { code?: unknown }).code
          if (code === 1) return resolve(null)
          reject(
            new ConfigError(POLICY_SOURCE_NAME, [
              `cannot read the policy key (reg.exe ${typeof code === 'number' ? `exit code ${code}` : 'did not run'})`,
            ]),
          )
        })
      })
      const values: Record<string, RegistryValue> = {}
      for (const item of items ?? []) {
        // reg.exe lists the key's unnamed default value as "(Default)": never a policy.
        if (!item.name || item.name === '(Default)') continue
        const value = fromRegQueryText(item.type, item.value)
        if (value) values[item.name] = value
      }
      return values
    },
  }
}

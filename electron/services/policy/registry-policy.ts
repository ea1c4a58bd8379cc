/**
 * Machine policy in the Windows registry (field-notes §5 "Pushing config"): the values Group Policy or Intune
 * write under `HKLM\SOFTWARE\Policies\<vendor>\<product>` from our ADMX templates (build/policy/). Plain data and
 * pure conversions; reading the registry itself is windows-registry.ts (winreg, loaded only on Windows).
 */
import { assertNever } from '../../../shared/result'

/**
 * The vendor segment of the policy key and of the machine defaults folder. Taken from electron-builder.yml's
 * `appId` (`com.cmenrollment.station` → `CMEnrollment`); never `Microsoft`, because Intune's ADMX ingestion refuses
 * to write under `Software\Policies\Microsoft\*` (field-notes §5).
 */
export const POLICY_VENDOR = 'CMEnrollment'

/** The product segment (electron-builder.yml `productName`). */
export const POLICY_PRODUCT = 'CM Enrollment Station'

/** The policy key under HKEY_LOCAL_MACHINE, as the ADMX `key` attribute writes it. */
export const POLICY_KEY = `SOFTWARE\\Policies\\${POLICY_VENDOR}\\${POLICY_PRODUCT}`

/** How errors and the start-up log name the registry source. */
export const POLICY_SOURCE_NAME = `registry HKLM\\${POLICY_KEY}`

/**
 * One registry value as the station reads it: strings as text, REG_MULTI_SZ as its strings, REG_DWORD/REG_QWORD as
 * numbers. REG_BINARY and REG_NONE are kept as hex text only so that a wrong type can be reported.
 */
export type RegistryValue =
  | { type: 'REG_SZ' | 'REG_EXPAND_SZ'; value: string }
  | { type: 'REG_MULTI_SZ'; value: string[] }
  | { type: 'REG_DWORD' | 'REG_QWORD'; value: number }
  | { type: 'REG_BINARY' | 'REG_NONE'; value: string }

/** Where enforced values come from: the Windows registry in production, a fake in tests. */
export interface PolicySource {
  /** How errors and the start-up log name this source, e.g. `registry HKLM\SOFTWARE\Policies\…`. */
  readonly name: string
  /**
   * The values under the policy key by value name; `{}` when the key does not exist (no policy deployed).
   * Rejects with a ConfigError when the key exists but cannot be read: the station then refuses to start rather
   * than run without its enforced settings.
   */
  readPolicies(): Promise<Record<string, RegistryValue>>
}

/**
 * How a registry value is read:
 * - `text`: REG_SZ, or REG_EXPAND_SZ with `%VARIABLE%` expanded from the environment (ADMX `text`, `enum`);
 * - `number`: REG_DWORD, or a REG_SZ of decimal digits (ADMX `decimal`, `storeAsText` or set by hand);
 * - `boolean`: REG_DWORD 1 (on) or 0 (off) (ADMX policy `enabledValue`/`disabledValue`);
 * - `list`: REG_MULTI_SZ (ADMX `multiText`) or a REG_SZ of `;`-separated items; empty items are dropped.
 */
export type PolicyValueKind = 'text' | 'number' | 'boolean' | 'list'

/** One policy: the registry value name (also the ADMX policy name and element id) and the setting it enforces. */
export interface PolicySetting {
  readonly valueName: string
  /** The setting's path in `configSchema`, e.g. `['cm', 'appRoot']`. */
  readonly path: readonly string[]
  readonly kind: PolicyValueKind
}

/**
 * Registry value name → setting: the one mapping table (README "Managed deployment" repeats it; a unit test checks
 * that every setting of `configSchema` is here or deliberately left out, and that the ADMX names each of these).
 */
export const POLICY_SETTINGS: readonly PolicySetting[] = [
  { valueName: 'CmAppRoot', path: ['cm', 'appRoot'], kind: 'text' },
  { valueName: 'CmTimeoutMs', path: ['cm', 'timeoutMs'], kind: 'number' },
  { valueName: 'CmWindowsSignInHosts', path: ['cm', 'windowsSignInHosts'], kind: 'list' },
  { valueName: 'CmConnectionCheckSec', path: ['cm', 'connectionCheckSec'], kind: 'number' },
  { valueName: 'ReaderAllow', path: ['readers', 'allow'], kind: 'list' },
  { valueName: 'ReaderDeny', path: ['readers', 'deny'], kind: 'list' },
  { valueName: 'PinDisplay', path: ['pinDisplay'], kind: 'text' },
  { valueName: 'PinMinLength', path: ['pinMinLength'], kind: 'number' },
  { valueName: 'Kiosk', path: ['kiosk'], kind: 'boolean' },
  { valueName: 'IdleTimeoutSec', path: ['idleTimeoutSec'], kind: 'number' },
  { valueName: 'LogLevel', path: ['logLevel'], kind: 'text' },
  { valueName: 'Language', path: ['language'], kind: 'text' },
  { valueName: 'DataDir', path: ['dataDir'], kind: 'text' },
  { valueName: 'DirectoryUrl', path: ['directory', 'url'], kind: 'text' },
  { valueName: 'DirectoryBaseDn', path: ['directory', 'baseDn'], kind: 'text' },
  { valueName: 'DirectoryBindDn', path: ['directory', 'bindDn'], kind: 'text' },
  { valueName: 'DirectoryDomain', path: ['directory', 'domain'], kind: 'text' },
  { valueName: 'DirectoryCaFile', path: ['directory', 'caFile'], kind: 'text' },
  { valueName: 'DirectoryTimeoutMs', path: ['directory', 'timeoutMs'], kind: 'number' },
  { valueName: 'DirectoryPageSize', path: ['directory', 'pageSize'], kind: 'number' },
  { valueName: 'DirectoryMaxResults', path: ['directory', 'maxResults'], kind: 'number' },
]

/** The outcome of reading one registry value as its setting's type (never echoes the value in `message`). */
export type PolicyValueResult = { ok: true; value: unknown } | { ok: false; message: string }

/** Expand `%NAME%` as Windows does for REG_EXPAND_SZ (an unknown variable is left as written). */
export function expandEnvironmentStrings(text: string, env: NodeJS.ProcessEnv): string {
  const lookup = new Map(Object.entries(env).map(([k, v]) => [k.toLowerCase(), v]))
  return text.replace(/%([^%]+)%/g, (whole, name: string) => lookup.get(name.toLowerCase()) ?? whole)
}

/**
 * Read a registry value as the type its setting expects (the schema then checks the value itself). Errors say
 * what was expected, never what was found, so that no configured value reaches a message.
 */
export function readPolicyValue(
  kind: PolicyValueKind,
  reg: RegistryValue,
  env: NodeJS.ProcessEnv = process.env,
): PolicyValueResult {
  switch (kind) {
    case 'text':
      if (reg.type === 'REG_SZ') return { ok: true, value: reg.value }
      if (reg.type === 'REG_EXPAND_SZ') return { ok: true, value: expandEnvironmentStrings(reg.value, env) }
      return { ok: false, message: `must be REG_SZ (found ${reg.type})` }
    case 'number':
      if (reg.type === 'REG_DWORD') return { ok: true, value: reg.value }
      if (reg.type === 'REG_SZ' && /^\s*\d{1,10}\s*$/.test(reg.value))
        return { ok: true, value: Number(reg.value.trim()) }
      return { ok: false, message: `must be a REG_DWORD number (found ${reg.type})` }
    case 'boolean':
      if (reg.type !== 'REG_DWORD')
        return { ok: false, message: `must be REG_DWORD 0 or 1 (found ${reg.type})` }
      if (reg.value !== 0 && reg.value !== 1) return { ok: false, message: 'must be REG_DWORD 0 or 1' }
      return { ok: true, value: reg.value === 1 }
    case 'list':
      if (reg.type === 'REG_MULTI_SZ') return { ok: true, value: reg.value.filter((s) => s.trim() !== '') }
      if (reg.type === 'REG_SZ')
        return {
          ok: true,
          value: reg.value
            .split(';')
            .map((s) => s.trim())
            .filter((s) => s !== ''),
        }
      return { ok: false, message: `must be REG_MULTI_SZ or a ;-separated REG_SZ (found ${reg.type})` }
    default:
      return assertNever(kind)
  }
}

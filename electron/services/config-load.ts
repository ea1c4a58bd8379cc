/**
 * Loading the station configuration the way managed Windows apps do (field-notes §5, issue "The station on a
 * managed Windows desk"). Four levels, merged setting by setting (nested sections such as `cm`, `readers` and
 * `directory` key by key; a list replaces the list below it):
 *
 *   1. policy — enforced values under `HKLM\SOFTWARE\Policies\CMEnrollment\CM Enrollment Station` (Windows only);
 *   2. machine defaults — `%ProgramData%\CMEnrollment\CM Enrollment Station\station.json` (installer, deployment
 *      tools); elsewhere `/etc/cm-enrollment-station/station.json` (macOS: `/Library/Application Support/…`);
 *   3. environment — STATION_* variables over the JSON file named by STATION_CONFIG (user or developer);
 *   4. built-in defaults (`configSchema`).
 *
 * Every source is checked against the one zod schema before merging, so an error names its source and key and never
 * a value; the merged result is then parsed with `configSchema`. The loader records which source set each setting.
 */
import { readFileSync } from 'node:fs'
import { posix, win32 } from 'node:path'
import { z } from 'zod'
import { ConfigError, configSchema, type StationConfig } from './config'
import {
  POLICY_PRODUCT,
  POLICY_SETTINGS,
  POLICY_VENDOR,
  readPolicyValue,
  type PolicySource,
  type RegistryValue,
} from './policy/registry-policy'
import { createWindowsPolicySource, loadWinreg, type WinregModule } from './policy/windows-registry'

/** Which level set a setting: policy > machine-file > environment > station-config-file > default. */
export type ConfigOrigin = 'policy' | 'machine-file' | 'environment' | 'station-config-file' | 'default'

/** A loaded configuration with where each setting came from. */
export interface LoadedConfig {
  config: StationConfig
  /**
   * Dotted setting path → the level that set it, for every setting a source set (the rest are defaults). A section
   * switched off by a source (`"cm": null`) appears under its own name.
   */
  origins: Record<string, ConfigOrigin>
  /** The sources found, most important first, each with where it is (a key, a file, "environment"). */
  sources: Array<{ origin: ConfigOrigin; name: string }>
  /** Registry values under the policy key that are no policy of this version (ignored, logged by name). */
  ignoredPolicyValues: string[]
}

/** How to load; every field has the production default. */
export interface LoadConfigOptions {
  /** The platform whose conventions apply (default `process.platform`). */
  platform?: NodeJS.Platform
  /**
   * Where enforced values come from. Default: the HKLM policy key through winreg on win32, none elsewhere.
   * `null`: no policy source.
   */
  policy?: PolicySource | null
  /** How the default Windows policy source loads winreg (tests pass a fake; never called off Windows). */
  loadWinreg?: () => Promise<WinregModule>
  /** The machine defaults file (default {@link machineConfigPath}); tests point it elsewhere. */
  machineFile?: string
}

/**
 * The machine defaults file for a platform. Windows: `%ProgramData%\CMEnrollment\CM Enrollment Station\station.json`
 * (the vendor and product of the policy key). Only code can move it, not an environment variable, because the file
 * ranks above the environment.
 */
export function machineConfigPath(platform: NodeJS.Platform, env: NodeJS.ProcessEnv): string {
  if (platform === 'win32') {
    const programData = env.ProgramData ?? env.PROGRAMDATA ?? 'C:\\ProgramData'
    return win32.join(programData, POLICY_VENDOR, POLICY_PRODUCT, 'station.json')
  }
  if (platform === 'darwin') {
    return posix.join('/Library/Application Support', POLICY_VENDOR, POLICY_PRODUCT, 'station.json')
  }
  return '/etc/cm-enrollment-station/station.json'
}

/** Environment variables → settings (the environment level, above the STATION_CONFIG file). */
export const ENVIRONMENT_SETTINGS: ReadonlyArray<{ variable: string; path: readonly string[] }> = [
  { variable: 'STATION_CM_URL', path: ['cm', 'appRoot'] },
  { variable: 'STATION_DATA_DIR', path: ['dataDir'] },
  { variable: 'STATION_PIN_DISPLAY', path: ['pinDisplay'] },
  { variable: 'STATION_KIOSK', path: ['kiosk'] },
  { variable: 'STATION_LOG_LEVEL', path: ['logLevel'] },
]

type Schema = z.ZodType

/** Peel defaults, prefaults, nullable and optional wrappers off a schema. */
function core(schema: Schema): Schema {
  let s = schema
  while (
    s instanceof z.ZodDefault ||
    s instanceof z.ZodPrefault ||
    s instanceof z.ZodNullable ||
    s instanceof z.ZodOptional
  ) {
    s = s.unwrap() as Schema
  }
  return s
}

/**
 * Every leaf setting of `configSchema` (a value that is not itself a section of settings; lists are leaves), by
 * dotted path, with the schema that checks it (wrappers included, so `undefined` and defaults behave as in the
 * whole schema). Derived from the schema, so a new setting appears here without anyone listing it.
 */
export function settingSchemas(schema: z.ZodObject = configSchema): Map<string, Schema> {
  const out = new Map<string, Schema>()
  const walk = (object: z.ZodObject, prefix: string[]) => {
    for (const [key, field] of Object.entries(object.shape) as Array<[string, Schema]>) {
      const inner = core(field)
      if (inner instanceof z.ZodObject) walk(inner, [...prefix, key])
      else out.set([...prefix, key].join('.'), field)
    }
  }
  walk(schema, [])
  return out
}

/** The schema of a section (`cm`, `directory.attributes`), wrappers included, or null when `path` is no section. */
function sectionSchema(path: string[]): Schema | null {
  let field: Schema = configSchema
  for (const key of path) {
    const inner = core(field)
    if (!(inner instanceof z.ZodObject)) return null
    const next = (inner.shape as Record<string, Schema>)[key]
    if (!next) return null
    field = next
  }
  return core(field) instanceof z.ZodObject ? field : null
}

/** One setting a source gives: a leaf value, or `null` for a whole section switched off (`"cm": null`). */
interface Entry {
  path: string[]
  value: unknown
}

/** One source after its own check. */
interface Layer {
  origin: ConfigOrigin
  name: string
  entries: Entry[]
  issues: string[]
}

const LEAVES = settingSchemas()

/** The first zod message for a value, without the value. */
function check(schema: Schema, value: unknown): string | null {
  const parsed = schema.safeParse(value)
  return parsed.success ? null : (parsed.error.issues[0]?.message ?? 'invalid')
}

/** Walk a JSON object against the schema: each leaf checked on its own, unknown keys refused. */
function jsonEntries(raw: Record<string, unknown>): { entries: Entry[]; issues: string[] } {
  const entries: Entry[] = []
  const issues: string[] = []
  const walk = (object: Record<string, unknown>, prefix: string[]) => {
    for (const [key, value] of Object.entries(object)) {
      const path = [...prefix, key]
      const dotted = path.join('.')
      const leaf = LEAVES.get(dotted)
      if (leaf) {
        const problem = check(leaf, value)
        if (problem) issues.push(`${dotted}: ${problem}`)
        else entries.push({ path, value })
        continue
      }
      const section = sectionSchema(path)
      if (!section) {
        issues.push(`${dotted}: unknown setting`)
      } else if (value === null) {
        if (section.safeParse(null).success) entries.push({ path, value: null })
        else issues.push(`${dotted}: must be an object`)
      } else if (typeof value !== 'object' || Array.isArray(value)) {
        issues.push(`${dotted}: must be an object`)
      } else {
        walk(value as Record<string, unknown>, path)
      }
    }
  }
  walk(raw, [])
  return { entries, issues }
}

/** Read a JSON object file; `missingOk` turns "no such file" into null (the machine file is optional). */
function readJsonObject(file: string, name: string, missingOk: boolean): Record<string, unknown> | null {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error'
    if (missingOk && code === 'ENOENT') return null
    throw new ConfigError(name, [`cannot read file (${code})`])
  }
  let parsed: unknown
  try {
    // Windows PowerShell 5 writes UTF-8 files with a byte-order mark, which JSON.parse refuses.
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch {
    throw new ConfigError(name, ['not valid JSON'])
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(name, ['(root): expected a JSON object'])
  }
  return parsed as Record<string, unknown>
}

function fileLayer(origin: ConfigOrigin, file: string, name: string, missingOk: boolean): Layer | null {
  try {
    const raw = readJsonObject(file, name, missingOk)
    return raw ? { origin, name, ...jsonEntries(raw) } : null
  } catch (error) {
    if (error instanceof ConfigError) return { origin, name, entries: [], issues: error.issues }
    throw error
  }
}

function environmentLayer(env: NodeJS.ProcessEnv): Layer | null {
  const entries: Entry[] = []
  const issues: string[] = []
  for (const { variable, path } of ENVIRONMENT_SETTINGS) {
    const text = env[variable]
    if (!text) continue
    let value: unknown = text
    if (path[0] === 'kiosk') {
      const flag = text.trim().toLowerCase()
      if (!['1', 'true', '0', 'false'].includes(flag)) {
        issues.push(`${variable}: must be 1, true, 0 or false`)
        continue
      }
      value = flag === '1' || flag === 'true'
    }
    const problem = check(LEAVES.get(path.join('.'))!, value)
    if (problem) issues.push(`${variable}: ${problem}`)
    else entries.push({ path: [...path], value })
  }
  return entries.length || issues.length
    ? { origin: 'environment', name: 'environment', entries, issues }
    : null
}

async function policyLayer(
  source: PolicySource,
  env: NodeJS.ProcessEnv,
): Promise<{ layer: Layer | null; ignored: string[] }> {
  let values: Record<string, RegistryValue>
  try {
    values = await source.readPolicies()
  } catch (error) {
    const issues =
      error instanceof ConfigError ? error.issues : ['cannot read the policy key (unexpected failure)']
    return { layer: { origin: 'policy', name: source.name, entries: [], issues }, ignored: [] }
  }
  // Registry value names are case-insensitive.
  const byName = new Map(Object.entries(values).map(([name, value]) => [name.toLowerCase(), { name, value }]))
  const entries: Entry[] = []
  const issues: string[] = []
  for (const setting of POLICY_SETTINGS) {
    const found = byName.get(setting.valueName.toLowerCase())
    if (!found) continue
    byName.delete(setting.valueName.toLowerCase())
    const read = readPolicyValue(setting.kind, found.value, env)
    if (!read.ok) {
      issues.push(`${setting.valueName}: ${read.message}`)
      continue
    }
    const problem = check(LEAVES.get(setting.path.join('.'))!, read.value)
    if (problem) issues.push(`${setting.valueName}: ${problem}`)
    else entries.push({ path: [...setting.path], value: read.value })
  }
  // A value this version does not know (an ADMX newer than the installed app) must not stop the station.
  const ignored = [...byName.values()].map((v) => v.name).sort()
  const layer =
    entries.length || issues.length ? { origin: 'policy' as const, name: source.name, entries, issues } : null
  return { layer, ignored }
}

/** Put a value at a path, creating sections (and replacing a switched-off section) on the way. */
function setPath(tree: Record<string, unknown>, path: string[], value: unknown): void {
  let node = tree
  for (const key of path.slice(0, -1)) {
    const next = node[key]
    if (!next || typeof next !== 'object' || Array.isArray(next)) node[key] = {}
    node = node[key] as Record<string, unknown>
  }
  node[path.at(-1)!] = value
}

/** Merge layers, lowest first; the last writer of a setting wins and becomes its origin. */
function merge(layers: Layer[]): { tree: Record<string, unknown>; origins: Map<string, ConfigOrigin> } {
  const tree: Record<string, unknown> = {}
  const origins = new Map<string, ConfigOrigin>()
  for (const layer of layers) {
    for (const { path, value } of layer.entries) {
      const key = path.join('.')
      for (const known of [...origins.keys()]) {
        // Below a replaced setting, or a switched-off section that this setting turns back on.
        if (known === key || known.startsWith(`${key}.`) || key.startsWith(`${known}.`)) origins.delete(known)
      }
      setPath(tree, path, value)
      origins.set(key, layer.origin)
    }
  }
  return { tree, origins }
}

/**
 * Load the configuration from all four levels with the origin of each setting. Throws ConfigError when any
 * source is unreadable or holds a bad value (every bad source and key named; the station must not start), or
 * when the merged settings are incomplete (e.g. a CM timeout without a CM app root).
 */
export async function loadConfigWithOrigins(
  env: NodeJS.ProcessEnv = process.env,
  options: LoadConfigOptions = {},
): Promise<LoadedConfig> {
  const platform = options.platform ?? process.platform
  const policySource =
    options.policy !== undefined
      ? options.policy
      : platform === 'win32'
        ? createWindowsPolicySource(options.loadWinreg ?? loadWinreg)
        : null
  const machineFile = options.machineFile ?? machineConfigPath(platform, env)

  const layers: Layer[] = []
  if (env.STATION_CONFIG) {
    const file = env.STATION_CONFIG
    layers.push(fileLayer('station-config-file', file, `${file} (STATION_CONFIG)`, false)!)
  }
  const environment = environmentLayer(env)
  if (environment) layers.push(environment)
  const machine = fileLayer('machine-file', machineFile, `machine defaults ${machineFile}`, true)
  if (machine) layers.push(machine)
  let ignoredPolicyValues: string[] = []
  if (policySource) {
    const { layer, ignored } = await policyLayer(policySource, env)
    if (layer) layers.push(layer)
    ignoredPolicyValues = ignored
  }

  const bad = layers.filter((l) => l.issues.length > 0).reverse()
  if (bad.length === 1) throw new ConfigError(bad[0]!.name, bad[0]!.issues)
  if (bad.length > 1) {
    throw new ConfigError(
      bad.map((l) => l.name).join('; '),
      bad.flatMap((l) => l.issues.map((issue) => `${l.name}: ${issue}`)),
    )
  }

  const { tree, origins } = merge(layers)
  const nameOf = new Map(layers.map((l) => [l.origin, l.name]))
  const parsed = configSchema.safeParse(tree)
  if (!parsed.success) {
    // Only incomplete sections get here (each value was checked in its source): say who started the section.
    const issues = parsed.error.issues.map((issue) => {
      const section = issue.path.slice(0, -1).join('.')
      const from = [...origins.entries()]
        .filter(([key]) => section !== '' && key.startsWith(`${section}.`))
        .map(([key, origin]) => `${key} from ${nameOf.get(origin) ?? origin}`)
      const hint = from.length ? ` (the ${section} section has ${from.join(', ')})` : ''
      return `${issue.path.join('.') || '(root)'}: ${issue.message}${hint}`
    })
    throw new ConfigError(layers.map((l) => l.name).join(' + ') || 'configuration', issues)
  }
  return {
    config: parsed.data,
    origins: Object.fromEntries([...origins.entries()].sort(([a], [b]) => a.localeCompare(b))),
    sources: [...layers].reverse().map((l) => ({ origin: l.origin, name: l.name })),
    ignoredPolicyValues,
  }
}

/** Load the configuration from all four levels (see {@link loadConfigWithOrigins}). */
export async function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  options: LoadConfigOptions = {},
): Promise<StationConfig> {
  return (await loadConfigWithOrigins(env, options)).config
}

/**
 * The start-up log line's fields: the sources found and which one set each setting — names only, never a value
 * (so nothing secret can reach the log from here).
 */
export function describeConfigOrigins(loaded: LoadedConfig): Record<string, unknown> {
  return {
    sources: loaded.sources.map((s) => s.name),
    settings: loaded.origins,
    ...(loaded.ignoredPolicyValues.length ? { ignoredPolicyValues: loaded.ignoredPolicyValues } : {}),
  }
}

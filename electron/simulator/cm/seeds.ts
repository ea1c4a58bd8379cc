import { readFileSync } from 'node:fs'
import docs from './seeds/docs.json'
import empty from './seeds/empty.json'
import training from './seeds/training.json'
import { scenarioSeedSchema } from './seed-schema'
import type { ScenarioSeed } from './seed-schema'

/** Built-in scenarios (SIM-S1), shipped as JSON under ./seeds. */
export const SCENARIO_NAMES = ['docs', 'training', 'empty'] as const

/** A built-in scenario name. */
export type ScenarioName = (typeof SCENARIO_NAMES)[number]

const RAW: Record<ScenarioName, unknown> = { docs, training, empty }

type Json = Record<string, unknown>

function idOf(v: unknown): string | undefined {
  if (v === null || typeof v !== 'object') return undefined
  const o = v as Json
  // Certificates have no Uuid: their Thumbprint identifies them.
  const id = o.Uuid ?? o.Key ?? o.Thumbprint
  return typeof id === 'string' ? id.toLowerCase() : undefined
}

/**
 * Merge a seed over its `Extends` base: arrays of objects merge by `Uuid`/`Key`/`Thumbprint` (the child wins), objects
 * merge shallowly one level down (`Overrides`, `Clock`), everything else is replaced.
 */
export function mergeSeeds(base: Json, child: Json): Json {
  const out: Json = { ...base }
  for (const [k, v] of Object.entries(child)) {
    if (k === 'Extends') continue
    const b = base[k]
    if (Array.isArray(v) && Array.isArray(b) && v.every((x) => idOf(x) !== undefined)) {
      const merged = [...b]
      for (const item of v) {
        const i = merged.findIndex((x) => idOf(x) === idOf(item))
        if (i >= 0) merged[i] = item
        else merged.push(item)
      }
      out[k] = merged
    } else if (
      v &&
      typeof v === 'object' &&
      !Array.isArray(v) &&
      b &&
      typeof b === 'object' &&
      !Array.isArray(b)
    ) {
      out[k] = { ...(b as Json), ...(v as Json) }
    } else out[k] = v
  }
  return out
}

function resolveRaw(raw: unknown, depth = 0): Json {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new TypeError('a seed must be a JSON object')
  const seed = raw as Json
  const ext = seed.Extends
  if (typeof ext !== 'string') return seed
  if (depth > 4 || !(SCENARIO_NAMES as readonly string[]).includes(ext))
    throw new TypeError(`unknown seed base '${ext}'`)
  return mergeSeeds(resolveRaw(RAW[ext as ScenarioName], depth + 1), seed)
}

/** Validate a seed object (resolving `Extends`) into its defaulted form; throws on invalid seeds. */
export function loadSeed(raw: unknown): ScenarioSeed {
  return scenarioSeedSchema.parse(resolveRaw(raw))
}

/** A built-in scenario. */
export function loadScenario(name: ScenarioName): ScenarioSeed {
  return loadSeed(RAW[name])
}

/** A seed JSON file from disk (CLI `--seed`). */
export function loadSeedFile(path: string): ScenarioSeed {
  return loadSeed(JSON.parse(readFileSync(path, 'utf8')) as unknown)
}

import type { Logger } from '../../services/log'
import type { SimClock } from './clock'
import type { SimState, SimTemplate, SimUser } from './model'
import type { SimCa } from './pki/ca'
import type { SeededRng } from './rng'
import type { SimStore } from './store'
import type { SimSwitches } from './switches'

/** What a custom PIN provider gets (template `CustomServerDistributed`, SIM-C6). */
export interface CustomPinContext {
  template: SimTemplate
  cardUuid: string
  cardId: string
  minLength: number
  maxLength: number
}

/** A 500 the simulator produced, for `control.lastErrors()` (SIM-E1). */
export interface SimErrorRecord {
  correlationId: string
  at: string
  method: string
  path: string
  status: number
  detail: string
}

/** One line of the request log (SIM-D2). Query values are never logged: challenges are secrets. */
export interface SimLogEntry {
  seq: number
  at: string
  method: string
  path: string
  queryNames: string[]
  user: string | null
  route: string | null
  status: number
  correlationId: string | null
  fault: string | null
}

/** Shared services every handler uses. */
export interface SimRuntime {
  store: SimStore
  rng: SeededRng
  clock: SimClock
  ca: SimCa
  switches: SimSwitches
  logger: Logger
  customPin: (ctx: CustomPinContext) => string
  errors: SimErrorRecord[]
  log: SimLogEntry[]
  /** Session cookie → user Uuid (SIM-A3). */
  sessions: Map<string, string>
}

/** Next id for a created object: the seed's GUID queue first (SIM-S2), then the seeded RNG. */
export function newGuid(rt: SimRuntime): string {
  return rt.store.state.GuidQueue.shift() ?? rt.rng.guid('guid')
}

/** A fresh correlation id; its own RNG stream so errors never shift data GUIDs. */
export function newCorrelationId(rt: SimRuntime): string {
  return rt.rng.guid('correlation')
}

/** Convenience accessor used by handlers. */
export function stateOf(rt: SimRuntime): SimState {
  return rt.store.state
}

/** The authenticated caller plus per-request extras. */
export interface Caller {
  user: SimUser
}

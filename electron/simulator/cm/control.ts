import type { WireRequest, WireSmartcard } from '../../../shared/cm/wire-types'
import { simNegotiateHeader } from './auth'
import type { SimCore } from './core'
import type { ActiveFault, FaultRule } from './faults'
import { RS, setCardStatus } from './lifecycle'
import type { SimState } from './model'
import type { PresetName, PresetParams } from './presets'
import type { CustomPinContext, SimErrorRecord, SimLogEntry } from './runtime'
import { requestJson, smartcardJson } from './serialize'
import type { SimSwitches } from './switches'

/** A full copy of the mutable simulator state (SIM-D2). JSON-plain. */
export interface SimSnapshot {
  state: SimState
  rng: Record<string, number>
  clock: { virtualMs: number | null; offsetMs: number; script: number[] }
}

/** The in-process control API (SIM-D3). No REST equivalent exists for approve/deny on a real server. */
export interface CmSimulatorControl {
  /** Approve a Pending (16) request → 3. */
  approve(requestUuid: string): WireRequest
  /** Deny a Pending (16) request → 4. */
  deny(requestUuid: string): WireRequest
  /** Force a request status (any number, e.g. 18 Executing or 9 Failed). */
  setRequestStatus(requestUuid: string, status: number): WireRequest
  /** Force a smart card status (keeps profile and certificates consistent). */
  setCardStatus(smartcardUuid: string, status: number): WireSmartcard
  /** Add a fault rule; returns its id. */
  addFault(rule: FaultRule): string
  /** Remove a fault rule. */
  removeFault(id: string): boolean
  /** Remove all fault rules. */
  clearFaults(): void
  /** Fault rules with their match counters. */
  listFaults(): ActiveFault[]
  /** Apply a named preset (SIM-F3). */
  applyPreset(name: PresetName, params?: PresetParams): void
  /** Current switches (a copy). */
  getSwitches(): SimSwitches
  /** Change switches; returns the new set. */
  setSwitches(patch: Partial<SimSwitches>): SimSwitches
  /** Copy of the state, RNG counters and clock. */
  snapshot(): SimSnapshot
  /** Restore a snapshot. */
  restore(snapshot: SimSnapshot): void
  /** Back to the start state (seed, RNG, clock, switches, initial faults; logs cleared). */
  reset(): void
  /** The request log (query values omitted: they can hold challenges). */
  requestLog(): SimLogEntry[]
  /** Empty the request log and the error list. */
  clearLog(): void
  /** The most recent error responses with their correlation ids (newest last). */
  lastErrors(count?: number): SimErrorRecord[]
  /** Move the clock forward. */
  advanceClock(ms: number): void
  /** Set the clock to an instant. */
  setClock(at: string | number): void
  /** The simulator's current time (ISO). */
  now(): string
  /** SIM-C8: rotate the diversification secret of a template (Uuid or Key) or of all templates. */
  rotateDiversificationSecret(template?: string): void
  /** Replace the CustomServerDistributed PIN provider. */
  setCustomPinProvider(fn: (ctx: CustomPinContext) => string): void
  /** A deep copy of the whole state (for assertions). */
  state(): SimState
  /** `Authorization` header value that authenticates as `account` (WIA convention `base64("sim:<account>")`). */
  authorizationFor(account: string): string
}

/** Build the control API over a core. */
export function createControl(core: SimCore): CmSimulatorControl {
  const rt = core.rt
  const req = (uuid: string) => {
    const r = rt.store.request(uuid)
    if (!r) throw new Error(`unknown request ${uuid}`)
    return r
  }
  const decide = (uuid: string, to: number) => {
    const r = req(uuid)
    if (r.Status !== RS.Pending) throw new Error(`request ${uuid} is not pending (status ${r.Status})`)
    r.Status = to
    return requestJson(r)
  }
  return {
    approve: (uuid) => decide(uuid, RS.Approved),
    deny: (uuid) => decide(uuid, RS.Denied),
    setRequestStatus(uuid, status) {
      const r = req(uuid)
      r.Status = status
      return requestJson(r)
    },
    setCardStatus(uuid, status) {
      const c = rt.store.card(uuid)
      if (!c) throw new Error(`unknown smart card ${uuid}`)
      setCardStatus(rt.store.state, c, status)
      return smartcardJson(c)
    },
    addFault: (rule) => core.faults.add(rule),
    removeFault: (id) => core.faults.remove(id),
    clearFaults: () => core.faults.clear(),
    listFaults: () => core.faults.list(),
    applyPreset: (name, params) => core.applyPreset(name, params),
    getSwitches: () => ({ ...rt.switches }),
    setSwitches(patch) {
      Object.assign(rt.switches, patch)
      return { ...rt.switches }
    },
    snapshot: () => ({
      state: structuredClone(rt.store.state),
      rng: rt.rng.getState(),
      clock: rt.clock.getState(),
    }),
    restore(s) {
      rt.store.state = structuredClone(s.state)
      rt.rng.setState(s.rng)
      rt.clock.setState(s.clock)
    },
    reset: () => core.reset(),
    requestLog: () => rt.log.map((e) => ({ ...e, queryNames: [...e.queryNames] })),
    clearLog() {
      rt.log.length = 0
      rt.errors.length = 0
    },
    lastErrors: (count = 20) => rt.errors.slice(-count).map((e) => ({ ...e })),
    advanceClock: (ms) => rt.clock.advance(ms),
    setClock: (at) => rt.clock.set(at),
    now: () => new Date(rt.clock.now()).toISOString(),
    rotateDiversificationSecret: (template) => core.rotateSecret(template),
    setCustomPinProvider(fn) {
      rt.customPin = fn
    },
    state: () => structuredClone(rt.store.state),
    authorizationFor: (account) => simNegotiateHeader(account),
  }
}

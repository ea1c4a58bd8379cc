import { silentLogger } from '../../services/log'
import { SimClock } from './clock'
import { FaultEngine } from './faults'
import { defaultCustomPinProvider } from './handlers/card-keys'
import type { CmSimulatorOptions } from './options'
import { SimCa } from './pki/ca'
import { presetEffect } from './presets'
import type { PresetName, PresetParams } from './presets'
import { SeededRng } from './rng'
import type { SimRuntime } from './runtime'
import { withDirectoryUsers } from './directory-users'
import { stateFromSeed } from './seed-schema'
import type { ScenarioSeed } from './seed-schema'
import { loadScenario, loadSeed, loadSeedFile } from './seeds'
import { SimStore } from './store'
import { DEFAULT_SWITCHES } from './switches'

/** The simulator's moving parts, rebuilt to the start state by reset(). */
export class SimCore {
  readonly rt: SimRuntime
  readonly faults: FaultEngine
  readonly seed: ScenarioSeed
  private readonly clockStart: string | number | null

  constructor(readonly options: CmSimulatorOptions) {
    this.seed = withDirectoryUsers(
      options.seed !== undefined
        ? loadSeed(options.seed)
        : options.seedFile !== undefined
          ? loadSeedFile(options.seedFile)
          : loadScenario(options.scenario ?? 'training'),
      options.people,
    )
    this.clockStart = options.clockStart !== undefined ? options.clockStart : this.seed.Clock.Start
    const rngSeed = options.rngSeed ?? this.seed.RngSeed
    const rng = new SeededRng(rngSeed)
    this.faults = new FaultEngine(rng)
    this.rt = {
      store: new SimStore(stateFromSeed(this.seed)),
      rng,
      clock: new SimClock({ start: this.clockStart, script: this.seed.Clock.Script }),
      ca: new SimCa(rngSeed),
      switches: { ...DEFAULT_SWITCHES, ...options.switches },
      logger: options.logger ?? silentLogger,
      customPin: options.customPin ?? defaultCustomPinProvider,
      errors: [],
      log: [],
      sessions: new Map(),
    }
    this.installInitialFaults()
  }

  private installInitialFaults(): void {
    for (const f of this.options.faults ?? []) this.faults.add(f)
    for (const p of this.options.presets ?? []) this.applyPreset(p)
  }

  /** Apply a preset (SIM-F3). */
  applyPreset(name: PresetName, params: PresetParams = {}): void {
    const eff = presetEffect(name, params)
    Object.assign(this.rt.switches, eff.switches)
    for (const f of eff.faults) this.faults.add(f)
    if (eff.rotateSecretOf !== null)
      this.rotateSecret(eff.rotateSecretOf === 'all' ? undefined : eff.rotateSecretOf)
  }

  /** SIM-C8: change the diversification secret of one template (Uuid or Key) or of all. */
  rotateSecret(template?: string): void {
    const st = this.rt.store.state
    const targets = template
      ? st.ProfileTemplates.filter((t) => t.Uuid === template.toLowerCase() || t.Key === template)
      : st.ProfileTemplates
    if (template && targets.length === 0) throw new Error(`unknown template ${template}`)
    for (const t of targets) st.SecretGenerations[t.Uuid] = (st.SecretGenerations[t.Uuid] ?? 0) + 1
  }

  /** Back to the start state: seed objects, RNG, clock, switches, faults, logs, sessions. */
  reset(): void {
    this.rt.store.state = stateFromSeed(this.seed)
    this.rt.rng.setState({})
    this.rt.clock.setState(
      new SimClock({ start: this.clockStart, script: this.seed.Clock.Script }).getState(),
    )
    for (const k of Object.keys(this.rt.switches))
      delete (this.rt.switches as unknown as Record<string, unknown>)[k]
    Object.assign(this.rt.switches, DEFAULT_SWITCHES, this.options.switches)
    this.rt.errors.length = 0
    this.rt.log.length = 0
    this.rt.sessions.clear()
    this.faults.clear()
    this.installInitialFaults()
  }
}

import type { DirectoryPerson } from '../../../shared/domain/directory'
import type { Logger } from '../../services/log'
import type { FaultRule } from './faults'
import type { PresetName } from './presets'
import type { CustomPinContext } from './runtime'
import type { ScenarioName } from './seeds'
import type { SimSwitches } from './switches'

/** Options of startCmSimulator(). Everything is optional; defaults give a faithful, lenient simulator. */
export interface CmSimulatorOptions {
  /** TCP port on 127.0.0.1; 0 (default) = a random free port. */
  port?: number
  /** Built-in scenario (default "training"); ignored when `seed` or `seedFile` is given. */
  scenario?: ScenarioName
  /** A seed object in the seed-file format (see README.md); may `Extends` a built-in scenario. */
  seed?: unknown
  /** Path of a seed JSON file. */
  seedFile?: string
  /** RNG seed (default: the seed's `RngSeed`). Same seed + same calls → byte-identical responses (SIM-D1). */
  rngSeed?: string
  /** Override the seed's clock: an instant = virtual time from there; null = real time. */
  clockStart?: string | number | null
  /** Initial runtime switches. */
  switches?: Partial<SimSwitches>
  /** Initial fault rules. */
  faults?: FaultRule[]
  /** Presets applied at start (and again after reset). */
  presets?: PresetName[]
  /**
   * Caller used when a request carries no credentials (in-process training use). Account, seed key or Uuid.
   * null/undefined = unauthenticated requests get 401 (the faithful default).
   */
  defaultUser?: string | null
  /** Serve the control API over HTTP under /__sim/… (off by default, SIM-D3). */
  controlHttp?: boolean
  /** PIN provider for CustomServerDistributed templates (SIM-C6). */
  customPin?: (ctx: CustomPinContext) => string
  /** Logger (defaults to silent). Secrets never reach it. */
  logger?: Logger
  /**
   * The directory's people (Active Directory as CM sees it): each becomes a CM user without rights, so an agent can
   * enroll on their behalf (directory-users.ts). The training station and the directory lab pass generatePeople().
   */
  people?: readonly DirectoryPerson[]
  /** Largest accepted request body (default 4 MiB). */
  maxBodyBytes?: number
}

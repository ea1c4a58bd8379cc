import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createControl } from './control'
import type { CmSimulatorControl } from './control'
import { handleControlHttp } from './control-http'
import { SimCore } from './core'
import type { CmSimulatorOptions } from './options'
import { handle } from './pipeline'
import { Transport } from './transport'

/**
 * Faithful MIM 2016 CM REST simulator (cm-rest-api.md §7). Plain Node: node:http on 127.0.0.1 only.
 * Tests, training mode and `npm run cm-sim` all use startCmSimulator().
 */

/** A running simulator. */
export interface CmSimulator {
  /** `http://127.0.0.1:<port>` */
  baseUrl: string
  /** `baseUrl + '/CertificateManagement'`: the client's app root (§1.1); 201 bodies are relative to it. */
  appRoot: string
  port: number
  control: CmSimulatorControl
  /** Stop listening, end held/slow responses and close every connection. */
  close(): Promise<void>
}

/** Start a simulator listening on 127.0.0.1 (port 0 = random). */
export async function startCmSimulator(options: CmSimulatorOptions = {}): Promise<CmSimulator> {
  const core = new SimCore(options)
  const control = createControl(core)
  const transport = new Transport()
  const deps = {
    rt: core.rt,
    faults: core.faults,
    defaultUser: options.defaultUser ?? null,
    maxBodyBytes: options.maxBodyBytes ?? 4 * 1024 * 1024,
    transport,
  }
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!
    const work =
      options.controlHttp && /^\/__sim(\/|$)/.test(path)
        ? handleControlHttp(control, req, res, path)
        : handle(deps, req, res)
    work.catch((e: unknown) => {
      core.rt.logger.error('cm-sim request failed', { error: (e as Error)?.message })
      if (!res.headersSent) res.writeHead(500).end()
      else res.destroy()
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  const baseUrl = `http://127.0.0.1:${port}`
  return {
    baseUrl,
    appRoot: `${baseUrl}/CertificateManagement`,
    port,
    control,
    close: () =>
      new Promise<void>((resolve) => {
        transport.shutdown()
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

export type { CmSimulatorControl, SimSnapshot } from './control'
export type { CmSimulatorOptions } from './options'
export type { FaultAction, FaultMatch, FaultRule, MalformedVariant } from './faults'
export type { PresetName, PresetParams } from './presets'
export { PRESET_NAMES } from './presets'
export type { SimSwitches } from './switches'
export { DEFAULT_SWITCHES } from './switches'
export type { ScenarioName } from './seeds'
export { SCENARIO_NAMES, loadScenario, loadSeed } from './seeds'
export type { CustomPinContext, SimErrorRecord, SimLogEntry } from './runtime'
export { simBearerJwt, simNegotiateHeader } from './auth'
export { deriveDiversifiedKey } from './card-crypto'
export { CmCardDouble, guidToDotNetBytes } from './card-double'
export type { CardDoubleOptions, CardOpResult } from './card-double'

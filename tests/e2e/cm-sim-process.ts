import { spawn, type ChildProcess } from 'node:child_process'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'

/**
 * The CM simulator as a SEPARATE server process (`npm run cm-sim`), the way the station meets a real CM server:
 * over HTTP only. It acts as the training operator for requests without `Authorization` (Node's fetch has no
 * Windows sign-in) and serves its control API under /__sim/ so tests can read its state and inject faults.
 */

const ROOT = resolve(__dirname, '..', '..')
const CLI = join(ROOT, 'electron', 'simulator', 'cm', 'cli.ts')

/** A running simulator process and its control API over HTTP. */
export interface CmSimProcess {
  /** e.g. http://127.0.0.1:41234/CertificateManagement (what the station is configured with). */
  appRoot: string
  baseUrl: string
  /** GET /__sim/state: the simulator's whole state (seed shapes: PascalCase). */
  state(): Promise<SimStateView>
  /** POST /__sim/faults: inject a fault rule (cm-rest-api.md SIM-F1/F2); returns its id. */
  addFault(rule: unknown): Promise<string>
  clearFaults(): Promise<void>
  /** POST /__sim/reset: back to the seed's start state (faults, log and clock too). */
  reset(): Promise<void>
  /** GET /__sim/faults: how many times the active fault rules fired, in all. */
  faultsFired(): Promise<number>
  /** POST /__sim/presets/{name}: apply a named preset (SIM-F3), e.g. `windows-sign-in-refused` with `{ realm }`. */
  applyPreset(name: string, params?: Record<string, unknown>): Promise<void>
  /** GET /__sim/log: every request the simulator answered (route, status, correlation id). */
  log(): Promise<
    Array<{
      route: string | null
      method: string
      path: string
      status: number
      correlationId?: string | null
    }>
  >
  kill(): Promise<void>
}

/** The parts of the simulator state the e2e tests read. */
export interface SimStateView {
  Requests: Array<{
    Uuid: string
    Status: number
    RequestType: number
    TargetUserUuid: string
    NewSmartcardUuid: string
    OldSmartcardUuid: string
    /** Simulator bookkeeping: certificates E10 issued for the request. */
    Sim: { IssuedCertificates: number }
  }>
  Smartcards: Array<{ Uuid: string; Status: number; SerialNumber: string; AssignedUserUuid: string }>
}

/** Start `cm-sim` on a random loopback port with the training seed. */
export async function startCmSimProcess(
  opts: { account?: string; extraArgs?: string[] } = {},
): Promise<CmSimProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      CLI,
      '--port',
      '0',
      '--scenario',
      'training',
      '--default-user',
      opts.account ?? 'CORP\\operator1',
      '--control-http',
      ...(opts.extraArgs ?? []),
    ],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let output = ''
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()))
  const appRoot = await new Promise<string>((resolveRoot, reject) => {
    const timer = setTimeout(() => reject(new Error(`cm-sim did not start:\n${output}`)), 20_000)
    const lines = createInterface({ input: child.stdout! })
    lines.on('line', (line) => {
      output += `${line}\n`
      const m = /^App root: (\S+)/.exec(line)
      if (m) {
        clearTimeout(timer)
        resolveRoot(m[1]!)
      }
    })
    child.on('exit', (code) => reject(new Error(`cm-sim exited (${code}):\n${output}`)))
  })
  const baseUrl = appRoot.replace(/\/CertificateManagement$/, '')
  const control = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${baseUrl}/__sim/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    if (!r.ok) throw new Error(`control ${method} ${path}: ${r.status} ${await r.text()}`)
    return r.status === 204 ? null : ((await r.json()) as unknown)
  }
  return {
    appRoot,
    baseUrl,
    state: async () => (await control('GET', 'state')) as SimStateView,
    addFault: async (rule) => ((await control('POST', 'faults', rule)) as { id: string }).id,
    clearFaults: async () => void (await control('DELETE', 'faults')),
    reset: async () => void (await control('POST', 'reset')),
    faultsFired: async () =>
      ((await control('GET', 'faults')) as Array<{ fired: number }>).reduce((n, f) => n + f.fired, 0),
    applyPreset: async (name, params) => void (await control('POST', `presets/${name}`, params ?? {})),
    log: async () => (await control('GET', 'log')) as Awaited<ReturnType<CmSimProcess['log']>>,
    kill: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done()
        child.once('exit', () => done())
        child.kill('SIGTERM')
        setTimeout(() => child.kill('SIGKILL'), 3000).unref()
      }),
  }
}

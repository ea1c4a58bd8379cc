/**
 * Run a virtual GIDS card as a SEPARATE process plugged into the lab's vpcd (pcsc-lab.md §2b).
 * It must not live in the test process when that process uses pcsclite: exiting with an
 * SCardTransmit in flight deadlocks if the card is in the same process (pcsc-lab.md §3).
 * Drives electron/simulator/card/cli.ts over stdin; the CLI exits when stdin closes, so a crashed
 * test leaves no card behind.
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'

const ROOT = resolve(__dirname, '..', '..')
const CLI = join(ROOT, 'electron', 'simulator', 'card', 'cli.ts')

/** What card to run. Secrets are passed on the command line: lab test keys only. */
export interface VirtualCardSpawnOptions {
  /** vpcd slot 0 or 1 (reader "Virtual PCD 00 00" / "00 01"). */
  slot: number
  /** Connect to this port instead of 35963 + slot (a fake vpcd in unit tests). */
  port?: number
  /** GUID text (.NET layout, OQ-19) or 32 hex digits in card order. */
  cardid?: string
  /** 48 hex digits. */
  adminKey?: string
  pin?: string
  /** Blank card for `gids-tool -X`. */
  blank?: boolean
  /** State file: loaded if present, else created; saved after every change. */
  state?: string
  atr?: string
  pinMaxLength?: number
  adminTryLimit?: number
  /** Start inserted (default true); spawn resolves once connected to vpcd. */
  insert?: boolean
  /** Debug logs of the card (APDU headers + SW) on its stderr, kept in output(). */
  verbose?: boolean
  /** How long to wait for READY / the first insert (default 10 s). */
  timeoutMs?: number
}

/** A running virtual card process. */
export interface VirtualCardProcess {
  readonly pid: number
  readonly slot: number
  /** Connect to vpcd (card in the reader). Resolves when connected; the PC/SC status follows ~0.5 s later. */
  insert(): Promise<void>
  /** Close the connection (card out). */
  remove(): Promise<void>
  /** Resolves once vpcd has polled the card since the last insert (`EVENT present`: PC/SC reports it present). */
  waitPresent(timeoutMs?: number): Promise<void>
  /** SIGTERM, then SIGKILL after 3 s; resolves when the process has exited. Idempotent. */
  kill(): Promise<void>
  /** Everything the process printed so far (stdout + stderr), for failure messages. */
  output(): string
  /** Resolves at the next stdout line matching `match` printed after this call. */
  waitLine(match: RegExp, timeoutMs?: number): Promise<void>
}

const running = new Set<ChildProcess>()
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})

/** CLI arguments for the options (exported for tests of the helper itself). */
export function cliArgs(o: VirtualCardSpawnOptions): string[] {
  const args = ['--slot', String(o.slot), '--exit-on-eof']
  if (o.port !== undefined) args.push('--port', String(o.port))
  if (o.cardid !== undefined) args.push('--cardid', o.cardid)
  if (o.adminKey !== undefined) args.push('--admin-key', o.adminKey)
  if (o.pin !== undefined) args.push('--pin', o.pin)
  if (o.blank) args.push('--blank')
  if (o.state !== undefined) args.push('--state', o.state)
  if (o.atr !== undefined) args.push('--atr', o.atr)
  if (o.pinMaxLength !== undefined) args.push('--pin-max-length', String(o.pinMaxLength))
  if (o.adminTryLimit !== undefined) args.push('--admin-try-limit', String(o.adminTryLimit))
  if (o.insert === false) args.push('--no-insert')
  if (o.verbose) args.push('--verbose')
  return args
}

/** Start a virtual card process; resolves when it is ready (and connected, unless insert: false). */
export async function spawnVirtualCard(o: VirtualCardSpawnOptions): Promise<VirtualCardProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...cliArgs(o)], {
    cwd: ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  running.add(child)
  let log = ''
  const lineWaiters: Array<{ match: (line: string) => boolean; resolve: () => void }> = []
  let exitCode: number | null | undefined
  const exited = new Promise<void>((r) =>
    child.once('exit', (code, signal) => {
      exitCode = code ?? (signal ? -1 : null)
      running.delete(child)
      r()
    }),
  )
  // Every stdout line is kept: readline emits all lines of a chunk synchronously (e.g. READY and
  // "OK insert" together), so a waiter registered after an await must also look back.
  const lines: string[] = []
  let insertedAt = 0 // index of the first line after the last insert command
  createInterface({ input: child.stdout! }).on('line', (line) => {
    log += line + '\n'
    lines.push(line)
    for (const w of [...lineWaiters]) if (w.match(line)) w.resolve()
  })
  child.stderr!.on('data', (c: Buffer) => (log += c.toString()))
  child.stdin!.on('error', () => {}) // EPIPE after the child died is reported through `exited`

  /** Resolves when a line matching `match` is (or was) printed at index ≥ `from`. */
  const waitLine = (match: (line: string) => boolean, what: string, timeoutMs: number, from: number) =>
    new Promise<void>((resolveLine, reject) => {
      if (lines.slice(from).some(match)) return resolveLine()
      if (exitCode !== undefined) return reject(new Error(`virtual card exited (${exitCode}):\n${log}`))
      const timer = setTimeout(() => {
        drop()
        reject(new Error(`virtual card: no "${what}" within ${timeoutMs} ms:\n${log}`))
      }, timeoutMs)
      const drop = () => {
        clearTimeout(timer)
        const i = lineWaiters.indexOf(waiter)
        if (i >= 0) lineWaiters.splice(i, 1)
      }
      const waiter = {
        match,
        resolve: () => {
          drop()
          resolveLine()
        },
      }
      lineWaiters.push(waiter)
      void exited.then(() => {
        drop()
        reject(new Error(`virtual card exited (${exitCode}):\n${log}`))
      })
    })
  const send = (cmd: string, ack: string, timeoutMs = 10_000) => {
    const p = waitLine((l) => l === ack, ack, timeoutMs, lines.length)
    child.stdin!.write(cmd + '\n')
    return p
  }

  const kill = async () => {
    if (exitCode !== undefined) return
    child.kill('SIGTERM')
    const hard = setTimeout(() => child.kill('SIGKILL'), 3000)
    await exited
    clearTimeout(hard)
  }

  const timeout = o.timeoutMs ?? 10_000
  try {
    await waitLine((l) => l === 'READY', 'READY', timeout, 0)
    if (o.insert !== false) await waitLine((l) => l === 'OK insert', 'OK insert', timeout, 0)
  } catch (error) {
    await kill()
    throw error
  }
  return {
    pid: child.pid!,
    slot: o.slot,
    insert: () => {
      insertedAt = lines.length
      return send('insert', 'OK insert')
    },
    remove: () => send('remove', 'OK remove'),
    waitPresent: (ms = 5000) => waitLine((l) => l === 'EVENT present', 'EVENT present', ms, insertedAt),
    kill,
    output: () => log,
    waitLine: (match, ms = 5000) => waitLine((l) => match.test(l), String(match), ms, lines.length),
  }
}

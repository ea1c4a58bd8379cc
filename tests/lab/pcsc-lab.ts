/**
 * PC/SC lab: pcscd in the foreground with the vsmartcard vpcd driver from our own config dir
 * (no systemd), two virtual readers "Virtual PCD 00 00" (TCP 35963) and "Virtual PCD 00 01" (35964).
 * See ../shared/reference/pcsc-lab.md §1.
 *
 * CLI:  npm run lab -- start | stop | status | run [--quickack] -- <command...>
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'

/** Paths of the lab binaries and driver. */
export const LAB = {
  pcscd: '/usr/sbin/pcscd',
  vpcdDriver: '/usr/lib/pcsc/drivers/serial/libifdvpcd.so',
  socket: '/run/pcscd/pcscd.comm',
  readers: ['Virtual PCD 00 00', 'Virtual PCD 00 01'] as const,
  /** vpcd listens on 35963 + slot (0x8C7B). */
  basePort: 35963,
}

/** The lab's working directory (config, log, pid). */
export function labDir(): string {
  return resolve(process.env.PCSC_LAB_DIR ?? join(__dirname, '..', '..', '.lab'))
}

/** What is missing to run the lab here (empty when it can run). */
export function labMissing(): string[] {
  const missing: string[] = []
  if (!existsSync(LAB.pcscd)) missing.push('pcscd (apt-get install pcscd)')
  if (!existsSync(LAB.vpcdDriver)) missing.push('vpcd driver (apt-get install vsmartcard-vpcd)')
  return missing
}

/**
 * Why the lab cannot run here, or null when it can: packages missing, or another pcscd already running
 * (a system service on a developer machine; the lab needs the only pcscd, pcsc-lab.md §1).
 */
export function labUnavailableReason(): string | null {
  const missing = labMissing()
  if (missing.length) return `missing ${missing.join(', ')}`
  const others = runningPcscd().filter((pid) => pid !== ourPid())
  if (others.length) return `another pcscd is running (pid ${others.join(', ')}); stop it to run the lab`
  return null
}

/** PIDs of running pcscd processes, from /proc. */
export function runningPcscd(): number[] {
  const pids: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const comm = readFileSync(`/proc/${entry}/comm`, 'utf8').trim()
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      // Zombies (state Z) are dead already.
      if (comm === 'pcscd' && !/\) Z /.test(stat)) pids.push(Number(entry))
    } catch {
      // process vanished
    }
  }
  return pids
}

function pidFile(): string {
  return join(labDir(), 'pcscd.pid')
}

function ourPid(): number | null {
  try {
    const pid = Number(readFileSync(pidFile(), 'utf8').trim())
    return Number.isInteger(pid) && pid > 0 ? pid : null
  } catch {
    return null
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return runningPcscd().includes(pid)
  } catch {
    return false
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** List PC/SC readers with pcsc_scan -r (pcsc-tools); null if the tool is absent or the service is down. */
function listReaders(): string[] | null {
  const r = spawnSync('pcsc_scan', ['-r'], { encoding: 'utf8', timeout: 5000 })
  if (r.error || r.status !== 0) return null
  return LAB.readers.filter((name) => r.stdout.includes(name))
}

/** Start pcscd for the lab and wait until both virtual readers are listed. Refuses if another pcscd runs. */
export async function startLab(opts: { timeoutMs?: number; debug?: boolean } = {}): Promise<number> {
  const missing = labMissing()
  if (missing.length) throw new Error(`PC/SC lab unavailable: missing ${missing.join(', ')}`)
  const others = runningPcscd()
  if (others.length) {
    throw new Error(
      `another pcscd is already running (pid ${others.join(', ')}); stop it first ` +
        `(systemctl stop pcscd.socket pcscd.service, or kill it) — the lab needs the only pcscd`,
    )
  }
  const dir = labDir()
  const conf = join(dir, 'conf.d')
  mkdirSync(conf, { recursive: true })
  writeFileSync(
    join(conf, 'vpcd'),
    [
      'FRIENDLYNAME "Virtual PCD"',
      `DEVICENAME   /dev/null:0x${LAB.basePort.toString(16).toUpperCase()}`,
      `LIBPATH      ${LAB.vpcdDriver}`,
      `CHANNELID    0x${LAB.basePort.toString(16).toUpperCase()}`,
      '',
    ].join('\n'),
  )
  mkdirSync('/run/pcscd', { recursive: true })
  const log = openSync(join(dir, 'pcscd.log'), 'w')
  const args = ['-f', '-c', conf, ...(opts.debug ? ['-a', '-d'] : [])]
  const child = spawn(LAB.pcscd, args, { stdio: ['ignore', log, log], detached: true })
  child.unref()
  if (!child.pid) throw new Error('pcscd did not start')
  writeFileSync(pidFile(), String(child.pid))
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000)
  while (Date.now() < deadline) {
    if (!alive(child.pid)) throw new Error(`pcscd exited at start; see ${join(dir, 'pcscd.log')}`)
    if (existsSync(LAB.socket)) {
      const readers = listReaders()
      if (readers === null || readers.length === LAB.readers.length) return child.pid
    }
    await sleep(20)
  }
  await stopLab()
  throw new Error('pcscd started but the two virtual readers did not appear in time')
}

/** Stop the lab's pcscd (by its PID) and wait until it has gone. */
export async function stopLab(timeoutMs = 5000): Promise<void> {
  const pid = ourPid()
  if (pid === null) return
  if (alive(pid)) {
    process.kill(pid, 'SIGTERM')
    const deadline = Date.now() + timeoutMs
    while (alive(pid) && Date.now() < deadline) await sleep(10)
    if (alive(pid)) process.kill(pid, 'SIGKILL')
  }
  rmSync(pidFile(), { force: true })
}

/** True if the lab's pcscd is running. */
export function labRunning(): boolean {
  const pid = ourPid()
  return pid !== null && alive(pid)
}

/**
 * Wrap a command so that it runs in a private network namespace whose loopback routes have
 * `quickack 1` (pcsc-lab.md §4): ~0.35 ms per APDU instead of ~45 ms. Root only.
 */
export function quickackWrap(command: string[]): string[] {
  const routes = [
    'ip link set lo up',
    'ip route replace local 127.0.0.0/8 dev lo table local proto kernel scope host src 127.0.0.1 quickack 1',
    'ip route replace local 127.0.0.1 dev lo table local proto kernel scope host src 127.0.0.1 quickack 1',
  ].join(' && ')
  return ['unshare', '-n', 'sh', '-c', `${routes} && exec "$@"`, 'quickack', ...command]
}

/** True if this process can create a network namespace with quickack routes. */
export function quickackAvailable(): boolean {
  if (process.getuid?.() !== 0) return false
  const r = spawnSync('unshare', ['-n', 'sh', '-c', 'ip link set lo up && ip route show table local'], {
    encoding: 'utf8',
    timeout: 5000,
  })
  return r.status === 0
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv
  switch (cmd) {
    case 'start':
      console.log(`pcscd started (pid ${await startLab()}); readers: ${LAB.readers.join(', ')}`)
      return 0
    case 'stop':
      await stopLab()
      console.log('pcscd stopped')
      return 0
    case 'status':
      console.log(labRunning() ? `running (pid ${ourPid()})` : 'not running')
      return labRunning() ? 0 : 1
    case 'run': {
      const quick = rest[0] === '--quickack'
      const sep = rest.indexOf('--')
      const command = sep >= 0 ? rest.slice(sep + 1) : rest.slice(quick ? 1 : 0)
      if (!command.length) throw new Error('usage: lab run [--quickack] -- <command...>')
      if (quick) {
        // Re-enter this script inside the namespace so pcscd, the card and the command share its loopback.
        const inner = quickackWrap([
          process.execPath,
          ...process.execArgv,
          __filename,
          'run',
          '--',
          ...command,
        ])
        const r = spawnSync(inner[0]!, inner.slice(1), { stdio: 'inherit' })
        return r.status ?? 1
      }
      await startLab()
      try {
        const r = spawnSync(command[0]!, command.slice(1), { stdio: 'inherit' })
        return r.status ?? 1
      } finally {
        await stopLab()
      }
    }
    default:
      console.error('usage: npm run lab -- start | stop | status | run [--quickack] -- <command...>')
      return 2
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(String(error instanceof Error ? error.message : error))
      process.exit(1)
    },
  )
}

/**
 * `npm run bench`: the station's speed, idle cost and "nothing lost" under faults as ONE report (issue "Measured,
 * not assumed"). Every figure is measured on the real stack here — pcscd + vpcd virtual cards, the CM simulator as a
 * separate process, the real renderer in Chromium — and printed as median / p95 / max with the environment. Not a
 * test: nothing here asserts a time (the counts "lost" / "duplicated" are asserted by the lab tests).
 *
 *   npm run bench [-- --only card,retire,idle,renderer] [--quick] [--samples 200 --rounds 5]
 *
 * It starts pcscd, so it runs under /tmp/pcsc-lab.lock (re-executing itself under `flock` when needed).
 */
import { spawn, spawnSync } from 'node:child_process'
import { cpus, release, totalmem } from 'node:os'
import { RETIRE_PARALLELISM } from '../electron/services/enrollment/steps-writes'
import { startCmSimProcess } from '../tests/e2e/cm-sim-process'
import { runBulkRetire } from '../tests/lab/bulk-retire'
import { quickackAvailable, quickackWrap, startLab, stopLab } from '../tests/lab/pcsc-lab'
import { spawnVirtualCard } from '../tests/lab/virtual-card-process'
import { runInner, type RunResult } from './bench-card'
import type { CardScreenResult } from './bench/card-screen'
import type { EnrollmentBenchResult } from './bench/enrollment'
import { measureRendererStart } from './bench/renderer-start'
import type { Stats } from './bench/stats'

const LOCK = '/tmp/pcsc-lab.lock'
const SECTIONS = ['screen', 'card', 'enrollment', 'retire', 'idle', 'renderer'] as const
type Section = (typeof SECTIONS)[number]

/** One line of the report. */
interface Row {
  section: string
  figure: string
  unit: string
  median: number | null
  p95: number | null
  max: number | null
  note?: string
}

const rows: Row[] = []
const add = (section: string, figure: string, unit: string, s: Stats | number, note?: string): void => {
  if (typeof s === 'number')
    rows.push({ section, figure, unit, median: s, p95: null, max: null, ...(note ? { note } : {}) })
  else
    rows.push({ section, figure, unit, median: s.median, p95: s.p95, max: s.max, ...(note ? { note } : {}) })
}

async function cardSection(samples: number, rounds: number): Promise<void> {
  const pass = ['--samples', String(samples), '--rounds', String(rounds)]
  for (const mode of ['default', 'quickack'] as const) {
    if (mode === 'quickack' && !quickackAvailable()) {
      rows.push({
        section: 'card edge',
        figure: 'quickack',
        unit: '',
        median: null,
        p95: null,
        max: null,
        note: 'skipped: needs root',
      })
      continue
    }
    const r: RunResult | string = runInner(mode, pass)
    if (typeof r === 'string') throw new Error(r)
    const s = `card edge (${mode === 'quickack' ? 'quickack' : 'default loopback'})`
    add(s, 'APDU round trip (GET DATA 7F71)', 'ms', r.apdu)
    add(s, 'identify (SELECT, master file, cardid)', 'ms', r.identify)
    add(s, 'admin sequence (2 jobs, 2×E15, PIN set, verify)', 'ms', r.adminSequence)
    add(s, 'RSA-2048 key generated on the card', 'ms', r.keyGen)
    add(s, 'PKCS#10 signed by the card (SHA-256)', 'ms', r.csrSign)
  }
}

/** Run a child bench script (inside a quickack netns when asked) and parse its `TAG {json}` line. */
function child<T>(script: string, args: string[], tag: string, quickack: boolean): T {
  const inner = [process.execPath, '--import', 'tsx', `${__dirname}/bench/${script}`, ...args]
  const cmd = quickack ? quickackWrap(inner) : inner
  const r = spawnSync(cmd[0]!, cmd.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
  const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith(`${tag} `))
  if (r.status !== 0 || !line)
    throw new Error(`${script} ${args.join(' ')} failed (${r.status}): ${r.stdout}`)
  return JSON.parse(line.slice(tag.length + 1)) as T
}

/** Card in → identified on screen and card out → cleared, default loopback and quickack. */
async function screenSection(inserts: number): Promise<void> {
  for (const quickack of quickackAvailable() ? [false, true] : [false]) {
    const r = child<CardScreenResult>(
      'card-screen-run.ts',
      ['--inserts', String(inserts)],
      'SCREEN_RESULT',
      quickack,
    )
    const s = `card in → identified on screen (${quickack ? 'quickack' : 'default loopback'}, ${r.inserts} inserts)`
    add(
      s,
      'end to end: vpcd insert → CM record on screen',
      'ms',
      r.endToEnd,
      'pcscd polls vpcd every ~400 ms',
    )
    add(s, "the station's share: PC/SC event → on screen", 'ms', r.share)
    add(s, '  event → screen (bridge, store, until identify starts)', 'ms', r.eventToScreen)
    add(s, '  identify APDUs (card:identify)', 'ms', r.identify)
    add(s, '  CM lookup (cm:find-card, E12)', 'ms', r.cmLookup)
    add(s, '  render (answer → DOM)', 'ms', r.render)
    add(s, 'card out: remove → cleared, end to end', 'ms', r.removeEndToEnd)
    add(s, "card out: the station's share (PC/SC event → cleared)", 'ms', r.removeShare)
  }
}

/** Machine time of one enrollment at 0 and 50 ms CM latency, default loopback and quickack (child processes). */
async function enrollmentSection(runs: number): Promise<void> {
  const modes: Array<'default' | 'quickack'> = quickackAvailable() ? ['default', 'quickack'] : ['default']
  for (const mode of modes) {
    for (const latency of [0, 50]) {
      const inner = [
        process.execPath,
        '--import',
        'tsx',
        `${__dirname}/bench/enrollment-run.ts`,
        '--latency',
        String(latency),
        '--runs',
        String(runs),
      ]
      const cmd = mode === 'quickack' ? quickackWrap(inner) : inner
      const r = spawnSync(cmd[0]!, cmd.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] })
      const line = (r.stdout ?? '').split('\n').find((l) => l.startsWith('ENROLL_RESULT '))
      if (r.status !== 0 || !line)
        throw new Error(`enrollment bench (${mode}, ${latency} ms) failed: ${r.stdout}`)
      const e = JSON.parse(line.slice('ENROLL_RESULT '.length)) as EnrollmentBenchResult
      const s = `one enrollment, machine time (${mode === 'quickack' ? 'quickack' : 'default loopback'}, CM +${latency} ms)`
      add(s, 'whole issue flow (operator waits excluded)', 'ms', e.whole)
      add(s, 'same, without on-card RSA key generation', 'ms', e.wholeWithoutKeyGen)
      for (const step of e.steps) {
        add(
          s,
          `  ${step.step}`,
          'ms',
          step.total,
          `APDU ${step.apdu.median.toFixed(0)}, CM ${step.cm.median.toFixed(0)}, keygen ${step.keyGen.median.toFixed(0)}, station ${step.station.median.toFixed(0)}`,
        )
      }
    }
  }
}

async function retireSection(quick: boolean): Promise<void> {
  const cards = quick ? 40 : 200
  const seq = await runBulkRetire({ cards, latencyMs: 50, parallelism: 1, seed: 'bench-seq' })
  const par = await runBulkRetire({
    cards,
    latencyMs: 50,
    parallelism: RETIRE_PARALLELISM,
    seed: 'bench-par',
  })
  const s = `bulk retire (${cards} cards, 50 ms CM latency)`
  add(s, 'sequential (1 at a time)', 's', seq.elapsedMs / 1000)
  add(s, `station (${RETIRE_PARALLELISM} at a time)`, 's', par.elapsedMs / 1000)
  add(s, 'speed-up', '×', Math.round((seq.elapsedMs / par.elapsedMs) * 10) / 10)
  const faulty = await runBulkRetire({
    cards,
    latencyMs: 50,
    parallelism: RETIRE_PARALLELISM,
    faultRate: 0.2,
    seed: 'bench-faults',
  })
  const f = `bulk retire, 20 % CM faults (${faulty.faultsInjected} injected)`
  add(f, 'elapsed (journal backoff tightened for the lab)', 's', faulty.elapsedMs / 1000)
  add(f, 'lost', 'cards', faulty.lost)
  add(f, 'duplicated', 'requests', faulty.duplicated)
  add(f, 'retired', 'cards', faulty.retired)
}

async function idleSection(seconds: number): Promise<void> {
  await startLab()
  const sim = await startCmSimProcess()
  const card = await spawnVirtualCard({ slot: 0, cardid: 'bc88f13f-83ba-4037-8262-46eba1291c6e' })
  try {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        `${__dirname}/bench/idle-station.ts`,
        '--app-root',
        sim.appRoot,
        '--seconds',
        String(seconds),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    )
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve))
    const line = out.split('\n').find((l) => l.startsWith('IDLE_RESULT '))
    if (code !== 0 || !line) throw new Error(`idle station failed (${code}): ${out}`)
    const r = JSON.parse(line.slice('IDLE_RESULT '.length)) as {
      readers: number
      present: number
      cpuSecondsPerMinute: number
      rssMiB: number
    }
    const s = `idle, ${seconds} s (${r.readers} readers, ${r.present} card)`
    add(
      s,
      'CPU (user + system) of the main-side services',
      'CPU-s/min',
      Math.round(r.cpuSecondsPerMinute * 1e4) / 1e4,
    )
    add(s, 'resident memory', 'MiB', Math.round(r.rssMiB))
  } finally {
    await card.kill()
    await sim.kill()
    await stopLab()
  }
}

async function rendererSection(samples: number): Promise<void> {
  const r = await measureRendererStart(samples)
  const s = 'renderer start (Chromium, training station)'
  add(s, 'navigation → Home interactive, cold', 'ms', r.cold)
  add(s, 'navigation → Home interactive, warm (reload)', 'ms', r.warm)
  add(s, 'renderer JavaScript, raw', 'KiB', Math.round(r.jsBytes / 1024))
  add(s, 'renderer JavaScript, gzip -9', 'KiB', Math.round(r.jsGzipBytes / 1024))
}

function environment(): string {
  const cpu = cpus()
  return [
    `machine: ${cpu[0]?.model ?? 'unknown CPU'} × ${cpu.length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Linux ${release()}`,
    `node ${process.version}, date ${new Date().toISOString()}`,
  ].join('\n')
}

function print(): void {
  const num = (v: number | null) => (v === null ? '' : v < 10 ? v.toFixed(2) : v.toFixed(0))
  let section = ''
  const lines: string[] = []
  lines.push(`| ${'figure'.padEnd(52)} | unit      | median | p95    | max    | note`)
  lines.push(`|${'-'.repeat(54)}|-----------|--------|--------|--------|------`)
  for (const r of rows) {
    if (r.section !== section) {
      section = r.section
      lines.push(`| **${section}**`)
    }
    lines.push(
      `| ${r.figure.padEnd(52)} | ${r.unit.padEnd(9)} | ${num(r.median).padStart(6)} | ${num(r.p95).padStart(6)} | ${num(r.max).padStart(6)} | ${r.note ?? ''}`,
    )
  }
  console.log(`\n${environment()}\n\n${lines.join('\n')}\n`)
}

/** True if an ancestor process is `flock … /tmp/pcsc-lab.lock …`. */
function lockHeld(): boolean {
  return process.env.STATION_BENCH_LOCKED === '1'
}

async function main(argv: string[]): Promise<number> {
  if (!lockHeld()) {
    const r = spawnSync('flock', [LOCK, process.execPath, '--import', 'tsx', __filename, ...argv], {
      stdio: 'inherit',
      env: { ...process.env, STATION_BENCH_LOCKED: '1' },
    })
    return r.status ?? 1
  }
  const opt = (name: string, def: number) => {
    const i = argv.indexOf(`--${name}`)
    const v = i >= 0 ? Number(argv[i + 1]) : def
    return Number.isInteger(v) && v > 0 ? v : def
  }
  const quick = argv.includes('--quick')
  const onlyAt = argv.indexOf('--only')
  const only = new Set<Section>(onlyAt >= 0 ? (argv[onlyAt + 1]!.split(',') as Section[]) : [...SECTIONS])
  if (only.has('screen')) await screenSection(quick ? 10 : 90)
  if (only.has('card')) await cardSection(opt('samples', quick ? 50 : 200), opt('rounds', quick ? 2 : 5))
  if (only.has('enrollment')) await enrollmentSection(quick ? 2 : 5)
  if (only.has('retire')) await retireSection(quick)
  if (only.has('idle')) await idleSection(quick ? 30 : 120)
  if (only.has('renderer')) await rendererSection(quick ? 5 : 20)
  print()
  return 0
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error))
    process.exit(1)
  },
)

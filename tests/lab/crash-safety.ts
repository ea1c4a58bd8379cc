import { spawn } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { guidToCardId } from '../../electron/services/card/cardid'
import { parseJournal } from '../../electron/services/journal/entry'
import { parseCheckpoint } from '../../electron/services/enrollment/state'
import { GidsCard } from '../../electron/simulator/card/gids-card'
import { loadStateFile, saveStateFile } from '../../electron/simulator/card/state-file'
import { SeededRng } from '../../electron/simulator/cm/rng'
import { generatePeople } from '../../electron/simulator/directory/people'
import { startCmSimProcess, type CmSimProcess } from '../e2e/cm-sim-process'
import { writeBulkSeed } from './bulk-retire'
import { CRASH_MARKERS, type CrashJob, type CrashMarker, type CrashPlan } from './crash-plan'

/**
 * Crash safety, measured (issue "Measured, not assumed" §4): the station as a child process (crash-station.ts) works
 * through `enrollments` on-behalf badge issues and `retires` standalone retires against the CM simulator as a separate
 * process, and is SIGKILLed `kills` times at random points — each kill aimed at one step (identify, bind, admin key,
 * PIN, certificates, complete, retire, the Enroll request's creation, or the resume right after a restart) of a
 * random job, a random 0..N ms after the child announced that step — and started again until it reports every job
 * finished. After each kill every journal, checkpoint and card file must parse with the station's own strict readers.
 *
 * Counted afterwards from the SIMULATOR (its state and request log), not from the station:
 * - an enrollment job is done when its holder has exactly one Completed Enroll request, bound to exactly one CM card
 *   with the job's CardID (SerialNumber), Active; a retire job when its card is Retired with exactly one Retire
 *   request, Completed;
 * - `lost`: jobs not done; `duplicated`: CM cards beyond one per CardID, Completed Enroll requests beyond one per
 *   holder, Retire requests beyond one per card, and E08 Completed answers beyond one per request;
 * - `orphans`: Enroll requests of a job's holder other than the completed one (created by the station, never used).
 */
export interface CrashSafetyOptions {
  enrollments: number
  retires: number
  kills: number
  seed?: string
}

/** One kill: what it was aimed at and the last step the child had announced when SIGKILL was sent. */
export interface CrashKill {
  aimedAt: CrashMarker
  /** Aimed at the step's first changing call or card command, not at its start. */
  atWrite: boolean
  job: number
  delayMs: number
  /** The last `at <job> <marker>` before the kill (`ready`: none since the start), `:<what>` its last write so far. */
  landedAfter: string
}

/** What a crash-safety run did and what the simulator holds afterwards. */
export interface CrashSafetyResult {
  jobs: number
  enrollments: number
  retires: number
  kills: number
  restarts: number
  /** Kills per step the child had last announced, `:<what>` once its first changing call went out (where they landed). */
  killsLandedAfter: Record<string, number>
  /** Every kill, in order. */
  killList: CrashKill[]
  /** The child finished every job (exit 0) within the bounded number of starts. */
  finished: boolean
  /** Jobs the child gave up on (`hopeless <job> <code>`), e.g. a non-resumable failure. */
  hopeless: string[]
  lost: number
  duplicated: number
  /** Journal, checkpoint, card or desk files that did not parse, plus files the station moved aside as corrupt. */
  corruptFiles: number
  /** Files checked after the kills (all checks together). */
  filesChecked: number
  /** Temp files of writes torn by a kill (never read as the file; the station removes its own at the next open). */
  tornTempFiles: number
  /**
   * Keys on the new cards beyond the one each badge carries: a kill after the card generated a key but before the
   * checkpoint recorded it leaves an unused key container on the card (not a CM write; the badge works).
   */
  extraKeysOnCards: number
  orphans: number
  /** Operator Retry presses the child needed (failed steps after a restart). */
  operatorRetries: number
  /** E10 answers beyond one per request: certificate requests re-sent after a crash with the same CSRs (by design). */
  certificateRequestsResent: number
  /** E11 2xx answers (successful binds) in the simulator's log. */
  bindsAnswered: number
  /** From the first start of the child to its exit 0, ms. */
  elapsedMs: number
  /** Per job that is lost or duplicated: what the simulator shows (for the report). */
  problems: string[]
}

const ROOT = resolve(__dirname, '..', '..')
const CHILD = join(ROOT, 'tests', 'lab', 'crash-station.ts')
/** "Employee Badge (server PIN)", diversified admin key (training seed). */
const TEMPLATE = 'e1000000-5151-4a00-8000-000000000005'
/** The template's initial admin key K0 (training seed). */
const K0 = Buffer.from('010203040506070801020304050607080102030405060708', 'hex')
const READER = 'Station Virtual Reader 1'
// RequestType 1 = Enroll (Observed), 108 = the simulator's Retire placeholder; Status 8 Completed; card 3 Active,
// 6 Retired (cm-rest-api.md §4).
const ENROLL = 1
const RETIRE_REQUEST = 108
const COMPLETED = 8
const ACTIVE = 3
const RETIRED = 6

/**
 * How long each step takes before any was measured (ms, at 0 ms CM latency on a loaded 2-core machine). The kill
 * delays follow the steps' measured durations (median so far) once the child has run a few.
 */
const DEFAULT_STEP_MS: Record<CrashMarker, number> = {
  create: 100,
  identify: 50,
  bind: 60,
  'admin-key': 80,
  pin: 60,
  certificates: 1500,
  complete: 50,
  retire: 90,
  resume: 400,
}
/** The time from a changing call's announcement to the child's next line, before any was measured. */
const DEFAULT_WRITE_MS = 10
/** Markers whose step has a changing CM call or card command to aim at (identify and resume only read first). */
const HAS_WRITE: ReadonlySet<CrashMarker> = new Set([
  'create',
  'bind',
  'admin-key',
  'pin',
  'certificates',
  'complete',
  'retire',
])

interface KillTarget {
  marker: CrashMarker
  /** The kill fires on the first matching marker of a job at or after this one (-1: `resume`, any spawn). */
  job: number
  /** Aim at one of the step's changing CM calls or card commands (true) or at the step's start (false). */
  atWrite: boolean
  /** Which of the step's changing calls: pick × how many the step makes (measured), rounded down. */
  pick: number
  /** Where in the window the kill lands: delay = fraction × the window's measured length. */
  fraction: number
}

/** Kill targets: every marker in turn, random jobs of the right kind, random delays; sorted along the plan. */
function killPlan(rng: SeededRng, jobs: CrashJob[], kills: number): KillTarget[] {
  // Aim before the last jobs, so a target always has a later job to land in.
  const reach = jobs.slice(0, Math.max(1, jobs.length - 8))
  const enrolls = reach.filter((j) => j.kind === 'enroll')
  const retires = reach.filter((j) => j.kind === 'retire')
  const stepped: KillTarget[] = []
  const resumes: KillTarget[] = []
  for (let i = 0; i < kills; i++) {
    const marker = CRASH_MARKERS[i % CRASH_MARKERS.length]!
    // Every other round aims at the step's changing call: the moments "nothing lost, never twice" is about.
    const atWrite = HAS_WRITE.has(marker) && Math.floor(i / CRASH_MARKERS.length) % 2 === 1
    const fraction = rng.float('kill-fraction')
    const pick = rng.float('kill-pick')
    if (marker === 'resume') {
      resumes.push({ marker, job: -1, atWrite, pick, fraction })
      continue
    }
    const pool = marker === 'retire' ? retires : enrolls
    stepped.push({ marker, job: pool[rng.int('kill-job', pool.length)]!.index, atWrite, pick, fraction })
  }
  const order = (m: CrashMarker) => CRASH_MARKERS.indexOf(m)
  stepped.sort((a, b) => a.job - b.job || order(a.marker) - order(b.marker))
  // A resume kill hits the start right after some other kill (never the very first start: nothing to resume).
  for (const r of resumes) stepped.splice(1 + rng.int('kill-resume', stepped.length), 0, r)
  return stepped
}

/** Durations seen so far (ms), per step and per step's changing call; the median is the kill window. */
class Windows {
  private readonly steps = new Map<string, number[]>()
  add(key: string, ms: number): void {
    const list = this.steps.get(key) ?? []
    list.push(ms)
    this.steps.set(key, list)
  }
  median(key: string, fallback: number): number {
    const list = [...(this.steps.get(key) ?? [])].sort((a, b) => a - b)
    return list.length < 3 ? fallback : list[Math.floor(list.length / 2)]!
  }
}

/**
 * Parse every file a kill could have torn with the station's own strict readers (journal, checkpoints), the virtual
 * cards' state files and the desk file. `torn` collects temp files of interrupted writes (never read as the file) by
 * name and modification time, so one left behind is counted once.
 */
export function checkFiles(dataDir: string, cardsDir: string, torn: Set<string>) {
  let checked = 0
  let corrupt = 0
  const bad: string[] = []
  const visit = (dir: string, check: (name: string, text: string) => boolean) => {
    if (!existsSync(dir)) return
    for (const name of readdirSync(dir)) {
      if (name.endsWith('.tmp')) {
        torn.add(`${join(dir, name)}@${statSync(join(dir, name)).mtimeMs}`)
        continue
      }
      if (name.includes('.corrupt-')) {
        corrupt++
        bad.push(name)
        continue
      }
      if (!name.endsWith('.json')) continue
      checked++
      let ok: boolean
      try {
        ok = check(name, readFileSync(join(dir, name), 'utf8'))
      } catch {
        ok = false
      }
      if (!ok) {
        corrupt++
        bad.push(name)
      }
    }
  }
  visit(dataDir, (name, text) => {
    if (name.startsWith('journal-')) return parseJournal(text) !== null
    if (name === 'desk.json') return typeof (JSON.parse(text) as { card?: unknown }).card === 'number'
    return true
  })
  for (const sub of readdirSync(dataDir).filter((n) => n.startsWith('enrollments-'))) {
    visit(join(dataDir, sub), (name, text) => {
      const state = parseCheckpoint(text)
      return state !== null && `${state.ctx.requestId}.json` === name
    })
  }
  visit(cardsDir, (name) => loadStateFile(join(cardsDir, name)) !== null)
  return { checked, corrupt, bad }
}

interface SpawnOutcome {
  code: number | null
  signal: NodeJS.Signals | null
  killed: CrashKill | null
  hopeless: string | null
  retries: number
  stderr: string
}

/** Start the child once; SIGKILL it as `target` says (if any). Notes (the holder's PINs) go in on stdin. */
function runChild(
  planFile: string,
  notes: Map<number, string>,
  target: KillTarget | null,
  windows: Windows,
): Promise<SpawnOutcome> {
  return new Promise((resolveRun) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, planFile], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    child.stdin.end(JSON.stringify({ notes: Object.fromEntries(notes) }))
    let stderr = ''
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-8000)))
    let last = { job: -1, marker: 'ready', at: performance.now(), wrote: null as string | null, writes: 0 }
    let pendingWrite: { key: string; at: number } | null = null
    let killed: CrashKill | null = null
    let armed = false
    let hopeless: string | null = null
    let retries = 0
    const fire = (delayMs: number) => {
      if (!target || armed) return
      armed = true
      setTimeout(() => {
        if (child.exitCode !== null || child.signalCode !== null) return
        const landedAfter = last.wrote ? `${last.marker}:${last.wrote}` : last.marker
        const { marker, atWrite, job } = target
        killed = { aimedAt: marker, atWrite, job, delayMs, landedAfter }
        child.kill('SIGKILL')
      }, delayMs)
    }
    const delay = (key: string, fallback: number) =>
      Math.round(target!.fraction * 1.2 * windows.median(key, fallback))
    createInterface({ input: child.stdout }).on('line', (line) => {
      const now = performance.now()
      const [word, a, b] = line.split(' ')
      if (pendingWrite) {
        windows.add(pendingWrite.key, now - pendingWrite.at)
        pendingWrite = null
      }
      if (word === 'ready') {
        last = { job: -1, marker: 'ready', at: now, wrote: null, writes: 0 }
        if (target?.marker === 'resume') fire(delay('resume', DEFAULT_STEP_MS.resume))
      }
      if (word === 'at' || word === 'done' || word === 'note') {
        // A step's window: from its marker to the child's next step line.
        if (last.marker !== 'ready' && (word !== 'note' || last.marker === 'pin')) {
          windows.add(last.marker, now - last.at)
          windows.add(`${last.marker}:writes`, last.writes)
        }
      }
      if (word === 'at' && a !== undefined && b !== undefined) {
        last = { job: Number(a), marker: b, at: now, wrote: null, writes: 0 }
        if (target && !target.atWrite && b === target.marker && Number(a) >= target.job) {
          fire(delay(b, DEFAULT_STEP_MS[b as CrashMarker]))
        }
      }
      if (word === 'write' && b !== undefined) {
        const index = last.writes++
        last.wrote = b
        pendingWrite = { key: `${last.marker}:write`, at: now }
        const aimed = target?.atWrite && last.marker === target.marker && last.job >= target.job
        if (aimed && index === Math.floor(target.pick * windows.median(`${last.marker}:writes`, 1))) {
          fire(delay(`${last.marker}:write`, DEFAULT_WRITE_MS))
        }
      }
      // The holder's memory of the PIN the station showed (kept by the parent, never written anywhere).
      if (word === 'note' && a !== undefined && b !== undefined) notes.set(Number(a), b)
      if (word === 'retry') retries++
      if (word === 'hopeless') hopeless = `job ${a}: ${b}`
    })
    child.on('exit', (code, signal) => {
      resolveRun({ code, signal, killed: signal === 'SIGKILL' ? killed : null, hopeless, retries, stderr })
    })
  })
}

/** Run the crash-safety lab (see CrashSafetyOptions) and count the outcome from the simulator. */
export async function runCrashSafety(options: CrashSafetyOptions): Promise<CrashSafetyResult> {
  const seed = options.seed ?? 'crash-safety'
  const rng = new SeededRng(seed)
  const dir = mkdtempSync(join(tmpdir(), 'station-crash-safety-'))
  const dataDir = join(dir, 'data')
  const cardsDir = join(dir, 'cards')
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  mkdirSync(cardsDir, { recursive: true, mode: 0o700 })
  // Retire jobs: Active badges of Alice seeded in CM; enrollment jobs: one directory person each, a new badge each.
  const { file: seedFile, cards: retireCards } = writeBulkSeed(dir, options.retires, seed)
  const peopleSeed = `${seed}-people`
  const people = generatePeople({ count: options.enrollments, seed: peopleSeed })
  const sim: CmSimProcess = await startCmSimProcess({
    extraArgs: [
      '--seed',
      seedFile,
      '--rng-seed',
      seed,
      '--people',
      String(options.enrollments),
      '--people-seed',
      peopleSeed,
    ],
  })
  try {
    const jobs: CrashJob[] = []
    let e = 0
    let r = 0
    const total = options.enrollments + options.retires
    for (let index = 0; index < total; index++) {
      // Spread the retires evenly between the enrollments.
      const retireDue =
        r < options.retires && (e >= options.enrollments || (index + 1) * options.retires > (r + 0.5) * total)
      if (retireDue) {
        jobs.push({ index, kind: 'retire', smartcardUuid: retireCards[r++]! })
      } else {
        const cardId = rng.guid('new-card')
        const card = GidsCard.personalised({ cardid: guidToCardId(cardId), adminKey: K0 })
        saveStateFile(join(cardsDir, `${cardId}.json`), card.snapshot())
        jobs.push({ index, kind: 'enroll', holderUuid: people[e++]!.uuid, cardId })
      }
    }
    const plan: CrashPlan = {
      appRoot: sim.appRoot,
      dataDir,
      cardsDir,
      reader: READER,
      templateId: TEMPLATE,
      jobs,
    }
    const planFile = join(dir, 'plan.json')
    writeFileSync(planFile, JSON.stringify(plan, null, 1))

    const targets = killPlan(rng, jobs, options.kills)
    const windows = new Windows()
    const notes = new Map<number, string>()
    const kills: CrashKill[] = []
    const hopeless: string[] = []
    let starts = 0
    let finished = false
    let operatorRetries = 0
    let corruptFiles = 0
    let filesChecked = 0
    const torn = new Set<string>()
    const corruptNames: string[] = []
    const t0 = performance.now()
    const maxStarts = options.kills + 10
    while (starts < maxStarts) {
      const target = targets[0] ?? null
      starts++
      const run = await runChild(planFile, notes, target, windows)
      operatorRetries += run.retries
      if (run.killed) {
        kills.push(run.killed)
        targets.shift()
        const files = checkFiles(dataDir, cardsDir, torn)
        corruptFiles += files.corrupt
        filesChecked += files.checked
        corruptNames.push(...files.bad)
        continue
      }
      if (run.code === 0) {
        finished = true
        break
      }
      if (run.hopeless) {
        hopeless.push(run.hopeless)
        break
      }
      throw new Error(`crash-station exited ${run.code ?? run.signal}:\n${run.stderr}`)
    }
    const elapsedMs = performance.now() - t0
    const final = checkFiles(dataDir, cardsDir, torn)
    corruptFiles += final.corrupt
    filesChecked += final.checked
    corruptNames.push(...final.bad)

    // Count from the simulator, not from the station.
    const state = await sim.state()
    const log = await sim.log()
    let lost = 0
    let duplicated = 0
    let orphans = 0
    let extraKeysOnCards = 0
    const problems: string[] = []
    for (const job of jobs) {
      if (job.kind === 'enroll') {
        const card = loadStateFile(join(cardsDir, `${job.cardId}.json`))
        const keys = Object.values(card?.files ?? {}).filter((f) => f.key !== undefined).length
        extraKeysOnCards += Math.max(0, keys - 1)
        const serial = `{${job.cardId}}`
        const cards = state.Smartcards.filter((c) => c.SerialNumber.toLowerCase() === serial)
        const requests = state.Requests.filter(
          (q) => q.RequestType === ENROLL && q.TargetUserUuid === job.holderUuid,
        )
        const completed = requests.filter((q) => q.Status === COMPLETED)
        const record = cards[0]
        const done =
          completed.length === 1 &&
          cards.length === 1 &&
          record !== undefined &&
          completed[0]!.NewSmartcardUuid === record.Uuid &&
          record.Status === ACTIVE &&
          record.AssignedUserUuid === job.holderUuid
        if (!done) lost++
        duplicated += Math.max(0, cards.length - 1) + Math.max(0, completed.length - 1)
        // The job's request: the completed one, else the one its card is bound to; any other is an orphan.
        const main = completed[0] ?? requests.find((q) => !q.NewSmartcardUuid.startsWith('00000000'))
        const unused = requests.filter((q) => q !== main)
        orphans += unused.length
        if (!done || cards.length > 1 || unused.length > 0) {
          problems.push(
            `job ${job.index} enroll: cards ${cards.map((c) => c.Status).join(',') || '-'}; requests ${
              requests
                .map((q) => `${q.Status}${q.NewSmartcardUuid.startsWith('00000000') ? '' : '+card'}`)
                .join(',') || '-'
            }`,
          )
        }
      } else {
        const card = state.Smartcards.find((c) => c.Uuid === job.smartcardUuid)
        const requests = state.Requests.filter(
          (q) => q.RequestType === RETIRE_REQUEST && q.OldSmartcardUuid === job.smartcardUuid,
        )
        const done = card?.Status === RETIRED && requests.some((q) => q.Status === COMPLETED)
        if (!done) lost++
        duplicated += Math.max(0, requests.length - 1)
        if (!done || requests.length > 1) {
          problems.push(
            `job ${job.index} retire: card ${card?.Status ?? '-'}; requests ${requests.map((q) => q.Status).join(',') || '-'}`,
          )
        }
      }
    }
    const perRequest = (route: string) => {
      const counts = new Map<string, number>()
      for (const l of log) {
        if (l.route !== route || l.status < 200 || l.status > 299) continue
        const id = /requests\/([0-9a-f-]{36})/i.exec(l.path)?.[1]?.toLowerCase()
        if (id) counts.set(id, (counts.get(id) ?? 0) + 1)
      }
      return counts
    }
    for (const n of perRequest('E08').values()) duplicated += Math.max(0, n - 1)
    let certificateRequestsResent = 0
    for (const n of perRequest('E10').values()) certificateRequestsResent += Math.max(0, n - 1)
    const bindsAnswered = log.filter((l) => l.route === 'E11' && l.status >= 200 && l.status < 300).length
    if (corruptNames.length > 0) problems.push(`corrupt files: ${[...new Set(corruptNames)].join(', ')}`)

    const killsLandedAfter: Record<string, number> = {}
    for (const k of kills) killsLandedAfter[k.landedAfter] = (killsLandedAfter[k.landedAfter] ?? 0) + 1
    return {
      jobs: jobs.length,
      enrollments: options.enrollments,
      retires: options.retires,
      kills: kills.length,
      restarts: starts - 1,
      killsLandedAfter,
      killList: kills,
      finished,
      hopeless,
      lost,
      duplicated,
      corruptFiles,
      filesChecked,
      tornTempFiles: torn.size,
      extraKeysOnCards,
      orphans,
      operatorRetries,
      certificateRequestsResent,
      bindsAnswered,
      elapsedMs,
      problems,
    }
  } finally {
    await sim.kill()
    if (process.env.CRASH_SAFETY_KEEP) process.stderr.write(`crash-safety: kept ${dir}\n`)
    else rmSync(dir, { recursive: true, force: true })
  }
}

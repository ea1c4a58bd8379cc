import { appendFileSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { ProfileTemplateId, RequestId, SmartcardUuid, UserUuid } from '../../shared/domain/cm'
import type { EnrollmentView } from '../../shared/domain/enrollment'
import { StationError } from '../../shared/errors'
import { GidsCardEdge } from '../../electron/services/card/gids-card-edge'
import { CmClient } from '../../electron/services/cm/client'
import type { CmFetch } from '../../electron/services/cm/http'
import { checkpointDir, CheckpointStore } from '../../electron/services/enrollment/checkpoints'
import { PinVault } from '../../electron/services/enrollment/pin-vault'
import { EnrollmentService } from '../../electron/services/enrollment/service'
import { isFinished } from '../../electron/services/journal/entry'
import { WriteJournal } from '../../electron/services/journal/journal'
import { journalFilePath } from '../../electron/services/journal/paths'
import { CmWriteService } from '../../electron/services/journal/write-service'
import { createLogger } from '../../electron/services/log'
import { buildCertificationRequest } from '../../electron/services/pki/csr'
import { readIssuedCertificates } from '../../electron/services/pki/issued'
import { ReaderService } from '../../electron/services/reader/reader-service'
import { GidsCard } from '../../electron/simulator/card/gids-card'
import { MemoryReaderBackend } from '../../electron/simulator/card/memory-backend'
import { loadStateFile, saveStateFile } from '../../electron/simulator/card/state-file'
import type { CardProcessor } from '../../electron/simulator/card/vpcd-client'
import { writeFileAtomic, nodeJournalFs } from '../../electron/services/journal/atomic-file'
import type { CrashJob, CrashMarker, CrashPlan } from './crash-plan'

/**
 * The station as a CHILD process for the crash-safety lab (issue "Measured, not assumed" §4): the real services
 * composed as electron/station/station.ts composes them — the CM client (to the simulator process), the write journal
 * and its write service, the enrollment checkpoints and service, the GIDS card edge over in-memory readers — working
 * through a plan of jobs until every job is finished. The parent SIGKILLs it at random points and starts it again: it
 * must then resume from its data directory alone (nothing in memory survives), never starting a job twice.
 *
 * The "physical world" survives the crash like it would at a desk: each virtual card keeps its state in a file (its
 * EEPROM, saved after every command that changed it), the card in the reader stays there (desk.json), and the holder
 * remembers the PIN the station showed (handed back by the parent on stdin; never written to disk).
 *
 * Run: `node --import tsx tests/lab/crash-station.ts <plan.json>`. Stdout protocol, one line each:
 * `ready`, `at <job> <marker>` (right before the step's work starts), `write <job> <what>` (right before a CM call
 * that changes something — `E05`, `E08`, `E10`, `E11`, `E17` — or a card command that does — `apdu-<ins>`),
 * `note <job> <pin>` (the holder noted the server PIN), `retry <job> <code>` (the operator pressed Retry),
 * `done <job>`, `finished` (then exit 0), or `hopeless <job> <code>` (exit 3: a job cannot finish).
 */

const STEP_MARKER: Readonly<Record<string, CrashMarker | undefined>> = {
  card: 'identify',
  bind: 'bind',
  'admin-key': 'admin-key',
  pin: 'pin',
  certificates: 'certificates',
  complete: 'complete',
}

// Smartcard.Status 6 = Retired (cm-rest-api.md §4.1, Observed).
const RETIRED = 6

function say(line: string): void {
  // Pipes are synchronous on Linux: the parent sees the line before the next instruction runs.
  process.stdout.write(`${line}\n`)
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/** The job the child is working on (for the `write` lines). */
let current = -1

/** The CM route of a changing call, by method and path (cm-rest-api.md §2). */
function writeRoute(url: string, method: string): string {
  const path = new URL(url).pathname.toLowerCase()
  if (method === 'POST' && path.endsWith('/requests')) return 'E05'
  if (method === 'POST' && path.endsWith('/certificatedata')) return 'E10'
  if (method === 'POST' && path.endsWith('/smartcards')) return 'E11'
  if (method === 'PUT' && /\/requests\/[^/]+$/.test(path)) return 'E08'
  if (method === 'PUT' && /\/smartcards\/[^/]+$/.test(path)) return 'E17'
  return `${method}`
}

/** The fetch of the CM client, announcing every changing call before it leaves. */
const markedFetch: CmFetch = (url, init) => {
  if (init.method !== 'GET') say(`write ${current} ${writeRoute(url, init.method)}`)
  return (globalThis.fetch as unknown as CmFetch)(url, init)
}

// GIDS instructions that change the card (gids-card-edge.md §4): PUT DATA (keys, certificates, files), CHANGE
// REFERENCE DATA, RESET RETRY COUNTER (the PIN), GENERATE ASYMMETRIC KEY PAIR, CREATE / DELETE / ACTIVATE FILE.
const CARD_WRITES = new Set([0xdb, 0x24, 0x2c, 0x47, 0xe0, 0xe4, 0x44])

/** A virtual card in the reader, announcing every command that changes it before the card runs it. */
function markedCard(card: GidsCard): CardProcessor {
  return {
    get atr() {
      return card.atr
    },
    powerOn: () => card.powerOn(),
    reset: () => card.reset(),
    powerOff: () => card.powerOff(),
    process: (apdu) => {
      const ins = apdu[1]
      if (ins !== undefined && CARD_WRITES.has(ins) && (apdu[0]! & 0x10) === 0) {
        say(`write ${current} apdu-${ins.toString(16)}`)
      }
      return card.process(apdu)
    },
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

class Hopeless extends Error {
  constructor(
    readonly job: number,
    readonly code: string,
  ) {
    super(`job ${job}: ${code}`)
  }
}

async function main(): Promise<void> {
  const planFile = process.argv[2]
  if (!planFile) throw new Error('usage: crash-station.ts <plan.json>')
  const plan = JSON.parse(readFileSync(planFile, 'utf8')) as CrashPlan
  const notes = new Map<number, string>(
    Object.entries(
      (JSON.parse((await readStdin()) || '{}') as { notes?: Record<string, string> }).notes ?? {},
    ).map(([k, v]) => [Number(k), v]),
  )
  const logFile = join(plan.dataDir, 'station.log')
  const log = createLogger((line) => appendFileSync(logFile, `${line}\n`), 'info')
  log.info('crash-station: start', { pid: process.pid })

  // The desk: the card in the new-badge reader stays there across a station crash.
  const deskFile = join(plan.dataDir, 'desk.json')
  const memory = new MemoryReaderBackend({ readers: [plan.reader] })
  const cardFile = (cardId: string) => join(plan.cardsDir, `${cardId}.json`)
  const putCard = (job: Extract<CrashJob, { kind: 'enroll' }>) => {
    const state = loadStateFile(cardFile(job.cardId))
    if (!state) throw new Error(`no card state for job ${job.index}`)
    // The card's EEPROM: every change is on disk before the card answers the command that made it.
    const card = new GidsCard(state, { onChange: (s) => saveStateFile(cardFile(job.cardId), s) })
    memory.insert(plan.reader, markedCard(card))
  }
  let inReader: number | null = null
  try {
    inReader = (JSON.parse(readFileSync(deskFile, 'utf8')) as { card: number | null }).card
  } catch {
    inReader = null
  }
  const jobAt = (i: number | null) => (i === null ? undefined : plan.jobs[i])
  const already = jobAt(inReader)
  if (already?.kind === 'enroll') putCard(already)

  // The composition of electron/station/station.ts, over the simulator process and the in-memory reader.
  const readers = new ReaderService({ backends: [memory], log })
  const edge = new GidsCardEdge({ access: readers, log })
  const cm = new CmClient({
    appRoot: plan.appRoot,
    fetch: markedFetch,
    serverProfile: 'simulator',
    log,
  })
  const journal = WriteJournal.open({ file: journalFilePath(plan.dataDir, plan.appRoot), log })
  const writes = new CmWriteService({ journal, cm, log })
  const enrollment = new EnrollmentService({
    cm,
    card: edge,
    writes,
    pki: { buildCertificationRequest, readIssuedCertificates },
    vault: new PinVault(),
    log,
    readerAllowed: () => true,
    presentReaders: () =>
      readers
        .snapshot()
        .readers.filter((r) => r.present)
        .map((r) => r.name),
    stationPinMinLength: 4,
    now: () => new Date().toISOString(),
    checkpoints: new CheckpointStore(checkpointDir(plan.dataDir, plan.appRoot), log),
  })
  let presentBefore = new Set<string>()
  readers.onChange((snapshot) => {
    const present = new Set(snapshot.readers.filter((r) => r.present).map((r) => r.name))
    const inserted = new Set([...present].filter((r) => !presentBefore.has(r)))
    presentBefore = present
    enrollment.readersChanged(present, inserted)
  })

  const enrollJobs = plan.jobs.filter((j): j is Extract<CrashJob, { kind: 'enroll' }> => j.kind === 'enroll')
  const jobOfHolder = new Map(enrollJobs.map((j) => [j.holderUuid, j.index]))
  enrollment.onChange((view) => {
    const marker = STEP_MARKER[view.step]
    const job = view.holderUuid === null ? undefined : jobOfHolder.get(view.holderUuid)
    if (marker && view.status === 'working' && job !== undefined) say(`at ${job} ${marker}`)
  })

  readers.start()
  writes.start()
  enrollment.start()
  say('ready')
  // Like an operator looking at the screen after a restart: the journal's start-up pass has run (an Enroll request
  // created just before the crash is an enrollment again) before the next job is chosen.
  await sleep(10)
  await writes.idle()

  const viewOf = (holderUuid: string): EnrollmentView | undefined =>
    enrollment.list().find((v) => v.holderUuid === holderUuid && v.templateId === plan.templateId)

  async function enroll(job: Extract<CrashJob, { kind: 'enroll' }>): Promise<void> {
    let view = viewOf(job.holderUuid)
    if (view?.outcome === 'completed') return
    if (view) say(`at ${job.index} resume`)
    if (inReader !== job.index) {
      // The operator puts this job's new blank badge in the reader (the previous one leaves with its holder).
      writeFileAtomic(nodeJournalFs, deskFile, JSON.stringify({ card: job.index }))
      inReader = job.index
      putCard(job)
    }
    if (!view) {
      say(`at ${job.index} create`)
      view = await enrollment.begin({
        kind: 'holder',
        holderUuid: job.holderUuid as UserUuid,
        templateId: plan.templateId as ProfileTemplateId,
        dataCollection: [],
        comment: '',
      })
    }
    const rid = view.requestId as RequestId
    for (let turn = 0; turn < 200; turn++) {
      await enrollment.idle(rid)
      view = enrollment.get(rid)
      if (view.status === 'done') {
        if (view.outcome === 'completed') return
        throw new Hopeless(job.index, `outcome-${view.outcome}`)
      }
      if (view.status === 'failed') {
        const code = view.error?.code ?? 'internal'
        if (!view.resumable) throw new Hopeless(job.index, code)
        say(`retry ${job.index} ${code}`)
        await intent(rid, { type: 'retry' })
        continue
      }
      if (view.status === 'working' || view.status === 'waiting-retry') {
        await sleep(20)
        continue
      }
      switch (view.prompt) {
        case 'insert-card':
          // The card is in its reader: the operator tells the station to use it (the station may already have).
          await intent(rid, { type: 'use-card', reader: plan.reader })
          break
        case 'start-pin': {
          const r = await enrollment.intent(rid, { type: 'set-pin', withPin: false })
          if (r.serverPin !== undefined) noteFor(job.index, r.serverPin)
          break
        }
        case 'note-pin': {
          if (notes.has(job.index)) {
            await intent(rid, { type: 'acknowledge-pin' })
          } else {
            // The station set the PIN but crashed before the holder saw it: show it again (set again).
            const r = await enrollment.intent(rid, { type: 'set-pin', withPin: false })
            if (r.serverPin !== undefined) noteFor(job.index, r.serverPin)
          }
          break
        }
        case 'holder-enters-pin': {
          const pin = notes.get(job.index)
          if (pin === undefined) throw new Hopeless(job.index, 'pin-unknown-to-holder')
          await enrollment.providePin(rid, pin)
          break
        }
        case 'confirm-retire':
          await enrollment.retireOldCards(rid, [], '')
          break
        default:
          throw new Hopeless(job.index, `prompt-${String(view.prompt)}`)
      }
    }
    throw new Hopeless(job.index, 'too-many-turns')
  }

  function noteFor(job: number, pin: string): void {
    notes.set(job, pin)
    say(`note ${job} ${pin}`)
  }

  /** An intent the station may have made moot meanwhile (it took the card by itself): wrong-step is fine. */
  async function intent(rid: RequestId, event: Parameters<EnrollmentService['intent']>[1]): Promise<void> {
    try {
      await enrollment.intent(rid, event)
    } catch (error) {
      if (error instanceof StationError && error.code === 'wrong-step') return
      throw error
    }
  }

  async function retire(job: Extract<CrashJob, { kind: 'retire' }>): Promise<void> {
    const scid = job.smartcardUuid as SmartcardUuid
    const entries = journal.list().filter((e) => e.kind === 'retire' && e.input.smartcardUuid === scid)
    if (entries.some((e) => e.state === 'done')) return
    const open = entries.some((e) => !isFinished(e))
    if (open) {
      say(`at ${job.index} resume`)
    } else {
      // Older history is pruned from the journal (keepDone): CM tells whether this card is already retired.
      const card = await cm.getSmartcard(scid)
      if (card?.status.raw === RETIRED) return
    }
    for (let attempt = 0; attempt < 20; attempt++) {
      say(`at ${job.index} retire`)
      try {
        const r = await writes.retire({ smartcardUuid: scid })
        if (r.outcome === 'retired') return
        throw new Hopeless(job.index, 'retire-awaiting-approval')
      } catch (error) {
        if (error instanceof Hopeless) throw error
        const code = error instanceof StationError ? error.code : 'internal'
        const entry = journal
          .list()
          .find((e) => e.kind === 'retire' && e.input.smartcardUuid === scid && !isFinished(e))
        if (!entry) throw new Hopeless(job.index, code)
        say(`retry ${job.index} ${code}`)
        await sleep(50)
      }
    }
    throw new Hopeless(job.index, 'retire-retries-exhausted')
  }

  for (const job of plan.jobs) {
    current = job.index
    if (job.kind === 'enroll') await enroll(job)
    else await retire(job)
    say(`done ${job.index}`)
  }
  await writes.idle()
  say('finished')
  enrollment.close()
  writes.close()
  await readers.close()
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    if (error instanceof Hopeless) {
      say(`hopeless ${error.job} ${error.code}`)
      process.exit(3)
    }
    process.stderr.write(`crash-station: ${(error as Error).stack ?? String(error)}\n`)
    process.exit(2)
  },
)

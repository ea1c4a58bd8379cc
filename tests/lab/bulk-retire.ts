import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { SmartcardUuid } from '../../shared/domain/cm'
import { CmClient } from '../../electron/services/cm/client'
import type { CmFetch } from '../../electron/services/cm/http'
import { bounded, RETIRE_PARALLELISM } from '../../electron/services/enrollment/steps-writes'
import { isFinished } from '../../electron/services/journal/entry'
import { WriteJournal } from '../../electron/services/journal/journal'
import { CmWriteService, type WriteRetryPolicy } from '../../electron/services/journal/write-service'
import { silentLogger } from '../../electron/services/log'
import { SeededRng } from '../../electron/simulator/cm/rng'
import { startCmSimProcess, type CmSimProcess } from '../e2e/cm-sim-process'

/**
 * Bulk retire through the station's write journal against the CM simulator as a SEPARATE process (issue
 * "Measured, not assumed" §3): `cards` Active badges of one holder (Alice, training seed) retired with `latencyMs`
 * on every CM call, `parallelism` at a time (1 = sequential), optionally with a `faultRate` share of CM calls
 * failing — a 500, a hang past the client's timeout, or an answer dropped AFTER the server acted — in equal parts.
 *
 * Counted afterwards from the simulator's own state, not from the station: every card Retired, and per card
 * exactly one Retire request, Completed. `lost` = cards not Retired or without a Completed Retire request;
 * `duplicated` = Retire requests beyond the first for one card.
 */
export interface BulkRetireOptions {
  cards: number
  latencyMs: number
  parallelism: number
  /** Share of CM calls failing, 0..1 (default 0). */
  faultRate?: number
  /** Seeds the card ids and the simulator's fault RNG. */
  seed?: string
}

/** What a bulk retire run did and what the simulator holds afterwards. */
export interface BulkRetireResult {
  cards: number
  parallelism: number
  latencyMs: number
  faultRate: number
  /** From the first retire call to the last card settled, in ms. */
  elapsedMs: number
  /** Faults the simulator injected (all rules). */
  faultsInjected: number
  /** Operator retries the run needed (entries whose automatic retries ran out). */
  operatorRetries: number
  retired: number
  lost: number
  duplicated: number
  /** E08 answers with 200 per Retire request, max over requests (1 = completed once). */
  maxCompletionsPerRequest: number
}

const ALICE = 'a11ce000-0000-4000-8000-00000000a11c'
/** Alice's Active badge template in the training seed (Retire policy: no approval). */
const TEMPLATE = 'e1000000-5151-4a00-8000-000000000001'
const RETIRED = 6
const COMPLETED = 8
/** RequestType Retire as the simulator numbers it (a placeholder value: cm-rest-api.md §4.8 does not establish it). */
const RETIRE_REQUEST = 108

/**
 * The journal's automatic retries, tightened for the lab: the same logic as DEFAULT_WRITE_RETRY (doubling,
 * bounded), but from 20 ms instead of 1 s so a faulty run measures the station's CM work, not its backoff clock.
 */
export const LAB_WRITE_RETRY: WriteRetryPolicy = { baseDelayMs: 20, maxDelayMs: 400, maxAutoRetries: 30 }

/** A seed file: the training scenario plus `count` Active badges of Alice. Returns the file and the card ids. */
export function writeBulkSeed(
  dir: string,
  count: number,
  seed: string,
): { file: string; cards: SmartcardUuid[] } {
  const rng = new SeededRng(seed)
  const cards = Array.from({ length: count }, () => rng.guid('card') as SmartcardUuid)
  const file = join(dir, 'bulk-retire-seed.json')
  writeFileSync(
    file,
    JSON.stringify({
      Extends: 'training',
      Smartcards: cards.map((uuid) => ({
        Uuid: uuid,
        Status: 3,
        AssignedUserUuid: ALICE,
        ProfileTemplateUuid: TEMPLATE,
        ProfileTemplateVersion: 1,
        SerialNumber: `{${rng.guid('cardid')}}`,
        Sim: { ProfileUuid: rng.guid('profile') },
      })),
    }),
  )
  return { file, cards }
}

async function injectFaults(sim: CmSimProcess, rate: number): Promise<void> {
  if (rate <= 0) return
  const api = '^/CertificateManagement/api/'
  const each = rate / 3
  await sim.addFault({
    id: 'bulk-500',
    match: { pathRegex: api, probability: each },
    action: { type: 'status', code: 500 },
  })
  await sim.addFault({
    id: 'bulk-hang',
    match: { pathRegex: api, probability: each },
    action: { type: 'hang' },
  })
  await sim.addFault({
    id: 'bulk-drop',
    match: { pathRegex: api, probability: each },
    action: { type: 'drop', when: 'before-headers', afterHandler: true },
  })
}

/** Run one bulk retire (see BulkRetireOptions) and count the outcome from the simulator. */
export async function runBulkRetire(options: BulkRetireOptions): Promise<BulkRetireResult> {
  const seed = options.seed ?? 'bulk-retire'
  const faultRate = options.faultRate ?? 0
  const dir = mkdtempSync(join(tmpdir(), 'station-bulk-retire-'))
  const { file, cards } = writeBulkSeed(dir, options.cards, seed)
  const sim = await startCmSimProcess({
    extraArgs: ['--seed', file, '--latency', String(options.latencyMs), '--rng-seed', seed],
  })
  let writes: CmWriteService | null = null
  try {
    await injectFaults(sim, faultRate)
    const cm = new CmClient({
      appRoot: sim.appRoot,
      fetch: globalThis.fetch as unknown as CmFetch,
      // A hang must end as a timeout well before the next one; GETs are retried by the client, POSTs never.
      timeoutMs: Math.max(1000, options.latencyMs * 10),
      log: silentLogger,
    })
    const journal = WriteJournal.open({ file: join(dir, 'journal.json'), log: silentLogger, reset: true })
    writes = new CmWriteService({ journal, cm, log: silentLogger, retry: LAB_WRITE_RETRY })
    writes.start()
    const service = writes

    const t0 = performance.now()
    await bounded(cards, options.parallelism, async (smartcardUuid) => {
      // A failure leaves the entry journaled with its automatic retry scheduled: the wait below sees it through.
      await service.retire({ smartcardUuid }).catch(() => undefined)
    })
    // Settle: wait for automatic retries; an entry whose retries ran out is retried by "the operator".
    let operatorRetries = 0
    const deadline = Date.now() + 10 * 60_000
    for (;;) {
      const open = journal.list().filter((e) => !isFinished(e))
      if (open.length === 0) break
      if (Date.now() > deadline) break
      const stuck = open.filter((e) => e.state === 'failed' && e.nextRetryAt === null)
      for (const e of stuck) {
        operatorRetries++
        await service.retry(e.id).catch(() => undefined)
      }
      await new Promise((resolve) => setTimeout(resolve, 25))
    }
    const elapsedMs = performance.now() - t0

    const faultsInjected = await sim.faultsFired()
    await sim.clearFaults()
    const state = await sim.state()
    const log = await sim.log()
    const mine = new Set<string>(cards)
    const requestsByCard = new Map<string, Array<{ Uuid: string; Status: number }>>()
    for (const r of state.Requests) {
      if (r.RequestType !== RETIRE_REQUEST || !mine.has(r.OldSmartcardUuid)) continue
      const list = requestsByCard.get(r.OldSmartcardUuid) ?? []
      list.push(r)
      requestsByCard.set(r.OldSmartcardUuid, list)
    }
    const statusOf = new Map(state.Smartcards.map((c) => [c.Uuid, c.Status]))
    let retired = 0
    let lost = 0
    let duplicated = 0
    for (const card of cards) {
      const requests = requestsByCard.get(card) ?? []
      const isRetired = statusOf.get(card) === RETIRED
      if (isRetired) retired++
      if (!isRetired || !requests.some((r) => r.Status === COMPLETED)) lost++
      duplicated += Math.max(0, requests.length - 1)
    }
    const completions = new Map<string, number>()
    for (const l of log) {
      if (l.route !== 'E08' || l.status !== 200) continue
      const id = l.path.split('/').filter(Boolean).pop()!.toLowerCase()
      completions.set(id, (completions.get(id) ?? 0) + 1)
    }
    return {
      cards: cards.length,
      parallelism: options.parallelism,
      latencyMs: options.latencyMs,
      faultRate,
      elapsedMs,
      faultsInjected,
      operatorRetries,
      retired,
      lost,
      duplicated,
      maxCompletionsPerRequest: Math.max(0, ...completions.values()),
    }
  } finally {
    writes?.close()
    await sim.kill()
    rmSync(dir, { recursive: true, force: true })
  }
}

export { RETIRE_PARALLELISM }

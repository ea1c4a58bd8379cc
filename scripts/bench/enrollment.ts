import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CmFetch } from '../../electron/services/cm/http'
import { parseConfig } from '../../electron/services/config'
import { createLogger } from '../../electron/services/log'
import { PcscBackend } from '../../electron/services/reader/pcsc-backend'
import type { ReaderBackend } from '../../electron/services/reader/types'
import { createStation, type Station } from '../../electron/station/station'
import type { Result } from '../../shared/result'
import { startCmSimProcess } from '../../tests/e2e/cm-sim-process'
import { spawnVirtualCard } from '../../tests/lab/virtual-card-process'
import { stats, type Stats } from './stats'

/**
 * Machine time of one enrollment (issue "Measured, not assumed" §2): the whole issue flow — bind, admin key, server
 * PIN, one RSA-2048 certificate, retire one old badge, complete — driven through the station's own IPC router the
 * way the renderer does, with the real composition (pcsclite over pcscd + vpcd virtual cards, the CM simulator as a
 * separate process with `latencyMs` on every call). The operator's waits are not in it: each intent is timed from
 * dispatch to answer, and the answers are given at once. Each step is split into card APDU time (every transmit),
 * CM round trips (every HTTP call), on-card key generation (GENERATE ASYMMETRIC KEY PAIR, INS 47) and the rest —
 * the station's own work (PKCS#10, checks, journal and checkpoint writes, scheduling).
 */
export interface EnrollmentStepTimes {
  step: string
  total: Stats
  apdu: Stats
  keyGen: Stats
  cm: Stats
  station: Stats
}

/** One figure set per step, plus the whole enrollment, and the same without key generation. */
export interface EnrollmentBenchResult {
  latencyMs: number
  runs: number
  steps: EnrollmentStepTimes[]
  whole: Stats
  wholeWithoutKeyGen: Stats
}

const ALICE_OLD_CARD_ID = 'c0ffee00-0000-4000-8000-000000000001'
const ALICE_OLD_SMARTCARD = '7a000000-0000-4000-8000-000000000001'
const ALICE = 'a11ce000-0000-4000-8000-00000000a11c'
/** "Employee Badge (server PIN)": diversified admin key, server-proposed PIN, one RSA-2048 certificate. */
const TEMPLATE = 'e1000000-5151-4a00-8000-000000000005'
const K0_HEX = '010203040506070801020304050607080102030405060708'
const READER_NEW = 'Virtual PCD 00 01'
const CTX = { host: 'preview' as const }

/** What the wrapped transports record: every card command and every CM call as a time interval. */
interface Meter {
  intervals: Array<{ kind: 'apdu' | 'keyGen' | 'cm'; t0: number; t1: number }>
}

/** Wall time covered by the intervals of `kinds` inside [from, to] (overlaps counted once: calls run in parallel). */
function covered(
  meter: Meter,
  kinds: ReadonlyArray<'apdu' | 'keyGen' | 'cm'>,
  from: number,
  to: number,
): number {
  const spans = meter.intervals
    .filter((i) => kinds.includes(i.kind) && i.t1 > from && i.t0 < to)
    .map((i) => [Math.max(i.t0, from), Math.min(i.t1, to)] as const)
    .sort((a, b) => a[0] - b[0])
  let total = 0
  let end = -Infinity
  for (const [a, b] of spans) {
    if (b <= end) continue
    total += b - Math.max(a, end)
    end = b
  }
  return total
}

function meteredBackend(inner: ReaderBackend, meter: Meter): ReaderBackend {
  return {
    kind: inner.kind,
    start: (listener) => inner.start(listener),
    close: () => inner.close(),
    async connect(reader) {
      const t0 = performance.now()
      const connection = await inner.connect(reader)
      meter.intervals.push({ kind: 'apdu', t0, t1: performance.now() })
      return {
        protocol: connection.protocol,
        async transmit(apdu) {
          const t = performance.now()
          try {
            return await connection.transmit(apdu)
          } finally {
            meter.intervals.push({ kind: apdu[1] === 0x47 ? 'keyGen' : 'apdu', t0: t, t1: performance.now() })
          }
        },
        async disconnect() {
          const t = performance.now()
          await connection.disconnect()
          meter.intervals.push({ kind: 'apdu', t0: t, t1: performance.now() })
        },
      }
    },
  }
}

function meteredFetch(meter: Meter): CmFetch {
  return async (url, init) => {
    const t0 = performance.now()
    try {
      const response = await fetch(url, init as RequestInit)
      const text = await response.text()
      return { status: response.status, headers: response.headers, text: async () => text }
    } finally {
      meter.intervals.push({ kind: 'cm', t0, t1: performance.now() })
    }
  }
}

async function dispatch<T>(station: Station, channel: string, request: unknown): Promise<T> {
  const r = (await station.router.dispatch(channel as never, request as never, CTX)) as Result<T>
  if (!r.ok) throw new Error(`${channel}: ${JSON.stringify(r.error)}`)
  return r.value
}

/** Resolve when the enrollment's view satisfies `done` (the next operator prompt, or the end): bus events, no polling. */
async function settled(
  station: Station,
  rid: () => string,
  done: (v: { step: string; status: string; prompt: string | null; outcome: string | null }) => boolean,
): Promise<void> {
  const current = (await station.router.dispatch(
    'enrollment:get' as never,
    { requestId: rid() } as never,
    CTX,
  )) as Result<{
    step: string
    status: string
    prompt: string | null
    outcome: string | null
  }>
  if (current.ok && done(current.value)) return
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      off()
      reject(new Error('the enrollment never reached the expected prompt'))
    }, 60_000)
    const off = station.bus.subscribe((name, payload) => {
      const v = payload as {
        requestId?: string
        step: string
        status: string
        prompt: string | null
        outcome: string | null
      }
      if (name !== 'enrollment:changed' || v.requestId !== rid()) return
      if (v.status === 'failed') {
        clearTimeout(timer)
        off()
        reject(new Error(`enrollment failed: ${JSON.stringify(v)}`))
      } else if (done(v)) {
        clearTimeout(timer)
        off()
        resolve()
      }
    })
  })
}

async function waitPresent(station: Station, reader: string, present: boolean): Promise<void> {
  const end = Date.now() + 20_000
  while (station.readers.snapshot().readers.find((r) => r.name === reader)?.present !== present) {
    if (Date.now() > end) throw new Error(`${reader} never ${present ? 'present' : 'empty'}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** Run `runs` enrollments at `latencyMs` (the caller has started the PC/SC lab). */
export async function measureEnrollment(latencyMs: number, runs: number): Promise<EnrollmentBenchResult> {
  const sim = await startCmSimProcess({ extraArgs: ['--latency', String(latencyMs)] })
  const oldCard = await spawnVirtualCard({ slot: 0, cardid: ALICE_OLD_CARD_ID, adminKey: K0_HEX })
  const perStep = new Map<
    string,
    Array<{ total: number; apdu: number; keyGen: number; cm: number; busy: number }>
  >()
  const whole: number[] = []
  const wholeNoKeyGen: number[] = []
  try {
    for (let i = 0; i < runs; i++) {
      // Alice's old badge is Active again for each run: the simulator is reset to its seed.
      await sim.reset()
      const dataDir = mkdtempSync(join(tmpdir(), 'bench-enroll-'))
      const meter: Meter = { intervals: [] }
      const newCard = await spawnVirtualCard({
        slot: 1,
        cardid: randomUUID(),
        adminKey: K0_HEX,
        pinMaxLength: 127,
      })
      const station = await createStation({
        config: parseConfig({ cm: { appRoot: sim.appRoot, timeoutMs: 10_000 }, dataDir }),
        log: createLogger(() => undefined, 'error'),
        host: 'preview',
        version: 'bench',
        pcsc: meteredBackend(new PcscBackend({ log: createLogger(() => undefined, 'error') }), meter),
        fetch: meteredFetch(meter),
      })
      try {
        await waitPresent(station, READER_NEW, true)
        let rid = ''
        type View = { step: string; status: string; prompt: string | null; outcome: string | null }
        const timedStep = async (
          name: string,
          run: () => Promise<unknown>,
          until: (v: View) => boolean,
        ): Promise<number> => {
          const t0 = performance.now()
          await run()
          await settled(station, () => rid, until)
          const t1 = performance.now()
          const total = t1 - t0
          const sample = {
            total,
            apdu: covered(meter, ['apdu'], t0, t1),
            keyGen: covered(meter, ['keyGen'], t0, t1),
            cm: covered(meter, ['cm'], t0, t1),
            busy: covered(meter, ['apdu', 'keyGen', 'cm'], t0, t1),
          }
          perStep.set(name, [...(perStep.get(name) ?? []), sample])
          return total
        }
        let sum = 0
        let keyGen = 0
        sum += await timedStep(
          'request (E05 on behalf)',
          async () => {
            const view = await dispatch<{ requestId: string }>(station, 'enrollment:start', {
              kind: 'holder',
              holderUuid: ALICE,
              templateId: TEMPLATE,
              fromSmartcardUuid: ALICE_OLD_SMARTCARD,
            })
            rid = view.requestId
          },
          (v) => v.prompt === 'insert-card',
        )
        sum += await timedStep(
          'new card, bind, admin key',
          () => dispatch(station, 'enrollment:use-card', { requestId: rid, reader: READER_NEW }),
          (v) => v.step === 'pin' && v.prompt === 'start-pin',
        )
        sum += await timedStep(
          'server PIN (E16, set, verify)',
          () => dispatch(station, 'enrollment:set-pin', { requestId: rid }),
          (v) => v.prompt === 'note-pin',
        )
        sum += await timedStep(
          'certificates (RSA-2048 on card, E09/E10)',
          () => dispatch(station, 'enrollment:acknowledge-pin', { requestId: rid }),
          (v) => v.step === 'retire' && v.prompt === 'confirm-retire',
        )
        sum += await timedStep(
          'retire the old badge, complete',
          () =>
            dispatch(station, 'enrollment:retire-old-cards', {
              requestId: rid,
              smartcardUuids: [ALICE_OLD_SMARTCARD],
              comment: '',
            }),
          (v) => v.status === 'done',
        )
        const view = await dispatch<{ outcome: string | null }>(station, 'enrollment:get', { requestId: rid })
        if (view.outcome !== 'completed') throw new Error(`enrollment ended ${JSON.stringify(view)}`)
        keyGen = [...perStep.values()].reduce((n, samples) => n + samples.at(-1)!.keyGen, 0)
        whole.push(sum)
        wholeNoKeyGen.push(sum - keyGen)
      } finally {
        await station.close()
        await newCard.kill()
        rmSync(dataDir, { recursive: true, force: true })
      }
    }
  } finally {
    await oldCard.kill()
    await sim.kill()
  }
  return {
    latencyMs,
    runs,
    steps: [...perStep].map(([step, samples]) => ({
      step,
      total: stats(samples.map((s) => s.total)),
      apdu: stats(samples.map((s) => s.apdu)),
      keyGen: stats(samples.map((s) => s.keyGen)),
      cm: stats(samples.map((s) => s.cm)),
      station: stats(samples.map((s) => s.total - s.busy)),
    })),
    whole: stats(whole),
    wholeWithoutKeyGen: stats(wholeNoKeyGen),
  }
}

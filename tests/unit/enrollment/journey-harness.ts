import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { GidsCardEdge } from '../../../electron/services/card/gids-card-edge'
import { guidToCardId } from '../../../electron/services/card/cardid'
import { CheckpointStore } from '../../../electron/services/enrollment/checkpoints'
import type { EnrollmentCm } from '../../../electron/services/enrollment/deps'
import { PinVault } from '../../../electron/services/enrollment/pin-vault'
import { EnrollmentService } from '../../../electron/services/enrollment/service'
import { WriteJournal } from '../../../electron/services/journal/journal'
import { CmWriteService } from '../../../electron/services/journal/write-service'
import { createMemoryLogger } from '../../../electron/services/log'
import { buildCertificationRequest } from '../../../electron/services/pki/csr'
import { readIssuedCertificates } from '../../../electron/services/pki/issued'
import { ReaderService } from '../../../electron/services/reader/reader-service'
import { GidsCard } from '../../../electron/simulator/card/gids-card'
import { MemoryReaderBackend } from '../../../electron/simulator/card/memory-backend'
import { cardFromSpec, issuedTrainingCardSpec } from '../../../electron/simulator/card/training-cards'
import { deriveDiversifiedKey } from '../../../electron/simulator/cm/card-crypto'
import type { CmSimulator } from '../../../electron/simulator/cm/index'
import { simClient } from '../cm-client/sim-client'
import { ManualTimers } from '../journal/helpers'

/**
 * One station's worth of real parts for enrollment tests: the CM simulator (in-process, loopback HTTP), the CM
 * client as the training operator, in-memory readers with virtual GIDS cards, the GIDS card edge, the write journal
 * (timers fired by hand) and the enrollment service with checkpoints in a temp folder. `restart()` builds a new
 * service over the same files (a station restart); `hooks` let a test act in the middle of a CM call.
 */

export const OPERATOR = 'CORP\\operator1'
export const ALICE = 'a11ce000-0000-4000-8000-00000000a11c'
export const ALICE_OLD_CARD = '7a000000-0000-4000-8000-000000000001'
export const SERVER_PIN_TEMPLATE = 'e1000000-5151-4a00-8000-000000000005'
export const HOLDER_PIN_TEMPLATE = 'e1000000-5151-4a00-8000-000000000006'
export const READER_OLD = 'Station Virtual Reader 0'
export const READER_NEW = 'Station Virtual Reader 1'
/** The templates' initial admin key K0 (training seed). */
export const K0 = Buffer.from('010203040506070801020304050607080102030405060708', 'hex')
/** The training seed's diversification secret of the Employee Badge templates. */
export const BADGE_SECRET = 'employee-badge-secret'

/** Called around CM client methods: `before` runs before the call, `after` after it resolved. */
export type CmHooks = Partial<Record<keyof EnrollmentCm, { before?: () => void; after?: () => void }>>

export function journeyStation(
  sim: CmSimulator,
  opts: { newCardId?: string; adminTryLimit?: number; adminKey?: Buffer; secret?: string } = {},
) {
  const dir = mkdtempSync(join(tmpdir(), 'journey-'))
  const log = createMemoryLogger()
  const memory = new MemoryReaderBackend()
  const readers = new ReaderService({ backends: [memory], log })
  readers.start()
  const edge = new GidsCardEdge({ access: readers, log, sleep: async () => {} })
  const { client } = simClient(sim, OPERATOR)
  const hooks: CmHooks = {}
  const cm = new Proxy(client, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown
      const hook = hooks[prop as keyof EnrollmentCm]
      if (typeof value !== 'function' || !hook) return value
      return async (...args: unknown[]) => {
        hook.before?.()
        const r = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args)
        hook.after?.()
        return r
      }
    },
  })
  const newCardId = opts.newCardId ?? 'c0ffee00-0000-4000-8000-0000000000b1'
  const newCard = GidsCard.personalised({
    cardid: guidToCardId(newCardId),
    adminKey: opts.adminKey ?? K0,
    ...(opts.adminTryLimit !== undefined && { adminTryLimit: opts.adminTryLimit }),
  })
  const oldCard = cardFromSpec(issuedTrainingCardSpec())
  memory.insert(READER_OLD, oldCard)
  memory.insert(READER_NEW, newCard)
  const timers = new ManualTimers()
  const vault = new PinVault({ setTimer: () => 0, clearTimer: () => {} })

  function build() {
    const journal = WriteJournal.open({ file: join(dir, 'journal.json'), log })
    const writes = new CmWriteService({ journal, cm, log, timers })
    const service = new EnrollmentService({
      cm,
      card: edge,
      writes,
      pki: { buildCertificationRequest, readIssuedCertificates },
      vault,
      log,
      readerAllowed: () => true,
      presentReaders: () =>
        readers
          .snapshot()
          .readers.filter((r) => r.present)
          .map((r) => r.name),
      stationPinMinLength: 4,
      now: () => new Date().toISOString(),
      checkpoints: new CheckpointStore(join(dir, 'enrollments'), log),
    })
    writes.start()
    service.start()
    return { journal, writes, service }
  }
  let parts = build()

  return {
    dir,
    log,
    memory,
    edge,
    cm: client,
    hooks,
    timers,
    vault,
    newCard,
    oldCard,
    newCardId,
    get service() {
      return parts.service
    },
    get writes() {
      return parts.writes
    },
    get journal() {
      return parts.journal
    },
    /** Every file of the station's data folder as it is on disk now (what a station killed now would find). */
    files(): Map<string, string> {
      const out = new Map<string, string>()
      const walk = (d: string) => {
        for (const name of readdirSync(d)) {
          const path = join(d, name)
          if (statSync(path).isDirectory()) walk(path)
          else out.set(relative(dir, path), readFileSync(path, 'utf8'))
        }
      }
      walk(dir)
      return out
    },
    /** Put the data folder back as `files()` saw it (a kill at that moment), then restart over it. */
    crashBackTo(files: Map<string, string>) {
      parts.service.close()
      parts.writes.close()
      rmSync(dir, { recursive: true, force: true })
      for (const [name, text] of files) {
        mkdirSync(dirname(join(dir, name)), { recursive: true })
        writeFileSync(join(dir, name), text)
      }
      vault.clearAll()
      parts = build()
    },
    /** A station restart: a new journal, write service and enrollment service over the same files; the PIN is gone. */
    restart() {
      parts.service.close()
      parts.writes.close()
      vault.clearAll()
      parts = build()
    },
    /** The diversified admin key CM derives for the new card (SIM-C2). */
    diversifiedKey(): Buffer {
      return deriveDiversifiedKey(opts.secret ?? BADGE_SECRET, newCardId)
    },
    async close() {
      parts.service.close()
      parts.writes.close()
      await readers.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

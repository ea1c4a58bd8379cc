/**
 * Shared by the lab tests (reader service, card edge) and scripts/bench-card.ts: the REAL ReaderService
 * over the pcsclite backend, plus event-driven waits on its snapshots.
 */
import { GidsCardEdge } from '../../electron/services/card/gids-card-edge'
import { createMemoryLogger, type Logger } from '../../electron/services/log'
import { PcscBackend } from '../../electron/services/reader/pcsc-backend'
import { ReaderService } from '../../electron/services/reader/reader-service'
import type { CardAccess, CardChannel } from '../../electron/services/reader/types'
import type { ReaderSnapshot } from '../../shared/domain/reader'

/** The real reader service + card edge against the lab's pcscd. */
export interface PcscHarness {
  service: ReaderService
  edge: GidsCardEdge
  log: Logger & { lines: string[] }
  /** Resolve when the live snapshot satisfies `cond` (no polling of pcscd). */
  waitFor(cond: (s: ReaderSnapshot) => boolean, ms?: number): Promise<ReaderSnapshot>
  waitPresent(reader: string, ms?: number): Promise<void>
  waitAbsent(reader: string, ms?: number): Promise<void>
  close(): Promise<void>
}

/** Start the reader service and wait until both lab readers are listed. */
export async function startPcscHarness(
  opts: { log?: Logger & { lines: string[] } } = {},
): Promise<PcscHarness> {
  const log = opts.log ?? createMemoryLogger()
  const service = new ReaderService({
    backends: [new PcscBackend({ log, initialRetryMs: 100, maxRetryMs: 400 })],
    log,
  })
  let latest: ReaderSnapshot = service.snapshot()
  const waiters = new Set<() => void>()
  service.onChange((s) => {
    latest = s
    for (const w of [...waiters]) w()
  })
  const waitFor = (cond: (s: ReaderSnapshot) => boolean, ms = 5000) =>
    new Promise<ReaderSnapshot>((resolve, reject) => {
      const check = () => {
        if (!cond(latest)) return
        waiters.delete(check)
        clearTimeout(timer)
        resolve(latest)
      }
      const timer = setTimeout(() => {
        waiters.delete(check)
        reject(new Error(`timeout; last snapshot ${JSON.stringify(latest)}`))
      }, ms)
      waiters.add(check)
      check()
    })
  const has = (reader: string, present: boolean) => (s: ReaderSnapshot) =>
    s.readers.find((r) => r.name === reader)?.present === present
  service.start()
  await waitFor((s) => s.service === 'available' && s.readers.length === 2)
  const edge = new GidsCardEdge({ access: service, log })
  return {
    service,
    edge,
    log,
    waitFor,
    waitPresent: async (reader, ms) => void (await waitFor(has(reader, true), ms)),
    waitAbsent: async (reader, ms) => void (await waitFor(has(reader, false), ms)),
    close: () => service.close(),
  }
}

/**
 * A CardAccess that pulls the card (closes its vpcd socket) just before the n-th APDU of the next
 * job: a real removal in the middle of a multi-APDU operation, at a chosen step.
 */
export function pullingAccess(inner: CardAccess, pullBefore: number, pull: () => Promise<void>): CardAccess {
  let armed = true
  return {
    withCard: (reader, job) =>
      inner.withCard(reader, (channel) => {
        let n = 0
        const wrapped: CardChannel = {
          reader: channel.reader,
          atr: channel.atr,
          transmit: async (apdu) => {
            if (armed && ++n === pullBefore) {
              armed = false
              await pull()
            }
            return channel.transmit(apdu)
          },
        }
        return job(wrapped)
      }),
  }
}

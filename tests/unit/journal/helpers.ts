import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest'
import { startCmSimulator, type CmSimulator } from '../../../electron/simulator/cm/index'
import { WriteJournal } from '../../../electron/services/journal/journal'
import {
  CmWriteService,
  type WriteRetryPolicy,
  type WriteTimers,
} from '../../../electron/services/journal/write-service'
import type { RetireClient } from '../../../electron/services/cm/retire'
import type { WriteClient } from '../../../electron/services/journal/write-service'
import { createMemoryLogger } from '../../../electron/services/log'
import type { CmWriteView } from '../../../shared/domain/cm'

/** Timers the test fires by hand: no sleeps, and every scheduled delay is visible. */
export class ManualTimers implements WriteTimers {
  private next = 1
  readonly pending = new Map<number, { run: () => void; ms: number }>()

  set(run: () => void, ms: number): unknown {
    const id = this.next++
    this.pending.set(id, { run, ms })
    return id
  }

  clear(handle: unknown): void {
    this.pending.delete(handle as number)
  }

  /** Delays of the timers now pending. */
  delays(): number[] {
    return [...this.pending.values()].map((t) => t.ms)
  }

  /** Fire every pending timer once (as if their time had come). */
  fireAll(): void {
    const due = [...this.pending.entries()]
    for (const [id, t] of due) {
      this.pending.delete(id)
      t.run()
    }
  }
}

/** A fresh temp directory, removed by the returned cleanup. */
export function tempDir(prefix = 'journal-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

/** A journal + write service over `file`, with manual timers and a memory log. */
/**
 * A training-scenario simulator for the test file (reset before every test) and a fresh journal file path
 * in a temporary directory per test. Registers the hooks; read both through the returned holder.
 */
export function useSimAndJournal(): { readonly sim: CmSimulator; readonly file: string } {
  let sim: CmSimulator | undefined
  let file = ''
  let cleanup = () => {}
  beforeAll(async () => {
    sim = await startCmSimulator({ scenario: 'training' })
  })
  afterAll(() => sim?.close())
  beforeEach(() => {
    sim!.control.reset()
    const t = tempDir()
    cleanup = t.cleanup
    file = join(t.dir, 'journal.json')
  })
  afterEach(() => cleanup())
  return {
    get sim() {
      if (!sim) throw new Error('simulator not started (use inside a test)')
      return sim
    },
    get file() {
      return file
    },
  }
}

export function makeWrites(
  cm: RetireClient | WriteClient,
  file: string,
  extra: { retry?: WriteRetryPolicy; timers?: WriteTimers; now?: () => number } = {},
) {
  const log = createMemoryLogger()
  const timers = new ManualTimers()
  const journal = WriteJournal.open({ file, log, ...(extra.now ? { now: extra.now } : {}) })
  const writes = new CmWriteService({
    journal,
    // Retire-only fakes: the bind/status calls are never reached by these tests.
    cm: cm as WriteClient,
    log,
    timers: extra.timers ?? timers,
    ...(extra.retry ? { retry: extra.retry } : {}),
    ...(extra.now ? { now: extra.now } : {}),
  })
  return { journal, writes, timers, log }
}

/** Resolve with the first `cm:writes-changed`-style list that satisfies `predicate`. */
export function nextViews(
  writes: CmWriteService,
  predicate: (views: CmWriteView[]) => boolean,
): Promise<CmWriteView[]> {
  return new Promise((resolve) => {
    const off = writes.onChange((views) => {
      if (predicate(views)) {
        off()
        resolve(views)
      }
    })
  })
}

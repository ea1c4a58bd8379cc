import * as fs from 'node:fs'
import { join } from 'node:path'
import { normalizeGuid } from '../../../shared/domain/cm'
import { StationError } from '../../../shared/errors'
import {
  readIfExists,
  removeIfExists,
  tempPathOf,
  writeFileAtomic,
  type JournalFs,
} from '../journal/atomic-file'
import { journalFileName } from '../journal/paths'
import type { Logger } from '../log'
import { CHECKPOINT_VERSION, parseCheckpoint, type EnrollmentState } from './state'

/** The file calls the store makes (injectable: tests tear writes, as for the journal). */
export type CheckpointFs = JournalFs & { readdirSync(path: string): string[] }

/**
 * The folder of one CM server's enrollment checkpoints: `<dataDir>/enrollments-<host>-<hash8>` (the journal's
 * naming, journal/paths.ts), or `enrollments-training` for the built-in simulator.
 */
export function checkpointDir(dataDir: string, appRoot: string | null): string {
  const suffix = journalFileName(appRoot)
    .replace(/^journal-/, '')
    .replace(/\.json$/, '')
  return join(dataDir, `enrollments-${suffix}`)
}

/**
 * Durable checkpoints of enrollments in progress: one small JSON file per request id, rewritten atomically (temp +
 * fsync + rename, like the write journal) after every transition. Holds ids, flags and public data only (the schema
 * in state.ts is strict). An unreadable file is moved aside (`….corrupt-<time>`), never half-read.
 */
export class CheckpointStore {
  private readonly fs: CheckpointFs

  constructor(
    readonly dir: string,
    private readonly log: Logger,
    options: { fs?: CheckpointFs; reset?: boolean; now?: () => number } = {},
  ) {
    this.fs = options.fs ?? fs
    this.now = options.now ?? Date.now
    if (options.reset) this.clear()
  }

  private readonly now: () => number

  /** Every valid checkpoint; torn temp files are deleted, invalid ones quarantined. */
  loadAll(): EnrollmentState[] {
    let names: string[]
    try {
      names = this.fs.readdirSync(this.dir)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
      throw error
    }
    const out: EnrollmentState[] = []
    for (const name of names) {
      const file = join(this.dir, name)
      if (name.endsWith('.json.tmp')) {
        removeIfExists(this.fs, file)
        this.log.warn('enrollment: removed a torn checkpoint temp file', { file })
        continue
      }
      if (!/^[0-9a-f-]{36}\.json$/.test(name)) continue
      const text = readIfExists(this.fs, file)
      if (text === null) continue
      const state = parseCheckpoint(text)
      if (state && `${state.ctx.requestId}.json` === name) {
        out.push(state)
        continue
      }
      const aside = `${file}.corrupt-${new Date(this.now()).toISOString().replace(/[:.]/g, '-')}`
      this.fs.renameSync(file, aside)
      this.log.error('enrollment: unreadable checkpoint moved aside', { file, aside })
    }
    return out
  }

  /** Save one enrollment (atomic). Throws StationError('internal') when it cannot be saved. */
  save(state: EnrollmentState): void {
    try {
      writeFileAtomic(
        this.fs,
        this.fileOf(state.ctx.requestId),
        `${JSON.stringify({ version: CHECKPOINT_VERSION, state }, null, 1)}\n`,
      )
    } catch (error) {
      const code = (error as NodeJS.ErrnoException | null)?.code ?? 'error'
      this.log.error('enrollment: cannot save checkpoint', { requestId: state.ctx.requestId, code })
      throw new StationError('internal', {}, `checkpoint: cannot save (${code})`)
    }
  }

  /** Forget one enrollment (the operator dismissed it). */
  remove(requestId: string): void {
    removeIfExists(this.fs, this.fileOf(requestId))
    removeIfExists(this.fs, tempPathOf(this.fileOf(requestId)))
  }

  private clear(): void {
    let names: string[]
    try {
      names = this.fs.readdirSync(this.dir)
    } catch {
      return
    }
    for (const name of names) removeIfExists(this.fs, join(this.dir, name))
  }

  private fileOf(requestId: string): string {
    const id = normalizeGuid(requestId)
    if (!id) throw new StationError('invalid-request', {}, 'checkpoint: not a request id')
    return join(this.dir, `${id}.json`)
  }
}

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import * as fs from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import {
  checkpointDir,
  CheckpointStore,
  type CheckpointFs,
} from '../../../electron/services/enrollment/checkpoints'
import { PinVault } from '../../../electron/services/enrollment/pin-vault'
import { newContext, type EnrollmentState } from '../../../electron/services/enrollment/state'
import { createMemoryLogger } from '../../../electron/services/log'
import type { RequestId } from '../../../shared/domain/cm'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})
function temp(): string {
  const d = mkdtempSync(join(tmpdir(), 'checkpoints-'))
  dirs.push(d)
  return d
}
const RID = 'a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099' as RequestId
function sample(id: RequestId = RID): EnrollmentState {
  return {
    step: 'card',
    activity: { kind: 'prompt', prompt: 'insert-card', notice: { code: 'wrong-card' } },
    ctx: newContext({ requestId: id, holderUuid: null, templateId: null, now: '2026-11-30T10:00:00.000Z' }),
  }
}

describe('checkpoint store', () => {
  it('one file per server: training vs a CM host', () => {
    expect(checkpointDir('/d', null)).toBe('/d/enrollments-training')
    expect(checkpointDir('/d', 'https://cm.contoso.com/CertificateManagement')).toMatch(
      /^\/d\/enrollments-cm\.contoso\.com-[0-9a-f]{8}$/,
    )
  })

  it('saves atomically and a new store (a restart) loads the same state', () => {
    const dir = join(temp(), 'e')
    const a = new CheckpointStore(dir, createMemoryLogger())
    a.save(sample())
    expect(readdirSync(dir)).toEqual([`${RID}.json`])
    expect(new CheckpointStore(dir, createMemoryLogger()).loadAll()).toEqual([sample()])
  })

  it('a torn temp file is deleted; an unreadable or foreign checkpoint is moved aside, never half-read', () => {
    const dir = temp()
    const log = createMemoryLogger()
    new CheckpointStore(dir, log).save(sample())
    writeFileSync(join(dir, `${RID}.json.tmp`), '{"version":1,"sta')
    const other = 'b105403d-d021-41ea-9f11-be3d677d229e'
    writeFileSync(
      join(dir, `${other}.json`),
      JSON.stringify({ version: 1, state: { ...sample(), pin: '1234' } }),
    )
    const loaded = new CheckpointStore(dir, log, { now: () => Date.parse('2026-01-01T00:00:00Z') }).loadAll()
    expect(loaded).toHaveLength(1)
    const names = readdirSync(dir).sort()
    expect(names).toEqual([`${RID}.json`, `${other}.json.corrupt-2026-01-01T00-00-00-000Z`])
    expect(log.lines.join('\n')).toMatch(/torn checkpoint temp file[\s\S]*moved aside/)
  })

  it('a failed write keeps the old checkpoint and throws internal', () => {
    const dir = temp()
    const log = createMemoryLogger()
    const store = new CheckpointStore(dir, log)
    store.save(sample())
    const failing: CheckpointFs = {
      ...fs,
      renameSync: () => {
        throw Object.assign(new Error('x'), { code: 'ENOSPC' })
      },
    }
    const torn = new CheckpointStore(dir, log, { fs: failing })
    const changed = { ...sample(), step: 'bind' as const, activity: { kind: 'working' as const } }
    expect(() => torn.save(changed)).toThrow(expect.objectContaining({ code: 'internal' }))
    expect(JSON.parse(readFileSync(join(dir, `${RID}.json`), 'utf8')).state.step).toBe('card')
  })

  it('reset empties the folder (training mode starts fresh with its simulator); remove forgets one', () => {
    const dir = temp()
    new CheckpointStore(dir, createMemoryLogger()).save(sample())
    const fresh = new CheckpointStore(dir, createMemoryLogger(), { reset: true })
    expect(fresh.loadAll()).toEqual([])
    fresh.save(sample())
    fresh.remove(RID)
    expect(fresh.loadAll()).toEqual([])
  })
})

describe('PIN vault', () => {
  it('copies in, copies out, zeroes on clear and on expiry', () => {
    let fire: (() => void) | null = null
    const vault = new PinVault({ setTimer: (run) => ((fire = run), 1), clearTimer: () => {} })
    const pin = Buffer.from('12345678')
    vault.put(RID, pin)
    pin.fill(0)
    const copy = vault.get(RID)
    expect(copy?.toString()).toBe('12345678')
    expect(vault.size).toBe(1)
    fire!()
    expect(vault.get(RID)).toBeNull()
    vault.put(RID, Buffer.from('87654321'))
    vault.clearAll()
    expect(vault.size).toBe(0)
  })
})

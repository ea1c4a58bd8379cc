import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { strFromU8, unzipSync } from 'fflate'
import { afterEach, describe, expect, it } from 'vitest'
import type { AuditRecord } from '../../../electron/services/audit/record'
import { parseConfig } from '../../../electron/services/config'
import { createFileLogger, type FileLogger } from '../../../electron/services/log-file'
import { deriveDiversifiedKey } from '../../../electron/simulator/cm/card-crypto'
import { createStation, TRAINING_OPERATOR, type Station } from '../../../electron/station/station'
import type { EnrollmentView } from '../../../shared/domain/enrollment'
import type { Result } from '../../../shared/result'
import { recordingFetch } from '../../support/recording-fetch'
import {
  ALICE,
  ALICE_OLD_CARD,
  BADGE_SECRET,
  K0,
  READER_NEW,
  READER_OLD,
  SERVER_PIN_TEMPLATE,
} from '../enrollment/journey-harness'
import { absentPcsc } from '../../support/absent-pcsc'

// The audit trail through the training composition (createStation, the router, the simulator, virtual cards): one
// record per operator action, per CM write and per enrollment step, with CM's correlation id where CM gave one.

const ctx = { host: 'test' as const }
let station: Station | null = null
let log: FileLogger | null = null
const dirs: string[] = []
afterEach(async () => {
  await station?.close()
  await log?.close()
  station = null
  log = null
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    return statSync(p).isDirectory() ? filesUnder(p) : [p]
  })
}

async function call<T>(channel: string, payload: unknown): Promise<T> {
  const result = (await station!.router.dispatch(channel, payload, ctx)) as Result<T>
  if (!result.ok) throw new Error(`${channel}: ${result.error.code}`)
  return result.value
}

function auditRecords(dataDir: string): AuditRecord[] {
  return readFileSync(join(dataDir, 'audit', 'audit.1.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditRecord)
}

describe('audit trail of a station (training composition)', () => {
  it('a full enrollment: one record per step, per operator action and per CM write, with the correlation id; no secret anywhere', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'station-audit-'))
    dirs.push(dataDir)
    log = await createFileLogger({ dataDir, level: 'debug', stderr: false })
    const wireSecrets: string[] = []
    station = await createStation({
      config: parseConfig({}),
      log,
      host: 'preview',
      version: '1.2.3',
      pcsc: absentPcsc(),
      dataDir,
      fetch: recordingFetch(wireSecrets),
    })
    await call('training:insert-card', { reader: READER_OLD })
    await call('training:insert-card', { reader: READER_NEW })

    const started = await call<EnrollmentView>('enrollment:start', {
      kind: 'holder',
      holderUuid: ALICE,
      templateId: SERVER_PIN_TEMPLATE,
      fromSmartcardUuid: ALICE_OLD_CARD,
    })
    const rid = started.requestId
    // An intent at the wrong step is an operator action that failed.
    expect(await station.router.dispatch('enrollment:acknowledge-pin', { requestId: rid }, ctx)).toEqual({
      ok: false,
      error: { code: 'wrong-step' },
    })
    // CM answers the bind with a 500 once: the journal keeps it for a retry; the operator retries at once.
    station.simulator!.control.addFault({
      match: { route: 'E11', times: 1 },
      action: { type: 'status', code: 500 },
    })
    const waiting = await call<EnrollmentView>('enrollment:use-card', { requestId: rid, reader: READER_NEW })
    expect(waiting).toMatchObject({ step: 'bind', status: 'waiting-retry', error: { code: 'server-error' } })
    const correlationId = station.simulator!.control.lastErrors(1)[0]!.correlationId
    expect(waiting.error?.correlationId).toBe(correlationId)
    const atPin = await call<EnrollmentView>('enrollment:retry', { requestId: rid })
    expect(atPin).toMatchObject({ step: 'pin', prompt: 'start-pin' })
    const pinResult = await call<{ kind: string; pin: string; view: EnrollmentView }>('enrollment:set-pin', {
      requestId: rid,
    })
    expect(pinResult.kind).toBe('server')
    const pin = pinResult.pin
    await call('enrollment:acknowledge-pin', { requestId: rid })
    const done = await call<EnrollmentView>('enrollment:retire-old-cards', {
      requestId: rid,
      smartcardUuids: [ALICE_OLD_CARD],
      comment: 'new badge issued',
    })
    expect(done).toMatchObject({ status: 'done', outcome: 'completed' })
    const cardId = done.card!.cardId
    const smartcardUuid = done.card!.smartcardUuid!
    await call('enrollment:dismiss', { requestId: rid })

    const records = auditRecords(dataDir)
    expect(new Set(records.map((r) => r.operator))).toEqual(new Set([TRAINING_OPERATOR]))
    expect(records.every((r) => !Number.isNaN(Date.parse(r.time)))).toBe(true)

    // Steps: exactly one "finished" record per step, in order, each with the request, holder and (once known) card.
    const steps = records.filter((r) => r.action === 'step')
    expect(steps.map((r) => [r.step, r.outcome])).toEqual([
      ['approval', 'finished'],
      ['card', 'finished'],
      ['bind', 'finished'],
      ['admin-key', 'finished'],
      ['pin', 'finished'],
      ['certificates', 'finished'],
      ['retire', 'finished'],
      ['complete', 'finished'],
    ])
    for (const s of steps) expect(s).toMatchObject({ requestId: rid, holder: ALICE })
    for (const s of steps.slice(1)) expect(s.cardId).toBe(cardId)
    for (const s of steps.slice(2)) expect(s.smartcardUuid).toBe(smartcardUuid)

    // CM writes: the Enroll request created on the holder's behalf, the bind that CM refused (its correlation id),
    // the bind that succeeded, the retire, the complete.
    const allWrites = records.filter((r) => r.action.startsWith('cm-'))
    expect(allWrites[0]).toMatchObject({
      action: 'cm-enroll',
      outcome: 'succeeded',
      requestId: rid,
      holder: ALICE,
    })
    const writes = allWrites.slice(1)
    expect(writes.map((r) => [r.action, r.outcome, r.error, r.correlationId])).toEqual([
      ['cm-bind', 'retry-scheduled', 'server-error', correlationId],
      ['cm-bind', 'succeeded', null, null],
      ['cm-retire', 'succeeded', null, null],
      ['cm-complete', 'succeeded', null, null],
    ])
    const [bindFailed, bindDone, retired, completed] = writes
    expect(bindFailed).toMatchObject({ requestId: rid, cardId, holder: ALICE, step: 'bind' })
    expect(bindDone).toMatchObject({ requestId: rid, cardId, smartcardUuid, writeId: bindFailed!.writeId })
    expect(retired).toMatchObject({ smartcardUuid: ALICE_OLD_CARD, holder: ALICE, step: 'retire' })
    expect(retired!.requestId).not.toBe(rid) // the Retire request
    expect(completed).toMatchObject({ requestId: rid, smartcardUuid, step: 'complete' })
    // The bind and complete steps name the journal entries they ran through.
    expect(steps.find((s) => s.step === 'bind')!.writeId).toBe(bindDone!.writeId)
    expect(steps.find((s) => s.step === 'complete')!.writeId).toBe(completed!.writeId)

    // Operator actions, once each, in order.
    const actions = records.filter((r) => r.action !== 'step' && !r.action.startsWith('cm-'))
    expect(actions.map((r) => [r.action, r.outcome, r.error])).toEqual([
      ['start-enrollment', 'succeeded', null],
      ['acknowledge-pin', 'failed', 'wrong-step'],
      ['use-card', 'succeeded', null],
      ['retry', 'succeeded', null],
      ['set-pin', 'succeeded', null],
      ['acknowledge-pin', 'succeeded', null],
      ['confirm-retire', 'succeeded', null],
      ['next-holder', 'succeeded', null],
    ])
    for (const a of actions) expect(a).toMatchObject({ requestId: rid, holder: ALICE })
    expect(actions[2]).toMatchObject({ cardId, step: 'bind', correlationId: null })

    // No PIN, admin key, challenge or response in any file of the data directory.
    const kd = deriveDiversifiedKey(BADGE_SECRET, cardId)
    const secrets = [
      pin,
      kd.toString('hex'),
      kd.toString('base64'),
      K0.toString('hex'),
      K0.toString('base64'),
      ...wireSecrets,
    ]
    // E14 + 2×E15 (challenge, response) + E16, two encodings each.
    expect(wireSecrets.length).toBeGreaterThanOrEqual(8)
    const haystack = filesUnder(dataDir)
      .map((f) => readFileSync(f, 'utf8'))
      .join('\n')
    expect(haystack).toContain('"action":"cm-bind"')
    for (const secret of secrets) expect(haystack.includes(secret), secret.slice(0, 3)).toBe(false)

    // Export diagnostics: a zip in <dataDir>/exports with the station log, the audit log and about.json.
    const exported = await call<{ status: string; path: string; fileName: string }>(
      'app:export-diagnostics',
      {},
    )
    expect(exported.status).toBe('saved')
    expect(exported.path).toBe(join(dataDir, 'exports', exported.fileName))
    expect(exported.fileName).toMatch(/^station-diagnostics-\d{8}-\d{6}\.zip$/)
    const zip = unzipSync(readFileSync(exported.path))
    expect(Object.keys(zip).sort()).toEqual(['about.json', 'audit/audit.1.jsonl', 'logs/station.1.log'])
    const about = JSON.parse(strFromU8(zip['about.json']!)) as Record<string, unknown>
    expect(about).toMatchObject({
      version: '1.2.3',
      host: 'preview',
      trainingMode: true,
      cmServer: null,
      operator: TRAINING_OPERATOR,
      readers: {
        readers: [
          { name: READER_OLD, kind: 'virtual', present: true },
          { name: READER_NEW, kind: 'virtual', present: true },
        ],
      },
      configuration: { cm: null, directory: 'training', logLevel: 'info', dataDir },
    })
    expect(strFromU8(zip['audit/audit.1.jsonl']!).trim().split('\n')).toHaveLength(records.length)
    const zipped = Object.values(zip)
      .map((d) => strFromU8(d))
      .join('\n')
    for (const secret of secrets) expect(zipped.includes(secret), secret.slice(0, 3)).toBe(false)
    // The export itself is an operator action.
    expect(auditRecords(dataDir).at(-1)).toMatchObject({ action: 'export-diagnostics', outcome: 'succeeded' })
  }, 60_000)

  it('the Retire task, a pending write dismissed, an enrollment canceled: one record per action, per write, per end', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'station-audit-'))
    dirs.push(dataDir)
    station = await createStation({
      config: parseConfig({}),
      log: (log = await createFileLogger({ dataDir, level: 'info', stderr: false })),
      host: 'preview',
      version: '1',
      pcsc: absentPcsc(),
      dataDir,
    })
    await call('training:insert-card', { reader: READER_OLD })
    // The Retire task: Alice's old badge (no approval needed in the training seed).
    const retired = await call<{ outcome: string; requestId: string; writeId: string }>('cm:retire-card', {
      smartcardUuid: ALICE_OLD_CARD,
      comment: 'lost',
    })
    expect(retired.outcome).toBe('retired')
    // Retrying or dismissing a write that is not open is refused: a failed operator action, recorded as such.
    expect(await station.router.dispatch('cm:dismiss-write', { id: retired.writeId }, ctx)).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    })
    // An enrollment canceled before a card is bound: Canceled in CM.
    const { requestId: rid } = await call<EnrollmentView>('enrollment:start', {
      kind: 'holder',
      holderUuid: ALICE,
      templateId: SERVER_PIN_TEMPLATE,
    })
    const canceled = await call<EnrollmentView>('enrollment:cancel', { requestId: rid })
    expect(canceled).toMatchObject({ status: 'done', outcome: 'canceled' })

    const records = auditRecords(dataDir).map(({ v: _v, time: _t, operator: _o, ...r }) => r)
    const none = {
      holder: null,
      cardId: null,
      smartcardUuid: null,
      step: null,
      writeId: null,
      correlationId: null,
      error: null,
    }
    expect(records).toEqual([
      {
        ...none,
        action: 'cm-retire',
        outcome: 'succeeded',
        requestId: retired.requestId,
        smartcardUuid: ALICE_OLD_CARD,
        writeId: retired.writeId,
      },
      {
        ...none,
        action: 'retire-card',
        outcome: 'succeeded',
        requestId: retired.requestId,
        smartcardUuid: ALICE_OLD_CARD,
        writeId: retired.writeId,
      },
      {
        ...none,
        action: 'dismiss-write',
        outcome: 'failed',
        requestId: null,
        writeId: retired.writeId,
        error: 'invalid-request',
      },
      { ...none, action: 'step', outcome: 'finished', requestId: rid, holder: ALICE, step: 'approval' },
      {
        ...none,
        action: 'cm-enroll',
        outcome: 'succeeded',
        requestId: rid,
        holder: ALICE,
        step: 'card',
        writeId: expect.any(String),
      },
      {
        ...none,
        action: 'start-enrollment',
        outcome: 'succeeded',
        requestId: rid,
        holder: ALICE,
        step: 'card',
      },
      {
        ...none,
        action: 'cm-cancel',
        outcome: 'succeeded',
        requestId: rid,
        holder: ALICE,
        step: 'card',
        writeId: expect.any(String),
      },
      { ...none, action: 'step', outcome: 'canceled', requestId: rid, holder: ALICE, step: 'card' },
      { ...none, action: 'cancel', outcome: 'succeeded', requestId: rid, holder: ALICE, step: 'card' },
    ])
  })

  it('a failed export is told as export-failed (the folder cannot be written) and recorded', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'station-audit-'))
    dirs.push(dataDir)
    station = await createStation({
      config: parseConfig({}),
      log: (log = await createFileLogger({ dataDir, level: 'info', stderr: false })),
      host: 'preview',
      version: '1',
      pcsc: absentPcsc(),
      dataDir,
      // A path under a file: mkdir fails.
      chooseExportPath: async (name) => join(dataDir, 'audit', 'audit.1.jsonl', name),
    })
    expect(await station.router.dispatch('app:export-diagnostics', {}, ctx)).toEqual({
      ok: false,
      error: { code: 'export-failed' },
    })
    expect(auditRecords(dataDir).at(-1)).toMatchObject({
      action: 'export-diagnostics',
      outcome: 'failed',
      error: 'export-failed',
    })
  })
})

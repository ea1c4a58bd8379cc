import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { strFromU8, unzipSync } from 'fflate'
import { operatorAccount } from '../../electron/services/audit/operator'
import { parseConfig } from '../../electron/services/config'
import { createFileLogger } from '../../electron/services/log-file'
import type { Logger } from '../../electron/services/log'
import { deriveDiversifiedKey } from '../../electron/simulator/cm/card-crypto'
import { createStation } from '../../electron/station/station'
import { auditRecords, expectOneRecordPerStep, exportDiagnostics } from './audit-trail'
import { expectAxeClean } from './axe'
import { EnrollmentPage } from './enrollment-page'
import {
  allText,
  BADGE_SECRET,
  expect,
  K0_HEX,
  LAB_SKIP_REASON,
  openStation,
  READER_NEW,
  READER_OLD,
  recordingFetch,
  SERVER_PIN_TEMPLATE,
  test as base,
} from './enrollment-fixture'

// The audit trail and the diagnostics export, lab edition (issue "The station on a managed Windows desk", acceptance
// "Audit trail"): a full enrollment through the UI where CM fails the Completed write three times (the client's own
// attempts; the journal retries and succeeds); the audit log holds one record per step, the CM writes with CM's
// correlation id, the operator's actions; the export zip unzips to the logs, the audit log and about.json; no PIN,
// admin key, challenge or response anywhere under the data directory, in the zip, the log or the events.

/** The station of this spec also writes its diagnostic log to <dataDir>/logs (the memory log still records). */
const test = base.extend({
  station: async ({ sim, cards: _cards, dataDir, stationLog, wireSecrets }, use) => {
    const file = await createFileLogger({ dataDir, level: 'debug', stderr: false })
    const both: Logger = {
      debug: (m, f) => (stationLog.debug(m, f), file.debug(m, f)),
      info: (m, f) => (stationLog.info(m, f), file.info(m, f)),
      warn: (m, f) => (stationLog.warn(m, f), file.warn(m, f)),
      error: (m, f) => (stationLog.error(m, f), file.error(m, f)),
    }
    const station = await createStation({
      config: parseConfig({ cm: { appRoot: sim.appRoot, timeoutMs: 3000 }, dataDir }),
      log: both,
      host: 'preview',
      version: 'e2e',
      fetch: recordingFetch(wireSecrets),
    })
    await use(station)
    await station.close()
    await file.close()
  },
})

test.skip(!!LAB_SKIP_REASON, `PC/SC lab unavailable: ${LAB_SKIP_REASON}`)

test('after a full enrollment: one audit record per step with the correlation ids; the export holds logs and audit, no secret', async ({
  page,
  host,
  sim,
  cards,
  dataDir,
  stationLog,
  recordedEvents,
  wireSecrets,
}) => {
  test.setTimeout(180_000)
  const flow = new EnrollmentPage(page)
  await openStation(page, host)
  const old = page.locator(`[data-testid="reader-row"][data-reader-name="${READER_OLD}"]`)
  await expect(old.locator('[data-testid="card-details"]')).toHaveAttribute('data-phase', 'registered', {
    timeout: 20_000,
  })
  const rid = await flow.startAtNewBadge(READER_OLD, SERVER_PIN_TEMPLATE)
  await flow.useCard(READER_NEW)
  await flow.waitFor('pin', 'needs-holder', 'note-pin')
  const pin = await flow.readServerPin()
  await flow.pinNoted()
  await flow.waitFor('retire', 'needs-operator', 'confirm-retire')
  // E08 Completed of this request: three 500s (the client's own attempts), then the journal's retry succeeds.
  await sim.addFault({
    match: { route: 'E08', pathRegex: rid, times: 3 },
    action: { type: 'status', code: 500 },
  })
  await flow.confirmRetire()
  await flow.waitForSummary()
  await page.getByTestId('next-holder').click()
  await expect(page.getByTestId('task-issue')).toBeVisible()

  // Export diagnostics from the footer: the confirmation shows where the zip went (the preview: <dataDir>/exports).
  const zipPath = await exportDiagnostics(page)
  expect(zipPath.startsWith(join(dataDir, 'exports'))).toBe(true)
  await expect(page.getByTestId('diagnostics-path')).toContainText(zipPath)
  await expectAxeClean(page, 'diagnostics exported')

  // The audit log: one record per step, each CM write, CM's correlation id of the failed Completed write.
  const records = auditRecords(dataDir)
  const operator = operatorAccount()
  expect(new Set(records.map((r) => r.operator))).toEqual(new Set([operator]))
  const steps = expectOneRecordPerStep(records, rid)
  const holder = steps[0]!.holder
  expect(holder).toMatch(/^[0-9a-f-]{36}$/)
  const failed = (await sim.log()).filter(
    (l) => l.route === 'E08' && l.status === 500 && l.path.endsWith(rid),
  )
  expect(failed).toHaveLength(3)
  const correlationId = failed.at(-1)!.correlationId
  expect(correlationId).toMatch(/^[0-9a-f-]{36}$/)
  const writes = records.filter((r) => r.action.startsWith('cm-'))
  expect(writes.map((r) => [r.action, r.outcome, r.error, r.correlationId])).toEqual([
    ['cm-enroll', 'succeeded', null, null],
    ['cm-bind', 'succeeded', null, null],
    ['cm-retire', 'succeeded', null, null],
    ['cm-complete', 'retry-scheduled', 'server-error', correlationId],
    ['cm-complete', 'succeeded', null, null],
  ])
  // The two complete records are one journal entry (its retry), the one the complete step names.
  expect(writes[3]!.writeId).toBe(writes[4]!.writeId)
  expect(steps.at(-1)).toMatchObject({ step: 'complete', writeId: writes[4]!.writeId })
  for (const w of writes) expect(w.holder).toBe(holder)
  // The operator's actions, each once, as the UI sent them.
  const actions = records.filter((r) => r.action !== 'step' && !r.action.startsWith('cm-'))
  expect(actions.map((r) => [r.action, r.outcome])).toEqual([
    ['start-enrollment', 'succeeded'],
    ['use-card', 'succeeded'],
    ['set-pin', 'succeeded'],
    ['acknowledge-pin', 'succeeded'],
    ['confirm-retire', 'succeeded'],
    ['next-holder', 'succeeded'],
    ['export-diagnostics', 'succeeded'],
  ])
  for (const a of actions.slice(0, -1)) expect(a).toMatchObject({ requestId: rid, holder })

  // The zip: about.json, the diagnostic log, the audit log — and what it says.
  const zip = unzipSync(readFileSync(zipPath))
  expect(Object.keys(zip).sort()).toEqual(['about.json', 'audit/audit.1.jsonl', 'logs/station.1.log'])
  const about = JSON.parse(strFromU8(zip['about.json']!)) as {
    trainingMode: boolean
    cmServer: string
    operator: string
    readers: { readers: Array<{ name: string }> }
  }
  expect(about).toMatchObject({ trainingMode: false, cmServer: new URL(sim.appRoot).host, operator })
  expect(about.readers.readers.map((r) => r.name)).toEqual(expect.arrayContaining([READER_OLD, READER_NEW]))
  expect(strFromU8(zip['audit/audit.1.jsonl']!)).toContain(correlationId!)
  expect(strFromU8(zip['logs/station.1.log']!)).toContain('station: started')

  // No PIN, admin key, challenge or response: in any file under the data directory, in the zip, the log, the events.
  const kd = deriveDiversifiedKey(BADGE_SECRET, cards.freshCardId).toString('hex')
  const secrets = [pin, kd, Buffer.from(kd, 'hex').toString('base64'), K0_HEX, ...wireSecrets]
  expect(wireSecrets.length).toBeGreaterThanOrEqual(8)
  const unzipped = Object.values(zip)
    .map((data) => strFromU8(data))
    .join('\n')
  const haystack = [allText(dataDir), unzipped, stationLog.lines.join('\n'), recordedEvents.join('\n')].join(
    '\n',
  )
  for (const secret of secrets) {
    expect(haystack.includes(secret), `secret found: ${secret.slice(0, 4)}…`).toBe(false)
  }
})

import { expect, type Page } from '@playwright/test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { AuditRecord } from '../../electron/services/audit/record'
import { AUDIT_LOG_NAME, auditDir } from '../../electron/services/audit/audit-log'
import { rolledFiles } from '../../electron/services/rolling-file'
import { ENROLLMENT_STEPS } from '../../shared/domain/enrollment'

/** Every record of the station's audit log under `dataDir`, oldest first (all numbered files). */
export function auditRecords(dataDir: string): AuditRecord[] {
  const dir = auditDir(dataDir)
  return rolledFiles(dir, AUDIT_LOG_NAME).flatMap((f) =>
    readFileSync(join(dir, f), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as AuditRecord),
  )
}

/**
 * The acceptance of the audit trail: exactly one "finished" record per enrollment step of `requestId`, in the order of
 * cm-rest-api.md §5.3, each naming the request; from the bind on, the new card and CM's Uuid for it.
 */
export function expectOneRecordPerStep(records: AuditRecord[], requestId: string): AuditRecord[] {
  const steps = records.filter(
    (r) => r.action === 'step' && r.requestId === requestId && r.outcome === 'finished',
  )
  expect(steps.map((r) => r.step)).toEqual([...ENROLLMENT_STEPS])
  const bound = steps.slice(ENROLLMENT_STEPS.indexOf('bind'))
  expect(new Set(bound.map((r) => r.cardId)).size).toBe(1)
  expect(bound.every((r) => r.cardId !== null && r.smartcardUuid !== null)).toBe(true)
  return steps
}

/** Footer "Export diagnostics": click it, wait for the confirmation, return the path it shows. */
export async function exportDiagnostics(page: Page): Promise<string> {
  await page.getByTestId('export-diagnostics').click()
  const path = page.getByTestId('diagnostics-path')
  await expect(page.getByTestId('diagnostics-saved')).toBeVisible({ timeout: 20_000 })
  return (await path.getAttribute('data-path')) ?? ''
}

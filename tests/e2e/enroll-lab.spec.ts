import type { Page } from '@playwright/test'
import { createHash } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { deriveDiversifiedKey } from '../../electron/simulator/cm/card-crypto'
import { OPENSC_PKCS11, runTool } from '../lab/opensc-tools'
import { auditRecords, expectOneRecordPerStep } from './audit-trail'
import { expectAxeClean } from './axe'
import { EnrollmentPage } from './enrollment-page'
import {
  allText,
  ALICE_OLD_SMARTCARD,
  BADGE_SECRET,
  expect,
  HOLDER_PIN_TEMPLATE,
  K0_HEX,
  LAB_SKIP_REASON,
  openStation,
  READER_NEW,
  READER_OLD,
  SERVER_PIN_TEMPLATE,
  test,
} from './enrollment-fixture'

// The lab end to end (issue "Issue a badge", acceptance "Lab, end to end, in Chromium" + "Certificates on the badge",
// OpenSC oracle): preview station → CM simulator as a separate process; virtual GIDS card processes in the two vpcd
// readers; everything through the UI only. OpenSC's tools then check what the station wrote.

test.skip(!!LAB_SKIP_REASON, `PC/SC lab unavailable: ${LAB_SKIP_REASON}`)

/** Reader rows of the preview (real PC/SC readers). */
function row(page: Page, reader: string) {
  return page.locator(`[data-testid="reader-row"][data-reader-name="${reader}"]`)
}
async function identified(page: Page, reader: string, phase: string) {
  const details = row(page, reader).locator('[data-testid="card-details"]')
  await expect(details).toHaveAttribute('data-phase', phase, { timeout: 20_000 })
}

test.describe('issue a badge through the UI: lab (pcscd + vpcd, CM simulator process), OpenSC as oracle', () => {
  test('server PIN: old badge → request → bind → admin key → PIN → certificate → retire → complete; OpenSC reads it', async ({
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
    await identified(page, READER_OLD, 'registered')
    await identified(page, READER_NEW, 'not-registered')
    const rid = await flow.startAtNewBadge(READER_OLD, SERVER_PIN_TEMPLATE)
    await flow.useCard(READER_NEW)
    await flow.waitFor('pin', 'needs-holder', 'note-pin')
    const pin = await flow.readServerPin()
    await flow.pinNoted()
    await flow.waitFor('retire', 'needs-operator', 'confirm-retire')
    await expect(flow.retireCandidate(ALICE_OLD_SMARTCARD).getByRole('checkbox')).toBeChecked()
    await flow.confirmRetire()
    const summary = await flow.waitForSummary()
    await expect(summary).toContainText(rid)

    // CM's records (the simulator's control API): Completed (8), new card Active (3), old badge Retired (6).
    const state = await sim.state()
    const request = state.Requests.find((r) => r.Uuid === rid)!
    expect(request.Status).toBe(8)
    expect(state.Smartcards.find((c) => c.Uuid === request.NewSmartcardUuid)?.Status).toBe(3)
    expect(state.Smartcards.find((c) => c.Uuid === ALICE_OLD_SMARTCARD)?.Status).toBe(6)
    const thumbprint = await summary.getByTestId('certificate').first().getAttribute('data-thumbprint')

    // OpenSC: gids-tool authenticates with the DIVERSIFIED admin key (and resets the PIN to the same value).
    const kd = deriveDiversifiedKey(BADGE_SECRET, cards.freshCardId).toString('hex')
    const unblock = await runTool('gids-tool', ['-r', '1', '--unblock', '--admin-key', kd, '--pin', pin])
    expect(unblock.out).not.toMatch(/error|failed/i)
    const wrongKey = await runTool('gids-tool', ['-r', '1', '--unblock', '--admin-key', K0_HEX, '--pin', pin])
    expect(wrongKey.out).toMatch(/error|failed|authentication/i)
    // pkcs15-tool lists the issued certificate (subject = the holder) and reads back exactly CM's certificate.
    const listed = await runTool('pkcs15-tool', ['-r', '1', '--list-certificates'])
    expect(listed.out).toMatch(/X\.509 Certificate/)
    const read = await runTool('pkcs15-tool', ['-r', '1', '--read-certificate', '00'])
    const der = Buffer.from(read.out.replace(/-----[^-]+-----|\s/g, ''), 'base64')
    expect(createHash('sha1').update(der).digest('hex').toUpperCase()).toBe(thumbprint)
    const tmp = mkdtempSync(join(tmpdir(), 'lab-oracle-'))
    try {
      writeFileSync(join(tmp, 'cert.der'), der)
      const subject = await runTool('openssl', [
        'x509',
        '-inform',
        'DER',
        '-in',
        join(tmp, 'cert.der'),
        '-noout',
        '-subject',
      ])
      expect(subject.out).toContain('Alice Martins')
      // pkcs11-tool signs with the on-card key after --login --pin; openssl verifies with the certificate's key.
      writeFileSync(join(tmp, 'msg.txt'), 'signed at the badge desk')
      const sig = join(tmp, 'sig.bin')
      const signed = await runTool('pkcs11-tool', [
        '--module',
        OPENSC_PKCS11!,
        '--slot-index',
        '1',
        '--login',
        '--pin',
        pin,
        '--sign',
        '--mechanism',
        'SHA256-RSA-PKCS',
        '--id',
        '00',
        '-i',
        join(tmp, 'msg.txt'),
        '-o',
        sig,
      ])
      expect(existsSync(sig), signed.out).toBe(true)
      await runTool('openssl', [
        'x509',
        '-inform',
        'DER',
        '-in',
        join(tmp, 'cert.der'),
        '-pubkey',
        '-noout',
        '-out',
        join(tmp, 'pub.pem'),
      ])
      const verified = await runTool('openssl', [
        'dgst',
        '-sha256',
        '-verify',
        join(tmp, 'pub.pem'),
        '-signature',
        sig,
        join(tmp, 'msg.txt'),
      ])
      expect(verified.out).toContain('Verified OK')
      // The private key is not exportable.
      const objects = await runTool('pkcs11-tool', [
        '--module',
        OPENSC_PKCS11!,
        '--slot-index',
        '1',
        '--list-objects',
        '--login',
        '--pin',
        pin,
      ])
      expect(objects.out).toMatch(/Private Key Object; RSA[\s\S]*?never extractable/)
    } finally {
      rmSync(tmp, { recursive: true, force: true })
    }

    // The audit trail in the data directory: one record per step of this enrollment, each CM write with its outcome
    // (a CM failure's correlation id: audit-lab.spec.ts).
    const audit = auditRecords(dataDir)
    expectOneRecordPerStep(audit, rid)
    expect(audit.filter((r) => r.action.startsWith('cm-')).map((r) => [r.action, r.outcome])).toEqual([
      ['cm-enroll', 'succeeded'],
      ['cm-bind', 'succeeded'],
      ['cm-retire', 'succeeded'],
      ['cm-complete', 'succeeded'],
    ])

    // Secrets: the PIN, the admin keys, the challenges and the responses (as recorded on the CM wire) appear nowhere
    // in the log, the data directory (audit log included) or the IPC events.
    const haystack = [stationLog.lines.join('\n'), allText(dataDir), recordedEvents.join('\n')].join('\n')
    const secrets = [pin, kd, Buffer.from(kd, 'hex').toString('base64'), K0_HEX, ...wireSecrets]
    expect(wireSecrets.length).toBeGreaterThanOrEqual(8) // E14 + 2×E15 (challenge, response) + E16, two encodings
    for (const secret of secrets) {
      expect(haystack.includes(secret), `secret found: ${secret.slice(0, 4)}…`).toBe(false)
    }
  })

  test('holder-chosen PIN (E16 204): the holder types it twice; it verifies on the card', async ({
    page,
    host,
    sim,
  }) => {
    test.setTimeout(120_000)
    const flow = new EnrollmentPage(page)
    await openStation(page, host)
    await identified(page, READER_OLD, 'registered')
    const rid = await flow.startAtNewBadge(READER_OLD, HOLDER_PIN_TEMPLATE)
    await flow.useCard(READER_NEW)
    await flow.waitFor('pin', 'needs-holder', 'holder-chooses-pin')
    await expectAxeClean(page, 'holder PIN entry')
    await flow.holderChoosesPin('Desk-Pin-2026')
    await flow.waitFor('retire', 'needs-operator', 'confirm-retire')
    await flow.confirmRetire()
    await flow.waitForSummary()
    expect((await sim.state()).Requests.find((r) => r.Uuid === rid)?.Status).toBe(8)
    const login = await runTool('pkcs11-tool', [
      '--module',
      OPENSC_PKCS11!,
      '--slot-index',
      '1',
      '--login',
      '--pin',
      'Desk-Pin-2026',
      '--list-objects',
    ])
    expect(login.out).toMatch(/Private Key Object/)
  })
})

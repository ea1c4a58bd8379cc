import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { StationError } from '../../../shared/errors'
import { offeredAuthSchemes, offersWindowsSignIn } from '../../../electron/services/cm/www-authenticate'
import { startCmSimulator, type CmSimulator } from '../../../electron/simulator/cm/index'
import { clientWith, raw } from './fake-fetch'
import { hits, simClient } from './sim-client'

/**
 * A refused Windows sign-in (cm-rest-api.md §1.5, §1.7): IIS's 401 with several `WWW-Authenticate` fields and an
 * HTML page becomes the closed code `windows-sign-in-failed` — never retried, never the HTML (not in the error,
 * not in the log), the offered schemes logged for IT.
 */

const IIS_TEXT = ['<html', '<title>', 'Access is denied', 'Server Error', 'credentials that you supplied']

async function caught(p: Promise<unknown>): Promise<StationError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  )
  expect(e).toBeInstanceOf(StationError)
  return e as StationError
}

describe('offeredAuthSchemes', () => {
  it.each([
    [null, []],
    ['', []],
    ['Negotiate', ['Negotiate']],
    ['Negotiate, NTLM, Basic realm="cm.contoso.com"', ['Negotiate', 'NTLM', 'Basic']],
    // A realm with a comma inside its quoted-string, and auth-params after it.
    ['Basic realm="CORP, Main", charset="UTF-8", Negotiate', ['Basic', 'Negotiate']],
    ['Bearer error="invalid_token", error_description="a, \\"b\\", c"', ['Bearer']],
    // A Negotiate continuation token (token68) is never reported, only the scheme.
    [
      'Negotiate oYG3MIG0oAMKAQChCwYJKoZIgvcSAQICooGfBIGcYIGZBgkqhkiG9xIBAgICAG+BiTCBhqADAgEFoQMCAQ8=',
      ['Negotiate'],
    ],
    ['negotiate, NEGOTIATE, NTLM', ['negotiate', 'NTLM']],
    ['realm="x"', []],
    ['<html>, ', []],
  ])('%j → %j', (value, expected) => {
    expect(offeredAuthSchemes(value)).toEqual(expected)
  })

  it('bounds what a hostile server can put in the log', () => {
    const many = Array.from({ length: 50 }, (_, i) => `S${i}`).join(', ')
    expect(offeredAuthSchemes(many)).toHaveLength(8)
    expect(offeredAuthSchemes(`${'x'.repeat(500)}, NTLM`)).toEqual(['NTLM'])
  })

  it('recognises Windows sign-in (Negotiate or NTLM) among the schemes', () => {
    expect(offersWindowsSignIn(['Negotiate', 'NTLM', 'Basic'])).toBe(true)
    expect(offersWindowsSignIn(['ntlm'])).toBe(true)
    expect(offersWindowsSignIn(['Basic', 'Bearer'])).toBe(false)
    expect(offersWindowsSignIn([])).toBe(false)
  })
})

describe('the CM client and a refused sign-in (real simulator, real fetch)', () => {
  let sim: CmSimulator
  beforeAll(async () => {
    // As the e2e desk: requests without Authorization act as the operator (the platform's Windows sign-in).
    sim = await startCmSimulator({ scenario: 'training', defaultUser: 'CORP\\operator1' })
  })
  beforeEach(() => sim.control.reset())
  afterAll(() => sim.close())

  it('401 with three WWW-Authenticate fields and an HTML body → windows-sign-in-failed, once, no HTML anywhere', async () => {
    sim.control.applyPreset('windows-sign-in-refused', { realm: 'cm.contoso.com' })
    const { client, log } = simClient(sim, null)
    const error = await caught(client.listProfileTemplates())
    expect(error.toInfo()).toEqual({ code: 'windows-sign-in-failed' })
    expect(hits(sim, 'E01')).toBe(1)
    for (const text of IIS_TEXT) {
      expect(error.message).not.toContain(text)
      expect(JSON.stringify(error.toInfo())).not.toContain(text)
      expect(log.lines.join('\n')).not.toContain(text)
    }
    const line = log.lines.find((l) => l.includes('cm: Windows sign-in refused'))
    expect(line).toBeDefined()
    expect(JSON.parse(line!)).toMatchObject({
      endpoint: 'E01',
      status: 401,
      offered: ['Negotiate', 'NTLM', 'Basic'],
      windowsSignInOffered: true,
    })
    expect(line).not.toContain('cm.contoso.com')
  })

  it('probe() is E01 with one attempt: the template count, or the failure at once (no retry)', async () => {
    const { client } = simClient(sim, null)
    expect((await client.probe()).templates).toBeGreaterThan(0)
    sim.control.clearLog()
    sim.control.addFault({ match: { route: 'E01' }, action: { type: 'status', code: 503 } })
    expect((await caught(client.probe())).code).toBe('server-error')
    expect(hits(sim, 'E01')).toBe(1)
    // The same failure on an ordinary read is retried (3 attempts).
    sim.control.clearLog()
    await caught(client.listProfileTemplates())
    expect(hits(sim, 'E01')).toBe(3)
  })

  it('tells every call outcome (after retries) to onOutcome; not a call its caller aborted', async () => {
    const outcomes: unknown[] = []
    const { client } = simClient(sim, null, { onOutcome: (o) => outcomes.push(o) })
    await client.probe()
    sim.control.applyPreset('windows-sign-in-refused')
    await caught(client.probe())
    sim.control.reset()
    sim.control.addFault({ match: { route: 'E01' }, action: { type: 'hang' } })
    const abort = new AbortController()
    const pending = client.probe({ signal: abort.signal }).catch(() => 'aborted')
    setTimeout(() => abort.abort(new Error('operator left')), 50)
    expect(await pending).toBe('aborted')
    expect(outcomes).toEqual([{ ok: true }, { ok: false, code: 'windows-sign-in-failed' }])
  })
})

describe('the CM client and a refused sign-in (scripted answers)', () => {
  it('an ADFS-only site (Bearer) is logged as not offering Windows sign-in', async () => {
    const { client, log } = clientWith(() => ({
      ...raw(401, '{"Message":"Authorization has been denied for this request."}'),
      headers: { 'www-authenticate': 'Bearer error="invalid_token", error_description="expired, renew"' },
    }))
    expect((await caught(client.listRequests())).code).toBe('windows-sign-in-failed')
    const line = JSON.parse(log.lines.find((l) => l.includes('cm: Windows sign-in refused'))!) as Record<
      string,
      unknown
    >
    expect(line).toMatchObject({ offered: ['Bearer'], windowsSignInOffered: false })
    expect(JSON.stringify(line)).not.toContain('denied')
  })

  it('a 401 without any challenge is still windows-sign-in-failed, offered: []', async () => {
    const { client, log, calls } = clientWith(() => raw(401, '', null))
    expect((await caught(client.getProfileTemplate('a039b4d0-5ce8-4eff-8651-181c6576fda3'))).code).toBe(
      'windows-sign-in-failed',
    )
    expect(calls).toHaveLength(1)
    expect(log.lines.join('\n')).toContain('"offered":[]')
  })

  it('a 200 HTML page (a proxy sign-in page) is invalid-response, its text never shown', async () => {
    const { client, log } = clientWith(() => raw(200, '<html><title>Sign in</title></html>', 'text/html'))
    const error = await caught(client.listProfileTemplates())
    expect(error.toInfo()).toEqual({ code: 'invalid-response' })
    expect(error.message + log.lines.join('\n')).not.toContain('Sign in')
  })
})

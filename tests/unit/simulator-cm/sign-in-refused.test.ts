import { request as httpRequest } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { startCmSimulator, type CmSimulator } from '../../../electron/simulator/cm/index'
import { SIGN_IN_REFUSED_FAULT } from '../../../electron/simulator/cm/presets'
import { api, call } from './helpers'

/**
 * IIS refusing the Windows sign-in (cm-rest-api.md §1.5, §1.7, SIM-A1): switch `basicRealm` and preset
 * `windows-sign-in-refused` — 401 with THREE `WWW-Authenticate` fields and IIS's HTML page, whoever calls.
 */

let sim: CmSimulator | undefined
afterEach(async () => {
  await sim?.close()
  sim = undefined
})

/** The raw response fields (node:http keeps repeated fields apart in rawHeaders). */
function rawGet(
  base: string,
  path: string,
): Promise<{ status: number; fields: Array<[string, string]>; text: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(base + path, { method: 'GET' }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const fields: Array<[string, string]> = []
        for (let i = 0; i < res.rawHeaders.length; i += 2)
          fields.push([res.rawHeaders[i]!, res.rawHeaders[i + 1]!])
        resolve({ status: res.statusCode ?? 0, fields, text: Buffer.concat(chunks).toString('utf8') })
      })
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

describe('Windows sign-in refused (IIS 401)', () => {
  it('switch basicRealm adds a third challenge, Basic realm="…", after Negotiate and NTLM', async () => {
    sim = await startCmSimulator({
      scenario: 'training',
      switches: { authMode: 'wia', basicRealm: 'cm "lab"' },
    })
    const res = await rawGet(sim.baseUrl, api('profiletemplates'))
    expect(res.status).toBe(401)
    expect(res.fields.filter(([k]) => k.toLowerCase() === 'www-authenticate').map(([, v]) => v)).toEqual([
      'Negotiate',
      'NTLM',
      'Basic realm="cm \\"lab\\""',
    ])
    // Basic credentials are offered, never accepted.
    const basic = await call(sim, 'GET', api('profiletemplates'), {
      as: null,
      headers: { Authorization: `Basic ${Buffer.from('CORP\\operator1:x').toString('base64')}` },
    })
    expect(basic.status).toBe(401)
  })

  it('preset windows-sign-in-refused: 401 + three challenges + IIS HTML for every caller, even the default user; clearFaults ends it', async () => {
    sim = await startCmSimulator({ scenario: 'training', defaultUser: 'CORP\\operator1' })
    expect((await call(sim, 'GET', api('profiletemplates'), { as: null })).status).toBe(200)

    sim.control.applyPreset('windows-sign-in-refused', { realm: 'cm.contoso.com' })
    expect(sim.control.listFaults().map((f) => f.id)).toEqual([SIGN_IN_REFUSED_FAULT])
    for (const as of [null, 'CORP\\operator1']) {
      const res = await call(sim, 'GET', api('profiletemplates'), { as })
      expect(res.status).toBe(401)
      // fetch joins the repeated field with ", " (what the station's CM client reads).
      expect(res.headers.get('www-authenticate')).toBe('Negotiate, NTLM, Basic realm="cm.contoso.com"')
      expect(res.headers.get('content-type')).toBe('text/html')
      expect(res.text).toContain(
        '<title>401 - Unauthorized: Access is denied due to invalid credentials.</title>',
      )
    }
    const raw = await rawGet(sim.baseUrl, api('requests'))
    expect(raw.fields.filter(([k]) => k.toLowerCase() === 'www-authenticate')).toHaveLength(3)
    expect(sim.control.requestLog().at(-1)).toMatchObject({ status: 401, fault: SIGN_IN_REFUSED_FAULT })

    sim.control.clearFaults()
    expect((await call(sim, 'GET', api('profiletemplates'), { as: null })).status).toBe(200)
  })

  it('the preset through the control HTTP API with a realm, and the CLI-style initial preset', async () => {
    sim = await startCmSimulator({ scenario: 'training', defaultUser: 'CORP\\operator1', controlHttp: true })
    const preset = await fetch(`${sim.baseUrl}/__sim/presets/windows-sign-in-refused`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ realm: 'CORP' }),
    })
    expect(preset.status).toBe(204)
    const refused = await call(sim, 'GET', api('smartcards'), { as: null })
    expect(refused.headers.get('www-authenticate')).toBe('Negotiate, NTLM, Basic realm="CORP"')
    expect((await fetch(`${sim.baseUrl}/__sim/faults`, { method: 'DELETE' })).status).toBe(204)
    expect((await call(sim, 'GET', api('smartcards'), { as: null })).status).toBe(200)
    await sim.close()

    sim = await startCmSimulator({ scenario: 'training', presets: ['windows-sign-in-refused'] })
    const atStart = await call(sim, 'GET', api('profiletemplates'))
    expect(atStart.status).toBe(401)
    expect(atStart.headers.get('www-authenticate')).toBe('Negotiate, NTLM, Basic realm="cm.contoso.com"')
  })
})

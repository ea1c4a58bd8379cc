import { afterEach, describe, expect, it } from 'vitest'
import { simBearerJwt, simNegotiateHeader } from '../../../electron/simulator/cm/index'
import type { CmSimulator } from '../../../electron/simulator/cm/index'
import { api, call, startSim } from './helpers'

/** SIM-A1..A3 and SIM-R14: authentication and the API-disabled switch. */

let sim: CmSimulator | undefined
afterEach(async () => {
  await sim?.close()
  sim = undefined
})

describe('authentication', () => {
  it('401 without Authorization, with Negotiate + NTLM (WIA) and Bearer (ADFS) challenges', async () => {
    sim = await startSim()
    const both = await call(sim, 'GET', api('profiletemplates'), { as: null })
    expect(both.status).toBe(401)
    expect(both.headers.get('www-authenticate')).toBe('Negotiate, NTLM, Bearer')
    sim.control.setSwitches({ authMode: 'wia' })
    expect(
      (await call(sim, 'GET', api('profiletemplates'), { as: null })).headers.get('www-authenticate'),
    ).toBe('Negotiate, NTLM')
    sim.control.setSwitches({ authMode: 'adfs' })
    expect(
      (await call(sim, 'GET', api('profiletemplates'), { as: null })).headers.get('www-authenticate'),
    ).toBe('Bearer')
  })

  it('maps Negotiate base64("sim:<account>") to the user; unknown accounts are 401', async () => {
    sim = await startSim()
    expect(simNegotiateHeader('CORP\\jdoe')).toBe('Negotiate c2ltOkNPUlBcamRvZQ==')
    const ok = await call(sim, 'GET', api('profiletemplates'), {
      headers: { Authorization: 'Negotiate c2ltOkNPUlBcamRvZQ==' },
      as: null,
    })
    expect(ok.status).toBe(200)
    const bad = await call(sim, 'GET', api('profiletemplates'), { as: 'CORP\\mallory' })
    expect(bad.status).toBe(401)
    const garbage = await call(sim, 'GET', api('profiletemplates'), {
      as: null,
      headers: { Authorization: 'Basic dTpw' },
    })
    expect(garbage.status).toBe(401)
  })

  it('accepts Bearer unsigned JWTs (upn) and rejects Negotiate in ADFS mode', async () => {
    sim = await startSim({ switches: { authMode: 'adfs' } })
    const jwt = simBearerJwt('jdoe@corp.contoso.com')
    const ok = await call(sim, 'GET', api('smartcards/438d1b30-f3b4-4bed-85fa-285e08605ba7'), {
      as: null,
      headers: { Authorization: `Bearer ${jwt}` },
    })
    expect(ok.status).toBe(200)
    const invalid = await call(sim, 'GET', api('profiletemplates'), {
      as: null,
      headers: { Authorization: 'Bearer nope' },
    })
    expect(invalid.status).toBe(401)
    expect(invalid.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"')
    expect((await call(sim, 'GET', api('profiletemplates'))).status).toBe(401)
  })

  it('accepts opaque tokens from a user token table', async () => {
    sim = await startSim({
      seed: {
        Extends: 'docs',
        Users: [
          {
            Key: 'u-token',
            Uuid: '11111111-2222-4333-8444-555555555555',
            Account: 'CORP\\tok',
            Tokens: ['opaque-1'],
          },
        ],
      },
    })
    const res = await call(sim, 'GET', api('profiletemplates'), {
      as: null,
      headers: { Authorization: 'Bearer opaque-1' },
    })
    expect(res.status).toBe(200)
    expect(sim.control.requestLog().at(-1)?.user).toBe('CORP\\tok')
  })

  it('issues and honours a session cookie when sessionCookie is on (SIM-A3)', async () => {
    sim = await startSim({ switches: { sessionCookie: true } })
    const first = await call(sim, 'GET', api('profiletemplates'))
    const cookie = first.headers.get('set-cookie')!
    expect(cookie).toMatch(/^CmSimSession=[0-9a-f-]{36}; path=\/CertificateManagement; HttpOnly$/)
    const again = await call(sim, 'GET', api('smartcards/438d1b30-f3b4-4bed-85fa-285e08605ba7'), {
      as: null,
      headers: { Cookie: cookie.split(';')[0]! },
    })
    expect(again.status).toBe(200)
    expect(
      (
        await call(sim, 'GET', api('profiletemplates'), {
          as: null,
          headers: { Cookie: 'CmSimSession=forged' },
        })
      ).status,
    ).toBe(401)
  })

  it('defaultUser lets credential-less in-process callers act as that user', async () => {
    sim = await startSim({ defaultUser: 'CORP\\jdoe' })
    const res = await call(sim, 'GET', api('smartcards?cardid=d1ef6869-5517-42a0-8f05-16ca1a0b834d'), {
      as: null,
    })
    expect(res.status).toBe(200)
    // An explicit (wrong) credential still fails: the default only fills in for missing ones.
    expect((await call(sim, 'GET', api('profiletemplates'), { as: 'CORP\\mallory' })).status).toBe(401)
  })
})

describe('API disabled (Clm.WebApi.Enabled=false, SIM-R14)', () => {
  it('answers 404 HTML on every method and API path, after authentication, and toggles at runtime', async () => {
    sim = await startSim()
    sim.control.setSwitches({ apiEnabled: false })
    for (const [m, p] of [
      ['GET', api('profiletemplates')],
      ['POST', api('requests')],
      ['PUT', api('requests/a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099')],
      ['GET', '/CertificateManagement/api/whatever'],
    ] as const) {
      const res = await call(sim, m, p, m === 'GET' ? {} : { body: {} })
      expect(res.status, `${m} ${p}`).toBe(404)
      expect(res.headers.get('content-type')).toBe('text/html')
      expect(res.text).toContain('404')
    }
    expect((await call(sim, 'GET', api('profiletemplates'), { as: null })).status).toBe(401)
    sim.control.setSwitches({ apiEnabled: true })
    expect((await call(sim, 'GET', api('profiletemplates'))).status).toBe(200)
    sim.control.applyPreset('api-disabled')
    expect((await call(sim, 'GET', api('profiletemplates'))).status).toBe(404)
  })
})

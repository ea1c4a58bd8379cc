import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { parseConfig } from '../../../electron/services/config'
import { createMemoryLogger } from '../../../electron/services/log'
import { createStation, type Station } from '../../../electron/station/station'
import { absentPcsc } from '../../support/absent-pcsc'

const ctx = { host: 'test' as const }
let station: Station | null = null
afterEach(async () => {
  await station?.close()
  station = null
})

describe('station composition', () => {
  it('training mode: simulator on loopback, virtual readers, and the whole chain works without PC/SC', async () => {
    const log = createMemoryLogger()
    station = await createStation({
      config: parseConfig({}),
      log,
      host: 'preview',
      version: '1.2.3',
      pcsc: absentPcsc(),
      dataDir: mkdtempSync(join(tmpdir(), 'station-')),
    })
    const r = station.router
    expect(await r.dispatch('app:info', {}, ctx)).toEqual({
      ok: true,
      value: {
        version: '1.2.3',
        trainingMode: true,
        cmServer: null,
        host: 'preview',
        directory: true,
        pinDisplay: 'reveal',
        readerFilter: { allow: [], deny: ['Windows Hello', 'Microsoft Passport'] },
        kiosk: false,
        idleTimeoutSec: 300,
        language: null,
      },
    })
    expect(station.simulator?.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)

    const list = await r.dispatch('reader:list', {}, ctx)
    expect(list).toMatchObject({ ok: true, value: { service: 'unavailable' } })
    const names = (list as { value: { readers: { name: string; kind: string }[] } }).value.readers
    expect(names.map((x) => [x.name, x.kind])).toEqual([
      ['Station Virtual Reader 0', 'virtual'],
      ['Station Virtual Reader 1', 'virtual'],
    ])

    const events: unknown[] = []
    station.bus.subscribe((e, p) => events.push([e, p]))
    expect(await r.dispatch('training:insert-card', { reader: 'Station Virtual Reader 1' }, ctx)).toEqual({
      ok: true,
      value: null,
    })
    expect(events.at(-1)).toMatchObject([
      'reader:changed',
      { readers: [{ present: false }, { present: true }] },
    ])

    const id = await r.dispatch('card:identify', { reader: 'Station Virtual Reader 1' }, ctx)
    expect(id).toMatchObject({ ok: true, value: { isGids: true } })
    const cardId = (id as { value: { cardId: string } }).value.cardId
    expect(cardId).toMatch(/^[0-9a-f-]{36}$/)

    // Reader 1 holds the new, unregistered badge; reader 0 the seeded Active badge, found in CM over HTTP.
    expect(await r.dispatch('cm:find-card', { cardId }, ctx)).toEqual({ ok: true, value: null })
    await r.dispatch('training:insert-card', { reader: 'Station Virtual Reader 0' }, ctx)
    const issued = await r.dispatch('card:identify', { reader: 'Station Virtual Reader 0' }, ctx)
    const issuedId = (issued as { value: { cardId: string } }).value.cardId
    expect(await r.dispatch('cm:find-card', { cardId: issuedId }, ctx)).toMatchObject({
      ok: true,
      value: { card: { status: { raw: 3, name: 'Active' } } },
    })

    expect(await r.dispatch('training:remove-card', { reader: 'Station Virtual Reader 1' }, ctx)).toEqual({
      ok: true,
      value: null,
    })
    expect(await r.dispatch('card:identify', { reader: 'Station Virtual Reader 1' }, ctx)).toEqual({
      ok: false,
      error: { code: 'no-card' },
    })

    // A new blank badge: another cardid, unknown to CM, ready to issue.
    await r.dispatch('training:new-card', { reader: 'Station Virtual Reader 1' }, ctx)
    const fresh = await r.dispatch('card:identify', { reader: 'Station Virtual Reader 1' }, ctx)
    const freshId = (fresh as { value: { cardId: string } }).value.cardId
    expect(freshId).toMatch(/^[0-9a-f-]{36}$/)
    expect(freshId).not.toBe(cardId)
    expect(await r.dispatch('cm:find-card', { cardId: freshId }, ctx)).toEqual({ ok: true, value: null })
  })

  it('with a CM server configured: no simulator, no virtual readers, training calls refused', async () => {
    station = await createStation({
      config: parseConfig({ cm: { appRoot: 'https://cm.contoso.com/CertificateManagement' } }),
      log: createMemoryLogger(),
      host: 'electron',
      version: '1',
      pcsc: absentPcsc(),
      dataDir: mkdtempSync(join(tmpdir(), 'station-')),
      fetch: async () => {
        throw new TypeError('fetch failed')
      },
    })
    expect(station.simulator).toBeNull()
    expect(await station.router.dispatch('app:info', {}, ctx)).toMatchObject({
      ok: true,
      value: { trainingMode: false, cmServer: 'cm.contoso.com' },
    })
    expect(await station.router.dispatch('reader:list', {}, ctx)).toEqual({
      ok: true,
      value: { service: 'unavailable', readers: [] },
    })
    expect(
      await station.router.dispatch('training:insert-card', { reader: 'Station Virtual Reader 0' }, ctx),
    ).toEqual({
      ok: false,
      error: { code: 'not-training-mode' },
    })
    // The configured (unreachable) server yields a typed network error, never raw text.
    expect(
      await station.router.dispatch('cm:find-card', { cardId: 'd1ef6869-5517-42a0-8f05-16ca1a0b834d' }, ctx),
    ).toEqual({
      ok: false,
      error: { code: 'network' },
    })
  })

  it('the CM connection check: at start, on demand (cm:check-connection), current (cm:connection-status), on the bus', async () => {
    const events: unknown[] = []
    let answer: 'refuse' | 'pass' = 'refuse'
    station = await createStation({
      config: parseConfig({ cm: { appRoot: 'https://cm.contoso.com:8443/CertificateManagement' } }),
      log: createMemoryLogger(),
      host: 'electron',
      version: '1',
      pcsc: absentPcsc(),
      dataDir: mkdtempSync(join(tmpdir(), 'station-')),
      fetch: async (url) => {
        expect(new URL(url).pathname).toBe('/CertificateManagement/api/v1.0/profiletemplates')
        const headers = new Headers({ 'content-type': 'text/html', 'www-authenticate': 'Negotiate, NTLM' })
        if (answer === 'pass') headers.set('content-type', 'application/json')
        return answer === 'pass'
          ? { status: 200, headers, text: async () => '[]' }
          : { status: 401, headers, text: async () => '<html>401 - Unauthorized</html>' }
      },
    })
    station.bus.subscribe((event, payload) => {
      if (event === 'cm:connection-changed') events.push(payload)
    })
    const first = await station.router.dispatch('cm:check-connection', {}, ctx)
    expect(first).toMatchObject({
      ok: true,
      value: {
        state: 'sign-in-failed',
        host: 'cm.contoso.com:8443',
        training: false,
        code: 'windows-sign-in-failed',
      },
    })
    expect(JSON.stringify(first)).not.toContain('html')
    answer = 'pass'
    expect(await station.router.dispatch('cm:check-connection', {}, ctx)).toMatchObject({
      ok: true,
      value: { state: 'connected', host: 'cm.contoso.com:8443' },
    })
    expect(await station.router.dispatch('cm:connection-status', {}, ctx)).toMatchObject({
      ok: true,
      value: { state: 'connected' },
    })
    expect(events.map((e) => (e as { state: string }).state)).toEqual([
      'sign-in-failed',
      'checking',
      'connected',
    ])
    expect(await station.router.dispatch('cm:check-connection', { extra: 1 }, ctx)).toEqual({
      ok: false,
      error: { code: 'invalid-request' },
    })
  })

  it('training mode checks the built-in simulator and says so', async () => {
    station = await createStation({
      config: parseConfig({}),
      log: createMemoryLogger(),
      host: 'preview',
      version: '1',
      pcsc: absentPcsc(),
      dataDir: mkdtempSync(join(tmpdir(), 'station-')),
    })
    const result = await station.router.dispatch('cm:check-connection', {}, ctx)
    expect(result).toMatchObject({
      ok: true,
      value: { state: 'connected', training: true, host: new URL(station.simulator!.appRoot).host },
    })
  })

  it('training directory: ≥ 50 people with accents, searchable, and CM accepts an on-behalf request for them', async () => {
    station = await createStation({
      config: parseConfig({}),
      log: createMemoryLogger(),
      host: 'preview',
      version: '1',
      pcsc: absentPcsc(),
      dataDir: mkdtempSync(join(tmpdir(), 'station-')),
    })
    const r = station.router
    const users = station.simulator!.control.state().Users
    expect(users.length).toBeGreaterThanOrEqual(50)
    expect(users.some((u) => /[À-ÿ]/.test(u.DisplayName))).toBe(true)
    const found = (await r.dispatch('directory:search', { query: 'souza', limit: 100 }, ctx)) as {
      ok: true
      value: { people: { uuid: string; displayName: string; department: string | null }[]; total: number }
    }
    expect(found.ok).toBe(true)
    expect(found.value.total).toBeGreaterThan(1)
    const holder = found.value.people[0]!
    expect(holder.department).not.toBeNull()
    const started = await r.dispatch(
      'enrollment:start',
      { kind: 'holder', holderUuid: holder.uuid, templateId: 'e1000000-5151-4a00-8000-000000000005' },
      ctx,
    )
    expect(started).toMatchObject({ ok: true })
    const rid = (started as { value: { requestId: string } }).value.requestId
    const request = station.simulator!.control.state().Requests.find((x) => x.Uuid === rid)
    expect(request?.TargetUserUuid).toBe(holder.uuid)
  })

  it('a directory configured: LDAP, its failures typed over IPC (here: nothing listens)', async () => {
    const log = createMemoryLogger()
    station = await createStation({
      config: parseConfig({
        cm: { appRoot: 'https://cm.contoso.com/CertificateManagement' },
        directory: {
          url: 'ldaps://127.0.0.1:1',
          baseDn: 'DC=corp,DC=contoso,DC=com',
          bindDn: 'svc-station@corp.contoso.com',
          domain: 'CORP',
          timeoutMs: 1000,
        },
      }),
      log,
      host: 'preview',
      version: '1',
      pcsc: absentPcsc(),
      dataDir: mkdtempSync(join(tmpdir(), 'station-')),
      directoryPassword: async () => 'pa55-w0rd-never-logged',
      fetch: async () => {
        throw new TypeError('fetch failed')
      },
    })
    expect(await station.router.dispatch('app:info', {}, ctx)).toMatchObject({ value: { directory: true } })
    expect(await station.router.dispatch('directory:search', { query: 'ana', limit: 5 }, ctx)).toEqual({
      ok: false,
      error: { code: 'directory-unavailable' },
    })
    expect(log.lines.join('\n')).toContain('directory-unavailable')
    expect(log.lines.join('\n')).not.toContain('pa55-w0rd-never-logged')
  })
})

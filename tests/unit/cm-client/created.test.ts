import { describe, expect, it } from 'vitest'
import { parseCreated } from '../../../electron/services/cm/created'
import { extractCorrelationId, extractMessage } from '../../../electron/services/cm/correlation'
import { createMemoryCookieJar } from '../../../electron/services/cm/cookie-jar'

describe('parseCreated (§1.8)', () => {
  it('accepts the documented bare JSON string (already parsed or raw text)', () => {
    expect(parseCreated('api/v1.0/requests/a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099')).toEqual({
      collection: 'requests',
      id: 'a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099',
    })
    expect(parseCreated('"api/v1.0/smartcards/17cf063d-e337-4aa9-a822-346554ddd3c9"')).toEqual({
      collection: 'smartcards',
      id: '17cf063d-e337-4aa9-a822-346554ddd3c9',
    })
  })

  it('accepts the walkthrough variant FX-E05-W6 (leading slash, prefix, upper case) and FX-E11-W15', () => {
    expect(
      parseCreated('/CertificateManagement/api/v1.0/requests/C6BAD97C-F97F-4920-8947-BE980C98C6B5'),
    ).toEqual({
      collection: 'requests',
      id: 'c6bad97c-f97f-4920-8947-be980c98c6b5',
    })
    expect(parseCreated('api/v1.0/smartcards/D700D97C-F91F-4930-8947-BE980C98A644')).toEqual({
      collection: 'smartcards',
      id: 'd700d97c-f91f-4930-8947-be980c98a644',
    })
    expect(
      parseCreated('/certificatemanagement/API/V1.0/Requests/c6bad97c-f97f-4920-8947-be980c98c6b5')?.id,
    ).toBe('c6bad97c-f97f-4920-8947-be980c98c6b5')
    expect(
      parseCreated(
        'https://cm.contoso.com/CertificateManagement/api/v1.0/requests/c6bad97c-f97f-4920-8947-be980c98c6b5',
      ),
    ).toEqual({ collection: 'requests', id: 'c6bad97c-f97f-4920-8947-be980c98c6b5' })
  })

  it('rejects anything else', () => {
    for (const bad of [
      undefined,
      null,
      42,
      { uri: 'api/v1.0/requests/a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099' },
      '',
      'api/v1.0/profiles/a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099',
      'api/v2.0/requests/a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099',
      'api/v1.0/requests/not-a-guid-but-thirty-six-characters!',
      'api/v1.0/requests/a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099/extra',
      'api/v1.0/ requests/a9b4b42c-cc50-4c9b-89d1-bbc0bcd5a099',
      '"unterminated',
    ]) {
      expect(parseCreated(bad), String(bad)).toBeNull()
    }
  })
})

describe('correlation id extraction (§1.7, OQ-01)', () => {
  const CID = '6f1d2c1e-0b7a-4c55-9a55-1c0f0d2b9e11'

  it('reads it from the Web API default message', () => {
    expect(extractCorrelationId(`{"Message":"An error has occurred. Correlation ID: ${CID}"}`)).toBe(CID)
  })

  it('prefers a property whose name contains "correlation", at any depth, any case', () => {
    const other = '11111111-2222-3333-4444-555555555555'
    expect(
      extractCorrelationId(`{"Message":"Request ${other} failed","CorrelationId":"${CID.toUpperCase()}"}`),
    ).toBe(CID)
    expect(
      extractCorrelationId(`{"Message":"x ${other}","error":{"details":[{"x-correlation-id":"${CID}"}]}}`),
    ).toBe(CID)
  })

  it('prefers the GUID after the word "correlation" over an earlier GUID in the text', () => {
    const other = '11111111-2222-3333-4444-555555555555'
    expect(extractCorrelationId(`{"Message":"Request ${other} failed. Correlation ID: ${CID}"}`)).toBe(CID)
  })

  it('falls back to the first GUID of a non-JSON body, and to undefined', () => {
    expect(extractCorrelationId(`<html><body>Error ${CID.toUpperCase()}</body></html>`)).toBe(CID)
    expect(extractCorrelationId('{"Message":"An error has occurred."}')).toBeUndefined()
    expect(extractCorrelationId('')).toBeUndefined()
  })

  it('keeps a short non-GUID correlation value but drops unsafe text', () => {
    expect(extractCorrelationId('{"correlation":"abc-123"}')).toBe('abc-123')
    expect(extractCorrelationId('{"correlation":"<script>alert(1)</script>"}')).toBeUndefined()
  })

  it('extracts the message case-insensitively, else capped raw text', () => {
    expect(extractMessage('{"message":"boom"}')).toBe('boom')
    expect(extractMessage('  plain failure  ')).toBe('plain failure')
    expect(extractMessage('x'.repeat(5000))).toHaveLength(2048)
  })
})

describe('memory cookie jar', () => {
  it('stores per origin, replaces, expires', () => {
    let now = 1_000_000
    const jar = createMemoryCookieJar(() => now)
    jar.store('https://cm.test/CertificateManagement/api/v1.0/x', [
      'S=1; Path=/; HttpOnly',
      'T=2; Max-Age=10',
    ])
    expect(jar.header('https://cm.test/other')).toBe('S=1; T=2')
    expect(jar.header('https://elsewhere.test/')).toBeUndefined()
    now += 11_000
    expect(jar.header('https://cm.test/')).toBe('S=1')
    jar.store('https://cm.test/', ['S=; Max-Age=0'])
    expect(jar.header('https://cm.test/')).toBeUndefined()
  })
})

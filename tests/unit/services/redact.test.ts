import { describe, expect, it } from 'vitest'
import { redact, redactApduHex, redactUrl } from '../../../electron/services/redact'
import { createMemoryLogger } from '../../../electron/services/log'

describe('log redactors', () => {
  it('masks the challenge in CM URLs', () => {
    const url =
      '/api/v1.0/requests/r/smartcards/s/authenticationresponse?cardid=c&challenge=1hFD%2Bcz%2F0so%3D&diversified=false'
    expect(redactUrl(url)).toBe(
      '/api/v1.0/requests/r/smartcards/s/authenticationresponse?cardid=c&challenge=[redacted]&diversified=false',
    )
  })

  it('masks secret fields at any depth and byte buffers', () => {
    const out = redact({
      pin: '123456',
      nested: { adminKey: 'aa', list: [{ response: 'F0Zudm4wPLY=' }] },
      data: Buffer.from('k'),
    })
    expect(JSON.stringify(out)).not.toMatch(/123456|F0Zudm4wPLY|"aa"/)
    expect(out).toMatchObject({ data: '[bytes:1]' })
  })

  it('masks APDUs that carry PINs, keys or authentication data', () => {
    expect(redactApduHex('00 20 00 80 06 313233343536')).toBe('00200080…[redacted]')
    expect(redactApduHex('002c0280083132333435363738')).toBe('002c0280…[redacted]')
    expect(redactApduHex('00870000 0c 7c0a8208 1122334455667788')).toBe('00870000…[redacted]')
    expect(redactApduHex('00db3fff2670248401')).toBe('00db3fff…[redacted]')
    expect(redactApduHex('00a4040009a00000039742544659')).toBe('00a4040009a00000039742544659')
  })

  it('applies at the logger sink', () => {
    const log = createMemoryLogger()
    log.info('set pin', { pin: '918273', url: '/x?challenge=abc' })
    expect(log.lines.join()).not.toMatch(/918273|abc/)
  })
})

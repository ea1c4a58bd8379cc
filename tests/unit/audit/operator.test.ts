import { describe, expect, it } from 'vitest'
import { operatorAccount } from '../../../electron/services/audit/operator'

describe('operator account (who the audit names)', () => {
  it('Windows: DOMAIN\\user from USERDOMAIN and the account running the station', () => {
    expect(
      operatorAccount({ platform: 'win32', env: { USERDOMAIN: 'CORP' }, username: () => 'ana.souza' }),
    ).toBe('CORP\\ana.souza')
  })

  it('Windows without USERDOMAIN, or another OS: the user name alone', () => {
    expect(operatorAccount({ platform: 'win32', env: {}, username: () => 'ana' })).toBe('ana')
    expect(operatorAccount({ platform: 'linux', env: { USERDOMAIN: 'CORP' }, username: () => 'ana' })).toBe(
      'ana',
    )
  })

  it('an account that cannot be read is "unknown"', () => {
    expect(
      operatorAccount({
        platform: 'linux',
        env: {},
        username: () => {
          throw new Error('no passwd entry')
        },
      }),
    ).toBe('unknown')
  })
})

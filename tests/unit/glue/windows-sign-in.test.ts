import { describe, expect, it, vi } from 'vitest'
import { allowWindowsSignIn } from '../../../electron/glue/windows-sign-in'
import { allowListCovers, windowsSignInAllowList } from '../../../electron/services/cm/sign-in-hosts'
import { parseConfig } from '../../../electron/services/config'
import { createMemoryLogger } from '../../../electron/services/log'

/** The Windows sign-in allow-list handed to Electron's session (electron/glue/windows-sign-in.ts). */

function fakeSession() {
  return { allowNTLMCredentialsForDomains: vi.fn<(domains: string) => void>() }
}

describe('windowsSignInAllowList', () => {
  it('default: exactly the CM host, without its port', () => {
    const { cm } = parseConfig({ cm: { appRoot: 'https://CM.Contoso.com:8443/CertificateManagement' } })
    expect(windowsSignInAllowList(cm)).toEqual(['cm.contoso.com'])
  })

  it('configured: the list as given', () => {
    const { cm } = parseConfig({
      cm: {
        appRoot: 'https://cm.contoso.com/CertificateManagement',
        windowsSignInHosts: ['cm.contoso.com', '*.corp.contoso.com'],
      },
    })
    expect(windowsSignInAllowList(cm)).toEqual(['cm.contoso.com', '*.corp.contoso.com'])
  })

  it('training mode: none', () => {
    expect(windowsSignInAllowList(parseConfig({}).cm)).toEqual([])
  })

  it.each([
    [['cm.contoso.com'], 'cm.contoso.com', true],
    [['CM.contoso.com'], 'cm.CONTOSO.com', true],
    [['*.contoso.com'], 'cm.contoso.com', true],
    [['*.contoso.com'], 'contoso.com', false],
    [['*.contoso.com'], 'cm.notcontoso.com', false],
    [['contoso.com'], 'cm.contoso.com', false],
    [['other.contoso.com'], 'cm.contoso.com', false],
  ])('%j covers %s: %s', (patterns, host, covered) => {
    expect(allowListCovers(patterns, host)).toBe(covered)
  })
})

describe('allowWindowsSignIn (Electron session)', () => {
  it('sets the CM host by default, comma-separated for Chromium', () => {
    const session = fakeSession()
    const log = createMemoryLogger()
    const config = parseConfig({ cm: { appRoot: 'https://cm.contoso.com/CertificateManagement' } })
    expect(allowWindowsSignIn(session, config, log)).toEqual(['cm.contoso.com'])
    expect(session.allowNTLMCredentialsForDomains).toHaveBeenCalledTimes(1)
    expect(session.allowNTLMCredentialsForDomains).toHaveBeenCalledWith('cm.contoso.com')
    expect(log.lines.join('\n')).not.toContain('"level":"warn"')
  })

  it('sets a configured list as one comma-separated string', () => {
    const session = fakeSession()
    const config = parseConfig({
      cm: {
        appRoot: 'https://cm.contoso.com/CertificateManagement',
        windowsSignInHosts: ['cm.contoso.com', '*.corp.contoso.com'],
      },
    })
    allowWindowsSignIn(session, config, createMemoryLogger())
    expect(session.allowNTLMCredentialsForDomains).toHaveBeenCalledWith('cm.contoso.com,*.corp.contoso.com')
  })

  it('warns when the configured list leaves the CM host out (every CM call would be a 401)', () => {
    const session = fakeSession()
    const log = createMemoryLogger()
    const config = parseConfig({
      cm: { appRoot: 'https://cm.contoso.com/CertificateManagement', windowsSignInHosts: ['*.fabrikam.com'] },
    })
    allowWindowsSignIn(session, config, log)
    expect(session.allowNTLMCredentialsForDomains).toHaveBeenCalledWith('*.fabrikam.com')
    const warn = log.lines.find((l) => l.includes('"level":"warn"'))
    expect(JSON.parse(warn!)).toMatchObject({
      msg: 'windows sign-in: the CM host is not in cm.windowsSignInHosts',
      cmHost: 'cm.contoso.com',
    })
  })

  it('training mode: nothing is set (Chromium keeps its default; the simulator needs no Windows credentials)', () => {
    const session = fakeSession()
    expect(allowWindowsSignIn(session, parseConfig({}), createMemoryLogger())).toEqual([])
    expect(session.allowNTLMCredentialsForDomains).not.toHaveBeenCalled()
  })

  it('refuses a wildcard for every host in the configuration (credentials never go everywhere)', () => {
    expect(() =>
      parseConfig({
        cm: { appRoot: 'https://cm.contoso.com/CertificateManagement', windowsSignInHosts: ['*'] },
      }),
    ).toThrow(/windowsSignInHosts/)
  })
})

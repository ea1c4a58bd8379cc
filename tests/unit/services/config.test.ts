import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, isTrainingMode, parseConfig } from '../../../electron/services/config'
import { loadConfig as loadLayered } from '../../../electron/services/config-load'

// No policy and no machine defaults file: only the environment level and the defaults.
const loadConfig = (env: NodeJS.ProcessEnv) =>
  loadLayered(env, {
    platform: 'linux',
    policy: null,
    machineFile: join(tmpdir(), 'no-such-dir', 'station.json'),
  })

describe('station configuration', () => {
  it('defaults to training mode with no CM server', async () => {
    const config = await loadConfig({})
    expect(isTrainingMode(config)).toBe(true)
    // Platform authenticators are denied by default (field report: Windows Hello for Business).
    expect(config.readers).toEqual({ allow: [], deny: ['Windows Hello', 'Microsoft Passport'] })
    expect(config.pinDisplay).toBe('reveal')
  })

  it('the reader deny list is a default that configuration overrides ([] shows every reader)', () => {
    expect(parseConfig({ readers: { allow: ['OMNIKEY'] } }).readers.deny).toEqual([
      'Windows Hello',
      'Microsoft Passport',
    ])
    expect(parseConfig({ readers: { deny: [] } }).readers.deny).toEqual([])
    expect(parseConfig({ readers: { deny: ['Yubico'] } }).readers.deny).toEqual(['Yubico'])
  })

  it('takes the CM app root from the environment over the file, trimming the trailing slash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'))
    const file = join(dir, 'station.json')
    writeFileSync(
      file,
      JSON.stringify({ cm: { appRoot: 'https://file.example/CertificateManagement', timeoutMs: 5000 } }),
    )
    const config = await loadConfig({
      STATION_CONFIG: file,
      STATION_CM_URL: 'https://cm.contoso.com/CertificateManagement/',
    })
    expect(config.cm).toEqual({
      appRoot: 'https://cm.contoso.com/CertificateManagement',
      timeoutMs: 5000,
      windowsSignInHosts: [],
      connectionCheckSec: 180,
    })
    expect(isTrainingMode(config)).toBe(false)
  })

  it('gives a typed error naming the bad fields', () => {
    const bad = () => parseConfig({ cm: { appRoot: 'ftp://x' }, readers: { allow: 'all' }, surprise: true })
    expect(bad).toThrow(ConfigError)
    try {
      bad()
    } catch (e) {
      const issues = (e as ConfigError).issues.join('\n')
      expect(issues).toContain('cm.appRoot')
      expect(issues).toContain('readers.allow')
      expect(issues).toMatch(/surprise|Unrecognized/)
    }
  })

  it('reports unreadable and non-JSON files as configuration errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'))
    const file = join(dir, 'broken.json')
    writeFileSync(file, '{ not json')
    await expect(loadConfig({ STATION_CONFIG: file })).rejects.toThrow(/not valid JSON/)
    await expect(loadConfig({ STATION_CONFIG: join(dir, 'missing.json') })).rejects.toThrow(
      /cannot read file \(ENOENT\)/,
    )
    writeFileSync(file, '[1,2]')
    await expect(loadConfig({ STATION_CONFIG: file })).rejects.toThrow(ConfigError)
  })
})

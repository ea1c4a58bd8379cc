import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it, vi } from 'vitest'
import { ConfigError } from '../../../electron/services/config'
import {
  describeConfigOrigins,
  loadConfig,
  loadConfigWithOrigins,
  machineConfigPath,
  type ConfigOrigin,
  type LoadConfigOptions,
} from '../../../electron/services/config-load'
import {
  POLICY_KEY,
  POLICY_SOURCE_NAME,
  readPolicyValue,
  type PolicySource,
} from '../../../electron/services/policy/registry-policy'
import {
  createWindowsPolicySource,
  fromRegQueryText,
  type WinregModule,
} from '../../../electron/services/policy/windows-registry'
import { dword, expandSz, fakePolicySource, multiSz, sz } from './fake-policy-source'

/** A scratch folder with the machine defaults file and the STATION_CONFIG file, both optional. */
function files(machine?: unknown, stationConfig?: unknown) {
  const dir = mkdtempSync(join(tmpdir(), 'cfg-layers-'))
  const machineFile = join(dir, 'machine', 'station.json')
  mkdirSync(join(dir, 'machine'))
  if (machine !== undefined)
    writeFileSync(machineFile, typeof machine === 'string' ? machine : JSON.stringify(machine))
  const userFile = join(dir, 'user.json')
  if (stationConfig !== undefined) writeFileSync(userFile, JSON.stringify(stationConfig))
  return { dir, machineFile, userFile }
}

async function load(
  sources: {
    policy?: PolicySource | undefined
    machine?: unknown
    stationConfig?: unknown
    env?: NodeJS.ProcessEnv
  },
  options: Partial<LoadConfigOptions> = {},
) {
  const { machineFile, userFile } = files(sources.machine, sources.stationConfig)
  const env = { ...sources.env, ...(sources.stationConfig !== undefined ? { STATION_CONFIG: userFile } : {}) }
  return loadConfigWithOrigins(env, {
    platform: 'linux',
    policy: sources.policy ?? null,
    machineFile,
    ...options,
  })
}

async function failure(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ConfigError)
  return error as ConfigError
}

describe('precedence: policy > machine defaults > environment (STATION_* > STATION_CONFIG) > defaults', () => {
  // Four distinct values per setting, one per source, so the winner is visible in the value and in the origin.
  const SETTINGS = [
    {
      path: 'logLevel',
      policy: { LogLevel: sz('error') },
      machine: { logLevel: 'warn' },
      env: { STATION_LOG_LEVEL: 'debug' },
      file: { logLevel: 'info' },
      values: {
        policy: 'error',
        'machine-file': 'warn',
        environment: 'debug',
        'station-config-file': 'info',
      },
      fallback: 'info',
      read: (c: Awaited<ReturnType<typeof load>>['config']) => c.logLevel,
    },
    {
      path: 'dataDir',
      policy: { DataDir: sz('/srv/policy') },
      machine: { dataDir: '/srv/machine' },
      env: { STATION_DATA_DIR: '/srv/env' },
      file: { dataDir: '/srv/file' },
      values: {
        policy: '/srv/policy',
        'machine-file': '/srv/machine',
        environment: '/srv/env',
        'station-config-file': '/srv/file',
      },
      fallback: undefined,
      read: (c: Awaited<ReturnType<typeof load>>['config']) => c.dataDir,
    },
    {
      path: 'cm.appRoot',
      policy: { CmAppRoot: sz('https://policy.contoso.com/CM') },
      machine: { cm: { appRoot: 'https://machine.contoso.com/CM' } },
      env: { STATION_CM_URL: 'https://env.contoso.com/CM' },
      file: { cm: { appRoot: 'https://file.contoso.com/CM' } },
      values: {
        policy: 'https://policy.contoso.com/CM',
        'machine-file': 'https://machine.contoso.com/CM',
        environment: 'https://env.contoso.com/CM',
        'station-config-file': 'https://file.contoso.com/CM',
      },
      fallback: undefined,
      read: (c: Awaited<ReturnType<typeof load>>['config']) => c.cm?.appRoot,
    },
  ]
  const LEVELS = ['policy', 'machine-file', 'environment', 'station-config-file'] as const
  // Every combination of sources present (16, the empty one included) for each setting.
  const cases = SETTINGS.flatMap((setting) =>
    Array.from({ length: 16 }, (_, mask) => {
      const present = LEVELS.filter((_, i) => mask & (1 << i))
      return { setting, present, name: `${setting.path} from {${present.join(', ') || 'nothing'}}` }
    }),
  )

  it.each(cases)('$name', async ({ setting, present }) => {
    const loaded = await load({
      policy: present.includes('policy') ? fakePolicySource(setting.policy) : undefined,
      machine: present.includes('machine-file') ? setting.machine : undefined,
      env: present.includes('environment') ? setting.env : {},
      stationConfig: present.includes('station-config-file') ? setting.file : undefined,
    })
    const winner: ConfigOrigin | undefined = present[0]
    expect(setting.read(loaded.config)).toBe(winner ? setting.values[winner] : setting.fallback)
    expect(loaded.origins[setting.path]).toBe(winner)
    expect(loaded.sources.map((s) => s.origin)).toEqual(present)
  })

  it('merges sections setting by setting across all four levels, and records each winner', async () => {
    const loaded = await load({
      policy: fakePolicySource({
        CmAppRoot: sz('https://cm.contoso.com/CertificateManagement/'),
        IdleTimeoutSec: dword(600),
        ReaderAllow: multiSz('OMNIKEY', 'Identiv'),
        Kiosk: dword(1),
      }),
      machine: {
        cm: { appRoot: 'https://machine.contoso.com/CM', timeoutMs: 20000 },
        idleTimeoutSec: 120,
        pinDisplay: 'never',
        readers: { deny: ['Yubico'] },
        language: 'nl-NL',
      },
      env: {
        STATION_PIN_DISPLAY: 'show',
        STATION_KIOSK: '0',
        STATION_LOG_LEVEL: 'debug',
        STATION_DATA_DIR: '/srv/env',
      },
      stationConfig: {
        cm: { connectionCheckSec: 60 },
        pinMinLength: 6,
        logLevel: 'warn',
        dataDir: '/srv/file',
      },
    })
    const table: Array<[string, unknown, ConfigOrigin | 'default']> = [
      ['cm.appRoot', 'https://cm.contoso.com/CertificateManagement', 'policy'],
      ['cm.timeoutMs', 20000, 'machine-file'],
      ['cm.connectionCheckSec', 60, 'station-config-file'],
      ['cm.windowsSignInHosts', [], 'default'],
      ['readers.allow', ['OMNIKEY', 'Identiv'], 'policy'],
      ['readers.deny', ['Yubico'], 'machine-file'],
      ['kiosk', true, 'policy'],
      ['idleTimeoutSec', 600, 'policy'],
      ['pinDisplay', 'never', 'machine-file'],
      ['language', 'nl-NL', 'machine-file'],
      ['logLevel', 'debug', 'environment'],
      ['dataDir', '/srv/env', 'environment'],
      ['pinMinLength', 6, 'station-config-file'],
      ['directory', null, 'default'],
    ]
    for (const [path, value, origin] of table) {
      const actual = path
        .split('.')
        .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], loaded.config)
      expect({ path, value: actual }).toEqual({ path, value })
      expect({ path, origin: loaded.origins[path] ?? 'default' }).toEqual({ path, origin })
    }
    expect(loaded.sources).toEqual([
      { origin: 'policy', name: POLICY_SOURCE_NAME },
      { origin: 'machine-file', name: expect.stringMatching(/^machine defaults .*station\.json$/) },
      { origin: 'environment', name: 'environment' },
      { origin: 'station-config-file', name: expect.stringMatching(/user\.json \(STATION_CONFIG\)$/) },
    ])
  })

  it('a section switched off by a higher source drops the lower settings inside it', async () => {
    const loaded = await load({
      machine: { directory: null },
      stationConfig: {
        directory: { url: 'ldaps://dc1.corp.contoso.com', baseDn: 'DC=corp', bindDn: 'svc@corp.contoso.com' },
      },
    })
    expect(loaded.config.directory).toBeNull()
    expect(loaded.origins).toEqual({ directory: 'machine-file' })
  })

  it('a policy completes a section another source started (the directory from two levels)', async () => {
    const loaded = await load({
      policy: fakePolicySource({
        DirectoryBindDn: sz('svc-station@corp.contoso.com'),
        DirectoryPageSize: dword(200),
      }),
      machine: {
        directory: {
          url: 'ldaps://dc1.corp.contoso.com',
          baseDn: 'DC=corp,DC=contoso,DC=com',
          domain: 'CORP',
          pageSize: 900,
        },
      },
    })
    expect(loaded.config.directory).toMatchObject({
      url: 'ldaps://dc1.corp.contoso.com',
      bindDn: 'svc-station@corp.contoso.com',
      pageSize: 200,
      timeoutMs: 8000,
    })
  })
})

describe('bad values name their source and key, never the value', () => {
  it('a bad registry value: the key and the value name, and the station must not start', async () => {
    const error = await failure(load({ policy: fakePolicySource({ IdleTimeoutSec: dword(2) }) }))
    expect(error.source).toBe('registry HKLM\\SOFTWARE\\Policies\\CMEnrollment\\CM Enrollment Station')
    expect(error.issues).toEqual(['IdleTimeoutSec: Too small: expected number to be >=5'])
    expect(error.message).toContain(POLICY_KEY)
  })

  it('registry values of the wrong type or out of their schema are each named', async () => {
    const error = await failure(
      load({
        policy: fakePolicySource({
          Kiosk: sz('yes'),
          PinDisplay: sz('s3cret-choice'),
          DataDir: sz('relative\\s3cret'),
          CmWindowsSignInHosts: multiSz('cm.contoso.com', 'not a host'),
          CmTimeoutMs: multiSz('5000'),
        }),
      }),
    )
    expect(error.issues).toEqual([
      'CmTimeoutMs: must be a REG_DWORD number (found REG_MULTI_SZ)',
      'CmWindowsSignInHosts: must be a host name or *.domain',
      'PinDisplay: Invalid option: expected one of "show"|"reveal"|"never"',
      'Kiosk: must be REG_DWORD 0 or 1 (found REG_SZ)',
      'DataDir: must be an absolute path',
    ])
    expect(error.message).not.toContain('s3cret')
  })

  it('a bad machine defaults file: the file and the key', async () => {
    const { machineFile } = files({ idleTimeoutSec: 'soon', readers: { deny: 'Windows Hello' }, surprise: 1 })
    const error = await failure(loadConfigWithOrigins({}, { platform: 'linux', policy: null, machineFile }))
    expect(error.source).toBe(`machine defaults ${machineFile}`)
    expect(error.issues).toEqual([
      'idleTimeoutSec: Invalid input: expected number, received string',
      'readers.deny: Invalid input: expected array, received string',
      'surprise: unknown setting',
    ])
    expect(error.message).toContain(machineFile)
  })

  it('a machine defaults file that is no JSON object, or unreadable, stops the station; an absent one does not', async () => {
    const broken = files('{ "kiosk": tru')
    await expect(
      loadConfig({}, { platform: 'linux', policy: null, machineFile: broken.machineFile }),
    ).rejects.toThrow(
      `invalid station configuration (machine defaults ${broken.machineFile}): not valid JSON`,
    )
    const list = files('[]')
    await expect(
      loadConfig({}, { platform: 'linux', policy: null, machineFile: list.machineFile }),
    ).rejects.toThrow(/expected a JSON object/)
    const folder = files()
    await expect(
      loadConfig({}, { platform: 'linux', policy: null, machineFile: join(folder.dir, 'machine') }),
    ).rejects.toThrow(/cannot read file \(EISDIR\)/)
    const absent = files()
    expect(
      (await loadConfig({}, { platform: 'linux', policy: null, machineFile: absent.machineFile })).kiosk,
    ).toBe(false)
  })

  it('reads a machine defaults file written with a UTF-8 byte-order mark (Windows PowerShell 5)', async () => {
    const loaded = await load({ machine: '\uFEFF{"kiosk": true}' })
    expect(loaded.config.kiosk).toBe(true)
  })

  it('bad environment variables are named by variable', async () => {
    const error = await failure(load({ env: { STATION_KIOSK: 'yes', STATION_LOG_LEVEL: 'verbose' } }))
    expect(error.source).toBe('environment')
    expect(error.issues).toEqual([
      'STATION_KIOSK: must be 1, true, 0 or false',
      'STATION_LOG_LEVEL: Invalid option: expected one of "debug"|"info"|"warn"|"error"',
    ])
  })

  it('several bad sources are all reported, the most important first', async () => {
    const error = await failure(
      load({ policy: fakePolicySource({ PinMinLength: dword(200) }), machine: { kiosk: 'on' } }),
    )
    expect(error.issues).toEqual([
      `${POLICY_SOURCE_NAME}: PinMinLength: Too big: expected number to be <=127`,
      expect.stringMatching(/^machine defaults .*: kiosk: Invalid input: expected boolean, received string$/),
    ])
  })

  it('an incomplete section names the settings that started it and where they came from', async () => {
    const error = await failure(load({ policy: fakePolicySource({ CmTimeoutMs: dword(30000) }) }))
    expect(error.issues).toEqual([
      `cm.appRoot: Invalid input: expected string, received undefined (the cm section has cm.timeoutMs from ${POLICY_SOURCE_NAME})`,
    ])
  })

  it('a policy key that cannot be read stops the station', async () => {
    const denied = new ConfigError(POLICY_SOURCE_NAME, ['cannot read the policy key (reg.exe exit code 5)'])
    await expect(load({ policy: fakePolicySource({}, denied) })).rejects.toThrow(
      `invalid station configuration (${POLICY_SOURCE_NAME}): cannot read the policy key (reg.exe exit code 5)`,
    )
    await expect(load({ policy: fakePolicySource({}, new Error('EPERM')) })).rejects.toThrow(
      /cannot read the policy key \(unexpected failure\)/,
    )
  })
})

describe('registry values', () => {
  it('accept the types Group Policy writes and the ones admins type by hand', async () => {
    const loaded = await loadConfigWithOrigins(
      { ProgramData: '/ProgramData' },
      {
        platform: 'linux',
        policy: fakePolicySource({
          readerallow: sz(' OMNIKEY ; ;Identiv '),
          ReaderDeny: multiSz('Windows Hello', '', 'Microsoft Passport'),
          PINMINLENGTH: sz('8'),
          DataDir: expandSz('%programdata%/CMEnrollment/data'),
          Language: sz('pt-BR'),
        }),
        machineFile: files().machineFile,
      },
    )
    expect(loaded.config.readers).toEqual({
      allow: ['OMNIKEY', 'Identiv'],
      deny: ['Windows Hello', 'Microsoft Passport'],
    })
    expect(loaded.config.pinMinLength).toBe(8)
    expect(loaded.config.dataDir).toBe('/ProgramData/CMEnrollment/data')
    expect(loaded.config.language).toBe('pt-BR')
  })

  it('leave an unknown %variable% of a REG_EXPAND_SZ as written (as Windows does)', async () => {
    const error = await failure(
      load({ policy: fakePolicySource({ DataDir: expandSz('%NoSuchVariable%/data') }) }),
    )
    expect(error.issues).toEqual(['DataDir: must be an absolute path'])
  })

  it('ignore values this version does not know (a newer ADMX), by name in the start-up summary', async () => {
    const loaded = await load({ policy: fakePolicySource({ FutureSetting: dword(1), Kiosk: dword(0) }) })
    expect(loaded.config.kiosk).toBe(false)
    expect(loaded.ignoredPolicyValues).toEqual(['FutureSetting'])
  })

  it('read booleans only as REG_DWORD 0 or 1', () => {
    expect(readPolicyValue('boolean', dword(1))).toEqual({ ok: true, value: true })
    expect(readPolicyValue('boolean', dword(0))).toEqual({ ok: true, value: false })
    expect(readPolicyValue('boolean', dword(2))).toEqual({ ok: false, message: 'must be REG_DWORD 0 or 1' })
    expect(readPolicyValue('number', sz('12x'))).toMatchObject({ ok: false })
  })
})

describe('the start-up summary', () => {
  it('names the sources and which one set each setting, with no value at all', async () => {
    const loaded = await load({
      policy: fakePolicySource({ DirectoryBindDn: sz('svc-secret-account@corp.contoso.com') }),
      machine: {
        directory: {
          url: 'ldaps://dc1.corp.contoso.com',
          baseDn: 'DC=corp,DC=contoso,DC=com',
          domain: 'CORP',
        },
      },
      env: { STATION_CM_URL: 'https://cm.contoso.com/CertificateManagement' },
    })
    const summary = describeConfigOrigins(loaded)
    expect(summary).toEqual({
      sources: [POLICY_SOURCE_NAME, expect.stringMatching(/^machine defaults /), 'environment'],
      settings: {
        'cm.appRoot': 'environment',
        'directory.baseDn': 'machine-file',
        'directory.bindDn': 'policy',
        'directory.domain': 'machine-file',
        'directory.url': 'machine-file',
      },
    })
    const text = JSON.stringify(summary)
    expect(text).not.toContain('svc-secret-account')
    expect(text).not.toContain('cm.contoso.com')
  })
})

describe('where the sources are', () => {
  it('the machine defaults file per platform', () => {
    expect(machineConfigPath('win32', { ProgramData: 'D:\\ProgramData' })).toBe(
      'D:\\ProgramData\\CMEnrollment\\CM Enrollment Station\\station.json',
    )
    expect(machineConfigPath('win32', {})).toBe(
      'C:\\ProgramData\\CMEnrollment\\CM Enrollment Station\\station.json',
    )
    expect(machineConfigPath('linux', { ProgramData: '/tmp' })).toBe(
      '/etc/cm-enrollment-station/station.json',
    )
    expect(machineConfigPath('darwin', {})).toBe(
      '/Library/Application Support/CMEnrollment/CM Enrollment Station/station.json',
    )
  })

  it('skips the registry off Windows: winreg is never loaded', async () => {
    const loadWinreg = vi.fn(async () => {
      throw new Error('winreg must not be loaded on this platform')
    })
    const { machineFile } = files()
    const loaded = await loadConfigWithOrigins({}, { platform: 'linux', machineFile, loadWinreg })
    expect(loadWinreg).not.toHaveBeenCalled()
    expect(loaded.sources).toEqual([])
    await loadConfigWithOrigins({}, { platform: 'darwin', machineFile, loadWinreg })
    expect(loadWinreg).not.toHaveBeenCalled()
  })

  it('on Windows reads the HKLM policy key through winreg', async () => {
    const reg = fakeWinreg({
      [`HKLM\\${POLICY_KEY}`]: [
        { name: '(Default)', type: 'REG_SZ', value: 'ignored' },
        { name: 'IdleTimeoutSec', type: 'REG_DWORD', value: '0x12c' },
        { name: 'ReaderAllow', type: 'REG_MULTI_SZ', value: 'OMNIKEY\\0Identiv' },
        { name: 'Kiosk', type: 'REG_DWORD', value: '0x1' },
        { name: 'CmAppRoot', type: 'REG_SZ', value: 'https://cm.contoso.com/CertificateManagement' },
      ],
    })
    const { machineFile } = files()
    const loaded = await loadConfigWithOrigins({}, { platform: 'win32', machineFile, loadWinreg: reg.load })
    expect(reg.opened).toEqual([{ hive: 'HKLM', key: `\\${POLICY_KEY}` }])
    expect(loaded.config).toMatchObject({
      idleTimeoutSec: 300,
      kiosk: true,
      readers: { allow: ['OMNIKEY', 'Identiv'] },
      cm: { appRoot: 'https://cm.contoso.com/CertificateManagement' },
    })
    expect(loaded.origins.idleTimeoutSec).toBe('policy')
  })

  it('on Windows an absent policy key is no policy; any other reg.exe failure stops the station', async () => {
    const absent = fakeWinreg({})
    const { machineFile } = files()
    const loaded = await loadConfigWithOrigins(
      {},
      { platform: 'win32', machineFile, loadWinreg: absent.load },
    )
    expect(loaded.sources).toEqual([])

    const denied = fakeWinreg({}, 5)
    await expect(createWindowsPolicySource(denied.load).readPolicies()).rejects.toThrow(
      `invalid station configuration (${POLICY_SOURCE_NAME}): cannot read the policy key (reg.exe exit code 5)`,
    )
  })

  it('reads reg.exe QUERY text as typed values', () => {
    expect(fromRegQueryText('REG_DWORD', '0x1518')).toEqual({ type: 'REG_DWORD', value: 5400 })
    expect(fromRegQueryText('REG_MULTI_SZ', 'a\\0b c\\0')).toEqual({
      type: 'REG_MULTI_SZ',
      value: ['a', 'b c'],
    })
    expect(fromRegQueryText('REG_EXPAND_SZ', '%ProgramData%\\x')).toEqual({
      type: 'REG_EXPAND_SZ',
      value: '%ProgramData%\\x',
    })
    expect(fromRegQueryText('REG_DWORD', 'garbage')).toBeNull()
    expect(fromRegQueryText('REG_RESOURCE_LIST', '')).toBeNull()
  })
})

/**
 * A winreg stand-in with the same surface the source uses (`new Registry({ hive, key }).values(cb)`): keys map to
 * the items reg.exe would list; an absent key fails with exit code 1 as reg.exe does; `failCode` fails every read.
 */
function fakeWinreg(
  keys: Record<string, Array<{ name: string; type: string; value: string }>>,
  failCode?: number,
) {
  const opened: Array<{ hive: string; key: string }> = []
  class Registry {
    static HKLM = 'HKLM'
    constructor(private readonly options: { hive: string; key: string }) {
      opened.push({ hive: options.hive, key: options.key })
    }
    values(cb: (error: Error | null, items: unknown[] | null) => void) {
      const items = keys[`${this.options.hive}${this.options.key}`]
      queueMicrotask(() => {
        if (failCode !== undefined)
          return cb(Object.assign(new Error('QUERY failed'), { code: failCode }), null)
        if (!items) return cb(Object.assign(new Error('QUERY failed'), { code: 1 }), null)
        cb(null, items)
      })
      return this
    }
  }
  return { opened, load: async () => Registry as unknown as WinregModule }
}

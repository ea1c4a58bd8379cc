/**
 * A real OpenLDAP slapd as a stand-in for Active Directory (issue "Find the holder"): its own temp directory,
 * slapd.conf (`slapd -f`), seeded offline with slapadd, loopback ports only, LDAPS and StartTLS with a CA made
 * here. Never touches the system slapd or /etc/ldap/slapd.d.
 *
 * What makes it look like AD to a client: people are `(objectClass=user)` and carry `sAMAccountName`,
 * `userPrincipalName`, `department`, `employeeID` (= employeeNumber) and a binary `objectGUID` in .NET
 * `Guid.ToByteArray()` layout; the service account reads, anonymous only binds; a size limit (AD's MaxPageSize)
 * that a paged search may pass but a plain search may not.
 */
import { execFile, spawn, spawnSync } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { guidToCardId } from '../../electron/services/card/cardid'
import { generatePeople, type GeneratedPerson } from '../../electron/simulator/directory/people'

/** A running slapd started by startSlapd. */
export interface SlapdServer {
  /** `ldap://127.0.0.1:<port>`; StartTLS is available on it. */
  ldapUrl: string
  /** `ldaps://127.0.0.1:<port>`. */
  ldapsUrl: string
  /** PEM of the CA that signed the server certificate (IP:127.0.0.1, DNS:localhost). */
  caFile: string
  /** PEM of an unrelated CA (a client trusting only this one must refuse the server). */
  wrongCaFile: string
  /** `dc=corp,dc=contoso,dc=com`. */
  baseDn: string
  /** `ou=People,<baseDn>`: one `uid=<samAccountName>` entry per person. */
  peopleDn: string
  /** The service account the station binds with; it may read everything under baseDn. */
  bindDn: string
  /** Its password (random per start). */
  bindPassword: string
  /** The seeded people, in generation order. */
  people: GeneratedPerson[]
  pid: number
  /** The server's own temp directory (config, certificates, data); removed by stop(). */
  dir: string
  /** Stop by PID (SIGTERM, SIGKILL after 5 s), wait for the exit, remove dir. Idempotent. */
  stop(): Promise<void>
}

/** Options of startSlapd. */
export interface StartSlapdOptions {
  /** Number of generated people (generatePeople). */
  people: number
  seed?: string
  /** Put generatePeople's tricky names (`Star*Light`, `Back\Slash Jr`, …) first. */
  tricky?: boolean
  /** Entries per plain search and per page (default 500); paged searches may return more in total. */
  sizeLimit?: number
}

/** Binaries the harness runs (Debian bookworm packages slapd, ldap-utils, openssl). */
export const SLAPD_TOOLS = {
  slapd: '/usr/sbin/slapd',
  slapadd: '/usr/sbin/slapadd',
  ldapwhoami: '/usr/bin/ldapwhoami',
  ldapsearch: '/usr/bin/ldapsearch',
  moduleDir: '/usr/lib/ldap',
  schemaDir: '/etc/ldap/schema',
}

const BASE_DN = 'dc=corp,dc=contoso,dc=com'
const PEOPLE_DN = `ou=People,${BASE_DN}`
const SERVICE_DN = `ou=Service,${BASE_DN}`
const BIND_DN = `cn=svc-station,${SERVICE_DN}`

/** Why a slapd cannot be started here, or null when it can. */
export function slapdUnavailableReason(): string | null {
  if (!existsSync(SLAPD_TOOLS.slapd) || !existsSync(SLAPD_TOOLS.slapadd)) {
    return 'slapd not installed (apt-get install slapd ldap-utils)'
  }
  if (!existsSync(SLAPD_TOOLS.ldapsearch) || !existsSync(SLAPD_TOOLS.ldapwhoami)) {
    return 'ldap-utils not installed (apt-get install ldap-utils)'
  }
  if (spawnSync('openssl', ['version']).status !== 0) return 'openssl not installed (apt-get install openssl)'
  for (const schema of ['core', 'cosine', 'inetorgperson']) {
    if (!existsSync(join(SLAPD_TOOLS.schemaDir, `${schema}.schema`))) return `${schema}.schema missing`
  }
  // Ubuntu ships an enforcing AppArmor profile for /usr/sbin/slapd that denies a config outside /etc/ldap.
  try {
    const profiles = readFileSync('/sys/kernel/security/apparmor/profiles', 'utf8')
    if (/^\/usr\/sbin\/slapd \(enforce\)/m.test(profiles)) {
      return 'AppArmor enforces a slapd profile (apparmor_parser -R /etc/apparmor.d/usr.sbin.slapd)'
    }
  } catch {
    // no AppArmor, or not readable: nothing to say
  }
  return null
}

/** Start a seeded slapd on free loopback ports and wait until the service account can bind. */
export async function startSlapd(options: StartSlapdOptions): Promise<SlapdServer> {
  const reason = slapdUnavailableReason()
  if (reason) throw new Error(`slapd lab unavailable: ${reason}`)
  const sizeLimit = options.sizeLimit ?? 500
  const people = generatePeople({
    count: options.people,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
    ...(options.tricky !== undefined ? { tricky: options.tricky } : {}),
  })
  const dir = mkdtempSync(join(tmpdir(), 'slapd-lab-'))
  try {
    const bindPassword = randomBytes(18).toString('base64url')
    const tls = makeCertificates(dir)
    writeFileSync(join(dir, 'station-ad.schema'), AD_SCHEMA)
    writeFileSync(join(dir, 'slapd.conf'), slapdConf(dir, sizeLimit))
    writeFileSync(join(dir, 'bind.pw'), bindPassword, { mode: 0o600 })
    mkdirSync(join(dir, 'data'))
    writeFileSync(join(dir, 'seed.ldif'), seedLdif(people, bindPassword))
    const add = spawnSync(
      SLAPD_TOOLS.slapadd,
      ['-q', '-f', join(dir, 'slapd.conf'), '-l', join(dir, 'seed.ldif')],
      { encoding: 'utf8', timeout: 60_000 },
    )
    if (add.status !== 0) throw new Error(`slapadd failed (${add.status}): ${add.stderr || add.error}`)
    return {
      ...(await launch(dir)),
      caFile: tls.caFile,
      wrongCaFile: tls.wrongCaFile,
      baseDn: BASE_DN,
      peopleDn: PEOPLE_DN,
      bindDn: BIND_DN,
      bindPassword,
      people,
      dir,
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Process

interface Running {
  ldapUrl: string
  ldapsUrl: string
  pid: number
  stop(): Promise<void>
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** A free loopback port (the kernel's choice; a race with another process is retried by launch). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address()
      srv.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      )
    })
  })
}

// Start slapd in the foreground; a port taken between freePort() and slapd's bind() is retried with new ports.
async function launch(dir: string): Promise<Running> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await launchOnce(dir, await freePort(), await freePort())
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt >= 3) throw error
    }
  }
}

class PortTakenError extends Error {}

async function launchOnce(dir: string, ldapPort: number, ldapsPort: number): Promise<Running> {
  const ldapUrl = `ldap://127.0.0.1:${ldapPort}`
  const ldapsUrl = `ldaps://127.0.0.1:${ldapsPort}`
  // Any `-d` keeps slapd in the foreground (no fork), so the PID we hold is the server's. `-d none` prints only
  // what slapd logs at every level (a taken port, a config error); `-d 0` would print nothing at all.
  const child = spawn(
    SLAPD_TOOLS.slapd,
    ['-d', 'none', '-f', join(dir, 'slapd.conf'), '-h', `${ldapUrl}/ ${ldapsUrl}/`],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  )
  const pid = child.pid
  if (pid === undefined) throw new Error('slapd did not start')
  let stderr = ''
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-8000)
  })
  let exited: number | string | null = null
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code, sig) => {
      exited = code ?? sig ?? 'unknown'
      resolve()
    }),
  )
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(pid, sig)
    } catch {
      // gone already
    }
  }
  // The test runner may end without stop(): never leave a slapd (or its directory) behind.
  const killOnExit = () => {
    signal('SIGKILL')
    rmSync(dir, { recursive: true, force: true })
  }
  process.on('exit', killOnExit)
  // Unreferenced: a runner that forgets stop() still exits (and killOnExit ends slapd).
  child.unref()
  ;(child.stderr as Socket).unref()

  // True once slapd has exited, false after `ms` (the timer keeps the event loop alive while we wait).
  const waitExit = (ms: number) =>
    new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), ms)
      void exit.then(() => {
        clearTimeout(timer)
        resolve(true)
      })
    })
  let stopping: Promise<void> | null = null
  const stop = () =>
    (stopping ??= (async () => {
      if (exited === null) {
        signal('SIGTERM')
        if (!(await waitExit(5000))) {
          signal('SIGKILL')
          await waitExit(5000)
        }
      }
      process.off('exit', killOnExit)
      rmSync(dir, { recursive: true, force: true })
    })())

  const deadline = Date.now() + 10_000
  for (;;) {
    if (exited !== null) {
      process.off('exit', killOnExit)
      const message = `slapd exited at start (${exited}): ${stderr.trim() || '(no output)'}`
      if (/bind\(.*\) failed|Address already in use/.test(stderr)) throw new PortTakenError(message)
      throw new Error(message)
    }
    if (await whoami(dir, ldapUrl)) return { ldapUrl, ldapsUrl, pid, stop }
    if (Date.now() > deadline) {
      const output = stderr.trim() || '(no output)'
      await stop()
      throw new Error(`slapd did not answer a bind as the service account within 10 s: ${output}`)
    }
    await sleep(25)
  }
}

// One simple bind as the service account (password from the 0600 file, never on a command line).
function whoami(dir: string, url: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(
      SLAPD_TOOLS.ldapwhoami,
      ['-x', '-H', url, '-D', BIND_DN, '-y', join(dir, 'bind.pw')],
      { timeout: 2000 },
      (error) => resolve(!error),
    )
  })
}

// ---------------------------------------------------------------------------------------------------------------
// TLS (openssl): a CA, a server certificate for 127.0.0.1/localhost signed by it, and an unrelated CA.

function openssl(dir: string, args: string[]): void {
  const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8', timeout: 30_000 })
  if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr || r.error}`)
}

function makeCertificates(dir: string): { caFile: string; wrongCaFile: string } {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  const caExt = [
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]
  for (const [name, cn] of [
    ['ca', 'Station Lab LDAP CA'],
    ['wrong-ca', 'Unrelated Lab CA'],
  ] as const) {
    openssl(dir, [
      'req',
      '-x509',
      ...ec,
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.pem`,
      '-days',
      '7',
      '-subj',
      `/CN=${cn}`,
      ...caExt,
    ])
  }
  writeFileSync(
    join(dir, 'server.ext'),
    [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '',
    ].join('\n'),
  )
  openssl(dir, [
    'req',
    '-new',
    ...ec,
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
    '-subj',
    '/CN=127.0.0.1',
  ])
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-set_serial',
    `0x${randomBytes(8).toString('hex')}`,
    '-days',
    '7',
    '-extfile',
    'server.ext',
    '-out',
    'server.pem',
  ])
  return { caFile: join(dir, 'ca.pem'), wrongCaFile: join(dir, 'wrong-ca.pem') }
}

// ---------------------------------------------------------------------------------------------------------------
// Schema, slapd.conf and the seed LDIF

/**
 * The Active Directory attributes a directory client reads, with AD's own OIDs (MS-ADA1/MS-ADA3), and an
 * auxiliary class (private OID arc) that lets an inetOrgPerson carry them.
 */
const AD_SCHEMA = `# Written by tests/lab/slapd-harness.ts: Active Directory look-alike attributes.
attributetype ( 1.2.840.113556.1.4.2 NAME 'objectGUID'
  DESC 'AD: object GUID, 16 bytes in .NET Guid.ToByteArray() layout'
  EQUALITY octetStringMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.40{16} SINGLE-VALUE )
attributetype ( 1.2.840.113556.1.4.221 NAME 'sAMAccountName'
  DESC 'AD: pre-Windows 2000 logon name'
  EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.15{256} SINGLE-VALUE )
attributetype ( 1.2.840.113556.1.4.656 NAME 'userPrincipalName'
  DESC 'AD: user principal name'
  EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.15{1024} SINGLE-VALUE )
attributetype ( 1.2.840.113556.1.2.141 NAME 'department'
  DESC 'AD: department'
  EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.15{256} SINGLE-VALUE )
attributetype ( 1.2.840.113556.1.4.35 NAME 'employeeID'
  DESC 'AD: employee ID (AD also has employeeNumber; the station reads employeeID by default)'
  EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.15{16} SINGLE-VALUE )
objectclass ( 1.2.840.113556.1.5.9 NAME 'user'
  DESC 'AD: user (structural in AD; auxiliary here so (objectClass=user) finds people as in AD)'
  SUP top AUXILIARY )
objectclass ( 1.3.6.1.4.1.55555.7.1.1 NAME 'stationAdUser'
  DESC 'Station lab: AD user attributes on an inetOrgPerson'
  SUP top AUXILIARY
  MAY ( objectGUID $ sAMAccountName $ userPrincipalName $ department $ employeeID ) )
`

// Quote a slapd.conf argument (slapd.conf(5): backslash-escape '"' and '\').
const q = (value: string) => `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`

function slapdConf(dir: string, sizeLimit: number): string {
  const schema = ['core', 'cosine', 'inetorgperson'].map((s) => join(SLAPD_TOOLS.schemaDir, `${s}.schema`))
  return [
    '# Written by tests/lab/slapd-harness.ts (slapd -f); see slapd.conf(5).',
    ...[...schema, join(dir, 'station-ad.schema')].map((file) => `include ${q(file)}`),
    `pidfile ${q(join(dir, 'slapd.pid'))}`,
    `argsfile ${q(join(dir, 'slapd.args'))}`,
    `modulepath ${q(SLAPD_TOOLS.moduleDir)}`,
    'moduleload back_mdb',
    `TLSCACertificateFile ${q(join(dir, 'ca.pem'))}`,
    `TLSCertificateFile ${q(join(dir, 'server.pem'))}`,
    `TLSCertificateKeyFile ${q(join(dir, 'server.key'))}`,
    'TLSVerifyClient never',
    // Everyone else (anonymous, a wrong DN): the same plain limit and no paging past it.
    `sizelimit ${sizeLimit}`,
    // Like AD, the root DSE and the schema are public; nothing else is (global ACLs follow the database's).
    'access to dn.base="" by * read',
    'access to dn.base="cn=Subschema" by * read',
    '',
    'database mdb',
    `suffix ${q(BASE_DN)}`,
    `directory ${q(join(dir, 'data'))}`,
    'maxsize 268435456',
    'dbnosync',
    'index objectClass eq',
    'index uid,cn,sn,givenName,displayName,mail,sAMAccountName,userPrincipalName,employeeNumber,employeeID eq,sub',
    'index department eq',
    'index objectGUID,entryUUID eq',
    // AD's MaxPageSize: a plain search stops at sizeLimit (sizeLimitExceeded, rc 4); a paged one gets pages of
    // at most sizeLimit and no total limit (slapd.conf(5) "limits": size.pr, size.prtotal).
    `limits dn.exact=${q(BIND_DN)} size.soft=${sizeLimit} size.hard=${sizeLimit} size.pr=${sizeLimit} size.prtotal=unlimited`,
    'access to attrs=userPassword by anonymous auth by * none',
    `access to dn.subtree=${q(BASE_DN)} by dn.exact=${q(BIND_DN)} read by * none`,
    'access to * by * none',
    '',
  ].join('\n')
}

/** `{SSHA}` as slappasswd writes it: base64(SHA-1(password ‖ salt) ‖ salt), 8-byte salt. */
export function sshaPassword(password: string, salt: Buffer = randomBytes(8)): string {
  const digest = createHash('sha1').update(password, 'utf8').update(salt).digest()
  return `{SSHA}${Buffer.concat([digest, salt]).toString('base64')}`
}

/**
 * One LDIF attribute line (RFC 2849): plain only for a conservative safe string, else `attr:: base64` (accents,
 * a leading `*`, space, `:` or `<`, a trailing space, binary).
 */
export function ldifLine(attr: string, value: string | Buffer): string {
  if (typeof value === 'string' && /^[A-Za-z0-9][\x20-\x7e]*$/.test(value) && !value.endsWith(' ')) {
    return `${attr}: ${value}`
  }
  return `${attr}:: ${Buffer.from(value).toString('base64')}`
}

function entry(dn: string, attrs: [string, string | Buffer][]): string {
  return [ldifLine('dn', dn), ...attrs.map(([a, v]) => ldifLine(a, v)), '', ''].join('\n')
}

function seedLdif(people: readonly GeneratedPerson[], bindPassword: string): string {
  const parts = [
    entry(BASE_DN, [
      ['objectClass', 'top'],
      ['objectClass', 'dcObject'],
      ['objectClass', 'organization'],
      ['dc', 'corp'],
      ['o', 'Contoso'],
    ]),
    entry(PEOPLE_DN, [
      ['objectClass', 'organizationalUnit'],
      ['ou', 'People'],
    ]),
    entry(SERVICE_DN, [
      ['objectClass', 'organizationalUnit'],
      ['ou', 'Service'],
    ]),
    entry(BIND_DN, [
      ['objectClass', 'applicationProcess'],
      ['objectClass', 'simpleSecurityObject'],
      ['cn', 'svc-station'],
      ['description', 'Enrollment station directory service account (read only)'],
      ['userPassword', sshaPassword(bindPassword)],
    ]),
  ]
  for (const p of people) {
    parts.push(
      entry(`uid=${p.samAccountName},${PEOPLE_DN}`, [
        ['objectClass', 'top'],
        ['objectClass', 'person'],
        ['objectClass', 'organizationalPerson'],
        ['objectClass', 'inetOrgPerson'],
        ['objectClass', 'stationAdUser'],
        ['objectClass', 'user'],
        ['uid', p.samAccountName],
        ['cn', p.displayName],
        ['sn', p.surname],
        ['givenName', p.givenName],
        ['displayName', p.displayName],
        ...(p.email ? [['mail', p.email] as [string, string]] : []),
        ...(p.employeeNumber
          ? [
              ['employeeNumber', p.employeeNumber] as [string, string],
              ['employeeID', p.employeeNumber] as [string, string],
            ]
          : []),
        ...(p.department ? [['department', p.department] as [string, string]] : []),
        ['sAMAccountName', p.samAccountName],
        ...(p.upn ? [['userPrincipalName', p.upn] as [string, string]] : []),
        // AD stores the GUID as Guid.ToByteArray() (first three fields little-endian), cardid.ts 'dotnet'.
        ['objectGUID', guidToCardId(p.uuid, 'dotnet')],
        ['entryUUID', p.uuid],
      ]),
    )
  }
  return parts.join('')
}

/**
 * OpenSC as the oracle for keys and certificates on the badge (gids-card-edge.md §9), through real
 * pcscd + vpcd and the virtual card process, both ways:
 * - the STATION generates an RSA-2048 key and writes a certificate for it; OpenSC lists and reads the
 *   certificate byte for byte, signs with the on-card key (openssl verifies with the certificate's
 *   key) and reports the private key as never extractable; all of it survives a card restart (--state);
 * - OpenSC's pkcs15-init generates keys and stores certificates; the station lists them (name, usage,
 *   size, public key = certificate key) and signs with them;
 * - a key the station IMPORTS (server-generated, E10 isPfx) is used by OpenSC's PKCS#11 module.
 * Run: flock /tmp/pcsc-lab.lock npx vitest run -c vitest.lab.config.mts tests/lab/card-keys-opensc.test.ts
 */
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest'
import { containerView } from '../../electron/services/card/ipc-handlers'
import { describeCertificate } from '../../electron/services/pki/certificate-info'
import { digest } from '../../electron/services/pki/digest-info'
import { describeLab } from './lab-env'
import { OPENSC_PKCS11, runTool } from './opensc-tools'
import { startPcscHarness, type PcscHarness } from './pcsc-harness'
import { LAB } from './pcsc-lab'
import { spawnVirtualCard, type VirtualCardProcess } from './virtual-card-process'

const READER0 = LAB.readers[0]
const PIN = '12345678'
const CARDID = 'c0ffee00-0000-4000-8000-00000000c0de'
const MODULE = OPENSC_PKCS11
const run = runTool

const p11 = (...args: string[]) => run('pkcs11-tool', ['--module', MODULE!, '--slot-index', '0', ...args])
const p15 = (...args: string[]) => run('pkcs15-tool', ['-r', '0', ...args])
const p15init = (...args: string[]) =>
  run('pkcs15-init', ['-r', '0', '--auth-id', '80', '--verify-pin', '--pin', PIN, ...args])

describeLab('keys and certificates on the badge: station ↔ OpenSC', () => {
  let h: PcscHarness
  let dir = ''
  const cards: VirtualCardProcess[] = []
  const file = (name: string) => join(dir, name)

  beforeAll(async () => {
    expect(MODULE, 'opensc-pkcs11.so not found').toBeDefined()
    dir = mkdtempSync(join(tmpdir(), 'card-keys-'))
    // A test CA for the certificates (the lead's PKI work brings real CM certificates later).
    const ca = generateKeyPairSync('rsa', { modulusLength: 2048 })
    writeFileSync(file('ca.key'), ca.privateKey.export({ format: 'pem', type: 'pkcs8' }))
    const req = await run('openssl', [
      'req',
      '-x509',
      '-new',
      '-key',
      file('ca.key'),
      '-subj',
      '/CN=Lab Issuing CA',
      '-days',
      '30',
      '-out',
      file('ca.pem'),
    ])
    expect(req.code, req.out).toBe(0)
    h = await startPcscHarness()
  }, 60_000)
  afterEach(async () => {
    await Promise.all(cards.splice(0).map((c) => c.kill()))
    await h.waitFor((s) => s.readers.every((r) => !r.present), 5000)
  })
  afterAll(async () => {
    await h?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  async function card(opts: Parameters<typeof spawnVirtualCard>[0]): Promise<VirtualCardProcess> {
    const c = await spawnVirtualCard({ ...opts, insert: false })
    cards.push(c)
    await c.insert()
    await h.waitPresent(LAB.readers[opts.slot]!)
    return c
  }

  /** A DER certificate for `spki` (DER SubjectPublicKeyInfo) issued by the lab CA with openssl. */
  async function issue(spki: Buffer, subject: string, name: string): Promise<Buffer> {
    const pub = file(`${name}.pub.pem`)
    writeFileSync(
      pub,
      createPublicKey({ key: spki, format: 'der', type: 'spki' }).export({ format: 'pem', type: 'spki' }),
    )
    const r = await run('openssl', [
      'x509',
      '-new',
      '-force_pubkey',
      pub,
      '-CA',
      file('ca.pem'),
      '-CAkey',
      file('ca.key'),
      '-subj',
      subject,
      '-days',
      '30',
      '-outform',
      'DER',
      '-out',
      file(`${name}.der`),
    ])
    expect(r.code, r.out).toBe(0)
    return readFileSync(file(`${name}.der`))
  }

  /** OpenSC signs `message` with key `id` through PKCS#11; openssl verifies it with the certificate's key. */
  async function openscSignsAndOpensslVerifies(id: string, certDer: Buffer, message: string): Promise<void> {
    writeFileSync(file('msg.txt'), message)
    writeFileSync(file('cert.der'), certDer)
    const sig = file(`sig-${id}.bin`)
    rmSync(sig, { force: true })
    const signed = await p11(
      '--login',
      '--pin',
      PIN,
      '--sign',
      '--mechanism',
      'SHA256-RSA-PKCS',
      '--id',
      id,
      '-i',
      file('msg.txt'),
      '-o',
      sig,
    )
    expect(existsSync(sig), signed.out).toBe(true)
    const pub = await run('openssl', [
      'x509',
      '-inform',
      'DER',
      '-in',
      file('cert.der'),
      '-pubkey',
      '-noout',
      '-out',
      file('certpub.pem'),
    ])
    expect(pub.code, pub.out).toBe(0)
    const ok = await run('openssl', [
      'dgst',
      '-sha256',
      '-verify',
      file('certpub.pem'),
      '-signature',
      sig,
      file('msg.txt'),
    ])
    expect(ok.out).toContain('Verified OK')
  }

  it('the station generates RSA-2048 and writes its certificate; OpenSC lists, reads, signs; kept across restarts', async () => {
    const state = file('station.json')
    await card({ slot: 0, cardid: CARDID, state })
    const key = await h.edge.withUserPin(READER0, { pin: PIN, expectCardId: CARDID }, (s) =>
      s.generateKey({ bits: 2048, usage: 'key-exchange', containerName: 'Station Badge Key' }),
    )
    expect(key).toMatchObject({ container: 0, keyRef: 0x81, bits: 2048 })
    const der = await issue(key.publicKey, '/O=Contoso/OU=Users/CN=Ana Souza', 'station')
    await h.edge.withUserPin(READER0, { pin: PIN, expectCardId: CARDID }, (s) => s.writeCertificate(0, der))

    // pkcs15-tool: the certificate of container 0 (ID 00) under the container name, at A010/DF24.
    const certs = await p15('--list-certificates')
    expect(certs.out).toContain('X.509 Certificate [Station Badge Key]')
    expect(certs.out).toMatch(/Path\s+: a010df24/)
    expect(certs.out).toMatch(/ID\s+: 00/)
    expect(certs.out.replace(/\s/g, '')).toContain(describeCertificate(der).serialNumber)
    // … and exactly the DER the station wrote.
    const pem = await p15('--read-certificate', '00')
    const read = Buffer.from(pem.out.replace(/-----[^-]+-----|\s/g, ''), 'base64')
    expect(read.equals(der)).toBe(true)
    // OpenSC's own certificate parser sees the subject; the key is a 2048-bit key-exchange key.
    const objects = await p11('--list-objects', '--login', '--pin', PIN)
    expect(objects.out).toMatch(/subject:\s+DN: O=Contoso, OU=Users, CN=Ana Souza/)
    // Never extractable: PKCS#11 says so, and no tool can read it.
    expect(objects.out).toMatch(
      /Private Key Object; RSA[\s\S]*?Access:\s+sensitive, always sensitive, never extractable, local/,
    )
    const keys = await p15('--list-keys')
    expect(keys.out).toContain('Private RSA Key [Station Badge Key]')
    expect(keys.out).toMatch(/Usage\s+: \[0x\w+\], decrypt, sign/)
    expect(keys.out).toMatch(/ModLength\s+: 2048/)
    expect(keys.out).toMatch(/Key ref\s+: 129 \(0x81\)/)
    expect(keys.out).toMatch(/Access Flags\s+: \[0x\w+\], sensitive, alwaysSensitive, neverExtract, local/)
    const steal = await p11(
      '--login',
      '--pin',
      PIN,
      '--read-object',
      '--type',
      'privkey',
      '--id',
      '00',
      '-o',
      file('stolen.der'),
    )
    expect(existsSync(file('stolen.der')), steal.out).toBe(false)

    await openscSignsAndOpensslVerifies('00', der, 'enrollment agent signs a CMC request')

    // The state file keeps key and certificate: a restarted card serves both, to OpenSC and the station.
    await Promise.all(cards.splice(0).map((c) => c.kill()))
    await h.waitAbsent(READER0)
    const revived = await card({ slot: 0, state })
    expect(revived.output()).toContain('loaded from')
    const [listed] = await h.edge.listContainers(READER0)
    expect(listed!.certificate!.equals(der)).toBe(true)
    expect(listed!.publicKey!.equals(key.publicKey)).toBe(true)
    expect(containerView(listed!).certificate).toMatchObject({
      subject: 'CN=Ana Souza, OU=Users, O=Contoso',
      matchesKey: true,
    })
    await openscSignsAndOpensslVerifies('00', der, 'after a restart')
  }, 180_000)

  it('what pkcs15-init generates and stores, the station lists correctly and signs with', async () => {
    await card({ slot: 0, cardid: CARDID })
    const made: Array<{ label: string; usage: string; der: Buffer; spki: Buffer }> = []
    for (const [label, usage] of [
      ['OpenSC signing', ['--key-usage', 'sign']],
      ['OpenSC exchange', ['--key-usage', 'decrypt,sign']],
    ] as const) {
      const gen = await p15init('--generate-key', 'rsa/2048', '--label', label, ...usage)
      expect(gen.out).not.toMatch(/failed|error/i)
      const id = made.length.toString(16).padStart(2, '0')
      const pub = await p15('--read-public-key', id, '-o', file(`p15-${id}.pem`))
      expect(pub.code, pub.out).toBe(0)
      const spki = createPublicKey(readFileSync(file(`p15-${id}.pem`))).export({
        format: 'der',
        type: 'spki',
      })
      const der = await issue(spki, `/CN=${label}`, `p15-${id}`)
      writeFileSync(file(`p15-${id}.crt`), der)
      const stored = await p15init(
        '--store-certificate',
        file(`p15-${id}.crt`),
        '--format',
        'der',
        '--id',
        id,
      )
      expect(stored.out).not.toMatch(/failed|error/i)
      made.push({ label, usage: usage[1], der, spki })
    }
    const listed = await h.edge.listContainers(READER0)
    expect(listed.map((c) => [c.index, c.name, c.usage, c.bits, c.keyRef, c.isDefault])).toEqual([
      [0, 'OpenSC signing', 'signature', 2048, 0x81, true],
      [1, 'OpenSC exchange', 'key-exchange', 2048, 0x82, false],
    ])
    for (const [i, c] of listed.entries()) {
      expect(c.publicKey!.equals(made[i]!.spki)).toBe(true)
      expect(c.certificate!.equals(made[i]!.der)).toBe(true)
      expect(containerView(c).certificate).toMatchObject({
        subject: `CN=${made[i]!.label}`,
        issuer: 'CN=Lab Issuing CA',
        matchesKey: true,
      })
    }
    // The station signs with OpenSC's signature-only key (certificate file ksc00, §9.4).
    const message = Buffer.from('signed by the station with an OpenSC key')
    const sig = await h.edge.withUserPin(READER0, { pin: PIN }, (s) =>
      s.signDigest(0, 'SHA256', digest('SHA256', message)),
    )
    expect(
      verify('sha256', message, createPublicKey({ key: made[0]!.spki, format: 'der', type: 'spki' }), sig),
    ).toBe(true)
  }, 180_000)

  it('key import both ways: OpenSC imports (pkcs15-init --store-private-key), the station imports (E10 isPfx)', async () => {
    await card({ slot: 0, cardid: CARDID })
    // OpenSC's gids_import_key (PUT DATA 3FFF, unsigned INTEGER fields): the station lists the key.
    const byOpenSC = generateKeyPairSync('rsa', { modulusLength: 2048 })
    writeFileSync(file('opensc-import.pem'), byOpenSC.privateKey.export({ format: 'pem', type: 'pkcs8' }))
    const stored = await p15init(
      '--store-private-key',
      file('opensc-import.pem'),
      '--label',
      'OpenSC imported',
      '--key-usage',
      'sign',
    )
    expect(stored.out).not.toMatch(/failed|error/i)
    const [first] = await h.edge.listContainers(READER0)
    expect(first).toMatchObject({ index: 0, name: 'OpenSC imported', usage: 'signature', bits: 2048 })
    expect(first!.publicKey!.equals(byOpenSC.publicKey.export({ format: 'der', type: 'spki' }))).toBe(true)

    // The station's import (a server-generated key from a PFX): OpenSC's PKCS#11 module signs with it.
    const server = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const spki = server.publicKey.export({ format: 'der', type: 'spki' })
    const imported = await h.edge.withUserPin(READER0, { pin: PIN, expectCardId: CARDID }, async (s) => {
      const k = await s.importKey({
        bits: 2048,
        usage: 'key-exchange',
        containerName: 'Archived Encryption',
        pkcs8: server.privateKey.export({ format: 'der', type: 'pkcs8' }),
      })
      await s.writeCertificate(k.container, await issue(spki, '/CN=Ana Souza (encryption)', 'imported'))
      return k
    })
    expect(imported).toMatchObject({ container: 1, keyRef: 0x82 })
    expect(imported.publicKey.equals(spki)).toBe(true)
    const keys = await p15('--list-keys')
    expect(keys.out).toContain('Private RSA Key [Archived Encryption]')
    expect(keys.out).toMatch(/Key ref\s+: 130 \(0x82\)/)
    await openscSignsAndOpensslVerifies(
      '01',
      readFileSync(file('imported.der')),
      'signed with an imported key',
    )
  }, 180_000)
})

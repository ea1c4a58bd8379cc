import { CertificationRequest } from '@peculiar/asn1-csr'
import { AsnConvert } from '@peculiar/asn1-schema'
import { generateKeyPairSync, sign, verify } from 'node:crypto'
import type { KeyObject } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  buildCertificationRequest,
  parseCertificationRequest,
  verifyCertificationRequest,
} from '../../../electron/services/pki/csr'
import type { CertificationRequestInput } from '../../../electron/services/pki/csr'
import {
  DIGEST_ALGORITHMS,
  RSA_SIGNATURE_OID,
  nodeHashName,
} from '../../../electron/services/pki/digest-info'
import { nameToString } from '../../../electron/services/pki/name'
import { StationError } from '../../../shared/errors'
import { loadFixture } from '../simulator-cm/helpers'
import { OPENSSL_MISSING, openssl } from './openssl'

/** PKCS#10 around an on-card key (cm-rest-api.md §3.6, FX-E10-1), signed here by a node:crypto key in the card's place. */

const keys: Record<number, { publicKey: KeyObject; privateKey: KeyObject; spki: Buffer }> = {}
function keyPair(bits: 1024 | 2048) {
  if (!keys[bits]) {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: bits })
    keys[bits] = { publicKey, privateKey, spki: publicKey.export({ format: 'der', type: 'spki' }) }
  }
  return keys[bits]
}

const SUBJECT = 'CN=Ana Souza, OU=Users, DC=corp, DC=contoso, DC=com'

const cases = DIGEST_ALGORITHMS.flatMap((hash) => ([1024, 2048] as const).map((bits) => ({ hash, bits })))

describe.each(cases)('buildCertificationRequest $hash × RSA $bits', ({ hash, bits }) => {
  const build = (subject: string) => {
    const k = keyPair(bits)
    return buildCertificationRequest({ publicKey: k.spki, subject, hash, keyUsages: 3 }, async (tbs) =>
      sign(nodeHashName(hash), tbs, k.privateKey),
    )
  }

  it('is signed with sha*WithRSAEncryption over the DER CertificationRequestInfo', async () => {
    const der = await build('')
    const csr = AsnConvert.parse(der, CertificationRequest)
    expect(csr.signatureAlgorithm.algorithm).toBe(RSA_SIGNATURE_OID[hash])
    expect(csr.signatureAlgorithm.parameters).toBeNull() // an explicit NULL (absent would be undefined)
    const info = Buffer.from(csr.certificationRequestInfoRaw!)
    expect(verify(nodeHashName(hash), info, keyPair(bits).publicKey, Buffer.from(csr.signature))).toBe(true)
    expect(verifyCertificationRequest(der)).toBe(true)
  })

  it("'' gives the empty Name and a subject text round-trips", async () => {
    const empty = parseCertificationRequest(await build(''))
    expect(Buffer.from(AsnConvert.serialize(empty.subject)).toString('hex')).toBe('3000')
    const named = parseCertificationRequest(await build(SUBJECT))
    expect(nameToString(named.subject)).toBe(SUBJECT)
    expect(named.publicKey.equals(keyPair(bits).spki)).toBe(true)
  })

  it.skipIf(OPENSSL_MISSING)('openssl req -verify accepts it and reads the subject', async () => {
    const r = openssl(
      ['req', '-inform', 'DER', '-verify', '-noout', '-subject', '-nameopt', 'RFC2253'],
      await build(SUBJECT),
    )
    expect(r.status, r.stderr).toBe(0)
    expect(r.stderr + r.stdout).toMatch(/verify OK/)
    expect(r.stdout).toContain(`subject=${SUBJECT.replace(/, /g, ',')}`)
  })
})

describe('request attributes (the Windows client set, FX-E10-1)', () => {
  const fx = loadFixture('FX-E10-1')
  const fxCsr = Buffer.from(
    (fx.cases[0]!.request.body as { certificaterequests: string[] }).certificaterequests[0]!.replace(
      /\s/g,
      '',
    ),
    'base64',
  )

  it('writes the CertificationRequestInfo byte for byte as the Windows CM client did for the same key and options', async () => {
    const expected = Buffer.from(AsnConvert.parse(fxCsr, CertificationRequest).certificationRequestInfoRaw!)
    const input: CertificationRequestInput = {
      publicKey: parseCertificationRequest(fxCsr).publicKey,
      subject: '',
      hash: 'SHA1',
      keyUsages: 0, // the Windows client leaves KeyUsage to the CA template
      keyStorageProvider: 'Microsoft Smart Card Key Storage Provider',
      clientInfo: {
        machine: 'Jimaco.redmond.corp.microsoft.com',
        user: 'REDMOND\\v-jibran',
        process: 'FIMCMModernApp.exe',
      },
      osVersion: '6.3.9600.2',
    }
    let seen: Buffer | undefined
    const stop = new Error('captured')
    await expect(
      buildCertificationRequest(input, async (tbs) => {
        seen = tbs
        throw stop // no private key for the fixture's card key: the bytes to sign are what matters
      }),
    ).rejects.toBe(stop)
    expect(seen?.toString('hex')).toBe(expected.toString('hex'))
  })

  it.skipIf(OPENSSL_MISSING)(
    'maps CM KeyUsages onto a critical KeyUsage extension and adds the SKI',
    async () => {
      const k = keyPair(1024)
      const make = (keyUsages: number) =>
        buildCertificationRequest(
          { publicKey: k.spki, subject: '', hash: 'SHA256', keyUsages },
          async (tbs) => sign('sha256', tbs, k.privateKey),
        )
      const text = (der: Buffer) => openssl(['req', '-inform', 'DER', '-noout', '-text'], der).stdout
      expect(text(await make(3))).toMatch(/Key Usage: critical\s+Digital Signature, Key Encipherment/)
      expect(text(await make(2))).toMatch(/Key Usage: critical\s+Digital Signature\n/)
      expect(text(await make(4))).toMatch(/Key Usage: critical\s+Key Agreement/)
      const none = await make(0)
      expect(text(none)).not.toMatch(/Key Usage/)
      expect(text(none)).toMatch(/Subject Key Identifier/)
      expect(parseCertificationRequest(await make(3))).toMatchObject({
        keyUsage: 0b101,
        signatureValid: true,
      })
    },
  )

  it('refuses a card signature that does not verify, and a key that is not RSA', async () => {
    const k = keyPair(1024)
    const other = keyPair(2048)
    const input = { publicKey: k.spki, subject: '', hash: 'SHA256', keyUsages: 3 } as const
    const wrong = buildCertificationRequest(input, async (tbs) => sign('sha256', tbs, other.privateKey))
    await expect(wrong).rejects.toBeInstanceOf(StationError)
    await expect(wrong).rejects.toMatchObject({ code: 'internal' })
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({
      format: 'der',
      type: 'spki',
    })
    await expect(
      buildCertificationRequest({ ...input, publicKey: ec }, async () => Buffer.alloc(0)),
    ).rejects.toThrow(RangeError)
    await expect(
      buildCertificationRequest({ ...input, subject: 'not a name' }, async (tbs) =>
        sign('sha256', tbs, k.privateKey),
      ),
    ).rejects.toMatchObject({ code: 'invalid-response' })
  })

  it('verifyCertificationRequest is false for a tampered request and for garbage', async () => {
    const k = keyPair(1024)
    const der = await buildCertificationRequest(
      { publicKey: k.spki, subject: 'CN=x', hash: 'SHA1', keyUsages: 3 },
      async (tbs) => sign('sha1', tbs, k.privateKey),
    )
    const tampered = Buffer.from(der)
    tampered[der.indexOf(Buffer.from('x'))] = 0x79
    expect(verifyCertificationRequest(der)).toBe(true)
    expect(verifyCertificationRequest(tampered)).toBe(false)
    expect(verifyCertificationRequest(Buffer.from('hello'))).toBe(false)
    expect(verifyCertificationRequest(fxCsr)).toBe(true)
  })
})

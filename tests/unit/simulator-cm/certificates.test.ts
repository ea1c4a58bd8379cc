import { ContentInfo, SignedData } from '@peculiar/asn1-cms'
import { AsnConvert, AsnSerializer } from '@peculiar/asn1-schema'
import { Certificate } from '@peculiar/asn1-x509'
import * as asn1js from 'asn1js'
import { X509Certificate, createHash, verify } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { describeCertificate } from '../../../electron/services/pki/certificate-info'
import { readSignedData } from '../../../electron/services/pki/cms'
import { readIssuedCertificates } from '../../../electron/services/pki/issued'
import { sameName } from '../../../electron/services/pki/name'
import type { CmIssuedCertificate } from '../../../shared/domain/cm'
import { OPENSSL_MISSING, openssl, useTempDir } from '../pki/openssl'
import { api, call, useTrainingSim } from './helpers'
import { makeCsr } from './pki'

/** E10 certificate issuance (SIM-B6, cm-rest-api.md §3.7): the CMC full response by default, certs-only on request. */

const t = useTrainingSim()
const tmp = useTempDir()
const OP = 'CORP\\operator1'
const BOB = 'b0b00000-0000-4000-8000-000000000b0b'
const T_SRV = 'e1000000-5151-4a00-8000-000000000001'
/** One day after the training clock start (2024-05-06T10:00Z), for `openssl verify -attime`. */
const AT = String(Date.UTC(2024, 4, 7) / 1000)
const PKI_RESPONSE = '1.3.6.1.5.5.7.12.3'

let cardNo = 0x10
/** An approved Enroll request for Bob with a bound card, and E10 for `csrB64`; returns the answer's entries. */
async function issue(csrB64: string): Promise<Array<Record<string, unknown>>> {
  const created = await call(t.sim, 'POST', api('requests'), {
    as: OP,
    body: { datacollection: '[]', comment: '', type: 'Enroll', profiletemplateuuid: T_SRV, target: BOB },
  })
  const rid = (created.json() as string).split('/').pop()!
  const bound = await call(t.sim, 'POST', api('smartcards'), {
    as: OP,
    body: { requestid: rid, cardid: `0badcafe-0000-4000-8000-0000000000${(cardNo++).toString(16)}` },
  })
  expect(bound.status, bound.text).toBe(201)
  const res = await call(t.sim, 'POST', api(`requests/${rid}/certificatedata`), {
    as: OP,
    body: { pfxpassword: 'pw', certificaterequests: [csrB64] },
  })
  expect(res.status, res.text).toBe(200)
  return res.json() as Array<Record<string, unknown>>
}

function asItem(e: Record<string, unknown>): CmIssuedCertificate {
  return {
    templateCommonName: e.TemplateCommonName as string,
    certificateId: e.CertificateId as number,
    flags: e.Flags as number,
    useLocalMachineStore: e.UseLocalMachineStore as boolean,
    error: e.Error as string | null,
    pkcs7: e.Pkcs7 as string | null,
    pfx: e.Pfx as string | null,
    isExternal: e.IsExternal as boolean,
    isServerGenerated: e.isServerGenerated as boolean,
    isPfx: e.isPfx as boolean,
    isPkcs7: e.isPkcs7 as boolean,
    isKeyHistory: e.isKeyHistory as boolean,
  }
}

const derOf = (b64: unknown) => Buffer.from((b64 as string).replace(/\s+/g, ''), 'base64')

describe('E10 certificates (SIM-B6)', () => {
  it('answers a station-style CSR with a CMC full response: PKIResponse content, chain root → issuing → user, signed by the issuing CA', async () => {
    const csr = await makeCsr()
    const [entry] = await issue(csr.csrB64)
    const der = derOf(entry!.Pkcs7)
    const content = readSignedData(der)
    expect(content).toMatchObject({ contentType: PKI_RESPONSE, signerCount: 1 })
    const [root, issuing, user] = content.certificates as [Buffer, Buffer, Buffer]
    expect(content.certificates).toHaveLength(3)
    expect(describeCertificate(root).subject).toBe('CN=Contoso Sim Root CA, O=Contoso Simulator')
    expect(describeCertificate(issuing).subject).toBe('CN=Contoso Sim Issuing CA, O=Contoso Simulator')
    expect(describeCertificate(user).publicKey.equals(csr.spkiDer)).toBe(true)

    // The SignerInfo: issuing CA by issuer + serial, messageDigest = SHA-512 of the PKIResponse, Ed25519 signature
    // over the DER SET OF signed attributes (RFC 5652 §5.4, RFC 8419 §3). OpenSSL 3.0 cannot check this one.
    const sd = AsnConvert.parse(AsnConvert.parse(der, ContentInfo).content, SignedData)
    const signer = sd.signerInfos[0]!
    const issuingCert = AsnConvert.parse(issuing, Certificate)
    const sid = signer.sid.issuerAndSerialNumber!
    expect(sameName(sid.issuer, issuingCert.tbsCertificate.issuer)).toBe(true)
    expect(Buffer.from(sid.serialNumber)).toEqual(Buffer.from(issuingCert.tbsCertificate.serialNumber))
    const eContent = Buffer.from(sd.encapContentInfo.eContent!.single!.buffer)
    const attrs = signer.signedAttrs!
    const digestAttr = attrs.find((a) => a.attrType === '1.2.840.113549.1.9.4')!
    const digest = (asn1js.fromBER(digestAttr.attrValues[0]!).result as asn1js.OctetString).valueBlock
      .valueHexView
    expect(Buffer.from(digest)).toEqual(createHash('sha512').update(eContent).digest())
    const signedSet = new asn1js.Set({ value: attrs.map((a) => AsnSerializer.toASN(a)) }).toBER()
    const issuingKey = new X509Certificate(issuing).publicKey
    expect(verify(null, Buffer.from(signedSet), issuingKey, Buffer.from(signer.signature.buffer))).toBe(true)

    // The station's reader finds the user certificate by the CSR key.
    const [read] = readIssuedCertificates([asItem(entry!)], { publicKeys: [csr.spkiDer], pfxPassword: 'pw' })
    expect(read).toMatchObject({ kind: 'certificate', keyIndex: 0, chain: [issuing, root] })
  })

  it('puts the holder, UPN, EKUs, KeyUsage and template into the user certificate', async () => {
    const csr = await makeCsr('', 2) // the CSR asks for Signing only
    const [entry] = await issue(csr.csrB64)
    const user = new X509Certificate(readSignedData(derOf(entry!.Pkcs7)).certificates[2]!)
    const info = describeCertificate(user.raw)
    expect(info.subject).toBe('CN=Bob de Vries, OU=Users, DC=corp, DC=contoso, DC=com')
    expect(info.issuer).toBe('CN=Contoso Sim Issuing CA, O=Contoso Simulator')
    expect(info.templateName).toBe('BadgeSmartcardLogon')
    expect(user.keyUsage).toEqual(['1.3.6.1.4.1.311.20.2.2', '1.3.6.1.5.5.7.3.2']) // node: the EKU list
    expect(user.ca).toBe(false)
    const text = OPENSSL_MISSING
      ? ''
      : openssl(['x509', '-inform', 'DER', '-noout', '-text'], user.raw).stdout
    if (!OPENSSL_MISSING) {
      expect(text).toMatch(/othername: ?UPN::bob@corp\.contoso\.com/)
      expect(text).toMatch(/Key Usage: critical\s+Digital Signature\n/)
      expect(text).toMatch(/Microsoft Smartcard Login, TLS Web Client Authentication/)
    }
    // Without a KeyUsage request, the template's KeyUsages (3) → digitalSignature + keyEncipherment.
    const plain = await issue((await makeCsr('', 0)).csrB64)
    const plainUser = readSignedData(derOf(plain[0]!.Pkcs7)).certificates[2]!
    if (!OPENSSL_MISSING) {
      expect(openssl(['x509', '-inform', 'DER', '-noout', '-text'], plainUser).stdout).toMatch(
        /Key Usage: critical\s+Digital Signature, Key Encipherment/,
      )
    }
  })

  it.skipIf(OPENSSL_MISSING)(
    'OpenSSL reads the CMC response (cms -cmsout -print, pkcs7 -print_certs) and verifies the user certificate against root + issuing CA',
    async () => {
      const [entry] = await issue((await makeCsr()).csrB64)
      const der = derOf(entry!.Pkcs7)
      const printed = openssl(['cms', '-cmsout', '-print', '-inform', 'DER'], der)
      expect(printed.status, printed.stderr).toBe(0)
      expect(printed.stdout).toContain('eContentType: id-cct-PKIResponse (1.3.6.1.5.5.7.12.3)')
      expect(printed.stdout).toMatch(/signerInfos:/)
      const certs = openssl(['pkcs7', '-inform', 'DER', '-print_certs', '-noout'], der)
      expect(certs.status, certs.stderr).toBe(0)
      expect(certs.stdout.match(/^subject=/gm)).toHaveLength(3)
      expect(certs.stdout).toContain(
        'subject=DC = com, DC = contoso, DC = corp, OU = Users, CN = Bob de Vries',
      )
      const [root, issuing, user] = readSignedData(der).certificates.map((c) =>
        new X509Certificate(c).toString(),
      )
      const ok = openssl([
        'verify',
        '-attime',
        AT,
        '-CAfile',
        tmp.file('root.pem', root!),
        '-untrusted',
        tmp.file('issuing.pem', issuing!),
        tmp.file('user.pem', user!),
      ])
      expect(ok.stdout + ok.stderr).toMatch(/user\.pem: OK/)
      expect(ok.status).toBe(0)
    },
  )

  it('certificateResponse "certs-only" still answers a SignedData without content or signer', async () => {
    t.sim.control.setSwitches({ certificateResponse: 'certs-only' })
    try {
      const csr = await makeCsr()
      const [entry] = await issue(csr.csrB64)
      const der = derOf(entry!.Pkcs7)
      expect(readSignedData(der)).toMatchObject({ contentType: '1.2.840.113549.1.7.1', signerCount: 0 })
      const [read] = readIssuedCertificates([asItem(entry!)], {
        publicKeys: [csr.spkiDer],
        pfxPassword: 'pw',
      })
      expect(read).toMatchObject({ kind: 'certificate', keyIndex: 0 })
      if (!OPENSSL_MISSING) {
        const certs = openssl(['pkcs7', '-inform', 'DER', '-print_certs', '-noout'], der)
        expect(certs.stdout.match(/^subject=/gm)).toHaveLength(3)
      }
    } finally {
      t.sim.control.setSwitches({ certificateResponse: 'cmc' })
    }
  })

  it.skipIf(OPENSSL_MISSING)(
    'the server-generated PFX opens with openssl pkcs12 and the pfxpassword, and not without it',
    async () => {
      const created = await call(t.sim, 'POST', api('requests'), {
        as: OP,
        body: {
          datacollection: '[]',
          comment: '',
          type: 'Enroll',
          profiletemplateuuid: 'e1000000-5151-4a00-8000-000000000002',
          target: BOB,
        },
      })
      const rid = (created.json() as string).split('/').pop()!
      await call(t.sim, 'POST', api('smartcards'), {
        as: OP,
        body: { requestid: rid, cardid: '0badcafe-0000-4000-8000-0000000000ff' },
      })
      const csr = await makeCsr()
      const res = await call(t.sim, 'POST', api(`requests/${rid}/certificatedata`), {
        as: OP,
        body: { pfxpassword: 'p@ss w0rd', certificaterequests: [csr.csrB64] },
      })
      const list = res.json() as Array<Record<string, unknown>>
      const pfx = tmp.file('server.pfx', derOf(list[1]!.Pfx))
      const info = openssl(['pkcs12', '-in', pfx, '-info', '-noout', '-passin', 'pass:p@ss w0rd'])
      expect(info.status, info.stderr).toBe(0)
      expect(info.stderr + info.stdout).toMatch(/Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC/)
      const keys = openssl(['pkcs12', '-in', pfx, '-nocerts', '-nodes', '-passin', 'pass:p@ss w0rd'])
      expect(keys.stdout).toContain('-----BEGIN PRIVATE KEY-----')
      expect(openssl(['pkcs12', '-in', pfx, '-info', '-noout', '-passin', 'pass:wrong']).status).not.toBe(0)
      const entries = readIssuedCertificates(list.map(asItem), {
        publicKeys: [csr.spkiDer],
        pfxPassword: 'p@ss w0rd',
      })
      expect(entries.map((e) => e.kind)).toEqual(['certificate', 'pfx', 'certificate'])
      expect(entries[2]).toMatchObject({ keyIndex: null, external: true })
    },
  )
})

import { generateKeyPairSync, sign, X509Certificate } from 'node:crypto'
import {
  bits,
  int,
  nul,
  oid,
  readChildren,
  readTlv,
  seq,
  set,
  utf8,
} from '../../../electron/simulator/cm/pki/der'

/** Test helpers: build real PKCS#10 requests and unpack certs-only CMS SignedData. */

/** A fresh RSA key pair and a DER CSR signed with it (sha256WithRSA). */
export function makeCsr(cn = 'test'): { csrB64: string; spkiDer: Buffer } {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 })
  const spkiDer = publicKey.export({ format: 'der', type: 'spki' })
  const subject = seq(set(seq(oid('2.5.4.3'), utf8(cn))))
  const info = seq(int(0), subject, spkiDer, Buffer.from([0xa0, 0x00]))
  const sig = sign('sha256', info, privateKey)
  const csr = seq(info, seq(oid('1.2.840.113549.1.1.11'), nul()), bits(sig))
  return { csrB64: csr.toString('base64').replace(/(.{64})/g, '$1\r\n'), spkiDer }
}

/** The certificates inside a (certs-only or full) CMS SignedData. */
export function certsFromPkcs7(b64: string): X509Certificate[] {
  const der = Buffer.from(b64.replace(/\s+/g, ''), 'base64')
  const ci = readChildren(readTlv(der).content)
  const signedData = readTlv(ci[1]!.content) // [0] EXPLICIT
  const fields = readChildren(signedData.content)
  const certSet = fields.find((f) => f.tag === 0xa0)!
  return readChildren(certSet.content).map((c) => new X509Certificate(c.raw))
}

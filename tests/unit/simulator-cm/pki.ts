import { generateKeyPairSync, sign, X509Certificate } from 'node:crypto'
import { readSignedData } from '../../../electron/services/pki/cms'
import { buildCertificationRequest } from '../../../electron/services/pki/csr'

/** Test helpers: station-style PKCS#10 requests and the certificates of a CMS SignedData (either form). */

/** A fresh RSA key pair and a CSR built like the station builds one (sha256WithRSA), base64 with CRLF. */
export async function makeCsr(
  subject = '',
  keyUsages = 3,
): Promise<{ csrB64: string; csrDer: Buffer; spkiDer: Buffer }> {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 })
  const spkiDer = publicKey.export({ format: 'der', type: 'spki' })
  const csrDer = await buildCertificationRequest(
    {
      publicKey: spkiDer,
      subject,
      hash: 'SHA256',
      keyUsages,
      keyStorageProvider: 'Microsoft Smart Card Key Storage Provider',
    },
    async (tbs) => sign('sha256', tbs, privateKey),
  )
  return { csrB64: csrDer.toString('base64').replace(/(.{64})/g, '$1\r\n'), csrDer, spkiDer }
}

/** The certificates inside a (certs-only or CMC full response) CMS SignedData, in file order. */
export function certsFromPkcs7(b64: string): X509Certificate[] {
  const der = Buffer.from(b64.replace(/\s+/g, ''), 'base64')
  return readSignedData(der).certificates.map((c) => new X509Certificate(c))
}

import { ContentInfo, SignedData, id_signedData } from '@peculiar/asn1-cms'
import { AsnConvert } from '@peculiar/asn1-schema'
import { StationError } from '../../../shared/errors'

/** The contents of a CMS SignedData (RFC 5652 §5) that the station uses. */
export interface SignedDataContents {
  /** eContentType: id-data (1.2.840.113549.1.7.1) for certs-only, id-cct-PKIResponse (1.3.6.1.5.5.7.12.3) for CMC. */
  contentType: string
  /** DER X.509 certificates in file order (other certificate formats are skipped). */
  certificates: Buffer[]
  signerCount: number
}

/**
 * Open a DER ContentInfo holding a SignedData, either form CM uses (§3.7: the CMC full response of FX-E10-1, or a
 * certs-only "degenerate" SignedData). Signatures are not checked here: trust comes from the chain the station
 * installs, not from the response. Throws StationError('certificate-unreadable') when it is not one.
 */
export function readSignedData(der: Uint8Array): SignedDataContents {
  try {
    const ci = AsnConvert.parse(der, ContentInfo)
    if (ci.contentType !== id_signedData) throw new Error(`content type ${ci.contentType}`)
    const sd = AsnConvert.parse(ci.content, SignedData)
    const certificates = [...(sd.certificates ?? [])].flatMap((c) =>
      c.certificate ? [Buffer.from(AsnConvert.serialize(c.certificate))] : [],
    )
    return { contentType: sd.encapContentInfo.eContentType, certificates, signerCount: sd.signerInfos.length }
  } catch (error) {
    throw new StationError('certificate-unreadable', {}, `not a CMS SignedData (${(error as Error).message})`)
  }
}

import { AsnConvert, AsnProp, AsnPropTypes, AsnSequenceType } from '@peculiar/asn1-schema'

/**
 * The CMC body of a "full response" (RFC 5272 §3.2.3), as the PKIResponse inside FX-E10-1's SignedData: one
 * control, id-cmc-statusInfo, saying success for the request's body part. Real CM (AD CS) also adds a
 * Microsoft add-attributes control with the issued certificate's hash; clients do not need it.
 */

/** id-cct-PKIResponse (RFC 5272 §3.2.3): the eContentType of a CMC full response. */
export const ID_CCT_PKI_RESPONSE = '1.3.6.1.5.5.7.12.3'
/** id-cmc-statusInfo (RFC 5272 §6.1.1). */
const ID_CMC_STATUS_INFO = '1.3.6.1.5.5.7.7.1'
/** CMCStatus success (RFC 5272 §6.1.4). */
const CMC_STATUS_SUCCESS = 0

/** `CMCStatusInfo ::= SEQUENCE { cMCStatus, bodyList SEQUENCE OF BodyPartID, statusString UTF8String OPTIONAL }`. */
class CmcStatusInfo {
  cmcStatus = CMC_STATUS_SUCCESS
  bodyList: number[] = []
  statusString?: string
}
// Decorators applied by hand: the project compiles without legacy decorator support.
AsnSequenceType({})(CmcStatusInfo)
AsnProp({ type: AsnPropTypes.Integer })(CmcStatusInfo.prototype, 'cmcStatus')
AsnProp({ type: AsnPropTypes.Integer, repeated: 'sequence' })(CmcStatusInfo.prototype, 'bodyList')
AsnProp({ type: AsnPropTypes.Utf8String, optional: true })(CmcStatusInfo.prototype, 'statusString')

/** `TaggedAttribute ::= SEQUENCE { bodyPartID, attrType OBJECT IDENTIFIER, attrValues SET OF AttributeValue }`. */
class TaggedAttribute {
  bodyPartId = 0
  attrType = ''
  attrValues: ArrayBuffer[] = []
}
AsnSequenceType({})(TaggedAttribute)
AsnProp({ type: AsnPropTypes.Integer })(TaggedAttribute.prototype, 'bodyPartId')
AsnProp({ type: AsnPropTypes.ObjectIdentifier })(TaggedAttribute.prototype, 'attrType')
AsnProp({ type: AsnPropTypes.Any, repeated: 'set' })(TaggedAttribute.prototype, 'attrValues')

/** `PKIResponse ::= SEQUENCE { controlSequence, cmsSequence, otherMsgSequence }`; the last two stay empty here. */
class PkiResponse {
  controlSequence: TaggedAttribute[] = []
  cmsSequence: ArrayBuffer[] = []
  otherMsgSequence: ArrayBuffer[] = []
}
AsnSequenceType({})(PkiResponse)
AsnProp({ type: TaggedAttribute, repeated: 'sequence' })(PkiResponse.prototype, 'controlSequence')
AsnProp({ type: AsnPropTypes.Any, repeated: 'sequence' })(PkiResponse.prototype, 'cmsSequence')
AsnProp({ type: AsnPropTypes.Any, repeated: 'sequence' })(PkiResponse.prototype, 'otherMsgSequence')

/** DER PKIResponse: status "success" ("Issued", FX-E10-1's wording) for body part `bodyPartId` of the request. */
export function successResponse(bodyPartId = 1): Buffer {
  const status = Object.assign(new CmcStatusInfo(), { bodyList: [bodyPartId], statusString: 'Issued' })
  const control = Object.assign(new TaggedAttribute(), {
    bodyPartId: 1,
    attrType: ID_CMC_STATUS_INFO,
    attrValues: [AsnConvert.serialize(status)],
  })
  return Buffer.from(AsnConvert.serialize(Object.assign(new PkiResponse(), { controlSequence: [control] })))
}

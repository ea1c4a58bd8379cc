import { describe, expect, it } from 'vitest'
import {
  OPERATION_TO_REQUEST_TYPE,
  REQUEST_FLAGS,
  REQUEST_STATUS,
  REQUEST_TYPE,
  REQUEST_TYPE_PLACEHOLDER,
  REQUEST_TYPE_SIMULATOR,
  SMARTCARD_STATUS,
  USER_PIN_OPTION,
  CREATE_REQUEST_TYPES,
  POLICY_TYPES,
  describeEnum,
  describeFlags,
  enumValueOf,
  matchVocabulary,
} from '../../../shared/cm/enums'

/** shared/cm/enums.ts: §4 tables as data; unknown numbers stay raw (§4.9). */

describe('describeEnum', () => {
  it('names known values with their confidence and keeps unknown numbers raw', () => {
    expect(describeEnum(SMARTCARD_STATUS, 6)).toEqual({ raw: 6, name: 'Retired', confidence: 'observed' })
    expect(describeEnum(SMARTCARD_STATUS, 4)).toEqual({ raw: 4, name: 'Disabled', confidence: 'inferred' })
    expect(describeEnum(SMARTCARD_STATUS, 7)).toEqual({ raw: 7, name: undefined, confidence: undefined })
    expect(describeEnum(REQUEST_STATUS, 42).name).toBeUndefined()
  })

  it('keeps the PLACEHOLDER request types out of the real-server table (§4.3)', () => {
    expect(describeEnum(REQUEST_TYPE, 108).name).toBeUndefined()
    expect(describeEnum(REQUEST_TYPE_SIMULATOR, 108)).toEqual({
      raw: 108,
      name: 'Retire',
      confidence: 'placeholder',
    })
    expect(REQUEST_TYPE_PLACEHOLDER.map((e) => e.value)).toEqual([
      101, 102, 103, 104, 105, 106, 107, 108, 109, 110,
    ])
    expect(REQUEST_TYPE_PLACEHOLDER.every((e) => e.confidence === 'placeholder')).toBe(true)
  })

  it('UserPinOption: only 3 (UserProvided) has any evidence', () => {
    expect(USER_PIN_OPTION.filter((e) => e.confidence !== 'placeholder').map((e) => e.value)).toEqual([3])
  })
})

describe('flags and vocabularies', () => {
  it('decodes known bits and keeps leftovers', () => {
    expect(describeFlags(REQUEST_FLAGS, 3)).toEqual({
      raw: 3,
      names: ['EnrollmentAgent', 'Smartcard'],
      unknownBits: 0,
    })
    expect(describeFlags(REQUEST_FLAGS, 0x42)).toEqual({ raw: 0x42, names: ['Smartcard'], unknownBits: 0x40 })
  })

  it('matches vocabulary words case-insensitively and knows the TemporaryCards / TemporaryEnroll split', () => {
    expect(matchVocabulary(CREATE_REQUEST_TYPES, ' unblock ')).toBe('Unblock')
    expect(matchVocabulary(CREATE_REQUEST_TYPES, 'TemporaryEnroll')).toBeUndefined()
    expect(matchVocabulary(POLICY_TYPES, 'temporaryenroll')).toBe('TemporaryEnroll')
    expect(enumValueOf(REQUEST_STATUS, 'pending')).toBe(16)
    expect(OPERATION_TO_REQUEST_TYPE.disable).toBeUndefined()
    expect(OPERATION_TO_REQUEST_TYPE.renew).toBe('Renew')
  })
})

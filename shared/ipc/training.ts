import { z } from 'zod'
import { channel } from './define'

/** A reader name as the station lists it (PC/SC names are short; bounded against hostile input). */
const readerName = z.string().min(1).max(128)

/** Request of the training card channels: which virtual reader. */
export const trainingCardRequest = z.object({ reader: readerName }).strict()

/** Training-mode channels: put a virtual card into / take it out of a virtual reader. */
export const trainingChannels = {
  /** Insert the reader's virtual card (fails with 'not-training-mode' / 'reader-not-found'). */
  'training:insert-card': channel<typeof trainingCardRequest, null>(trainingCardRequest),
  /** Remove the card from a virtual reader (no-op when empty). */
  'training:remove-card': channel<typeof trainingCardRequest, null>(trainingCardRequest),
  /**
   * Put a NEW blank badge (fresh cardid CM has never seen, the issuing template's initial admin key) into the reader,
   * replacing its virtual card: the trainee can issue again after a badge was issued or retired.
   */
  'training:new-card': channel<typeof trainingCardRequest, null>(trainingCardRequest),
}

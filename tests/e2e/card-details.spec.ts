import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test } from './station-fixture'

const READER0 = 'Station Virtual Reader 0'
const READER1 = 'Station Virtual Reader 1'

interface SeedUser {
  Uuid: string
  DisplayName: string
}

interface SeedCard {
  Uuid: string
  Status: number
  SerialNumber: string
  AssignedUserUuid: string
  ProfileTemplateUuid: string
}

// The training scenario the station's built-in CM simulator runs (electron/simulator/cm/seeds/training.json).
const SEED = JSON.parse(
  readFileSync(join(__dirname, '../../electron/simulator/cm/seeds/training.json'), 'utf8'),
) as { Smartcards: SeedCard[]; Users: SeedUser[] }
// Reader 0's badge (electron/simulator/card/training-cards.ts): Alice Martins' Active card.
const ALICE_CARD = SEED.Smartcards.find((c) => c.Uuid === '7a000000-0000-4000-8000-000000000001')!
const ALICE_CARD_ID = ALICE_CARD.SerialNumber.replace(/[{}]/g, '')
const ALICE = SEED.Users.find((u) => u.Uuid === ALICE_CARD.AssignedUserUuid)!

test.describe('insert a card → identify it (ATR, GIDS cardid, CM record), training mode', () => {
  test('the seeded badge is Active with its owner; a new badge is not registered; removal clears', async ({
    stationPage,
    consoleErrors,
  }) => {
    const { page } = stationPage
    await stationPage.waitForCardAbsent(READER0)
    await stationPage.waitForCardAbsent(READER1)
    await expect(page.getByTestId('card-details')).toHaveCount(0)

    await stationPage.reader(READER0).getByTestId('insert-card').click()
    await stationPage.waitForCardPresent(READER0)
    await stationPage.waitForCardIdentified(READER0, 'registered')
    const issued = stationPage.cardDetails(READER0)
    await expect(issued.getByTestId('card-id')).toHaveText(ALICE_CARD_ID)
    await expect(issued.getByTestId('cm-status')).toHaveText('Active')
    await expect(issued.getByTestId('cm-status')).toHaveAttribute(
      'data-status-raw',
      String(ALICE_CARD.Status),
    )
    // Training has a directory (the simulator's users): the owner is shown by name, the GUID kept in data-uuid.
    await expect(issued.getByTestId('cm-owner')).toHaveText(ALICE.DisplayName)
    await expect(issued.getByTestId('cm-owner')).toHaveAttribute('data-uuid', ALICE_CARD.AssignedUserUuid)
    // By name once it is an enrollable template, by GUID otherwise: the id is always in data-template-id.
    await expect(issued.getByTestId('cm-template')).toHaveAttribute(
      'data-template-id',
      ALICE_CARD.ProfileTemplateUuid,
    )
    // The operator (CORP\operator1) may retire and unblock on this template (its policies and grants).
    await expect(issued.locator('[data-testid="cm-operation"][data-operation="retire"]')).toHaveText('Retire')
    await expect(issued.locator('[data-testid="cm-operation"][data-operation="unblock"]')).toHaveText(
      'Unblock',
    )
    await expect(issued).toHaveAttribute('aria-live', 'polite')
    await expect(page.getByRole('region', { name: `Card in ${READER0}` })).toBeVisible()

    await stationPage.reader(READER1).getByTestId('insert-card').click()
    await stationPage.waitForCardPresent(READER1)
    await stationPage.waitForCardIdentified(READER1, 'not-registered')
    const fresh = stationPage.cardDetails(READER1)
    await expect(fresh.getByTestId('cm-not-registered')).toHaveText(/Not registered in CM/)
    await expect(fresh.getByTestId('card-id')).toHaveText(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    )
    await expect(fresh.getByTestId('card-id')).not.toHaveText(ALICE_CARD_ID)

    await stationPage.reader(READER0).getByTestId('remove-card').click()
    await stationPage.waitForCardAbsent(READER0)
    await expect(stationPage.cardDetails(READER0)).toHaveCount(0)
    // The other reader's card is untouched.
    await expect(stationPage.cardDetails(READER1)).toHaveAttribute('data-phase', 'not-registered')

    await stationPage.reader(READER1).getByTestId('remove-card').click()
    await stationPage.waitForCardAbsent(READER1)
    await expect(page.getByTestId('card-details')).toHaveCount(0)

    // Reinserted, reader 0 holds the same badge again (it keeps its state between remove and insert).
    await stationPage.reader(READER0).getByTestId('insert-card').click()
    await stationPage.waitForCardIdentified(READER0, 'registered')
    await expect(stationPage.cardDetails(READER0).getByTestId('card-id')).toHaveText(ALICE_CARD_ID)
    expect(consoleErrors).toEqual([])
  })
})

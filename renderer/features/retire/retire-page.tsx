import { Button, Text, Title3, makeStyles, tokens, useId } from '@fluentui/react-components'
import { useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { UserUuid } from '../../../shared/domain/cm'
import { navigate } from '../../store/enrollment-actions'
import { useStationContext, useStationState } from '../../store/store-context'
import { PageHeading } from '../common/page-heading'
import { PersonSearch } from '../directory/person-search'
import { RetireForm, RetireOutcomeView, type RetireOutcome } from './retire-form'
import { HolderButtons, HolderCards, ReaderBadges, type RetireTarget } from './retire-targets'

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalL },
  part: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalS },
  heading: { margin: 0 },
  muted: { color: tokens.colorNeutralForeground3 },
  footer: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalS,
    paddingTop: tokens.spacingVerticalM,
    borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
})

/**
 * "Retire a badge": pick the badge in a reader, or one of a holder's cards (the holder of a badge in a reader, or
 * found in the directory), then its Retire policy, a confirmation and `cm:retire-card`. A failure stays in
 * "Pending CM writes" on Home when the write journal kept it.
 */
export function RetirePage(): ReactNode {
  const { t } = useTranslation()
  const styles = useStyles()
  const { store } = useStationContext()
  const headingId = useId('retire')
  const chooseId = useId('retire-choose')
  const badgesId = useId('retire-badges')
  const directory = useStationState((s) => s.app.info?.directory === true)
  const [target, setTarget] = useState<RetireTarget | null>(null)
  const [holder, setHolder] = useState<UserUuid | null>(null)
  const [outcome, setOutcome] = useState<RetireOutcome | null>(null)
  const [round, setRound] = useState(0)

  const pick = (next: RetireTarget): void => {
    setTarget(next)
    setOutcome(null)
  }
  const again = (): void => {
    setTarget(null)
    setOutcome(null)
    setRound((n) => n + 1)
  }

  return (
    <section className={styles.root} aria-labelledby={headingId} data-testid="retire-page">
      <PageHeading id={headingId}>{t('retireTask.heading')}</PageHeading>
      <section className={styles.part} aria-labelledby={chooseId}>
        <Title3 as="h3" id={chooseId} className={styles.heading}>
          {t('retireTask.choose')}
        </Title3>
        <Text id={badgesId} weight="semibold">
          {t('retireTask.inReaders')}
        </Text>
        <ReaderBadges value={target?.smartcardUuid ?? null} onPick={pick} labelId={badgesId} />
        <HolderButtons onHolder={setHolder} />
        {directory ? (
          <PersonSearch
            label={t('retireTask.search')}
            testId="retire-holder-search"
            onPick={(p) => setHolder(p.uuid)}
          />
        ) : null}
        {holder ? (
          <HolderCards
            holderUuid={holder}
            value={target?.smartcardUuid ?? null}
            onPick={pick}
            refreshKey={round}
          />
        ) : null}
      </section>
      {target ? (
        // Kept mounted after the outcome (it then shows nothing): its confirmation dialog must finish closing, or
        // the page stays hidden from assistive technology (a modal unmounted mid-close leaves aria-hidden behind).
        <RetireForm
          key={target.smartcardUuid}
          target={target}
          onDone={setOutcome}
          finished={outcome !== null}
        />
      ) : null}
      {target && outcome ? (
        <RetireOutcomeView outcome={outcome} smartcardUuid={target.smartcardUuid} />
      ) : null}
      <div className={styles.footer}>
        {outcome ? (
          <Button appearance="primary" data-testid="retire-another" onClick={again}>
            {t('retireTask.another')}
          </Button>
        ) : null}
        <Button data-testid="back-home" onClick={() => navigate(store, { name: 'home' })}>
          {t('common.backHome')}
        </Button>
      </div>
    </section>
  )
}

import { Button, Text, makeStyles, tokens, useId } from '@fluentui/react-components'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { navigate } from '../../store/enrollment-actions'
import { useStationContext } from '../../store/store-context'
import { PageHeading } from '../common/page-heading'
import { InProgressList } from './in-progress-list'
import { PendingWrites } from './pending-writes'

const useStyles = makeStyles({
  root: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalXXL },
  tasks: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fit, minmax(14rem, 1fr))',
    gap: tokens.spacingHorizontalL,
  },
  task: {
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'flex-start',
    rowGap: tokens.spacingVerticalXS,
    height: 'auto',
    padding: `${tokens.spacingVerticalL} ${tokens.spacingHorizontalL}`,
    textAlign: 'start',
  },
  taskDetail: { fontWeight: tokens.fontWeightRegular },
  section: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalM },
})

/** The default page: the desk's two tasks, the enrollments in progress and the CM writes still pending. */
export function HomePage(): ReactNode {
  const { t } = useTranslation()
  const styles = useStyles()
  const { store } = useStationContext()
  const headingId = useId('home')
  return (
    <div className={styles.root}>
      <section className={styles.section} aria-labelledby={headingId}>
        <PageHeading id={headingId}>{t('home.tasks')}</PageHeading>
        <div className={styles.tasks}>
          <Button
            appearance="primary"
            size="large"
            className={styles.task}
            data-testid="task-issue"
            onClick={() => navigate(store, { name: 'issue', requestId: null })}
          >
            <span>{t('home.issue')}</span>
            <Text size={200} className={styles.taskDetail}>
              {t('home.issueDetail')}
            </Text>
          </Button>
          <Button
            size="large"
            className={styles.task}
            data-testid="task-retire"
            onClick={() => navigate(store, { name: 'retire' })}
          >
            <span>{t('home.retire')}</span>
            <Text size={200} className={styles.taskDetail}>
              {t('home.retireDetail')}
            </Text>
          </Button>
        </div>
      </section>
      <InProgressList />
      <PendingWrites />
    </div>
  )
}

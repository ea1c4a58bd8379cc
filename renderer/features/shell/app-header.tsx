import { Title3, makeStyles, tokens } from '@fluentui/react-components'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { CmStatus } from './cm-status'
import { LanguagePicker } from './language-picker'

const useStyles = makeStyles({
  root: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    flexWrap: 'wrap',
    gap: tokens.spacingHorizontalM,
    padding: `${tokens.spacingVerticalM} ${tokens.spacingHorizontalXL}`,
    backgroundColor: tokens.colorNeutralBackground1,
    borderBottom: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    boxShadow: tokens.shadow2,
  },
  title: { margin: 0 },
})

/** The banner landmark: product title, the CM connection status (with Check again) and the language picker. */
export function AppHeader(): ReactNode {
  const { t } = useTranslation()
  const styles = useStyles()
  return (
    <header className={styles.root}>
      <Title3 as="h1" className={styles.title}>
        {t('app.title')}
      </Title3>
      <CmStatus />
      <LanguagePicker />
    </header>
  )
}

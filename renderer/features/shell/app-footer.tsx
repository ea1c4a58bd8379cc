import { Caption1, makeStyles, tokens } from '@fluentui/react-components'
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { useStationState } from '../../store/store-context'
import { ExportDiagnostics } from './export-diagnostics'

const useStyles = makeStyles({
  root: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    columnGap: tokens.spacingHorizontalL,
    padding: `${tokens.spacingVerticalS} ${tokens.spacingHorizontalXL}`,
    color: tokens.colorNeutralForeground3,
    borderTop: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
  },
})

/** The contentinfo landmark: version, CM server host, which host runs the UI, and "Export diagnostics". */
export function AppFooter(): ReactNode {
  const { t } = useTranslation()
  const styles = useStyles()
  const info = useStationState((s) => s.app.info)
  if (!info) return <footer className={styles.root} />
  return (
    <footer className={styles.root}>
      <Caption1>{t('app.version', { version: info.version })}</Caption1>
      <Caption1>
        {info.cmServer ? t('app.cmServer', { host: info.cmServer }) : t('app.simulatedServer')}
      </Caption1>
      <Caption1>{t(info.host === 'preview' ? 'app.hostPreview' : 'app.hostElectron')}</Caption1>
      <ExportDiagnostics />
    </footer>
  )
}

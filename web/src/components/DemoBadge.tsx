import { Badge } from 'design-react-kit';
import { t } from '../i18n';

/** Marks synthetic data, so that demo figures are never mistaken for official ones. */
export function DemoBadge({ label = t.demo.badge }: { label?: string }) {
  return (
    <Badge color="warning" className="demo-badge">
      {label}
    </Badge>
  );
}

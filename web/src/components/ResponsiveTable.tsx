import type { ReactNode } from 'react';

interface ResponsiveTableProps {
  /** id of the table's <caption>, which also names the scrollable region. */
  captionId: string;
  children: ReactNode;
}

/**
 * Horizontal scrolling container for wide tables on small screens. It is focusable so that
 * keyboard users can scroll it too (WCAG 2.1.1), and named after the table it holds.
 */
export function ResponsiveTable({ captionId, children }: ResponsiveTableProps) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
    <section className="table-responsive" aria-labelledby={captionId} tabIndex={0}>
      {children}
    </section>
  );
}

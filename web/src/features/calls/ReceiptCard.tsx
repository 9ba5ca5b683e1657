import { useEffect, useRef } from 'react';
import { Link } from 'react-router';
import { t } from '../../i18n';
import { receiptPdfUrl } from './api';
import { ApplicationStatusBadge } from './parts';
import type { Receipt } from './types';
import { formatMillis } from './when';

/**
 * The receipt of an application: protocol, instant to the millisecond (the order of arrival) and
 * the hash that binds them to what was sent. Its heading takes the focus when it replaces the form.
 */
export function ReceiptCard({
  receipt,
  callTitle,
  status,
  focus = false,
  headingLevel = 2,
}: {
  receipt: Receipt;
  callTitle: string;
  status?: string | undefined;
  focus?: boolean;
  headingLevel?: 1 | 2;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focus) heading.current?.focus();
  }, [focus]);
  const r = t.calls.receipt;
  const Heading = headingLevel === 1 ? 'h1' : 'h2';
  return (
    <section className="receipt-card border rounded p-4 mb-4" aria-labelledby="receipt-title">
      <Heading id="receipt-title" ref={heading} tabIndex={-1} className={headingLevel === 1 ? '' : 'h3'}>
        {r.title}
      </Heading>
      <p className="lead">{r.lead(callTitle)}</p>
      <dl className="row receipt-facts">
        <div className="col-md-6 mb-3">
          <dt className="small text-secondary">{r.protocol}</dt>
          <dd className="fs-4 fw-semibold font-monospace mb-0 receipt-protocol">{receipt.protocol}</dd>
        </div>
        <div className="col-md-6 mb-3">
          <dt className="small text-secondary">{r.receivedAt}</dt>
          <dd className="fs-4 mb-0 receipt-time">{formatMillis(receipt.receivedAt)}</dd>
        </div>
        {status ? (
          <div className="col-md-6 mb-3">
            <dt className="small text-secondary">{r.status}</dt>
            <dd className="mb-0">
              <ApplicationStatusBadge status={status} />
            </dd>
          </div>
        ) : null}
        <div className="col-12 mb-3">
          <dt className="small text-secondary">{r.hash}</dt>
          <dd className="calls-hash mb-0 receipt-hash">{receipt.hash}</dd>
        </div>
        <div className="col-12 mb-3">
          <dt className="small text-secondary">{r.dataHash}</dt>
          <dd className="calls-hash mb-0">{receipt.dataHash}</dd>
        </div>
      </dl>
      <p className="small">{r.keep}</p>
      <p className="d-flex flex-wrap gap-3 mb-0">
        <a
          className="btn btn-primary btn-sm receipt-pdf"
          href={receiptPdfUrl(receipt.callId, receipt.applicationId)}
          download
        >
          {r.pdf}
        </a>
        <Link className="btn btn-outline-primary btn-sm" to="/le-mie-domande">
          {r.mine}
        </Link>
      </p>
    </section>
  );
}

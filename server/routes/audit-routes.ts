import type { AuditService } from '../audit/audit-service.ts';
import { CSV_HEADER, csvRow, ndjsonRow, ndjsonSigned } from '../audit/export-format.ts';
import type { Services } from '../service/services.ts';
import type { Route } from './define-route.ts';

/** Audit search, streamed export, chain verification and charts. */
export function auditRoutes(route: Route, s: Services): void {
  route('GET /api/v1/audit', async (c, { query }) => {
    const { cursor, limit, ...filter } = query;
    return c.json(
      await s.audit.query(filter, cursor === undefined ? undefined : Number(cursor), limit),
    );
  });

  route('GET /api/v1/audit/export', async (c, { query }) => {
    const { format, ...filter } = query;
    const date = new Date(s.ctx.now()).toISOString().slice(0, 10);
    // A whole-trail NDJSON export is framed by signed statements, so `palisade audit
    // verify` can check it offline; a filtered one has gaps and cannot be.
    const whole = format === 'ndjson' && Object.values(filter).every((v) => v === undefined);
    const frame = whole ? await s.audit.exportFrame() : null;
    return c.body(exportStream(s.audit, filter, format, frame), 200, {
      'Content-Type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson',
      'Content-Disposition': `attachment; filename="palisade-audit-${date}.${format}"`,
      'Cache-Control': 'no-store',
    });
  });

  route('GET /api/v1/audit/verify', async (c) => c.json(await s.audit.verify()));

  route('GET /api/v1/audit/stats', async (c, { query }) =>
    c.json(await s.audit.stats(query.from, query.to)),
  );
}

/**
 * The export as a pull stream: rows are read a page at a time only when the client has
 * taken the previous chunk, so memory stays flat however large the trail is.
 */
function exportStream(
  audit: AuditService,
  filter: Parameters<AuditService['iterate']>[0],
  format: 'csv' | 'ndjson',
  frame: Awaited<ReturnType<AuditService['exportFrame']>> | null,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const rows = audit.iterate(filter, frame?.head?.seq);
  const line = format === 'csv' ? csvRow : ndjsonRow;
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      let chunk = '';
      if (!started) {
        if (format === 'csv') chunk = CSV_HEADER;
        if (frame?.checkpoint) chunk = ndjsonSigned('signedCheckpoint', frame.checkpoint.signed!);
      }
      started = true;
      for (let i = 0; i < 200; i++) {
        const next = await rows.next();
        if (next.done) {
          if (frame?.head) chunk += ndjsonSigned('signedHead', frame.head.signed);
          if (chunk) controller.enqueue(encoder.encode(chunk));
          controller.close();
          return;
        }
        chunk += line(next.value);
      }
      controller.enqueue(encoder.encode(chunk));
    },
    async cancel() {
      await rows.return(undefined);
    },
  });
}

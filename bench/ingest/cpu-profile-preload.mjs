// Loaded into the bench's server process (NODE_OPTIONS=--import …) by `ingest.ts --profile`:
// Node 20 refuses --cpu-prof in NODE_OPTIONS, so the V8 profiler is started here through the
// inspector and its profile written to INGEST_CPU_PROFILE when the server exits.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import process from 'node:process';

const out = process.env.INGEST_CPU_PROFILE;
if (out) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 250 });
  session.post('Profiler.start');
  // The session is on this thread, so the answer comes before post returns: safe on exit.
  process.on('exit', () =>
    session.post('Profiler.stop', (err, result) => {
      if (!err) writeFileSync(out, JSON.stringify(result.profile));
    }),
  );
}

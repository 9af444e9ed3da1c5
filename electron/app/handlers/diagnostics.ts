import { buildDiagnostics } from '../../core/security/diagnostics';
import type { Handlers } from '../../api/dispatcher';
import type { diagnosticsCalls } from '../../api/calls/diagnostics';
import type { AppContext } from '../app-context';

export function diagnosticsHandlers(
  app: Pick<AppContext, 'openSiteOrNull' | 'jobManager' | 'platform' | 'redactor'>,
): Pick<Handlers, keyof typeof diagnosticsCalls> {
  return {
    'diagnostics.export': async ({ jobs, tailLines }) => {
      const now = new Date();
      const text = await buildDiagnostics({
        version: app.platform.version,
        transport: app.platform.transport,
        site: app.openSiteOrNull,
        jobs: app.openSiteOrNull ? await app.jobManager().list() : [],
        redactor: app.redactor,
        jobCount: jobs,
        tailLines,
        now,
      });
      return { text, fileName: `fieldkit-diagnostics-${now.toISOString().replace(/[:.]/g, '-')}.txt` };
    },
  };
}

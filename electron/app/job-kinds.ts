// Every kind of job the app can run. Later capabilities (discovery, publish, reboot, firmware waves) register here.
import type { JobManager } from '../core/jobs/job-manager';
import { selfTestJob } from '../core/jobs/self-test-job';
import type { FieldkitApp } from './fieldkit-app';

export interface JobDeps {
  app: FieldkitApp;
}

export function registerJobKinds(jobs: JobManager, _deps: JobDeps): void {
  jobs.register(selfTestJob);
}

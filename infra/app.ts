/** The CDK app (cdk.json "app"): `npm run synth`, `npm run deploy`. Everything else is in infra/build.ts. */
import { buildOnboardingApp } from './build.js';

buildOnboardingApp().app.synth();

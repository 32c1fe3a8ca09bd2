import type { IdGenerator } from '../../ports/id-generator.js';

/** Predictable ids for tests: onb-test000001, onb-test000002, ... */
export class SequentialIds implements IdGenerator {
  private n = 0;
  onboardingId() {
    this.n += 1;
    return `onb-test${String(this.n).padStart(6, '0')}`;
  }
  id(prefix: string) {
    this.n += 1;
    return `${prefix}-test${String(this.n).padStart(6, '0')}`;
  }
}
